/* SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "common/strv.h"
#include "config/launcher-conf.h"

static void help(void) {
        printf("Usage: sesame config check [FILE]\n"
               "\n"
               "Validate the launcher's configuration: FILE, or by default\n"
               "$XDG_CONFIG_HOME/sesame/launcher.conf (~/.config/sesame/launcher.conf).\n"
               "Prints FILE:LINE: MESSAGE for every error and exits 1 if there is any,\n"
               "else prints a summary and exits 0. A missing default file is valid: the\n"
               "built-in defaults apply.\n"
               "\n"
               "  [Launcher]                  DefaultProfile= Scope=dbus|systemd-run|none\n"
               "                              Slice= Terminal=\n"
               "  [TrustProfile NAME]         Collection=\n"
               "  [LaunchProfile NAME]        (of trust profile \"default\")\n"
               "  [LaunchProfile TRUST:NAME]  Environment= Secret= Devshell= WorkingDirectory=\n"
               "\n"
               "Environment= and Secret= take space-separated words with quotes, as in\n"
               "systemd.exec(5); repeated lines add up, an empty one resets the list.\n");
}

static int check(const char *file) {
        _cleanup_free_ char *default_path = NULL;
        const char *path = file;
        if (!path) {
                if (!(default_path = config_default_path())) {
                        fprintf(stderr, "sesame config: neither XDG_CONFIG_HOME nor HOME is set\n");
                        return 1;
                }
                path = default_path;
        }

        _cleanup_(config_freep) Config *c = NULL;
        int r = config_load(path, !file, &c);
        if (r < 0) {
                fprintf(stderr, "sesame config: out of memory\n");
                return 1;
        }
        if (r > 0) {
                for (char **e = c->errors; e && *e; e++)
                        printf("%s\n", *e);
                return 1;
        }
        if (!c->path)
                printf("%s: not present; the built-in defaults apply\n", path);
        else
                printf("%s: valid; %zu trust profile(s), %zu launch profile(s)\n", c->path, c->n_trust_profiles,
                       c->n_launch_profiles);
        return 0;
}

int cmd_config(int argc, char *argv[]) {
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                {},
        };
        int c;
        while ((c = getopt_long(argc, argv, "+h", options, NULL)) >= 0) {
                if (c == 'h') {
                        help();
                        return 0;
                }
                fprintf(stderr, "sesame config: see 'sesame config --help'\n");
                return EXIT_USAGE;
        }
        if (optind >= argc || strcmp(argv[optind], "check") != 0) {
                fprintf(stderr, "sesame config: expected 'check' (see 'sesame config --help')\n");
                return EXIT_USAGE;
        }
        if (argc - optind > 2) {
                fprintf(stderr, "sesame config check: at most one FILE\n");
                return EXIT_USAGE;
        }
        return check(argc - optind == 2 ? argv[optind + 1] : NULL);
}
