/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "common/log.h"
#include "common/path.h"
#include "sesame-build.h"

/* `sesame launch` is the path a key binding takes, and on it the start of
 * this process is most of the cost: this program links only libc, libsodium
 * and jansson. The commands that speak D-Bus (the spawn engine, the Secret
 * Service) live in sesame-dbus, with libsystemd and libgcrypt, and are
 * reached through exec with the same arguments. */
static const Command commands[] = {
        { "doctor", NULL, "check every part a launch needs, and say what fixes what is wrong" },
        { "config", cmd_config, "check, list and show the launcher's configuration" },
        { "entries", cmd_entries, "list the launchable desktop entries" },
        { "focus", cmd_focus, "focus the most recently focused window of an app" },
        { "history", cmd_history, "show or forget what the launcher remembers of launches" },
        { "keys", cmd_keys, "manage the keys of the launcher and its clients" },
        { "launch", cmd_launch, "start a desktop entry through the launcher, with tags" },
        { "logs", NULL, "show what an app (or the launcher) wrote to its log" },
        { "menu", cmd_menu, "pick an app in a dmenu-style picker (fuzzel, rofi, fzf...) and launch it" },
        { "open", cmd_open, "open files and URLs with the app a rule or the type's default names" },
        { "ps", cmd_ps, "list the apps the launcher started that still run" },
        { "restart", cmd_restart, "stop an app launched as a service and launch it again, composed afresh" },
        { "run", NULL, "start a program in its own systemd scope, without the daemon" },
        { "search", cmd_search, "find apps by a few letters, ranked by match and use" },
        { "secret", NULL, "store, list and remove secrets in the Secret Service" },
        { "status", cmd_status, "show the running launcher's state" },
        { "stop", cmd_stop, "stop apps the launcher started" },
        { "unlock", NULL, "unlock the Secret Service collections of trust profiles" },
        { "windows", cmd_windows, "list the session's windows and the app each belongs to" },
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
               "Run 'sesame help COMMAND' (or 'sesame COMMAND --help') for the options of a command.\n");
}

static int run_dbus_helper(char *argv[]) {
        _cleanup_free_ char *helper = path_helper("sesame-dbus");
        if (!helper) {
                fprintf(stderr, "sesame: out of memory\n");
                return EXIT_NOT_LAUNCHED;
        }
        execv(helper, argv);
        fprintf(stderr, "sesame %s: cannot execute %s: %s\n", argv[1], helper, strerror(errno));
        return EXIT_NOT_LAUNCHED;
}

int main(int argc, char *argv[]) {
        signal(SIGPIPE, SIG_IGN);
        log_setup("sesame", LOG_TARGET_CONSOLE, false, NULL);

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
        /* sesame help [COMMAND]: as sesame --help, or COMMAND --help. */
        char *help_argv[] = { argv[0], argc > 2 ? argv[2] : NULL, (char *) "--help", NULL };
        if (strcmp(argv[1], "help") == 0) {
                if (argc == 2) {
                        help();
                        return 0;
                }
                argc = 3;
                argv = help_argv;
        }
        /* getopt names the command in its messages as argv[0] of what it
         * is given: "sesame launch: option '--tag' requires an argument". */
        char name[64];
        snprintf(name, sizeof(name), "sesame %s", argv[1]);
        char *command = argv[1];
        if (strcmp(command, "unlock") == 0) {
                argv[1] = name;
                int r = cmd_unlock_front(argc - 1, argv + 1);
                argv[1] = command;
                if (r != DAEMON_ABSENT)
                        return r;
        }
        for (size_t i = 0; i < ELEMENTSOF(commands); i++) {
                if (strcmp(command, commands[i].name) != 0)
                        continue;
                if (!commands[i].run)
                        return run_dbus_helper(argv);
                argv[1] = name;
                return commands[i].run(argc - 1, argv + 1);
        }

        fprintf(stderr, "sesame: unknown command '%s' (see 'sesame --help')\n", argv[1]);
        return EXIT_USAGE;
}
