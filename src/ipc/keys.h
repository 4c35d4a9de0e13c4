/* SPDX-License-Identifier: MIT */
#pragma once

#include "common/error.h"
#include "ipc/noise.h"

/* Static X25519 keypairs on disk: <dir>/<name>.key holds the private key in
 * hex, <name>.pub the public one, <name>.key.sum a keyed BLAKE2s checksum of
 * both. Written atomically (a 0600 temporary file, fsync, rename, fsync of
 * the directory), so a crash leaves the old pair or the new one, never
 * half of one. The checksum catches a key file edited or damaged by
 * anything but this code: on load, a mismatch is a "tampered key" error
 * naming the files; a missing checksum is only a warning. */

int key_save(const char *dir, const char *name, const NoiseKeypair *kp, Error *e);
int key_load(const char *dir, const char *name, NoiseKeypair *kp, Error *e);

/* Writes a public key, in hex, atomically, mode 0644. */
int key_publish(const char *path, const uint8_t public_key[NOISE_DHLEN], Error *e);
/* Reads one written by key_publish (or any 64-hex-digit line). */
int key_read_public(const char *path, uint8_t public_key[NOISE_DHLEN], Error *e);

/* 64 lower-case hex digits (+ NUL) and back. */
void key_to_hex(const uint8_t key[NOISE_DHLEN], char hex[static 2 * NOISE_DHLEN + 1]);
int key_from_hex(const char *hex, uint8_t key[NOISE_DHLEN]);
