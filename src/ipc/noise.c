/* SPDX-License-Identifier: MIT */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/wipe.h"
#include "ipc/blake2s.h"
#include "ipc/noise.h"

/* ---- handshake patterns (Noise specification, sections 7.4 and 18) */

typedef enum Token {
        T_END = 0,
        T_E,
        T_S,
        T_EE,
        T_ES,
        T_SE,
        T_SS,
} Token;

#define PRE_S 1
#define MAX_MESSAGES 4
#define MAX_TOKENS 6

typedef struct Pattern {
        const char *name;
        uint8_t pre_initiator, pre_responder; /* PRE_S: the static key is known in advance */
        /* Messages alternate, the initiator's first; T_END ends each. */
        Token messages[MAX_MESSAGES][MAX_TOKENS];
} Pattern;

#define M(...) { __VA_ARGS__, T_END }

static const Pattern patterns[] = {
        /* one-way */
        { "N", 0, PRE_S, { M(T_E, T_ES) } },
        { "K", PRE_S, PRE_S, { M(T_E, T_ES, T_SS) } },
        { "X", 0, PRE_S, { M(T_E, T_ES, T_S, T_SS) } },
        /* interactive, fundamental */
        { "NN", 0, 0, { M(T_E), M(T_E, T_EE) } },
        { "NK", 0, PRE_S, { M(T_E, T_ES), M(T_E, T_EE) } },
        { "NX", 0, 0, { M(T_E), M(T_E, T_EE, T_S, T_ES) } },
        { "KN", PRE_S, 0, { M(T_E), M(T_E, T_EE, T_SE) } },
        { "KK", PRE_S, PRE_S, { M(T_E, T_ES, T_SS), M(T_E, T_EE, T_SE) } },
        { "KX", PRE_S, 0, { M(T_E), M(T_E, T_EE, T_SE, T_S, T_ES) } },
        { "XN", 0, 0, { M(T_E), M(T_E, T_EE), M(T_S, T_SE) } },
        { "XK", 0, PRE_S, { M(T_E, T_ES), M(T_E, T_EE), M(T_S, T_SE) } },
        { "XX", 0, 0, { M(T_E), M(T_E, T_EE, T_S, T_ES), M(T_S, T_SE) } },
        { "IN", 0, 0, { M(T_E, T_S), M(T_E, T_EE, T_SE) } },
        { "IK", 0, PRE_S, { M(T_E, T_ES, T_S, T_SS), M(T_E, T_EE, T_SE) } },
        { "IX", 0, 0, { M(T_E, T_S), M(T_E, T_EE, T_SE, T_S, T_ES) } },
        /* interactive, deferred */
        { "NK1", 0, PRE_S, { M(T_E), M(T_E, T_EE, T_ES) } },
        { "NX1", 0, 0, { M(T_E), M(T_E, T_EE, T_S), M(T_ES) } },
        { "X1N", 0, 0, { M(T_E), M(T_E, T_EE), M(T_S), M(T_SE) } },
        { "X1K", 0, PRE_S, { M(T_E, T_ES), M(T_E, T_EE), M(T_S), M(T_SE) } },
        { "XK1", 0, PRE_S, { M(T_E), M(T_E, T_EE, T_ES), M(T_S, T_SE) } },
        { "X1K1", 0, PRE_S, { M(T_E), M(T_E, T_EE, T_ES), M(T_S), M(T_SE) } },
        { "X1X", 0, 0, { M(T_E), M(T_E, T_EE, T_S, T_ES), M(T_S), M(T_SE) } },
        { "XX1", 0, 0, { M(T_E), M(T_E, T_EE, T_S), M(T_ES, T_S, T_SE) } },
        { "X1X1", 0, 0, { M(T_E), M(T_E, T_EE, T_S), M(T_ES, T_S), M(T_SE) } },
        { "K1N", PRE_S, 0, { M(T_E), M(T_E, T_EE), M(T_SE) } },
        { "K1K", PRE_S, PRE_S, { M(T_E, T_ES), M(T_E, T_EE), M(T_SE) } },
        { "KK1", PRE_S, PRE_S, { M(T_E), M(T_E, T_EE, T_SE, T_ES) } },
        { "K1K1", PRE_S, PRE_S, { M(T_E), M(T_E, T_EE, T_ES), M(T_SE) } },
        { "K1X", PRE_S, 0, { M(T_E), M(T_E, T_EE, T_S, T_ES), M(T_SE) } },
        { "KX1", PRE_S, 0, { M(T_E), M(T_E, T_EE, T_SE, T_S), M(T_ES) } },
        { "K1X1", PRE_S, 0, { M(T_E), M(T_E, T_EE, T_S), M(T_SE, T_ES) } },
        { "I1N", 0, 0, { M(T_E, T_S), M(T_E, T_EE), M(T_SE) } },
        { "I1K", 0, PRE_S, { M(T_E, T_ES, T_S), M(T_E, T_EE), M(T_SE) } },
        { "IK1", 0, PRE_S, { M(T_E, T_S), M(T_E, T_EE, T_SE, T_ES) } },
        { "I1K1", 0, PRE_S, { M(T_E, T_S), M(T_E, T_EE, T_ES), M(T_SE) } },
        { "I1X", 0, 0, { M(T_E, T_S), M(T_E, T_EE, T_S, T_ES), M(T_SE) } },
        { "IX1", 0, 0, { M(T_E, T_S), M(T_E, T_EE, T_SE, T_S), M(T_ES) } },
        { "I1X1", 0, 0, { M(T_E, T_S), M(T_E, T_EE, T_S), M(T_SE, T_ES) } },
};

const char *const noise_patterns[] = {
        "N",   "K",   "X",    "NN",   "NK",   "NX",  "KN",  "KK",   "KX",   "XN",  "XK",   "XX",  "IN",
        "IK",  "IX",  "NK1",  "NX1",  "X1N",  "X1K", "XK1", "X1K1", "X1X",  "XX1", "X1X1", "K1N", "K1K",
        "KK1", "K1K1", "K1X", "KX1",  "K1X1", "I1N", "I1K", "IK1",  "I1K1", "I1X", "IX1",  "I1X1", NULL,
};

#define SUITE "_25519_ChaChaPoly_BLAKE2s"

static size_t pattern_messages(const Pattern *p) {
        size_t n = 0;
        while (n < MAX_MESSAGES && p->messages[n][0] != T_END)
                n++;
        return n;
}

/* ---- primitives
 *
 * X25519 and ChaCha20-Poly1305 from libsodium, BLAKE2s our own (blake2s.h
 * says why): libsodium loads in a fraction of the time OpenSSL's libcrypto,
 * which this used first, took, and that start was most of what a one-shot
 * `sesame launch` cost (docs/benchmarks.md). */

static int crypto_init(void) {
        /* Idempotent; 1 when already done. */
        return sodium_init() < 0 ? -ENOTSUP : 0;
}

static void hash2(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen, uint8_t out[NOISE_HASHLEN]) {
        Blake2s st;
        blake2s_start(&st, NOISE_HASHLEN, NULL, 0);
        blake2s_add(&st, a, alen);
        blake2s_add(&st, b, blen);
        blake2s_finish(&st, out);
}

static void hmac(const uint8_t key[NOISE_HASHLEN], const uint8_t *a, size_t alen, const uint8_t *b, size_t blen,
                uint8_t out[NOISE_HASHLEN]) {
        /* HMAC-BLAKE2s (RFC 2104) as Noise defines it, over the hash's
         * 64-byte block: not BLAKE2s's own keyed mode. */
        uint8_t pad[BLAKE2S_BLOCKLEN], inner[NOISE_HASHLEN];
        Blake2s st;
        memset(pad, 0x36, sizeof(pad));
        for (size_t i = 0; i < NOISE_HASHLEN; i++)
                pad[i] ^= key[i];
        blake2s_start(&st, NOISE_HASHLEN, NULL, 0);
        blake2s_add(&st, pad, sizeof(pad));
        blake2s_add(&st, a, alen);
        blake2s_add(&st, b, blen);
        blake2s_finish(&st, inner);
        for (size_t i = 0; i < sizeof(pad); i++)
                pad[i] ^= 0x36 ^ 0x5c;
        hash2(pad, sizeof(pad), inner, sizeof(inner), out);
        wipe(pad, sizeof(pad));
        wipe(inner, sizeof(inner));
}

/* HKDF as Noise defines it, with two outputs. */
static void hkdf2(const uint8_t ck[NOISE_HASHLEN], const uint8_t *ikm, size_t ikm_len, uint8_t out1[NOISE_HASHLEN],
                 uint8_t out2[NOISE_HASHLEN]) {
        uint8_t temp[NOISE_HASHLEN];
        const uint8_t one = 0x01, two = 0x02;
        hmac(ck, ikm, ikm_len, NULL, 0, temp);
        hmac(temp, &one, 1, NULL, 0, out1);
        hmac(temp, out1, NOISE_HASHLEN, &two, 1, out2);
        wipe(temp, sizeof(temp));
}

static int dh(const uint8_t private_key[NOISE_DHLEN], const uint8_t public_key[NOISE_DHLEN], uint8_t out[NOISE_DHLEN]) {
        /* libsodium refuses an all-zero result (a low-order public key):
         * that fails the handshake, as it should. */
        return crypto_scalarmult(out, private_key, public_key) == 0 ? 0 : -EBADMSG;
}

int noise_keypair_from_private(NoiseKeypair *kp, const uint8_t private_key[NOISE_DHLEN]) {
        assert_return(kp && private_key, -EINVAL);
        if (crypto_init() < 0)
                return -ENOTSUP;
        uint8_t pub[NOISE_DHLEN];
        if (crypto_scalarmult_base(pub, private_key) != 0)
                return -EINVAL;
        memmove(kp->private_key, private_key, NOISE_DHLEN);
        memcpy(kp->public_key, pub, NOISE_DHLEN);
        return 0;
}

int noise_keypair_generate(NoiseKeypair *kp) {
        assert_return(kp, -EINVAL);
        if (crypto_init() < 0)
                return -ENOTSUP;
        /* Any 32 random bytes are a private key: X25519 clamps them. */
        randombytes_buf(kp->private_key, NOISE_DHLEN);
        return crypto_scalarmult_base(kp->public_key, kp->private_key) == 0 ? 0 : -EIO;
}

void noise_keypair_wipe(NoiseKeypair *kp) {
        if (kp)
                wipe(kp, sizeof(*kp));
}

/* ---- CipherState */

static void nonce_bytes(uint64_t n, uint8_t iv[12]) {
        memset(iv, 0, 4);
        for (int i = 0; i < 8; i++)
                iv[4 + i] = (uint8_t) (n >> (8 * i));
}

static ssize_t aead(const uint8_t key[NOISE_KEYLEN], uint64_t n, bool encrypt, const uint8_t *ad, size_t ad_len,
                    const uint8_t *in, size_t len, uint8_t *out) {
        if (crypto_init() < 0)
                return -ENOTSUP;
        if (!encrypt && len < NOISE_TAGLEN)
                return -EBADMSG;
        uint8_t iv[crypto_aead_chacha20poly1305_ietf_NPUBBYTES];
        nonce_bytes(n, iv);
        unsigned long long out_len = 0;
        if (encrypt) {
                crypto_aead_chacha20poly1305_ietf_encrypt(out, &out_len, in, len, ad, ad_len, NULL, iv, key);
                return (ssize_t) out_len;
        }
        /* libsodium checks the tag before it decrypts and zeroes `out` on
         * a bad one: nothing of a forged message can be used. */
        if (crypto_aead_chacha20poly1305_ietf_decrypt(out, &out_len, NULL, in, len, ad, ad_len, iv, key) != 0)
                return -EBADMSG;
        return (ssize_t) out_len;
}

/* EncryptWithAd and DecryptWithAd: the same steps but for the direction. */
static ssize_t cipher_apply(NoiseCipher *c, bool encrypt, const uint8_t *ad, size_t ad_len, const uint8_t *in,
                            size_t len, uint8_t *out) {
        assert_return(c && (in || len == 0) && out, -EINVAL);
        if (!c->has_key) {
                memmove(out, in, len);
                return (ssize_t) len;
        }
        /* 2^64-1 is reserved: both sides stop one before it. */
        if (c->nonce == UINT64_MAX)
                return -EOVERFLOW;
        ssize_t r = aead(c->key, c->nonce, encrypt, ad, ad_len, in, len, out);
        if (r >= 0)
                c->nonce++;
        return r;
}

ssize_t noise_cipher_encrypt(NoiseCipher *c, const uint8_t *ad, size_t ad_len, const uint8_t *in, size_t len,
                             uint8_t *out) {
        return cipher_apply(c, true, ad, ad_len, in, len, out);
}

ssize_t noise_cipher_decrypt(NoiseCipher *c, const uint8_t *ad, size_t ad_len, const uint8_t *in, size_t len,
                             uint8_t *out) {
        return cipher_apply(c, false, ad, ad_len, in, len, out);
}

void noise_cipher_wipe(NoiseCipher *c) {
        if (c)
                wipe(c, sizeof(*c));
}

/* ---- SymmetricState and HandshakeState */

struct NoiseHandshake {
        const Pattern *pattern;
        bool initiator;
        bool started;
        bool failed;
        size_t message; /* index of the next message */
        size_t n_messages;

        char protocol_name[64];
        uint8_t *prologue;
        size_t prologue_len;

        /* SymmetricState */
        uint8_t ck[NOISE_HASHLEN];
        uint8_t h[NOISE_HASHLEN];
        NoiseCipher cipher;

        NoiseKeypair s, e;
        bool has_s, has_e, fixed_e;
        uint8_t rs[NOISE_DHLEN], re[NOISE_DHLEN];
        bool has_rs, has_re;
};

int noise_handshake_new(NoiseHandshake **ret, const char *protocol_name, bool initiator) {
        assert_return(ret && protocol_name, -EINVAL);
        if (crypto_init() < 0)
                return -ENOTSUP;

        const char *prefix = "Noise_";
        size_t len = strlen(protocol_name), plen = strlen(prefix), slen = strlen(SUITE);
        if (len <= plen + slen || len >= sizeof(((NoiseHandshake *) 0)->protocol_name) ||
            strncmp(protocol_name, prefix, plen) != 0 || strcmp(protocol_name + len - slen, SUITE) != 0)
                return -EPROTONOSUPPORT;
        const char *name = protocol_name + plen;
        size_t name_len = len - plen - slen;

        const Pattern *p = NULL;
        for (size_t i = 0; i < ELEMENTSOF(patterns); i++)
                if (strlen(patterns[i].name) == name_len && strncmp(patterns[i].name, name, name_len) == 0)
                        p = &patterns[i];
        if (!p)
                return -EPROTONOSUPPORT;

        NoiseHandshake *hs = calloc(1, sizeof(*hs));
        if (!hs)
                return -ENOMEM;
        hs->pattern = p;
        hs->initiator = initiator;
        hs->n_messages = pattern_messages(p);
        memcpy(hs->protocol_name, protocol_name, len + 1);
        *ret = hs;
        return 0;
}

NoiseHandshake *noise_handshake_free(NoiseHandshake *hs) {
        if (!hs)
                return NULL;
        if (hs->prologue)
                wipe(hs->prologue, hs->prologue_len);
        free(hs->prologue);
        wipe(hs, sizeof(*hs));
        free(hs);
        return NULL;
}

int noise_handshake_set_prologue(NoiseHandshake *hs, const uint8_t *prologue, size_t len) {
        assert_return(hs && !hs->started && (prologue || len == 0), -EINVAL);
        uint8_t *copy = malloc(len ? len : 1);
        if (!copy)
                return -ENOMEM;
        if (len)
                memcpy(copy, prologue, len);
        free(hs->prologue);
        hs->prologue = copy;
        hs->prologue_len = len;
        return 0;
}

int noise_handshake_set_static(NoiseHandshake *hs, const NoiseKeypair *s) {
        assert_return(hs && !hs->started && s, -EINVAL);
        hs->s = *s;
        hs->has_s = true;
        return 0;
}

int noise_handshake_set_remote_static(NoiseHandshake *hs, const uint8_t public_key[NOISE_DHLEN]) {
        assert_return(hs && !hs->started && public_key, -EINVAL);
        memcpy(hs->rs, public_key, NOISE_DHLEN);
        hs->has_rs = true;
        return 0;
}

int noise_handshake_set_ephemeral(NoiseHandshake *hs, const NoiseKeypair *e) {
        assert_return(hs && !hs->started && e, -EINVAL);
        hs->e = *e;
        hs->fixed_e = true;
        return 0;
}

/* Whether `side` (initiator or not) sends token t in any message. */
static bool sends(const Pattern *p, bool initiator, Token t) {
        for (size_t m = initiator ? 0 : 1; m < MAX_MESSAGES; m += 2)
                for (size_t i = 0; i < MAX_TOKENS && p->messages[m][i] != T_END; i++)
                        if (p->messages[m][i] == t)
                                return true;
        return false;
}

bool noise_handshake_needs_static(const NoiseHandshake *hs) {
        const Pattern *p = hs->pattern;
        return (hs->initiator ? p->pre_initiator : p->pre_responder) & PRE_S || sends(p, hs->initiator, T_S);
}

bool noise_handshake_needs_remote_static(const NoiseHandshake *hs) {
        const Pattern *p = hs->pattern;
        return (hs->initiator ? p->pre_responder : p->pre_initiator) & PRE_S;
}

static void mix_hash(NoiseHandshake *hs, const uint8_t *data, size_t len) {
        hash2(hs->h, NOISE_HASHLEN, data, len, hs->h);
}

static void mix_key(NoiseHandshake *hs, const uint8_t *ikm, size_t len) {
        uint8_t k[NOISE_HASHLEN];
        hkdf2(hs->ck, ikm, len, hs->ck, k);
        memcpy(hs->cipher.key, k, NOISE_KEYLEN);
        hs->cipher.has_key = true;
        hs->cipher.nonce = 0;
        wipe(k, sizeof(k));
}

static int mix_dh(NoiseHandshake *hs, const uint8_t *private_key, const uint8_t *public_key) {
        uint8_t shared[NOISE_DHLEN];
        int r = dh(private_key, public_key, shared);
        if (r >= 0)
                mix_key(hs, shared, sizeof(shared));
        wipe(shared, sizeof(shared));
        return r;
}

static ssize_t encrypt_and_hash(NoiseHandshake *hs, const uint8_t *in, size_t len, uint8_t *out) {
        ssize_t n = noise_cipher_encrypt(&hs->cipher, hs->h, NOISE_HASHLEN, in, len, out);
        if (n >= 0)
                mix_hash(hs, out, (size_t) n);
        return n;
}

static ssize_t decrypt_and_hash(NoiseHandshake *hs, const uint8_t *in, size_t len, uint8_t *out) {
        uint8_t h[NOISE_HASHLEN];
        memcpy(h, hs->h, sizeof(h));
        /* h covers the ciphertext: mix it before `out` may overwrite `in`. */
        mix_hash(hs, in, len);
        return noise_cipher_decrypt(&hs->cipher, h, sizeof(h), in, len, out);
}

int noise_handshake_start(NoiseHandshake *hs) {
        assert_return(hs && !hs->started, -EINVAL);
        if ((noise_handshake_needs_static(hs) && !hs->has_s) ||
            (noise_handshake_needs_remote_static(hs) && !hs->has_rs))
                return -EINVAL;

        /* InitializeSymmetric */
        size_t len = strlen(hs->protocol_name);
        memset(hs->h, 0, sizeof(hs->h));
        if (len <= NOISE_HASHLEN)
                memcpy(hs->h, hs->protocol_name, len);
        else
                hash2((const uint8_t *) hs->protocol_name, len, NULL, 0, hs->h);
        memcpy(hs->ck, hs->h, NOISE_HASHLEN);
        mix_hash(hs, hs->prologue, hs->prologue_len);

        /* Pre-messages: the initiator's keys, then the responder's. */
        const uint8_t *pre_i = hs->initiator ? hs->s.public_key : hs->rs;
        const uint8_t *pre_r = hs->initiator ? hs->rs : hs->s.public_key;
        if (hs->pattern->pre_initiator & PRE_S)
                mix_hash(hs, pre_i, NOISE_DHLEN);
        if (hs->pattern->pre_responder & PRE_S)
                mix_hash(hs, pre_r, NOISE_DHLEN);
        hs->started = true;
        return 0;
}

NoiseAction noise_handshake_action(const NoiseHandshake *hs) {
        if (!hs || !hs->started || hs->failed)
                return NOISE_ACTION_FAILED;
        if (hs->message >= hs->n_messages)
                return NOISE_ACTION_SPLIT;
        bool initiator_turn = hs->message % 2 == 0;
        return initiator_turn == hs->initiator ? NOISE_ACTION_WRITE : NOISE_ACTION_READ;
}

/* The DH a token calls for, from this side's point of view. */
static int token_dh(NoiseHandshake *hs, Token t) {
        bool i = hs->initiator;
        switch (t) {
        case T_EE:
                return mix_dh(hs, hs->e.private_key, hs->re);
        case T_ES:
                return i ? mix_dh(hs, hs->e.private_key, hs->rs) : mix_dh(hs, hs->s.private_key, hs->re);
        case T_SE:
                return i ? mix_dh(hs, hs->s.private_key, hs->re) : mix_dh(hs, hs->e.private_key, hs->rs);
        case T_SS:
                return mix_dh(hs, hs->s.private_key, hs->rs);
        default:
                return -EINVAL;
        }
}

static ssize_t fail(NoiseHandshake *hs, ssize_t r) {
        hs->failed = true;
        return r < 0 ? r : -EINVAL;
}

ssize_t noise_handshake_write(NoiseHandshake *hs, const uint8_t *payload, size_t payload_len, uint8_t *out) {
        assert_return(hs && (payload || payload_len == 0) && out, -EINVAL);
        if (noise_handshake_action(hs) != NOISE_ACTION_WRITE)
                return fail(hs, -EINVAL);

        size_t n = 0;
        const Token *tokens = hs->pattern->messages[hs->message];
        for (size_t i = 0; i < MAX_TOKENS && tokens[i] != T_END; i++) {
                int r = 0;
                switch (tokens[i]) {
                case T_E:
                        if (!hs->fixed_e)
                                r = noise_keypair_generate(&hs->e);
                        if (r >= 0) {
                                memcpy(out + n, hs->e.public_key, NOISE_DHLEN);
                                n += NOISE_DHLEN;
                                mix_hash(hs, hs->e.public_key, NOISE_DHLEN);
                        }
                        hs->has_e = true;
                        break;
                case T_S: {
                        ssize_t k = encrypt_and_hash(hs, hs->s.public_key, NOISE_DHLEN, out + n);
                        if (k < 0)
                                return fail(hs, k);
                        n += (size_t) k;
                        break;
                }
                default:
                        r = token_dh(hs, tokens[i]);
                }
                if (r < 0)
                        return fail(hs, r);
        }
        if (n + payload_len + (hs->cipher.has_key ? NOISE_TAGLEN : 0) > NOISE_MAX_MESSAGE)
                return fail(hs, -EMSGSIZE);
        ssize_t k = encrypt_and_hash(hs, payload, payload_len, out + n);
        if (k < 0)
                return fail(hs, k);
        hs->message++;
        return (ssize_t) (n + (size_t) k);
}

ssize_t noise_handshake_read(NoiseHandshake *hs, const uint8_t *message, size_t len, uint8_t *payload) {
        assert_return(hs && (message || len == 0) && payload, -EINVAL);
        if (noise_handshake_action(hs) != NOISE_ACTION_READ || len > NOISE_MAX_MESSAGE)
                return fail(hs, -EINVAL);

        size_t n = 0;
        const Token *tokens = hs->pattern->messages[hs->message];
        for (size_t i = 0; i < MAX_TOKENS && tokens[i] != T_END; i++) {
                int r = 0;
                switch (tokens[i]) {
                case T_E:
                        if (len - n < NOISE_DHLEN)
                                return fail(hs, -EBADMSG);
                        memcpy(hs->re, message + n, NOISE_DHLEN);
                        hs->has_re = true;
                        n += NOISE_DHLEN;
                        mix_hash(hs, hs->re, NOISE_DHLEN);
                        break;
                case T_S: {
                        size_t k = NOISE_DHLEN + (hs->cipher.has_key ? NOISE_TAGLEN : 0);
                        if (len - n < k)
                                return fail(hs, -EBADMSG);
                        uint8_t copy[NOISE_DHLEN + NOISE_TAGLEN];
                        memcpy(copy, message + n, k);
                        ssize_t d = decrypt_and_hash(hs, copy, k, hs->rs);
                        if (d < 0)
                                return fail(hs, d);
                        hs->has_rs = true;
                        n += k;
                        break;
                }
                default:
                        r = token_dh(hs, tokens[i]);
                }
                if (r < 0)
                        return fail(hs, r);
        }
        ssize_t k = decrypt_and_hash(hs, message + n, len - n, payload);
        if (k < 0)
                return fail(hs, k);
        hs->message++;
        return k;
}

int noise_handshake_split(NoiseHandshake *hs, NoiseCipher *send, NoiseCipher *receive) {
        assert_return(hs && send && receive, -EINVAL);
        if (noise_handshake_action(hs) != NOISE_ACTION_SPLIT)
                return -EINVAL;
        uint8_t k1[NOISE_HASHLEN], k2[NOISE_HASHLEN];
        hkdf2(hs->ck, NULL, 0, k1, k2);
        /* k1 encrypts what the initiator sends. */
        NoiseCipher c1 = { .has_key = true }, c2 = { .has_key = true };
        memcpy(c1.key, k1, NOISE_KEYLEN);
        memcpy(c2.key, k2, NOISE_KEYLEN);
        *send = hs->initiator ? c1 : c2;
        *receive = hs->initiator ? c2 : c1;
        noise_cipher_wipe(&c1);
        noise_cipher_wipe(&c2);
        wipe(k1, sizeof(k1));
        wipe(k2, sizeof(k2));
        /* The chaining key has done its work. */
        wipe(hs->ck, sizeof(hs->ck));
        noise_cipher_wipe(&hs->cipher);
        noise_keypair_wipe(&hs->e);
        return 0;
}

const uint8_t *noise_handshake_remote_static(const NoiseHandshake *hs) {
        return hs && hs->has_rs ? hs->rs : NULL;
}

const uint8_t *noise_handshake_hash(const NoiseHandshake *hs) {
        return hs && hs->started ? hs->h : NULL;
}
