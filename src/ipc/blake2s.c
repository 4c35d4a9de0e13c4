/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "common/wipe.h"
#include "ipc/blake2s.h"

/* RFC 7693, section 2.6 (the IV is SHA-256's) and 2.7 (SIGMA). */
static const uint32_t iv[8] = {
        0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A, 0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19,
};

static const uint8_t sigma[10][16] = {
        { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 },
        { 14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3 },
        { 11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4 },
        { 7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8 },
        { 9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13 },
        { 2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9 },
        { 12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11 },
        { 13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10 },
        { 6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5 },
        { 10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0 },
};

static uint32_t rotr32(uint32_t x, unsigned n) {
        return (x >> n) | (x << (32 - n));
}

static uint32_t load32_le(const uint8_t *p) {
        return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 | (uint32_t) p[3] << 24;
}

/* The mixing function G (section 3.1), rotations 16, 12, 8, 7. */
static void mix(uint32_t v[16], int a, int b, int c, int d, uint32_t x, uint32_t y) {
        v[a] = v[a] + v[b] + x;
        v[d] = rotr32(v[d] ^ v[a], 16);
        v[c] = v[c] + v[d];
        v[b] = rotr32(v[b] ^ v[c], 12);
        v[a] = v[a] + v[b] + y;
        v[d] = rotr32(v[d] ^ v[a], 8);
        v[c] = v[c] + v[d];
        v[b] = rotr32(v[b] ^ v[c], 7);
}

/* The compression function F (section 3.2); `last` for the final block. */
static void compress(Blake2s *st, const uint8_t block[BLAKE2S_BLOCKLEN], int last) {
        uint32_t v[16], m[16];
        for (int i = 0; i < 16; i++)
                m[i] = load32_le(block + 4 * i);
        for (int i = 0; i < 8; i++) {
                v[i] = st->h[i];
                v[i + 8] = iv[i];
        }
        v[12] ^= st->t[0];
        v[13] ^= st->t[1];
        if (last)
                v[14] = ~v[14];
        for (int r = 0; r < 10; r++) {
                const uint8_t *s = sigma[r];
                mix(v, 0, 4, 8, 12, m[s[0]], m[s[1]]);
                mix(v, 1, 5, 9, 13, m[s[2]], m[s[3]]);
                mix(v, 2, 6, 10, 14, m[s[4]], m[s[5]]);
                mix(v, 3, 7, 11, 15, m[s[6]], m[s[7]]);
                mix(v, 0, 5, 10, 15, m[s[8]], m[s[9]]);
                mix(v, 1, 6, 11, 12, m[s[10]], m[s[11]]);
                mix(v, 2, 7, 8, 13, m[s[12]], m[s[13]]);
                mix(v, 3, 4, 9, 14, m[s[14]], m[s[15]]);
        }
        for (int i = 0; i < 8; i++)
                st->h[i] ^= v[i] ^ v[i + 8];
        wipe(v, sizeof(v));
        wipe(m, sizeof(m));
}

static void count(Blake2s *st, size_t n) {
        st->t[0] += (uint32_t) n;
        if (st->t[0] < n)
                st->t[1]++;
}

void blake2s_start(Blake2s *st, size_t out_len, const uint8_t *key, size_t key_len) {
        memset(st, 0, sizeof(*st));
        memcpy(st->h, iv, sizeof(iv));
        /* Parameter block, section 2.5: fanout 1, depth 1, key and digest length. */
        st->h[0] ^= 0x01010000 ^ (uint32_t) (key_len << 8) ^ (uint32_t) out_len;
        st->out_len = out_len;
        if (key_len > 0) {
                /* The key, zero-padded, is the first block (section 3.3). */
                memcpy(st->buf, key, key_len);
                st->buf_len = BLAKE2S_BLOCKLEN;
        }
}

void blake2s_add(Blake2s *st, const void *data, size_t len) {
        const uint8_t *in = data;
        while (len > 0) {
                /* A full buffer is compressed only once more input follows:
                 * the last block must be compressed with the final flag. */
                if (st->buf_len == BLAKE2S_BLOCKLEN) {
                        count(st, BLAKE2S_BLOCKLEN);
                        compress(st, st->buf, 0);
                        st->buf_len = 0;
                }
                size_t n = BLAKE2S_BLOCKLEN - st->buf_len;
                if (n > len)
                        n = len;
                memcpy(st->buf + st->buf_len, in, n);
                st->buf_len += n;
                in += n;
                len -= n;
        }
}

void blake2s_finish(Blake2s *st, uint8_t *out) {
        count(st, st->buf_len);
        memset(st->buf + st->buf_len, 0, BLAKE2S_BLOCKLEN - st->buf_len);
        compress(st, st->buf, 1);
        uint8_t full[BLAKE2S_OUTLEN];
        for (int i = 0; i < 8; i++)
                for (int j = 0; j < 4; j++)
                        full[4 * i + j] = (uint8_t) (st->h[i] >> (8 * j));
        memcpy(out, full, st->out_len);
        wipe(full, sizeof(full));
        wipe(st, sizeof(*st));
}
