/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/macro.h"

/* The Noise Protocol Framework (revision 34) for one cipher suite,
 * Noise_<PATTERN>_25519_ChaChaPoly_BLAKE2s, on libsodium (X25519,
 * ChaCha20-Poly1305) and BLAKE2s of our own (blake2s.h). Handshake patterns
 * are data (a token table per pattern), not code: every fundamental pattern
 * and every deferred one is supported; psk modifiers are not.
 *
 * Errors are hard: a failed MAC, a DH with a low-order point, nonce
 * exhaustion or a call out of turn leaves the handshake failed for good.
 * Keys, chaining key and hash are wiped when freed. */

#define NOISE_DHLEN 32
#define NOISE_HASHLEN 32
#define NOISE_KEYLEN 32
#define NOISE_TAGLEN 16
#define NOISE_MAX_MESSAGE 65535

typedef struct NoiseKeypair {
        uint8_t private_key[NOISE_DHLEN];
        uint8_t public_key[NOISE_DHLEN];
} NoiseKeypair;

int noise_keypair_generate(NoiseKeypair *kp);
int noise_keypair_from_private(NoiseKeypair *kp, const uint8_t private_key[NOISE_DHLEN]);
void noise_keypair_wipe(NoiseKeypair *kp);

/* A CipherState: transport messages after the handshake. */
typedef struct NoiseCipher {
        uint8_t key[NOISE_KEYLEN];
        bool has_key;
        uint64_t nonce;
} NoiseCipher;

/* out must hold len + NOISE_TAGLEN bytes; returns the length written.
 * -EOVERFLOW once the nonce is exhausted. */
ssize_t noise_cipher_encrypt(NoiseCipher *c, const uint8_t *ad, size_t ad_len, const uint8_t *in, size_t len,
                             uint8_t *out);
/* out must hold len - NOISE_TAGLEN bytes; -EBADMSG on a bad tag. */
ssize_t noise_cipher_decrypt(NoiseCipher *c, const uint8_t *ad, size_t ad_len, const uint8_t *in, size_t len,
                             uint8_t *out);
void noise_cipher_wipe(NoiseCipher *c);

typedef struct NoiseHandshake NoiseHandshake;

typedef enum NoiseAction {
        NOISE_ACTION_WRITE,  /* our turn to send a handshake message */
        NOISE_ACTION_READ,   /* waiting for the peer's */
        NOISE_ACTION_SPLIT,  /* done: take the transport ciphers */
        NOISE_ACTION_FAILED,
} NoiseAction;

/* "Noise_IK_25519_ChaChaPoly_BLAKE2s"; -EPROTONOSUPPORT for anything else. */
int noise_handshake_new(NoiseHandshake **ret, const char *protocol_name, bool initiator);
NoiseHandshake *noise_handshake_free(NoiseHandshake *hs);
DEFINE_TRIVIAL_CLEANUP_FUNC(NoiseHandshake *, noise_handshake_free);

/* Before noise_handshake_start(). */
int noise_handshake_set_prologue(NoiseHandshake *hs, const uint8_t *prologue, size_t len);
int noise_handshake_set_static(NoiseHandshake *hs, const NoiseKeypair *s);
int noise_handshake_set_remote_static(NoiseHandshake *hs, const uint8_t public_key[NOISE_DHLEN]);
/* Only for known-answer tests: a fixed ephemeral instead of a fresh one. */
int noise_handshake_set_ephemeral(NoiseHandshake *hs, const NoiseKeypair *e);
/* Which keys the pattern needs from this side. */
bool noise_handshake_needs_static(const NoiseHandshake *hs);
bool noise_handshake_needs_remote_static(const NoiseHandshake *hs);
/* -EINVAL if a key the pattern needs is missing. */
int noise_handshake_start(NoiseHandshake *hs);

NoiseAction noise_handshake_action(const NoiseHandshake *hs);
/* Writes the next handshake message carrying `payload`; out must hold
 * NOISE_MAX_MESSAGE bytes. Returns its length. */
ssize_t noise_handshake_write(NoiseHandshake *hs, const uint8_t *payload, size_t payload_len, uint8_t *out);
/* Reads the peer's next handshake message; payload must hold
 * NOISE_MAX_MESSAGE bytes. Returns the payload's length. */
ssize_t noise_handshake_read(NoiseHandshake *hs, const uint8_t *message, size_t len, uint8_t *payload);
/* After the last message: the ciphers to send and to receive with. */
int noise_handshake_split(NoiseHandshake *hs, NoiseCipher *send, NoiseCipher *receive);
/* The peer's static key once the handshake has carried it (or it was set). */
const uint8_t *noise_handshake_remote_static(const NoiseHandshake *hs);
/* h, for channel binding. */
const uint8_t *noise_handshake_hash(const NoiseHandshake *hs);

/* Pattern names supported, NULL-terminated (for the vector runner). */
extern const char *const noise_patterns[];
