/* SPDX-License-Identifier: MIT */
#include <gcrypt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/wipe.h"
#include "secrets/session-crypto.h"

/* libgcrypt: on Debian's systemd it is already in the process through
 * libsystemd, so the Secret Service session costs the daemon no library
 * of its own (libcrypto was a third of its resident memory,
 * docs/benchmarks.md). Secret numbers live in its locked, wiped memory. */

/* RFC 2409, section 6.2: the 1024-bit MODP group ("Oakley group 2"). */
static const char group2_prime[] =
        "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
        "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
        "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381FFFFFFFFFFFFFFFF";

struct DhSession {
        gcry_mpi_t private_key; /* secure memory */
        uint8_t public_key[DH_PUBLIC_LEN];
        uint8_t aes_key[SESSION_KEY_LEN];
        bool derived;
};

static int gcrypt_init(void) {
        static bool done;
        if (done)
                return 0;
        /* The version check is what initializes the library. */
        if (!gcry_check_version("1.9.0"))
                return -ENOTSUP;
        if (!gcry_control(GCRYCTL_INITIALIZATION_FINISHED_P)) {
                gcry_control(GCRYCTL_SUSPEND_SECMEM_WARN);
                gcry_control(GCRYCTL_INIT_SECMEM, 32768, 0);
                gcry_control(GCRYCTL_RESUME_SECMEM_WARN);
                gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
        }
        done = true;
        return 0;
}

static gcry_mpi_t group2_p(void) {
        gcry_mpi_t p = NULL;
        return gcry_mpi_scan(&p, GCRYMPI_FMT_HEX, group2_prime, 0, NULL) == 0 ? p : NULL;
}

/* n as DH_PUBLIC_LEN big-endian bytes, zero-padded on the left: the form
 * the Secret Service exchanges and hashes. */
static int mpi_to_fixed(gcry_mpi_t n, uint8_t out[DH_PUBLIC_LEN]) {
        size_t len = 0;
        if (gcry_mpi_print(GCRYMPI_FMT_USG, NULL, 0, &len, n) != 0 || len > DH_PUBLIC_LEN)
                return -EIO;
        memset(out, 0, DH_PUBLIC_LEN);
        return gcry_mpi_print(GCRYMPI_FMT_USG, out + DH_PUBLIC_LEN - len, len, NULL, n) == 0 ? 0 : -EIO;
}

DhSession *dh_session_free(DhSession *s) {
        if (!s)
                return NULL;
        gcry_mpi_release(s->private_key);
        wipe(s, sizeof(*s));
        free(s);
        return NULL;
}

int dh_session_new(DhSession **ret) {
        assert_return(ret, -EINVAL);
        if (gcrypt_init() < 0)
                return -ENOTSUP;
        _cleanup_(dh_session_freep) DhSession *s = calloc(1, sizeof(*s));
        if (!s)
                return -ENOMEM;
        gcry_mpi_t p = group2_p(), g = gcry_mpi_set_ui(NULL, 2), y = gcry_mpi_new(1024);
        /* A private exponent of 1022 random bits: below p - 1, and far above
         * the 160 bits this group's strength asks for. */
        s->private_key = gcry_mpi_snew(1024);
        gcry_mpi_randomize(s->private_key, 1022, GCRY_STRONG_RANDOM);
        int r = p && g && y ? 0 : -ENOMEM;
        if (r >= 0 && gcry_mpi_cmp_ui(s->private_key, 1) <= 0)
                r = -EIO;
        if (r >= 0) {
                gcry_mpi_powm(y, g, s->private_key, p);
                r = mpi_to_fixed(y, s->public_key);
        }
        gcry_mpi_release(p);
        gcry_mpi_release(g);
        gcry_mpi_release(y);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(s);
        return 0;
}

const uint8_t *dh_session_public_key(const DhSession *s) {
        return s ? s->public_key : NULL;
}

/* HKDF-SHA256 (RFC 5869) with no salt and no info, for one block or less:
 * PRK = HMAC(zeros, ikm), OKM = HMAC(PRK, 0x01). */
static int hkdf_sha256(const uint8_t *ikm, size_t ikm_len, uint8_t *out, size_t out_len) {
        uint8_t salt[32] = {}, prk[32];
        const uint8_t one = 0x01;
        gcry_md_hd_t h = NULL;
        int ok = out_len <= 32 && gcry_md_open(&h, GCRY_MD_SHA256, GCRY_MD_FLAG_HMAC | GCRY_MD_FLAG_SECURE) == 0 &&
                 gcry_md_setkey(h, salt, sizeof(salt)) == 0;
        if (ok) {
                gcry_md_write(h, ikm, ikm_len);
                memcpy(prk, gcry_md_read(h, GCRY_MD_SHA256), sizeof(prk));
                gcry_md_reset(h);
                ok = gcry_md_setkey(h, prk, sizeof(prk)) == 0;
        }
        if (ok) {
                gcry_md_write(h, &one, 1);
                memcpy(out, gcry_md_read(h, GCRY_MD_SHA256), out_len);
        }
        gcry_md_close(h);
        wipe(prk, sizeof(prk));
        return ok ? 0 : -EIO;
}

int dh_session_derive(DhSession *s, const uint8_t *peer, size_t peer_len) {
        /* A big-endian number, whatever leading zeros it comes with:
         * KWallet's (QCA's, signed) key has a 0x00 in front of 128 bytes
         * when its top bit is set. */
        while (peer && peer_len > 1 && peer[0] == 0) {
                peer++;
                peer_len--;
        }
        assert_return(s && peer && peer_len > 0 && peer_len <= DH_PUBLIC_LEN && !s->derived, -EINVAL);
        gcry_mpi_t p = group2_p(), y = NULL, p_minus_1 = gcry_mpi_new(1024), shared = gcry_mpi_snew(1024);
        uint8_t secret[DH_PUBLIC_LEN];
        int r = p && p_minus_1 && shared && gcry_mpi_scan(&y, GCRYMPI_FMT_USG, peer, peer_len, NULL) == 0 ? 0
                                                                                                       : -ENOMEM;
        if (r >= 0) {
                /* The peer's key must lie in [2, p - 2]: 0, 1 and p - 1 would
                 * make the shared secret predictable. */
                gcry_mpi_sub_ui(p_minus_1, p, 1);
                if (gcry_mpi_cmp_ui(y, 1) <= 0 || gcry_mpi_cmp(y, p_minus_1) >= 0)
                        r = -EBADMSG;
        }
        if (r >= 0) {
                gcry_mpi_powm(shared, y, s->private_key, p);
                /* The shared secret at its full length, leading zeros
                 * included, as the other implementations hash it. */
                r = mpi_to_fixed(shared, secret);
        }
        if (r >= 0)
                r = hkdf_sha256(secret, sizeof(secret), s->aes_key, SESSION_KEY_LEN);
        wipe(secret, sizeof(secret));
        gcry_mpi_release(shared);
        gcry_mpi_release(p_minus_1);
        gcry_mpi_release(y);
        gcry_mpi_release(p);

        /* The private half has done its work. */
        gcry_mpi_release(s->private_key);
        s->private_key = NULL;
        if (r < 0)
                return r == -ENOMEM ? r : -EBADMSG;
        s->derived = true;
        return 0;
}

/* In place: buf holds len bytes, a multiple of the block size. */
static int aes_cbc(const DhSession *s, bool encrypt, const uint8_t *iv, uint8_t *buf, size_t len) {
        gcry_cipher_hd_t c = NULL;
        int ok = gcry_cipher_open(&c, GCRY_CIPHER_AES128, GCRY_CIPHER_MODE_CBC, GCRY_CIPHER_SECURE) == 0 &&
                 gcry_cipher_setkey(c, s->aes_key, SESSION_KEY_LEN) == 0 &&
                 gcry_cipher_setiv(c, iv, SESSION_IV_LEN) == 0 &&
                 (encrypt ? gcry_cipher_encrypt(c, buf, len, NULL, 0) : gcry_cipher_decrypt(c, buf, len, NULL, 0)) ==
                         0;
        gcry_cipher_close(c);
        return ok ? 0 : -EIO;
}

ssize_t dh_session_decrypt(const DhSession *s, const uint8_t *iv, size_t iv_len, const uint8_t *in, size_t len,
                           uint8_t *out) {
        assert_return(s && s->derived && iv && in && out, -EINVAL);
        if (iv_len != SESSION_IV_LEN || len == 0 || len % 16 != 0)
                return -EBADMSG;
        memmove(out, in, len);
        if (aes_cbc(s, false, iv, out, len) < 0) {
                wipe(out, len);
                return -EBADMSG;
        }
        /* PKCS#7: 1 to 16 bytes, each holding the count. */
        uint8_t pad = out[len - 1];
        bool bad = pad == 0 || pad > 16;
        for (size_t i = 0; !bad && i < pad; i++)
                bad = out[len - 1 - i] != pad;
        if (bad) {
                wipe(out, len);
                return -EBADMSG;
        }
        wipe(out + len - pad, pad);
        return (ssize_t) (len - pad);
}

ssize_t dh_session_encrypt(const DhSession *s, uint8_t iv[SESSION_IV_LEN], const uint8_t *in, size_t len,
                           uint8_t *out) {
        assert_return(s && s->derived && iv && (in || len == 0) && out, -EINVAL);
        size_t pad = 16 - len % 16;
        if (len)
                memmove(out, in, len);
        memset(out + len, (int) pad, pad);
        gcry_randomize(iv, SESSION_IV_LEN, GCRY_STRONG_RANDOM);
        if (aes_cbc(s, true, iv, out, len + pad) < 0) {
                wipe(out, len + pad);
                return -EIO;
        }
        return (ssize_t) (len + pad);
}
