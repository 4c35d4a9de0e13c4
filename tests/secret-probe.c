/* SPDX-License-Identifier: MIT */
/* secret-probe PROFILE NAME
 *
 * Fetches one secret through src/secrets (the session's algorithm, search,
 * GetSecrets, decryption) and prints "<algorithm> <length> <sha256 hex>" —
 * never the value — for tests/integration/test-secrets.sh to compare with
 * what it stored through another client. Exit 2 when the vault is locked,
 * 3 when the secret is missing, 4 for a value that is not UTF-8, 1 else. */
#include <gcrypt.h>
#include <stdio.h>
#include <string.h>

#include "common/secure.h"
#include "common/strv.h"
#include "secrets/secret-service.h"

int main(int argc, char *argv[]) {
        if (argc != 3)
                return 1;
        /* Cleanups on every exit: the ASan build's leak check would change
         * the exit status the test reads. */
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(secret_service_freep) SecretService *s = NULL;
        Error e = {};
        if (sd_bus_open_user(&bus) < 0 || secret_service_open(&s, bus, 10 * 1000000ULL, &e) < 0) {
                fprintf(stderr, "%s\n", error_message(&e));
                return 1;
        }
        _cleanup_(strv_freep) char **unlocked = NULL, **locked = NULL;
        if (secret_service_search(s, argv[1], argv[2], &unlocked, &locked, &e) < 0) {
                fprintf(stderr, "%s\n", error_message(&e));
                return 1;
        }
        if (!unlocked[0])
                return locked[0] ? 2 : 3;
        char *value;
        size_t len;
        int r = secret_service_get(s, unlocked[0], &value, &len, &e);
        if (r < 0) {
                fprintf(stderr, "%s\n", error_message(&e));
                return r == -EILSEQ ? 4 : 1;
        }
        unsigned char digest[32];
        const unsigned n = sizeof(digest);
        gcry_md_hash_buffer(GCRY_MD_SHA256, digest, value, len);
        printf("%s %zu ", secret_service_algorithm(s), len);
        for (unsigned i = 0; i < n; i++)
                printf("%02x", digest[i]);
        printf("\n");
        secure_free(value, len + 1);
        return 0;
}
