/* SPDX-License-Identifier: MIT */
/* sesame-launcherd: the per-user launcher service. Its options, the
 * process's own hardening, and main; the daemon is daemon.c. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>

#include "common/log.h"
#include "ipc/server.h"
#include "launcher/daemon.h"
#include "spawn/spawn.h"
#include "sesame-build.h"

/* Start-up hardening: no core dumps of a process that holds secrets, and
 * no ptrace by other processes of the user. Only the soft core limit goes
 * to 0: children get the recorded limits back, and an unprivileged process
 * may raise a soft limit but never a hard one. exec makes them dumpable
 * again. */
static void harden(void) {
        struct rlimit core;
        if (getrlimit(RLIMIT_CORE, &core) == 0) {
                core.rlim_cur = 0;
                (void) setrlimit(RLIMIT_CORE, &core);
        }
        (void) prctl(PR_SET_DUMPABLE, 0);
}

static void help(void) {
        printf("Usage: sesame-launcherd [--config FILE] [--log auto|console|journal] [--verbose]\n"
               "\n"
               "The per-user launcher service: listens on $XDG_RUNTIME_DIR/sesame/launcher.sock\n"
               "(or the socket systemd passes), authenticates clients with Noise IK and\n"
               "starts desktop entries in their own systemd scopes; remembers launches in\n"
               "$XDG_STATE_HOME/sesame/history.sqlite for sesame search. Usually started by\n"
               "sesame-launcher.socket; see sesame-launcherd(8).\n"
               "\n"
               "  -c, --config FILE  configuration (default ~/.config/sesame/launcher.conf)\n"
               "      --log TARGET   auto (journal when stderr is the journal), console, journal\n"
               "  -v, --verbose      debug messages\n"
               "      --version      show the version\n");
}

/* Every app the launcher started holds one of its file descriptors (a
 * pidfd, to reap it), and so does every client: the soft limit (1024 on
 * most systems) goes up to the hard one, for the launcher only (children
 * get the limits it started with, recorded before this). */
static void raise_fd_limit(void) {
        struct rlimit nofile;
        if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < nofile.rlim_max) {
                nofile.rlim_cur = nofile.rlim_max;
                (void) setrlimit(RLIMIT_NOFILE, &nofile);
        }
}

/* Nothing to serve with (no key it can read, no socket): restarting would
 * not help (RestartPreventExitStatus= in the unit). EX_CONFIG. */
#define EXIT_CANNOT_SERVE 78

int main(int argc, char *argv[]) {
        /* First, before anything changes them: the limits children get. */
        spawn_save_rlimits();
        harden();
        raise_fd_limit();

        static const struct option options[] = {
                { "config", required_argument, NULL, 'c' }, { "log", required_argument, NULL, 'l' },
                { "verbose", no_argument, NULL, 'v' },      { "help", no_argument, NULL, 'h' },
                { "version", no_argument, NULL, 'V' },      {},
        };
        const char *config_path = NULL;
        LogTarget target = LOG_TARGET_AUTO;
        bool verbose = false;
        int c;
        while ((c = getopt_long(argc, argv, "c:vh", options, NULL)) >= 0) {
                switch (c) {
                case 'c':
                        config_path = optarg;
                        break;
                case 'l':
                        if (strcmp(optarg, "auto") == 0)
                                target = LOG_TARGET_AUTO;
                        else if (strcmp(optarg, "console") == 0)
                                target = LOG_TARGET_CONSOLE;
                        else if (strcmp(optarg, "journal") == 0)
                                target = LOG_TARGET_JOURNAL;
                        else {
                                fprintf(stderr, "sesame-launcherd: --log is auto, console or journal\n");
                                return 2;
                        }
                        break;
                case 'v':
                        verbose = true;
                        break;
                case 'h':
                        help();
                        return 0;
                case 'V':
                        printf("sesame-launcherd %s\n", SESAME_VERSION);
                        return 0;
                default:
                        return 2;
                }
        }
        log_setup("sesame-launcherd", target, verbose, sd_journal_sendv);
        signal(SIGPIPE, SIG_IGN);

        _cleanup_(daemon_freep) Daemon *d = NULL;
        Error e = {};
        bool activated = sd_listen_fds(0) == 1;
        if (daemon_new(&d, config_path, &e) < 0) {
                log_error("%s", error_message(&e));
                /* Said to those waiting, so that nothing pending starts it
                 * again at once; the unit does not restart on this status. */
                if (activated)
                        ipc_refuse_pending(SD_LISTEN_FDS_START, error_message(&e));
                sd_notifyf(0, "STATUS=Cannot serve: %s", error_message(&e));
                return EXIT_CANNOT_SERVE;
        }
        return daemon_run(d) < 0 ? 1 : 0;
}
