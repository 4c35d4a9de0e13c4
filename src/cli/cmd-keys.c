/* SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "common/path.h"
#include "ipc/keys.h"
#include "ipc/registry.h"
#include "ipc/transport.h"

#define DAEMON_KEY "launcher"
#define CLI_KEY "cli"

static void help(void) {
        printf("Usage: sesame keys init\n"
               "       sesame keys list\n"
               "       sesame keys authorize NAME PUBKEY [--clearance launch|secrets]\n"
               "       sesame keys revoke NAME\n"
               "\n"
               "The launcher only talks to clients whose public key it knows. Keys and the\n"
               "list of clients live in $XDG_CONFIG_HOME/sesame (~/.config/sesame, 0700).\n"
               "\n"
               "  init       create the launcher's key and this CLI's key if missing, and\n"
               "             authorize the CLI as \"cli\" with the secrets clearance\n"
               "  list       the launcher's public key and every authorized client\n"
               "  authorize  let a client in, or change its key or clearance (default:\n"
               "             launch — may start apps with tags that carry no secrets;\n"
               "             secrets — may use any tag); applies from its next connection\n"
               "  revoke     shut a client out, from its next connection\n");
}

static int open_registry(char **dir, Registry **r, Error *e) {
        int k = ipc_config_dir(dir, e);
        if (k < 0)
                return k;
        if ((k = mkdir_parents(*dir, e)) < 0)
                return k;
        char path[4096];
        snprintf(path, sizeof(path), "%s/clients.conf", *dir);
        return registry_load(path, r, e);
}

static int ensure_key(const char *dir, const char *name, NoiseKeypair *kp, bool *created, Error *e) {
        int r = key_load(dir, name, kp, e);
        *created = false;
        if (r != -ENOENT)
                return r;
        *e = (Error){};
        if ((r = noise_keypair_generate(kp)) < 0)
                return error_setf(e, r, "cannot generate a key");
        *created = true;
        return key_save(dir, name, kp, e);
}

static int cmd_init(void) {
        _cleanup_free_ char *dir = NULL;
        _cleanup_(registry_freep) Registry *reg = NULL;
        Error e = {};
        NoiseKeypair daemon, cli;
        bool new_daemon, new_cli;
        if (open_registry(&dir, &reg, &e) < 0 || ensure_key(dir, DAEMON_KEY, &daemon, &new_daemon, &e) < 0 ||
            ensure_key(dir, CLI_KEY, &cli, &new_cli, &e) < 0 ||
            registry_authorize(reg, CLI_KEY, cli.public_key, CLEARANCE_SECRETS, &e) < 0) {
                fprintf(stderr, "sesame keys init: %s\n", error_message(&e));
                return 1;
        }
        char hex[2 * NOISE_DHLEN + 1];
        key_to_hex(daemon.public_key, hex);
        printf("launcher key %s: %s\n", new_daemon ? "created" : "kept", hex);
        key_to_hex(cli.public_key, hex);
        printf("cli key %s: %s (authorized, clearance secrets)\n", new_cli ? "created" : "kept", hex);
        noise_keypair_wipe(&daemon);
        noise_keypair_wipe(&cli);
        return 0;
}

static int cmd_list(void) {
        _cleanup_free_ char *dir = NULL;
        _cleanup_(registry_freep) Registry *reg = NULL;
        Error e = {};
        if (open_registry(&dir, &reg, &e) < 0) {
                fprintf(stderr, "sesame keys list: %s\n", error_message(&e));
                return 1;
        }
        char path[4096], hex[2 * NOISE_DHLEN + 1];
        uint8_t pub[NOISE_DHLEN];
        snprintf(path, sizeof(path), "%s/" DAEMON_KEY ".pub", dir);
        Error none = {};
        if (key_read_public(path, pub, &none) >= 0) {
                key_to_hex(pub, hex);
                printf("launcher\t%s\n", hex);
        } else
                printf("launcher\t(no key yet: sesame keys init)\n");
        for (size_t i = 0; i < reg->n_clients; i++) {
                key_to_hex(reg->clients[i].public_key, hex);
                printf("client %s\t%s\t%s\n", reg->clients[i].name, clearance_to_string(reg->clients[i].clearance),
                       hex);
        }
        return 0;
}

static int cmd_authorize(int argc, char *argv[]) {
        static const struct option options[] = { { "clearance", required_argument, NULL, 'c' }, {} };
        Clearance clearance = CLEARANCE_LAUNCH;
        int c;
        optind = 1;
        while ((c = getopt_long(argc, argv, "", options, NULL)) >= 0) {
                int k = c == 'c' ? clearance_from_string(optarg) : -EINVAL;
                if (k < 0) {
                        fprintf(stderr, "sesame keys authorize: --clearance is launch or secrets\n");
                        return EXIT_USAGE;
                }
                clearance = (Clearance) k;
        }
        uint8_t pub[NOISE_DHLEN];
        if (argc - optind != 2 || key_from_hex(argv[optind + 1], pub) < 0) {
                fprintf(stderr, "sesame keys authorize: expected NAME and a public key of 64 hex digits\n");
                return EXIT_USAGE;
        }
        _cleanup_free_ char *dir = NULL;
        _cleanup_(registry_freep) Registry *reg = NULL;
        Error e = {};
        if (open_registry(&dir, &reg, &e) < 0 || registry_authorize(reg, argv[optind], pub, clearance, &e) < 0) {
                fprintf(stderr, "sesame keys authorize: %s\n", error_message(&e));
                return e.code == -EINVAL ? EXIT_USAGE : 1;
        }
        printf("authorized %s (clearance %s)\n", argv[optind], clearance_to_string(clearance));
        return 0;
}

static int cmd_revoke(int argc, char *argv[]) {
        if (argc != 2) {
                fprintf(stderr, "sesame keys revoke: expected NAME\n");
                return EXIT_USAGE;
        }
        _cleanup_free_ char *dir = NULL;
        _cleanup_(registry_freep) Registry *reg = NULL;
        Error e = {};
        if (open_registry(&dir, &reg, &e) < 0 || registry_revoke(reg, argv[1], &e) < 0) {
                fprintf(stderr, "sesame keys revoke: %s\n", error_message(&e));
                return 1;
        }
        printf("revoked %s\n", argv[1]);
        return 0;
}

int cmd_keys(int argc, char *argv[]) {
        if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
                help();
                return argc < 2 ? EXIT_USAGE : 0;
        }
        if (strcmp(argv[1], "init") == 0 && argc == 2)
                return cmd_init();
        if (strcmp(argv[1], "list") == 0 && argc == 2)
                return cmd_list();
        if (strcmp(argv[1], "authorize") == 0)
                return cmd_authorize(argc - 1, argv + 1);
        if (strcmp(argv[1], "revoke") == 0)
                return cmd_revoke(argc - 1, argv + 1);
        fprintf(stderr, "sesame keys: unknown or malformed command (see 'sesame keys --help')\n");
        return EXIT_USAGE;
}
