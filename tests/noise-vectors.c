/* SPDX-License-Identifier: MIT */
/* noise-vectors FILE.json
 *
 * Runs every vector of the usual JSON test-vector format (as published with
 * cacophony and snow) whose protocol we support, each as an initiator and a
 * responder of our own talking to each other: every handshake and transport
 * message must match the vector byte for byte, in both directions. Prints a
 * TAP line per vector and ends with "N passed, N failed, N skipped"; psk
 * patterns and other cipher suites are skipped. Exit status 1 on any failure. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipc/noise.h"

static int unhex(const char *hex, uint8_t *out, size_t size, size_t *len) {
        size_t n = strlen(hex);
        if (n % 2 || n / 2 > size)
                return -EINVAL;
        for (size_t i = 0; i < n / 2; i++) {
                unsigned v;
                if (sscanf(hex + 2 * i, "%2x", &v) != 1)
                        return -EINVAL;
                out[i] = (uint8_t) v;
        }
        *len = n / 2;
        return 0;
}

static const char *field(json_t *v, const char *name) {
        json_t *f = json_object_get(v, name);
        return json_is_string(f) ? json_string_value(f) : NULL;
}

static int setup_side(NoiseHandshake *hs, json_t *v, const char *who) {
        char key[64];
        uint8_t buf[NOISE_MAX_MESSAGE];
        size_t len;
        const char *hex;

        snprintf(key, sizeof(key), "%s_prologue", who);
        if ((hex = field(v, key)) && (unhex(hex, buf, sizeof(buf), &len) < 0 || noise_handshake_set_prologue(hs, buf, len) < 0))
                return -EINVAL;
        snprintf(key, sizeof(key), "%s_static", who);
        if ((hex = field(v, key))) {
                NoiseKeypair kp;
                if (unhex(hex, buf, NOISE_DHLEN, &len) < 0 || noise_keypair_from_private(&kp, buf) < 0 ||
                    noise_handshake_set_static(hs, &kp) < 0)
                        return -EINVAL;
        }
        snprintf(key, sizeof(key), "%s_ephemeral", who);
        if ((hex = field(v, key))) {
                NoiseKeypair kp;
                if (unhex(hex, buf, NOISE_DHLEN, &len) < 0 || noise_keypair_from_private(&kp, buf) < 0 ||
                    noise_handshake_set_ephemeral(hs, &kp) < 0)
                        return -EINVAL;
        }
        snprintf(key, sizeof(key), "%s_remote_static", who);
        if ((hex = field(v, key)) &&
            (unhex(hex, buf, NOISE_DHLEN, &len) < 0 || noise_handshake_set_remote_static(hs, buf) < 0))
                return -EINVAL;
        return noise_handshake_start(hs);
}

/* 0 passed, 1 skipped, -1 failed (with the reason in why). */
static int run_vector(json_t *v, char *why, size_t why_size) {
        const char *name = field(v, "protocol_name");
        if (!name)
                return snprintf(why, why_size, "no protocol_name"), -1;
        if (strstr(name, "psk"))
                return snprintf(why, why_size, "psk patterns are not supported"), 1;

        _cleanup_(noise_handshake_freep) NoiseHandshake *init = NULL, *resp = NULL;
        int r = noise_handshake_new(&init, name, true);
        if (r == -EPROTONOSUPPORT)
                return snprintf(why, why_size, "protocol not supported"), 1;
        if (r < 0 || noise_handshake_new(&resp, name, false) < 0)
                return snprintf(why, why_size, "cannot create the handshake"), -1;
        if (setup_side(init, v, "init") < 0 || setup_side(resp, v, "resp") < 0)
                return snprintf(why, why_size, "bad keys or prologue in the vector"), -1;

        bool one_way = strncmp(name, "Noise_N_", 8) == 0 || strncmp(name, "Noise_K_", 8) == 0 ||
                       strncmp(name, "Noise_X_", 8) == 0;
        NoiseCipher i_send = {}, i_recv = {}, r_send = {}, r_recv = {};
        bool split = false;
        static uint8_t payload[NOISE_MAX_MESSAGE], expected[NOISE_MAX_MESSAGE], out[NOISE_MAX_MESSAGE],
                back[NOISE_MAX_MESSAGE];

        json_t *messages = json_object_get(v, "messages");
        for (size_t i = 0; i < json_array_size(messages); i++) {
                json_t *m = json_array_get(messages, i);
                size_t payload_len, expected_len;
                if (!field(m, "payload") || !field(m, "ciphertext") ||
                    unhex(field(m, "payload"), payload, sizeof(payload), &payload_len) < 0 ||
                    unhex(field(m, "ciphertext"), expected, sizeof(expected), &expected_len) < 0)
                        return snprintf(why, why_size, "message %zu: bad hex", i), -1;

                ssize_t n, p;
                if (!split) {
                        bool from_init = noise_handshake_action(init) == NOISE_ACTION_WRITE;
                        NoiseHandshake *sender = from_init ? init : resp, *receiver = from_init ? resp : init;
                        n = noise_handshake_write(sender, payload, payload_len, out);
                        p = n < 0 ? n : noise_handshake_read(receiver, out, (size_t) n, back);
                        if (noise_handshake_action(init) == NOISE_ACTION_SPLIT &&
                            noise_handshake_action(resp) == NOISE_ACTION_SPLIT) {
                                if (noise_handshake_split(init, &i_send, &i_recv) < 0 ||
                                    noise_handshake_split(resp, &r_send, &r_recv) < 0)
                                        return snprintf(why, why_size, "split failed"), -1;
                                split = true;
                        }
                } else {
                        bool from_init = one_way || i % 2 == 0;
                        NoiseCipher *enc = from_init ? &i_send : &r_send, *dec = from_init ? &r_recv : &i_recv;
                        n = noise_cipher_encrypt(enc, NULL, 0, payload, payload_len, out);
                        p = n < 0 ? n : noise_cipher_decrypt(dec, NULL, 0, out, (size_t) n, back);
                }
                if (n < 0 || (size_t) n != expected_len || memcmp(out, expected, expected_len) != 0)
                        return snprintf(why, why_size, "message %zu: ciphertext differs (%zd)", i, n), -1;
                if (p < 0 || (size_t) p != payload_len || memcmp(back, payload, payload_len) != 0)
                        return snprintf(why, why_size, "message %zu: decrypted payload differs (%zd)", i, p), -1;
        }
        noise_cipher_wipe(&i_send);
        noise_cipher_wipe(&i_recv);
        noise_cipher_wipe(&r_send);
        noise_cipher_wipe(&r_recv);
        return 0;
}

int main(int argc, char *argv[]) {
        if (argc != 2) {
                fprintf(stderr, "usage: noise-vectors FILE.json\n");
                return 2;
        }
        json_error_t error;
        json_t *root = json_load_file(argv[1], 0, &error);
        if (!root) {
                fprintf(stderr, "noise-vectors: %s:%d: %s\n", argv[1], error.line, error.text);
                return 2;
        }
        json_t *vectors = json_is_array(root) ? root : json_object_get(root, "vectors");
        if (!json_is_array(vectors)) {
                fprintf(stderr, "noise-vectors: %s: no array of vectors\n", argv[1]);
                json_decref(root);
                return 2;
        }

        unsigned passed = 0, failed = 0, skipped = 0;
        for (size_t i = 0; i < json_array_size(vectors); i++) {
                json_t *v = json_array_get(vectors, i);
                const char *name = field(v, "protocol_name");
                char why[256] = "";
                int r = run_vector(v, why, sizeof(why));
                if (r == 0) {
                        passed++;
                        printf("ok %zu - %s\n", i + 1, name);
                } else if (r > 0) {
                        skipped++;
                        printf("ok %zu - %s # SKIP %s\n", i + 1, name ? name : "?", why);
                } else {
                        failed++;
                        printf("not ok %zu - %s: %s\n", i + 1, name ? name : "?", why);
                }
        }
        printf("1..%zu\n", json_array_size(vectors));
        /* A TAP comment: the count is the TAP lines above. */
        printf("# %u passed, %u failed, %u skipped\n", passed, failed, skipped);
        json_decref(root);
        return failed ? 1 : 0;
}
