/* SPDX-License-Identifier: MIT */
/* libFuzzer: the first message of a Noise_IK handshake, as the launcher's
 * responder reads it from any client that connects. */
#include <stdint.h>
#include <string.h>

#include "ipc/noise.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        static NoiseKeypair s;
        static bool have_key;
        if (!have_key) {
                uint8_t priv[NOISE_DHLEN];
                memset(priv, 0x42, sizeof(priv));
                if (noise_keypair_from_private(&s, priv) < 0)
                        return 0;
                have_key = true;
        }
        static uint8_t payload[NOISE_MAX_MESSAGE];
        NoiseHandshake *hs = NULL;
        if (noise_handshake_new(&hs, "Noise_IK_25519_ChaChaPoly_BLAKE2s", false) < 0)
                return 0;
        if (noise_handshake_set_prologue(hs, (const uint8_t *) "fuzz", 4) >= 0 && noise_handshake_set_static(hs, &s) >= 0 &&
            noise_handshake_start(hs) >= 0 && size <= NOISE_MAX_MESSAGE)
                (void) noise_handshake_read(hs, data, size, payload);
        noise_handshake_free(hs);
        return 0;
}
