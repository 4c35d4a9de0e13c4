/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "secrets/session-crypto.h"

/* Two ends of the exchange agree on a key: what one encrypts, the other
 * decrypts, for every padding length. (Against gnome-keyring itself:
 * tests/integration/test-secrets.sh.) */
static void test_agreement(void **state) {
        (void) state;
        _cleanup_(dh_session_freep) DhSession *a = NULL, *b = NULL;
        assert_int_equal(dh_session_new(&a), 0);
        assert_int_equal(dh_session_new(&b), 0);
        assert_memory_not_equal(dh_session_public_key(a), dh_session_public_key(b), DH_PUBLIC_LEN);
        assert_int_equal(dh_session_derive(a, dh_session_public_key(b), DH_PUBLIC_LEN), 0);
        assert_int_equal(dh_session_derive(b, dh_session_public_key(a), DH_PUBLIC_LEN), 0);

        const char text[] = "a secret value of thirty-three b";
        for (size_t len = 0; len <= 33; len++) {
                uint8_t iv[SESSION_IV_LEN], sealed[64], opened[64];
                ssize_t n = dh_session_encrypt(a, iv, (const uint8_t *) text, len, sealed);
                assert_int_equal(n, (len / 16 + 1) * 16);
                assert_int_equal(dh_session_decrypt(b, iv, sizeof(iv), sealed, (size_t) n, opened), len);
                assert_memory_equal(opened, text, len);
        }
}

/* A peer key with a leading zero byte (KWallet's, from QCA's signed
 * numbers: 129 bytes when the top bit is set) is the same number. */
static void test_leading_zero(void **state) {
        (void) state;
        _cleanup_(dh_session_freep) DhSession *a = NULL, *b = NULL;
        assert_int_equal(dh_session_new(&a), 0);
        assert_int_equal(dh_session_new(&b), 0);
        uint8_t padded[DH_PUBLIC_LEN + 1] = { 0 };
        memcpy(padded + 1, dh_session_public_key(b), DH_PUBLIC_LEN);
        assert_int_equal(dh_session_derive(a, padded, sizeof(padded)), 0);
        assert_int_equal(dh_session_derive(b, dh_session_public_key(a), DH_PUBLIC_LEN), 0);
        uint8_t iv[SESSION_IV_LEN], sealed[32], opened[32];
        ssize_t n = dh_session_encrypt(a, iv, (const uint8_t *) "value", 5, sealed);
        assert_int_equal(dh_session_decrypt(b, iv, sizeof(iv), sealed, (size_t) n, opened), 5);
        assert_memory_equal(opened, "value", 5);
}

static void test_rejects(void **state) {
        (void) state;
        _cleanup_(dh_session_freep) DhSession *a = NULL, *b = NULL;
        assert_int_equal(dh_session_new(&a), 0);
        /* A peer key of 1 would make the shared secret 1. */
        const uint8_t one = 1;
        assert_int_equal(dh_session_derive(a, &one, 1), -EBADMSG);

        a = dh_session_free(a);
        assert_int_equal(dh_session_new(&a), 0);
        assert_int_equal(dh_session_new(&b), 0);
        assert_int_equal(dh_session_derive(a, dh_session_public_key(b), DH_PUBLIC_LEN), 0);
        uint8_t iv[SESSION_IV_LEN], sealed[32], opened[32];
        ssize_t n = dh_session_encrypt(a, iv, (const uint8_t *) "value", 5, sealed);
        assert_int_equal(n, 16);
        /* b never derived: it cannot decrypt; with a's own key, a wrong IV
         * garbles the padding (or, rarely, the text). */
        assert_int_equal(dh_session_decrypt(b, iv, sizeof(iv), sealed, 16, opened), -EINVAL);
        assert_int_equal(dh_session_decrypt(a, iv, sizeof(iv), sealed, 15, opened), -EBADMSG);
        assert_int_equal(dh_session_decrypt(a, iv, 8, sealed, 16, opened), -EBADMSG);
        sealed[15] ^= 0x80;
        ssize_t bad = dh_session_decrypt(a, iv, sizeof(iv), sealed, 16, opened);
        assert_true(bad == -EBADMSG || (bad >= 0 && memcmp(opened, "value", 5) != 0));
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_agreement),
                cmocka_unit_test(test_rejects),
                cmocka_unit_test(test_leading_zero),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
