/* SPDX-License-Identifier: MIT */
#pragma once

#include <stddef.h>
#include <sys/types.h>
#include <stdint.h>

#include "common/macro.h"

/* The Secret Service's dh-ietf1024-sha256-aes128-cbc-pkcs7 session: a
 * Diffie-Hellman exchange in the 1024-bit MODP group 2 of RFC 2409, the
 * shared secret (128 bytes, big-endian, zero-padded) through HKDF-SHA256
 * (no salt, no info) to a 128-bit AES key, then AES-128-CBC with PKCS#7
 * padding and the IV in the secret's parameters. */

#define DH_PUBLIC_LEN 128
#define SESSION_KEY_LEN 16
#define SESSION_IV_LEN 16

typedef struct DhSession DhSession;

/* Our half: a fresh keypair; its public key is what OpenSession sends. */
int dh_session_new(DhSession **ret);
DhSession *dh_session_free(DhSession *s);
DEFINE_TRIVIAL_CLEANUP_FUNC(DhSession *, dh_session_free);
const uint8_t *dh_session_public_key(const DhSession *s); /* DH_PUBLIC_LEN bytes */

/* With the service's public key (any length up to 128 bytes, big-endian):
 * the AES key. The private key is wiped then. */
int dh_session_derive(DhSession *s, const uint8_t *peer, size_t peer_len);

/* out: at least len bytes; returns the plaintext's length. -EBADMSG on bad
 * padding. */
ssize_t dh_session_decrypt(const DhSession *s, const uint8_t *iv, size_t iv_len, const uint8_t *in, size_t len,
                           uint8_t *out);
/* A random IV into iv; out: at least len + 16 bytes; returns its length. */
ssize_t dh_session_encrypt(const DhSession *s, uint8_t iv[SESSION_IV_LEN], const uint8_t *in, size_t len,
                           uint8_t *out);
