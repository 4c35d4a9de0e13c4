/* SPDX-License-Identifier: MIT */
#include <openssl/bn.h>
#include <openssl/dh.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "session-crypto.h"
#include "wipe.h"

/* RFC 2409, section 6.2: the 1024-bit MODP group ("Oakley group 2"). */
static const char group2_prime[] =
        "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
        "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
        "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381FFFFFFFFFFFFFFFF";

struct DhSession {
        EVP_PKEY *key;
        uint8_t public_key[DH_PUBLIC_LEN];
        uint8_t aes_key[SESSION_KEY_LEN];
        bool derived;
};

DhSession *dh_session_free(DhSession *s) {
        if (!s)
                return NULL;
        EVP_PKEY_free(s->key);
        wipe(s, sizeof(*s));
        free(s);
        return NULL;
}

/* A DH key object of group 2: the domain only (pub == NULL), or a peer's
 * public key. */
static EVP_PKEY *group2_key(const BIGNUM *pub) {
        BIGNUM *p = NULL, *g = BN_new();
        OSSL_PARAM_BLD *b = OSSL_PARAM_BLD_new();
        OSSL_PARAM *params = NULL;
        EVP_PKEY_CTX *ctx = NULL;
        EVP_PKEY *key = NULL;
        if (!g || !b || !BN_hex2bn(&p, group2_prime) || !BN_set_word(g, 2) ||
            !OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_FFC_P, p) || !OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_FFC_G, g) ||
            (pub && !OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_PUB_KEY, pub)) || !(params = OSSL_PARAM_BLD_to_param(b)) ||
            !(ctx = EVP_PKEY_CTX_new_from_name(NULL, "DH", NULL)) || EVP_PKEY_fromdata_init(ctx) <= 0 ||
            EVP_PKEY_fromdata(ctx, &key, pub ? EVP_PKEY_PUBLIC_KEY : EVP_PKEY_KEY_PARAMETERS, params) <= 0)
                key = NULL;
        EVP_PKEY_CTX_free(ctx);
        OSSL_PARAM_free(params);
        OSSL_PARAM_BLD_free(b);
        BN_free(p);
        BN_free(g);
        return key;
}

int dh_session_new(DhSession **ret) {
        assert_return(ret, -EINVAL);
        _cleanup_(dh_session_freep) DhSession *s = calloc(1, sizeof(*s));
        if (!s)
                return -ENOMEM;
        EVP_PKEY *domain = group2_key(NULL);
        EVP_PKEY_CTX *ctx = domain ? EVP_PKEY_CTX_new_from_pkey(NULL, domain, NULL) : NULL;
        BIGNUM *pub = NULL;
        int ok = ctx && EVP_PKEY_keygen_init(ctx) > 0 && EVP_PKEY_keygen(ctx, &s->key) > 0 &&
                 EVP_PKEY_get_bn_param(s->key, OSSL_PKEY_PARAM_PUB_KEY, &pub) &&
                 BN_bn2binpad(pub, s->public_key, DH_PUBLIC_LEN) == DH_PUBLIC_LEN;
        BN_free(pub);
        EVP_PKEY_CTX_free(ctx);
        EVP_PKEY_free(domain);
        if (!ok)
                return -EIO;
        *ret = TAKE_PTR(s);
        return 0;
}

const uint8_t *dh_session_public_key(const DhSession *s) {
        return s ? s->public_key : NULL;
}

int dh_session_derive(DhSession *s, const uint8_t *peer, size_t peer_len) {
        assert_return(s && peer && peer_len > 0 && peer_len <= DH_PUBLIC_LEN && !s->derived, -EINVAL);
        BIGNUM *pub = BN_bin2bn(peer, (int) peer_len, NULL);
        EVP_PKEY *peer_key = pub ? group2_key(pub) : NULL;
        EVP_PKEY_CTX *ctx = peer_key ? EVP_PKEY_CTX_new_from_pkey(NULL, s->key, NULL) : NULL;
        uint8_t shared[DH_PUBLIC_LEN];
        size_t len = sizeof(shared);
        /* The shared secret at its full length, leading zeros included, as
         * the other implementations hash it. libcrypto also checks the peer
         * key is in range. */
        int ok = ctx && EVP_PKEY_derive_init(ctx) > 0 && EVP_PKEY_CTX_set_dh_pad(ctx, 1) > 0 &&
                 EVP_PKEY_derive_set_peer(ctx, peer_key) > 0 && EVP_PKEY_derive(ctx, shared, &len) > 0 &&
                 len == DH_PUBLIC_LEN;
        EVP_PKEY_CTX_free(ctx);
        EVP_PKEY_free(peer_key);
        BN_free(pub);

        EVP_KDF *kdf = ok ? EVP_KDF_fetch(NULL, "HKDF", NULL) : NULL;
        EVP_KDF_CTX *kctx = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
        OSSL_PARAM params[] = {
                OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *) "SHA256", 0),
                OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, shared, sizeof(shared)),
                OSSL_PARAM_construct_end(),
        };
        ok = ok && kctx && EVP_KDF_derive(kctx, s->aes_key, SESSION_KEY_LEN, params) > 0;
        EVP_KDF_CTX_free(kctx);
        EVP_KDF_free(kdf);
        wipe(shared, sizeof(shared));

        /* The private half has done its work. */
        EVP_PKEY_free(s->key);
        s->key = NULL;
        if (!ok)
                return -EBADMSG;
        s->derived = true;
        return 0;
}

static ssize_t aes_cbc(const DhSession *s, bool encrypt, const uint8_t *iv, const uint8_t *in, size_t len,
                       uint8_t *out) {
        EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
        int n1 = 0, n2 = 0;
        int ok = ctx && EVP_CipherInit_ex(ctx, EVP_aes_128_cbc(), NULL, s->aes_key, iv, encrypt ? 1 : 0) &&
                 EVP_CipherUpdate(ctx, out, &n1, in, (int) len) && EVP_CipherFinal_ex(ctx, out + n1, &n2);
        EVP_CIPHER_CTX_free(ctx);
        if (!ok) {
                wipe(out, len);
                return -EBADMSG;
        }
        return n1 + n2;
}

ssize_t dh_session_decrypt(const DhSession *s, const uint8_t *iv, size_t iv_len, const uint8_t *in, size_t len,
                           uint8_t *out) {
        assert_return(s && s->derived && iv && in && out, -EINVAL);
        if (iv_len != SESSION_IV_LEN || len == 0 || len % 16 != 0)
                return -EBADMSG;
        return aes_cbc(s, false, iv, in, len, out);
}

ssize_t dh_session_encrypt(const DhSession *s, uint8_t iv[SESSION_IV_LEN], const uint8_t *in, size_t len,
                           uint8_t *out) {
        assert_return(s && s->derived && iv && (in || len == 0) && out, -EINVAL);
        if (RAND_bytes(iv, SESSION_IV_LEN) != 1)
                return -EIO;
        return aes_cbc(s, true, iv, in, len, out);
}
