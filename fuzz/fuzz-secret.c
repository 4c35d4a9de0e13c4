/* SPDX-License-Identifier: MIT */
/* libFuzzer: a Secret's value as the Secret Service sends it (IV and
 * ciphertext), decrypted, unpadded and checked as UTF-8 without NUL under a
 * real DH session; and values we encrypt come back as they were. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/secure.h"
#include "secrets/secret-bus.h"
#include "secrets/session-crypto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        /* Two ends of one session, made once. */
        static DhSession *ours, *service;
        if (!ours) {
                if (dh_session_new(&ours) < 0 || dh_session_new(&service) < 0 ||
                    dh_session_derive(ours, dh_session_public_key(service), DH_PUBLIC_LEN) < 0 ||
                    dh_session_derive(service, dh_session_public_key(ours), DH_PUBLIC_LEN) < 0)
                        abort();
        }
        if (size < SESSION_IV_LEN)
                return 0;

        char *value = NULL;
        size_t len, vsize;
        for (int plain = 0; plain < 2; plain++)
                if (secret_bus_decode_value(plain ? NULL : ours, data, SESSION_IV_LEN, data + SESSION_IV_LEN,
                                            size - SESSION_IV_LEN, &value, &len, &vsize) == 0) {
                        if (!secret_value_is_valid(value, len) || value[len] != 0)
                                abort();
                        secure_free(value, vsize);
                }

        /* The rest of the input as a value: what the service encrypts, we
         * read back, if it is text. */
        const uint8_t *text = data + SESSION_IV_LEN;
        size_t n = size - SESSION_IV_LEN;
        uint8_t *cipher = malloc(n + 32), iv[SESSION_IV_LEN];
        ssize_t c = cipher ? dh_session_encrypt(service, iv, text, n, cipher) : -1;
        if (c >= 0) {
                int r = secret_bus_decode_value(ours, iv, sizeof(iv), cipher, (size_t) c, &value, &len, &vsize);
                bool valid = secret_value_is_valid((const char *) text, n);
                if ((r == 0) != valid || (r == 0 && (len != n || memcmp(value, text, n) != 0)))
                        abort();
                if (r == 0)
                        secure_free(value, vsize);
        }
        free(cipher);
        return 0;
}
