/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/path.h"
#include "ipc/keys.h"
#include "ipc/registry.h"
#include "helpers.h"

static char base[256], dir[512];

static int setup(void **state) {
        (void) state;
        tmp_template(base, sizeof(base), "sesame-keys");
        assert_non_null(mkdtemp(base));
        snprintf(dir, sizeof(dir), "%s/config/sesame", base);
        return 0;
}

static int teardown(void **state) {
        (void) state;
        char cmd[600];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
        return system(cmd) == 0 ? 0 : -1;
}

static mode_t mode_of(const char *name) {
        char path[700];
        struct stat st;
        snprintf(path, sizeof(path), "%s/%s", dir, name);
        assert_int_equal(stat(path, &st), 0);
        return st.st_mode & 07777;
}

static void write_file(const char *name, const char *text) {
        char path[700];
        snprintf(path, sizeof(path), "%s/%s", dir, name);
        FILE *f = fopen(path, "we");
        assert_non_null(f);
        fputs(text, f);
        fclose(f);
}

static void test_save_load(void **state) {
        (void) state;
        NoiseKeypair kp, back;
        Error e = {};
        assert_int_equal(noise_keypair_generate(&kp), 0);
        assert_int_equal(key_save(dir, "launcher", &kp, &e), 0);

        assert_int_equal(mode_of(""), 0700);
        assert_int_equal(mode_of("launcher.key"), 0600);
        assert_int_equal(mode_of("launcher.pub"), 0644);
        assert_int_equal(mode_of("launcher.key.sum"), 0600);
        /* Nothing but the three files: no temporary left behind. */
        DIR *d = opendir(dir);
        int n = 0;
        struct dirent *de;
        while ((de = readdir(d)))
                n += de->d_name[0] != '.';
        closedir(d);
        assert_int_equal(n, 3);

        assert_int_equal(key_load(dir, "launcher", &back, &e), 0);
        assert_memory_equal(&back, &kp, sizeof(kp));

        char pub[700];
        uint8_t pk[NOISE_DHLEN];
        snprintf(pub, sizeof(pub), "%s/launcher.pub", dir);
        assert_int_equal(key_read_public(pub, pk, &e), 0);
        assert_memory_equal(pk, kp.public_key, NOISE_DHLEN);
}

static void test_tampered(void **state) {
        (void) state;
        NoiseKeypair kp, other, back;
        Error e = {};
        assert_int_equal(noise_keypair_generate(&kp), 0);
        assert_int_equal(noise_keypair_generate(&other), 0);
        assert_int_equal(key_save(dir, "cli", &kp, &e), 0);

        /* Another valid key put in place by hand. */
        char hex[2 * NOISE_DHLEN + 2];
        key_to_hex(other.private_key, hex);
        strcat(hex, "\n");
        write_file("cli.key", hex);
        assert_int_equal(key_load(dir, "cli", &back, &e), -EBADMSG);
        assert_non_null(strstr(e.message, "tampered key"));
        assert_non_null(strstr(e.message, "cli.key"));
        assert_non_null(strstr(e.message, "cli.key.sum"));

        /* Without a checksum it loads (with a warning). */
        char sum[700];
        snprintf(sum, sizeof(sum), "%s/cli.key.sum", dir);
        unlink(sum);
        assert_int_equal(key_load(dir, "cli", &back, &e), 0);
        assert_memory_equal(back.public_key, other.public_key, NOISE_DHLEN);

        write_file("cli.key", "not hex at all\n");
        assert_int_equal(key_load(dir, "cli", &back, &e), -EINVAL);
        assert_non_null(strstr(e.message, "not a key"));
        assert_int_equal(key_load(dir, "missing", &back, &e), -ENOENT);
}

static void test_registry(void **state) {
        (void) state;
        char path[700];
        Error e = {};
        assert_int_equal(mkdir_parents(dir, &e), 0);
        snprintf(path, sizeof(path), "%s/clients.conf", dir);

        _cleanup_(registry_freep) Registry *r = NULL;
        assert_int_equal(registry_load(path, &r, &e), 0);
        assert_int_equal(r->n_clients, 0);

        NoiseKeypair a, b;
        noise_keypair_generate(&a);
        noise_keypair_generate(&b);
        assert_int_equal(registry_authorize(r, "cli", a.public_key, CLEARANCE_SECRETS, &e), 0);
        assert_int_equal(registry_authorize(r, "panel", b.public_key, CLEARANCE_LAUNCH, &e), 0);
        assert_int_equal(mode_of("clients.conf"), 0600);

        _cleanup_(registry_freep) Registry *again = NULL;
        assert_int_equal(registry_load(path, &again, &e), 0);
        assert_int_equal(again->n_clients, 2);
        const RegistryClient *c = registry_find_key(again, b.public_key);
        assert_non_null(c);
        assert_string_equal(c->name, "panel");
        assert_int_equal(c->clearance, CLEARANCE_LAUNCH);
        assert_int_equal(registry_find_name(again, "cli")->clearance, CLEARANCE_SECRETS);

        /* Re-authorizing a name replaces its key; revoking removes it. */
        NoiseKeypair k;
        noise_keypair_generate(&k);
        assert_int_equal(registry_authorize(again, "panel", k.public_key, CLEARANCE_SECRETS, &e), 0);
        assert_null(registry_find_key(again, b.public_key));
        assert_string_equal(registry_find_key(again, k.public_key)->name, "panel");
        /* One key has one entry: under another name it is refused, naming
         * the client that has it; under its own name its clearance changes. */
        e = (Error){};
        assert_int_equal(registry_authorize(again, "copy", a.public_key, CLEARANCE_LAUNCH, &e), -EEXIST);
        assert_non_null(strstr(e.message, "already authorized as 'cli' (clearance secrets)"));
        assert_null(registry_find_name(again, "copy"));
        assert_int_equal(registry_authorize(again, "cli", a.public_key, CLEARANCE_LAUNCH, &e), 0);
        assert_int_equal(registry_find_key(again, a.public_key)->clearance, CLEARANCE_LAUNCH);
        assert_int_equal(registry_revoke(again, "cli", &e), 0);
        assert_int_equal(registry_revoke(again, "cli", &e), -ENOENT);
        _cleanup_(registry_freep) Registry *third = NULL;
        assert_int_equal(registry_load(path, &third, &e), 0);
        assert_int_equal(third->n_clients, 1);
        assert_string_equal(third->clients[0].name, "panel");

        assert_int_equal(registry_authorize(third, "bad name", a.public_key, CLEARANCE_LAUNCH, &e), -EINVAL);

        write_file("clients.conf", "[Client x]\nPublicKey=abc\n");
        Registry *bad = NULL;
        assert_int_equal(registry_load(path, &bad, &e), -EINVAL);
        assert_non_null(strstr(e.message, "clients.conf:2: [Client x] needs PublicKey="));
        /* A file that gives one key to two clients does not load. */
        char hex[2 * NOISE_DHLEN + 1], text[400];
        key_to_hex(a.public_key, hex);
        snprintf(text, sizeof(text), "[Client one]\nPublicKey=%s\nClearance=launch\n[Client two]\nPublicKey=%s\n"
                                     "Clearance=secrets\n", hex, hex);
        write_file("clients.conf", text);
        assert_int_equal(registry_load(path, &bad, &e), -EINVAL);
        assert_non_null(strstr(e.message, "clients.conf:5: [Client two] has the key of [Client one]"));
        write_file("clients.conf", "[Other]\n");
        assert_int_equal(registry_load(path, &bad, &e), -EINVAL);
        assert_non_null(strstr(e.message, "clients.conf:1: expected [Client NAME]"));
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(test_save_load, setup, teardown),
                cmocka_unit_test_setup_teardown(test_tampered, setup, teardown),
                cmocka_unit_test_setup_teardown(test_registry, setup, teardown),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
