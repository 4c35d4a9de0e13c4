/* SPDX-License-Identifier: MIT */
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/fileio.h"
#include "common/hex.h"
#include "common/log.h"
#include "common/path.h"
#include "common/secure.h"
#include "common/wipe.h"
#include "ipc/blake2s.h"
#include "ipc/keys.h"

/* The checksum's key: constant, for it guards against damage and foreign
 * edits, not against someone who can read this source and write the
 * user's files (who could as well replace the whole pair). */
/* A key file is one line of hex; anything much larger is not one. */
#define KEY_FILE_MAX 4096

static const char checksum_key[] = "sesame key checksum v1 .........";

void key_to_hex(const uint8_t key[NOISE_DHLEN], char hex[static 2 * NOISE_DHLEN + 1]) {
        static const char digits[] = "0123456789abcdef";
        for (size_t i = 0; i < NOISE_DHLEN; i++) {
                hex[2 * i] = digits[key[i] >> 4];
                hex[2 * i + 1] = digits[key[i] & 15];
        }
        hex[2 * NOISE_DHLEN] = 0;
}

int key_from_hex(const char *hex, uint8_t key[NOISE_DHLEN]) {
        if (!hex || strlen(hex) != 2 * NOISE_DHLEN)
                return -EINVAL;
        for (size_t i = 0; i < NOISE_DHLEN; i++) {
                int hi = unhexchar(hex[2 * i]), lo = unhexchar(hex[2 * i + 1]);
                if (hi < 0 || lo < 0)
                        return -EINVAL;
                key[i] = (uint8_t) (hi << 4 | lo);
        }
        return 0;
}

static int checksum(const NoiseKeypair *kp, char hex[static 2 * NOISE_DHLEN + 1]) {
        /* BLAKE2s in its keyed mode (RFC 7693), 32 bytes out. */
        Blake2s st;
        uint8_t out[BLAKE2S_OUTLEN];
        blake2s_start(&st, sizeof(out), (const uint8_t *) checksum_key, BLAKE2S_KEYLEN);
        blake2s_add(&st, kp->private_key, NOISE_DHLEN);
        blake2s_add(&st, kp->public_key, NOISE_DHLEN);
        blake2s_finish(&st, out);
        key_to_hex(out, hex);
        return 0;
}

/* The first line of a small file, into buf; read through a secure buffer
 * (no stdio buffer left unwiped on the heap), which is wiped. */
static int read_line(const char *path, char *buf, size_t size, Error *e) {
        char *text = NULL;
        size_t len = 0;
        int r = read_file(path, KEY_FILE_MAX, READ_FILE_SECURE, &text, &len, e);
        if (r < 0)
                return r;
        size_t n = strcspn(text, "\r\n");
        if (n == 0)
                r = error_setf(e, -EINVAL, "%s: empty", path);
        else if (n >= size)
                r = error_setf(e, -EINVAL, "%s: not a key (64 hex digits)", path);
        else {
                memcpy(buf, text, n);
                buf[n] = 0;
        }
        secure_free(text, len + 1);
        return r;
}

int key_save(const char *dir, const char *name, const NoiseKeypair *kp, Error *e) {
        assert_return(dir && name && kp, error_setf(e, -EINVAL, "invalid argument"));
        int r = mkdir_parents(dir, e);
        if (r < 0)
                return r;

        char path[PATH_MAX], hex[2 * NOISE_DHLEN + 1], text[2 * NOISE_DHLEN + 2];
        snprintf(path, sizeof(path), "%s/%s.key", dir, name);
        key_to_hex(kp->private_key, hex);
        snprintf(text, sizeof(text), "%s\n", hex);
        r = write_file_atomic(path, text, 0600, e);
        wipe(hex, sizeof(hex));
        wipe(text, sizeof(text));
        if (r < 0)
                return r;

        snprintf(path, sizeof(path), "%s/%s.pub", dir, name);
        key_to_hex(kp->public_key, hex);
        snprintf(text, sizeof(text), "%s\n", hex);
        if ((r = write_file_atomic(path, text, 0644, e)) < 0)
                return r;

        snprintf(path, sizeof(path), "%s/%s.key.sum", dir, name);
        if (checksum(kp, hex) < 0)
                return error_setf(e, -EIO, "cannot compute the checksum");
        snprintf(text, sizeof(text), "%s\n", hex);
        return write_file_atomic(path, text, 0600, e);
}

int key_load(const char *dir, const char *name, NoiseKeypair *kp, Error *e) {
        assert_return(dir && name && kp, error_setf(e, -EINVAL, "invalid argument"));
        char path[PATH_MAX], sum_path[PATH_MAX], line[256];
        snprintf(path, sizeof(path), "%s/%s.key", dir, name);
        snprintf(sum_path, sizeof(sum_path), "%s/%s.key.sum", dir, name);

        int r = read_line(path, line, sizeof(line), e);
        if (r < 0)
                return r;
        uint8_t priv[NOISE_DHLEN];
        r = key_from_hex(line, priv);
        wipe(line, sizeof(line));
        if (r < 0)
                return error_setf(e, -EINVAL, "%s: not a key (64 hex digits)", path);
        r = noise_keypair_from_private(kp, priv);
        wipe(priv, sizeof(priv));
        if (r < 0)
                return error_setf(e, r, "%s: not a usable key", path);

        char expected[2 * NOISE_DHLEN + 1];
        Error ignored = {};
        if (read_line(sum_path, line, sizeof(line), &ignored) < 0) {
                log_warning("%s: no checksum beside %s; cannot tell whether the key was altered", sum_path, path);
                return 0;
        }
        if (checksum(kp, expected) < 0) {
                noise_keypair_wipe(kp);
                return error_setf(e, -EIO, "cannot compute the checksum");
        }
        if (strlen(line) != strlen(expected) || sodium_memcmp(line, expected, strlen(expected)) != 0) {
                noise_keypair_wipe(kp);
                return error_setf(e, -EBADMSG, "tampered key: %s does not match its checksum %s", path, sum_path);
        }
        return 0;
}

int key_publish(const char *path, const uint8_t public_key[NOISE_DHLEN], Error *e) {
        char hex[2 * NOISE_DHLEN + 1], text[2 * NOISE_DHLEN + 2];
        key_to_hex(public_key, hex);
        snprintf(text, sizeof(text), "%s\n", hex);
        return write_file_atomic(path, text, 0644, e);
}

int key_read_public(const char *path, uint8_t public_key[NOISE_DHLEN], Error *e) {
        char line[256];
        int r = read_line(path, line, sizeof(line), e);
        if (r < 0)
                return r;
        if (key_from_hex(line, public_key) < 0)
                return error_setf(e, -EINVAL, "%s: not a public key (64 hex digits)", path);
        return 0;
}
