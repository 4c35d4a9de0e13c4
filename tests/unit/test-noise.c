/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "ipc/noise.h"

#define IK "Noise_IK_25519_ChaChaPoly_BLAKE2s"

static uint8_t msg[NOISE_MAX_MESSAGE], payload[NOISE_MAX_MESSAGE];

static void pair(NoiseHandshake **init, NoiseHandshake **resp, NoiseKeypair *is, NoiseKeypair *rs) {
        assert_int_equal(noise_keypair_generate(is), 0);
        assert_int_equal(noise_keypair_generate(rs), 0);
        assert_int_equal(noise_handshake_new(init, IK, true), 0);
        assert_int_equal(noise_handshake_new(resp, IK, false), 0);
        assert_int_equal(noise_handshake_set_static(*init, is), 0);
        assert_int_equal(noise_handshake_set_remote_static(*init, rs->public_key), 0);
        assert_int_equal(noise_handshake_set_static(*resp, rs), 0);
        assert_int_equal(noise_handshake_start(*init), 0);
        assert_int_equal(noise_handshake_start(*resp), 0);
}

static void test_names_and_keys(void **state) {
        (void) state;
        NoiseHandshake *hs = NULL;
        assert_int_equal(noise_handshake_new(&hs, "Noise_IK_25519_AESGCM_SHA256", true), -EPROTONOSUPPORT);
        assert_int_equal(noise_handshake_new(&hs, "Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s", true), -EPROTONOSUPPORT);
        assert_int_equal(noise_handshake_new(&hs, "Noise_ZZ_25519_ChaChaPoly_BLAKE2s", true), -EPROTONOSUPPORT);
        assert_int_equal(noise_handshake_new(&hs, "IK", true), -EPROTONOSUPPORT);

        for (const char *const *p = noise_patterns; *p; p++) {
                char name[64];
                snprintf(name, sizeof(name), "Noise_%s_25519_ChaChaPoly_BLAKE2s", *p);
                assert_int_equal(noise_handshake_new(&hs, name, true), 0);
                hs = noise_handshake_free(hs);
        }

        /* IK: the initiator needs both keys, the responder only its own. */
        _cleanup_(noise_handshake_freep) NoiseHandshake *i = NULL, *r = NULL;
        assert_int_equal(noise_handshake_new(&i, IK, true), 0);
        assert_int_equal(noise_handshake_new(&r, IK, false), 0);
        assert_true(noise_handshake_needs_static(i));
        assert_true(noise_handshake_needs_remote_static(i));
        assert_true(noise_handshake_needs_static(r));
        assert_false(noise_handshake_needs_remote_static(r));
        assert_int_equal(noise_handshake_start(i), -EINVAL);
        assert_int_equal(noise_handshake_action(i), NOISE_ACTION_FAILED);
}

static void test_roundtrip_and_turns(void **state) {
        (void) state;
        _cleanup_(noise_handshake_freep) NoiseHandshake *i = NULL, *r = NULL;
        NoiseKeypair is, rs;
        pair(&i, &r, &is, &rs);

        assert_int_equal(noise_handshake_action(i), NOISE_ACTION_WRITE);
        assert_int_equal(noise_handshake_action(r), NOISE_ACTION_READ);
        ssize_t n = noise_handshake_write(i, (const uint8_t *) "hi", 2, msg);
        /* e (32) + encrypted s (48) + encrypted payload (2 + 16) */
        assert_int_equal(n, 32 + 48 + 2 + 16);
        assert_int_equal(noise_handshake_read(r, msg, (size_t) n, payload), 2);
        assert_memory_equal(noise_handshake_remote_static(r), is.public_key, NOISE_DHLEN);

        n = noise_handshake_write(r, NULL, 0, msg);
        assert_int_equal(n, 32 + 16);
        assert_int_equal(noise_handshake_read(i, msg, (size_t) n, payload), 0);
        assert_memory_equal(noise_handshake_hash(i), noise_handshake_hash(r), NOISE_HASHLEN);

        NoiseCipher is_send, is_recv, rs_send, rs_recv;
        assert_int_equal(noise_handshake_split(i, &is_send, &is_recv), 0);
        assert_int_equal(noise_handshake_split(r, &rs_send, &rs_recv), 0);
        n = noise_cipher_encrypt(&is_send, NULL, 0, (const uint8_t *) "transport", 9, msg);
        assert_int_equal(noise_cipher_decrypt(&rs_recv, NULL, 0, msg, (size_t) n, payload), 9);
        assert_memory_equal(payload, "transport", 9);
        /* Replaying the same message fails: the nonce moved on. */
        assert_int_equal(noise_cipher_decrypt(&rs_recv, NULL, 0, msg, (size_t) n, payload), -EBADMSG);
}

static void test_failures_are_final(void **state) {
        (void) state;
        _cleanup_(noise_handshake_freep) NoiseHandshake *i = NULL, *r = NULL;
        NoiseKeypair is, rs;
        pair(&i, &r, &is, &rs);

        /* Out of turn. */
        assert_int_equal(noise_handshake_write(r, NULL, 0, msg), -EINVAL);
        assert_int_equal(noise_handshake_action(r), NOISE_ACTION_FAILED);

        _cleanup_(noise_handshake_freep) NoiseHandshake *i2 = NULL, *r2 = NULL;
        pair(&i2, &r2, &is, &rs);
        ssize_t n = noise_handshake_write(i2, NULL, 0, msg);
        msg[40] ^= 1;
        assert_int_equal(noise_handshake_read(r2, msg, (size_t) n, payload), -EBADMSG);
        assert_int_equal(noise_handshake_action(r2), NOISE_ACTION_FAILED);
        msg[40] ^= 1;
        /* The untampered message does not revive it. */
        assert_true(noise_handshake_read(r2, msg, (size_t) n, payload) < 0);

        /* Truncated messages. */
        _cleanup_(noise_handshake_freep) NoiseHandshake *i3 = NULL, *r3 = NULL;
        pair(&i3, &r3, &is, &rs);
        n = noise_handshake_write(i3, NULL, 0, msg);
        assert_int_equal(noise_handshake_read(r3, msg, 31, payload), -EBADMSG);

        /* A low-order public key (all zeros) as the ephemeral. */
        _cleanup_(noise_handshake_freep) NoiseHandshake *i4 = NULL, *r4 = NULL;
        pair(&i4, &r4, &is, &rs);
        n = noise_handshake_write(i4, NULL, 0, msg);
        memset(msg, 0, 32);
        assert_true(noise_handshake_read(r4, msg, (size_t) n, payload) < 0);
        assert_int_equal(noise_handshake_action(r4), NOISE_ACTION_FAILED);
}

static void test_nonce_exhaustion(void **state) {
        (void) state;
        NoiseCipher c = { .has_key = true, .nonce = UINT64_MAX - 1 };
        memset(c.key, 7, sizeof(c.key));
        NoiseCipher d = c;
        ssize_t n = noise_cipher_encrypt(&c, NULL, 0, (const uint8_t *) "x", 1, msg);
        assert_int_equal(n, 17);
        assert_int_equal(noise_cipher_decrypt(&d, NULL, 0, msg, (size_t) n, payload), 1);
        /* 2^64-1 is reserved: no more messages either way. */
        assert_int_equal(noise_cipher_encrypt(&c, NULL, 0, (const uint8_t *) "x", 1, msg), -EOVERFLOW);
        assert_int_equal(noise_cipher_decrypt(&d, NULL, 0, msg, (size_t) n, payload), -EOVERFLOW);
        /* Too short to hold a tag. */
        NoiseCipher e = { .has_key = true };
        assert_int_equal(noise_cipher_decrypt(&e, NULL, 0, msg, 15, payload), -EBADMSG);
}

static void test_message_size(void **state) {
        (void) state;
        _cleanup_(noise_handshake_freep) NoiseHandshake *i = NULL, *r = NULL;
        NoiseKeypair is, rs;
        pair(&i, &r, &is, &rs);
        static uint8_t big[NOISE_MAX_MESSAGE];
        /* 80 bytes of keys + payload + tag may not pass 65,535. */
        assert_int_equal(noise_handshake_write(i, big, NOISE_MAX_MESSAGE - 80 - 16 + 1, msg), -EMSGSIZE);
        _cleanup_(noise_handshake_freep) NoiseHandshake *i2 = NULL, *r2 = NULL;
        pair(&i2, &r2, &is, &rs);
        assert_int_equal(noise_handshake_write(i2, big, NOISE_MAX_MESSAGE - 80 - 16, msg), NOISE_MAX_MESSAGE);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_names_and_keys),     cmocka_unit_test(test_roundtrip_and_turns),
                cmocka_unit_test(test_failures_are_final), cmocka_unit_test(test_nonce_exhaustion),
                cmocka_unit_test(test_message_size),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
