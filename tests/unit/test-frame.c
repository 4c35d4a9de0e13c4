/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "ipc/frame.h"

static FrameReader reader;

static void test_reader(void **state) {
        (void) state;
        frame_reader_reset(&reader);
        const uint8_t two[] = { 0, 0, 0, 3, 'a', 'b', 'c', 0, 0, 0, 1, 'z' };
        bool done;
        size_t len;

        /* Byte by byte. */
        for (size_t i = 0; i < 7; i++) {
                assert_int_equal(frame_reader_feed(&reader, two + i, 1, &done), 1);
                assert_int_equal(done, i == 6);
        }
        const uint8_t *f = frame_reader_frame(&reader, &len);
        assert_int_equal(len, 3);
        assert_memory_equal(f, "abc", 3);
        /* The rest in one go. */
        assert_int_equal(frame_reader_feed(&reader, two + 7, 5, &done), 5);
        assert_true(done);
        f = frame_reader_frame(&reader, &len);
        assert_int_equal(len, 1);
        assert_int_equal(f[0], 'z');

        /* Two frames in one buffer: the reader stops after the first. */
        assert_int_equal(frame_reader_feed(&reader, two, sizeof(two), &done), 7);
        assert_true(done);
        frame_reader_frame(&reader, &len);

        /* A reset wipes every byte a frame was written to, and the state. */
        frame_reader_reset(&reader);
        static const uint8_t zeros[3];
        assert_memory_equal(reader.body, zeros, sizeof(zeros));
        assert_int_equal(reader.got, 0);
        assert_int_equal(reader.length, 0);
        assert_int_equal(reader.used_max, 0);

        /* Lengths out of range are refused from the header alone. */
        const uint8_t zero[] = { 0, 0, 0, 0 }, big[] = { 0, 1, 0, 0 }, huge[] = { 0xff, 0xff, 0xff, 0xff };
        frame_reader_reset(&reader);
        assert_int_equal(frame_reader_feed(&reader, zero, 4, &done), -EBADMSG);
        frame_reader_reset(&reader);
        assert_int_equal(frame_reader_feed(&reader, big, 4, &done), -EBADMSG);
        frame_reader_reset(&reader);
        assert_int_equal(frame_reader_feed(&reader, huge, 4, &done), -EBADMSG);
        /* A truncated frame is simply not complete. */
        frame_reader_reset(&reader);
        assert_int_equal(frame_reader_feed(&reader, two, 5, &done), 5);
        assert_false(done);
        assert_null(frame_reader_frame(&reader, &len));
}

/* Encrypts with one cipher, then runs every frame through a reader, a
 * decrypting cipher and an assembler. */
static void roundtrip(size_t size) {
        NoiseCipher enc = { .has_key = true }, dec = { .has_key = true };
        memset(enc.key, 3, sizeof(enc.key));
        dec = enc;
        uint8_t *msg = malloc(size ? size : 1);
        for (size_t i = 0; i < size; i++)
                msg[i] = (uint8_t) (i * 7);

        uint8_t *wire = NULL;
        size_t wire_len = 0;
        assert_int_equal(frame_encode_message(&enc, msg, size, &wire, &wire_len), 0);

        frame_reader_reset(&reader);
        MessageAssembler a = {};
        static uint8_t plain[FRAME_MAX];
        int complete = 0;
        for (size_t off = 0; off < wire_len;) {
                bool done;
                ssize_t n = frame_reader_feed(&reader, wire + off, wire_len - off, &done);
                assert_true(n > 0);
                off += (size_t) n;
                if (!done)
                        continue;
                size_t len;
                const uint8_t *f = frame_reader_frame(&reader, &len);
                ssize_t p = noise_cipher_decrypt(&dec, NULL, 0, f, len, plain);
                assert_true(p >= 0);
                assert_int_equal(complete, 0);
                complete = message_assembler_add(&a, plain, (size_t) p);
                assert_true(complete >= 0);
        }
        assert_int_equal(complete, 1);
        size_t got_len;
        uint8_t *got = message_assembler_take(&a, &got_len);
        assert_int_equal(got_len, size);
        assert_memory_equal(got, msg, size);
        free(got);
        free(msg);
        free(wire);
}

static void test_messages(void **state) {
        (void) state;
        const size_t sizes[] = { 0, 1, FRAME_CHUNK_MAX - 1, FRAME_CHUNK_MAX, FRAME_CHUNK_MAX + 1, 200000,
                                 FRAME_MESSAGE_MAX };
        for (size_t i = 0; i < ELEMENTSOF(sizes); i++)
                roundtrip(sizes[i]);

        NoiseCipher enc = { .has_key = true };
        uint8_t *wire = NULL;
        size_t wire_len = 0;
        static uint8_t big[FRAME_MESSAGE_MAX + 1];
        assert_int_equal(frame_encode_message(&enc, big, sizeof(big), &wire, &wire_len), -EMSGSIZE);
        free(wire);
}

static void header(uint8_t h[8], uint32_t count, uint32_t total) {
        h[0] = (uint8_t) (count >> 24), h[1] = (uint8_t) (count >> 16), h[2] = (uint8_t) (count >> 8), h[3] = (uint8_t) count;
        h[4] = (uint8_t) (total >> 24), h[5] = (uint8_t) (total >> 16), h[6] = (uint8_t) (total >> 8), h[7] = (uint8_t) total;
}

static void test_assembler_limits(void **state) {
        (void) state;
        MessageAssembler a = {};
        uint8_t h[8];

        header(h, 1, FRAME_MESSAGE_MAX + 1);
        assert_int_equal(message_assembler_add(&a, h, 8), -EBADMSG); /* too big */
        header(h, 1000, 10);
        assert_int_equal(message_assembler_add(&a, h, 8), -EBADMSG); /* fabricated count */
        header(h, 0, 10);
        assert_int_equal(message_assembler_add(&a, h, 8), -EBADMSG);
        header(h, 2, 10);
        assert_int_equal(message_assembler_add(&a, h, 8), -EBADMSG);
        header(h, UINT32_MAX, UINT32_MAX);
        assert_int_equal(message_assembler_add(&a, h, 8), -EBADMSG);
        assert_int_equal(message_assembler_add(&a, h, 7), -EBADMSG); /* not a header */

        /* A chunk of the wrong size. */
        header(h, 1, 10);
        assert_int_equal(message_assembler_add(&a, h, 8), 0);
        assert_int_equal(message_assembler_add(&a, (const uint8_t *) "short", 5), -EBADMSG);
        message_assembler_reset(&a);

        header(h, 2, FRAME_CHUNK_MAX + 5);
        assert_int_equal(message_assembler_add(&a, h, 8), 0);
        static uint8_t chunk[FRAME_CHUNK_MAX];
        assert_int_equal(message_assembler_add(&a, chunk, FRAME_CHUNK_MAX - 1), -EBADMSG);
        message_assembler_reset(&a);

        /* An empty message is a header with no chunks. */
        header(h, 0, 0);
        assert_int_equal(message_assembler_add(&a, h, 8), 1);
        size_t len = 99;
        uint8_t *m = message_assembler_take(&a, &len);
        assert_non_null(m);
        assert_int_equal(len, 0);
        free(m);
}

/* Over the assembler's limit: refused at the header with nothing
 * allocated, its chunks checked and dropped, and the next message taken. */
static void test_assembler_over_limit(void **state) {
        (void) state;
        MessageAssembler a = { .limit = FRAME_CHUNK_MAX };
        static uint8_t chunk[FRAME_CHUNK_MAX];
        uint8_t h[8];

        header(h, 2, FRAME_CHUNK_MAX + 5);
        assert_int_equal(message_assembler_add(&a, h, 8), -EMSGSIZE);
        assert_null(a.data);
        assert_false(message_assembler_partial(&a));
        assert_int_equal(message_assembler_add(&a, chunk, FRAME_CHUNK_MAX - 1), -EBADMSG); /* still checked */
        assert_int_equal(message_assembler_add(&a, chunk, FRAME_CHUNK_MAX), 0);
        assert_int_equal(message_assembler_add(&a, chunk, 5), 0);
        assert_false(a.in_message);
        assert_int_equal(a.limit, FRAME_CHUNK_MAX);

        header(h, 1, 3);
        assert_int_equal(message_assembler_add(&a, h, 8), 0);
        assert_int_equal(message_assembler_add(&a, (const uint8_t *) "abc", 3), 1);
        size_t len = 0;
        uint8_t *m = message_assembler_take(&a, &len);
        assert_int_equal(len, 3);
        assert_memory_equal(m, "abc", 3);
        free(m);
        assert_int_equal(a.limit, FRAME_CHUNK_MAX);

        /* At the limit exactly: taken, and partial while its chunks come. */
        header(h, 1, FRAME_CHUNK_MAX);
        assert_int_equal(message_assembler_add(&a, h, 8), 0);
        assert_false(message_assembler_partial(&a)); /* one chunk: never held back */
        message_assembler_reset(&a);
        a.limit = 0;
        header(h, 2, FRAME_CHUNK_MAX + 1);
        assert_int_equal(message_assembler_add(&a, h, 8), 0);
        assert_true(message_assembler_partial(&a));
        message_assembler_reset(&a);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_reader),
                cmocka_unit_test(test_messages),
                cmocka_unit_test(test_assembler_limits),
                cmocka_unit_test(test_assembler_over_limit),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
