/* SPDX-License-Identifier: MIT */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* BLAKE2s (RFC 7693), written from the RFC: Noise's hash here, and keyed,
 * the key files' checksum. Our own because the one library that ships it
 * (libb2) drags in OpenMP and costs the lean client 0.7 ms at start-up. */

#define BLAKE2S_BLOCKLEN 64
#define BLAKE2S_OUTLEN 32
#define BLAKE2S_KEYLEN 32

typedef struct Blake2s {
        uint32_t h[8];
        uint32_t t[2]; /* bytes hashed so far, low word first */
        uint8_t buf[BLAKE2S_BLOCKLEN];
        size_t buf_len;
        size_t out_len;
} Blake2s;

/* out_len 1..32, key_len 0..32 (0: unkeyed). */
void blake2s_start(Blake2s *st, size_t out_len, const uint8_t *key, size_t key_len);
void blake2s_add(Blake2s *st, const void *data, size_t len);
/* Writes out_len bytes and wipes the state. */
void blake2s_finish(Blake2s *st, uint8_t *out);
