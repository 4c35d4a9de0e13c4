/* SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "child.h"
#include "cli.h"
#include "sesame-build.h"
#include "log.h"

static const Command commands[] = {
        { "config", cmd_config, "check the launcher's configuration" },
        { "entries", cmd_entries, "list the launchable desktop entries" },
        { "keys", cmd_keys, "manage the keys of the launcher and its clients" },
        { "launch", cmd_launch, "start a desktop entry through the launcher, with tags" },
        { "run", cmd_run, "start a program in its own systemd scope, without the daemon" },
        { "secret", cmd_secret, "store, list and remove secrets in the Secret Service" },
        { "status", cmd_status, "show the running launcher's state" },
        { "unlock", cmd_unlock, "unlock the Secret Service collections of trust profiles" },
};

static void help(void) {
        printf("Usage: sesame COMMAND [OPTIONS...]\n"
               "\n"
               "Start applications in their own systemd user scope.\n"
               "\n"
               "Commands:\n");
        for (size_t i = 0; i < ELEMENTSOF(commands); i++)
                printf("  %-10s %s\n", commands[i].name, commands[i].summary);
        printf("\n"
               "Options:\n"
               "  -h, --help     show this help\n"
               "      --version  show the version\n"
               "\n"
               "Run 'sesame COMMAND --help' for the options of a command.\n");
}

int main(int argc, char *argv[]) {
        /* Before anything changes them: the limits children get back. */
        child_save_rlimits();
        /* A child that dies before we write to its pipe is an EPIPE to handle,
         * not a signal that kills us. Children get default dispositions. */
        signal(SIGPIPE, SIG_IGN);
        log_setup("sesame", LOG_TARGET_AUTO, false);

        if (argc < 2) {
                help();
                return EXIT_USAGE;
        }
        if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
                help();
                return 0;
        }
        if (strcmp(argv[1], "--version") == 0) {
                printf("sesame %s\n", SESAME_VERSION);
                return 0;
        }
        for (size_t i = 0; i < ELEMENTSOF(commands); i++)
                if (strcmp(argv[1], commands[i].name) == 0)
                        return commands[i].run(argc - 1, argv + 1);

        fprintf(stderr, "sesame: unknown command '%s' (see 'sesame --help')\n", argv[1]);
        return EXIT_USAGE;
}
