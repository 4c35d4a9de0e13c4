/* SPDX-License-Identifier: MIT */
/* libFuzzer: the ChildLaunch decoder, as a spare reads what comes through
 * its hold pipe; a decoded launch encodes back to the same bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "spawn/child.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        uint8_t *buf = malloc(size ? size : 1);
        if (!buf)
                return 0;
        memcpy(buf, data, size);
        ChildLaunch l;
        if (child_launch_decode(buf, size, &l) == 0) {
                if (!l.program[0] || !l.argv[0])
                        abort();
                ChildLaunch again_l = l;
                again_l.cwd = *l.cwd ? l.cwd : NULL;
                again_l.journal = *l.journal ? l.journal : NULL;
                size_t len = child_launch_size(&again_l);
                uint8_t *again = len ? malloc(len) : NULL;
                if (!again)
                        abort(); /* it came in under the limit */
                child_launch_encode(again, len, &again_l);
                if (len != size + sizeof(uint32_t) || memcmp(again + sizeof(uint32_t), data, size) != 0)
                        abort();
                free(again);
                free(l.argv);
                free(l.envp);
        }
        free(buf);
        return 0;
}
