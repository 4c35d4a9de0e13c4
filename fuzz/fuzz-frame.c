/* SPDX-License-Identifier: MIT */
/* libFuzzer: the frame reader and the message assembler on whatever bytes
 * a client sends, cut at arbitrary points, with decryption stubbed out
 * (the frames' contents go to the assembler as if decrypted). */
#include <stdint.h>
#include <stdlib.h>

#include "ipc/frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        static FrameReader r;
        MessageAssembler a = {};
        frame_reader_reset(&r);
        /* The first byte says where reads are cut, as a socket might. */
        size_t step = size ? (data[0] % 37) + 1 : 1;
        for (size_t off = size ? 1 : 0; off < size;) {
                bool done;
                size_t n = step < size - off ? step : size - off;
                ssize_t used = frame_reader_feed(&r, data + off, n, &done);
                if (used < 0)
                        break;
                off += (size_t) used;
                if (!done)
                        continue;
                size_t len;
                const uint8_t *f = frame_reader_frame(&r, &len);
                int k = message_assembler_add(&a, f, len);
                if (k < 0)
                        break;
                if (k == 1) {
                        size_t mlen;
                        free(message_assembler_take(&a, &mlen));
                }
        }
        message_assembler_reset(&a);
        return 0;
}
