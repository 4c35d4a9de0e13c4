/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "ipc/blake2s.h"

static void hex(const uint8_t *b, size_t n, char *out) {
        for (size_t i = 0; i < n; i++)
                sprintf(out + 2 * i, "%02x", b[i]);
}

static void digest(const uint8_t *data, size_t len, const uint8_t *key, size_t key_len, size_t chunk, char out[65]) {
        Blake2s st;
        uint8_t d[BLAKE2S_OUTLEN];
        blake2s_start(&st, sizeof(d), key, key_len);
        for (size_t i = 0; i < len; i += chunk)
                blake2s_add(&st, data + i, len - i < chunk ? len - i : chunk);
        blake2s_finish(&st, d);
        hex(d, sizeof(d), out);
}

/* RFC 7693, appendix B: BLAKE2s-256("abc"). */
static void test_rfc_vector(void **state) {
        (void) state;
        char out[65];
        digest((const uint8_t *) "abc", 3, NULL, 0, 3, out);
        assert_string_equal(out, "508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982");
}

/* Against Python's hashlib.blake2s, an independent implementation, unkeyed
 * and keyed with bytes 0..31, on inputs around the block size: byte i of
 * an input of length n is (7i + 3) mod 256. Each input is fed whole, byte
 * by byte and in 64-byte pieces (the last block must not be compressed
 * before we know it is the last). */
static const struct {
        size_t len;
        const char *plain, *keyed;
} known[] = {
        { 0, "69217a3079908094e11121d042354a7c1f55b6482ca1a51e1b250dfd1ed0eef9",
          "48a8997da407876b3d79c0d92325ad3b89cbb754d86ab71aee047ad345fd2c49" },
        { 1, "a28ac19d6bcbe2cd1d7de183485768d598e996b07889b9b11f418cb1b4a4fb0d",
          "722ac21d94c3868234e075bb5692678e6460c23466b10b48acf133e6f89f9082" },
        { 63, "de27df0e375d83c49f1af9ca8270f9f2fe7b70bf800fc01672db0e9746021ebf",
          "1b40734002093e70c462a8d12967377efd57653c412650984b7fe50c79251b24" },
        { 64, "5377e4ff957bda4d4535f4879876b71a61056c4cec31e78397c66ec47a86a130",
          "ce3c22b930e6395797de1e490600d305294ff2e30eb187bb63120e3f5e3fc129" },
        { 65, "19b1b26fba093f4a670d8913e1b71cbb2916dfa701018cc6b05785c966593374",
          "82e02e62a066f2f3cd7a8a542581cbf441e35cf7a771fc7adb0965d8446b71cb" },
        { 128, "83470c75afa23d90cd7659906e4b47daa278131fbb225241dd37a40fd5355ac7",
          "b434a9ad31b133b873924a29f24cfd8e00431b1c2aa088176e7ef5b311aed79b" },
        { 200, "46c215f5ea995be7077ae5b9e0ef1c28b2111fc213d0867ddc8f1b339362f5fc",
          "1451e8cae7338dcd393b0734feba845d0011fab8718a58534dc8860df4dd8e83" },
};

static void test_against_hashlib(void **state) {
        (void) state;
        uint8_t data[200], key[32];
        for (size_t i = 0; i < sizeof(data); i++)
                data[i] = (uint8_t) (i * 7 + 3);
        for (size_t i = 0; i < sizeof(key); i++)
                key[i] = (uint8_t) i;
        const size_t chunks[] = { sizeof(data), 1, 64 };
        for (size_t k = 0; k < sizeof(known) / sizeof(known[0]); k++)
                for (size_t c = 0; c < 3; c++) {
                        char out[65];
                        digest(data, known[k].len, NULL, 0, chunks[c], out);
                        assert_string_equal(out, known[k].plain);
                        digest(data, known[k].len, key, sizeof(key), chunks[c], out);
                        assert_string_equal(out, known[k].keyed);
                }
}

static void test_short_output(void **state) {
        (void) state;
        /* The output length is part of the parameter block: a 16-byte digest
         * is not the first half of the 32-byte one. */
        Blake2s st;
        uint8_t d16[16], d32[32];
        blake2s_start(&st, 16, NULL, 0);
        blake2s_add(&st, "abc", 3);
        blake2s_finish(&st, d16);
        blake2s_start(&st, 32, NULL, 0);
        blake2s_add(&st, "abc", 3);
        blake2s_finish(&st, d32);
        assert_memory_not_equal(d16, d32, 16);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_rfc_vector),
                cmocka_unit_test(test_against_hashlib),
                cmocka_unit_test(test_short_output),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
