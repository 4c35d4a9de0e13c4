/* SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <systemd/sd-journal.h>

#include "cli/cli.h"
#include "common/log.h"
#include "spawn/spawn.h"
#include "spawn/systemd-bus.h"

extern char **environ;


typedef struct RunState {
        sd_event *event;
        bool wait;
        bool json;
        bool launched;
        bool exited;
        pid_t pid;
} RunState;

static void help(void) {
        printf("Usage: sesame run [OPTIONS...] [--] PROGRAM [ARGS...]\n"
               "\n"
               "Start PROGRAM in its own transient systemd user scope,\n"
               "app-open-sesame-<ID>-<PID>.scope, without the daemon. Returns once the\n"
               "program has been executed and prints its PID and unit:\n"
               "  pid=1234 unit=app-open-sesame-foo-1234.scope via_scope=true\n"
               "When no scope can be had (no user manager, the call fails, systemd-run\n"
               "missing) the program is started directly: unit=- via_scope=false.\n"
               "\n"
               "Options:\n"
               "      --id ID            entry ID naming the scope (default: PROGRAM's basename)\n"
               "      --env NAME=VALUE   set a variable for the program; repeatable. The base\n"
               "                         is sesame's own environment, and PROGRAM is looked\n"
               "                         up in the resulting PATH. Arguments are visible in\n"
               "                         the process list: pass secrets in the environment\n"
               "      --cwd DIR          working directory: absolute, an existing directory\n"
               "      --scope MODE       dbus (default): StartTransientUnit over D-Bus;\n"
               "                         systemd-run: wrap in systemd-run --user --scope;\n"
               "                         none: start directly\n"
               "      --slice SLICE      slice of the scope (default app.slice)\n"
               "      --description TEXT unit description (default: the ID)\n"
               "      --wait             wait for the program; exit with its status (128+N\n"
               "                         when killed by signal N); SIGINT, SIGTERM and\n"
               "                         SIGHUP are passed on to it\n"
               "      --json             print {\"pid\":N,\"unit\":\"NAME\"|null,\"via_scope\":BOOL},\n"
               "                         or {\"error\":\"SpawnFailed\",\"reason\":\"...\"}\n"
               "  -v, --verbose          debug messages on stderr\n"
               "  -h, --help             show this help\n"
               "\n"
               "Exit status: 0 once the program runs (with --wait: its status); 2 bad usage;\n"
               "125 not started (bad working directory, ...); 126 the program cannot be\n"
               "executed; 127 the program was not found.\n");
}

static int exit_status_for(const SpawnResult *r) {
        if (!r->exec_failed)
                return EXIT_NOT_LAUNCHED;
        return r->error == -ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC;
}

static void print_failure(const RunState *st, const char *reason) {
        fprintf(stderr, "sesame run: %s\n", reason);
        if (st->json) {
                json_t *o = json_pack("{s:s,s:s}", "error", "SpawnFailed", "reason", reason);
                if (o) {
                        json_dumpf(o, stdout, JSON_COMPACT);
                        putchar('\n');
                        json_decref(o);
                }
        }
}

static void on_done(const SpawnResult *r, void *userdata) {
        RunState *st = userdata;

        if (r->error < 0) {
                print_failure(st, r->message);
                sd_event_exit(st->event, exit_status_for(r));
                return;
        }

        st->launched = true;
        st->pid = r->pid;
        if (st->json) {
                json_t *o = json_pack("{s:i,s:s?,s:b}", "pid", (int) r->pid, "unit", r->unit, "via_scope",
                                      r->via_scope);
                if (o) {
                        json_dumpf(o, stdout, JSON_COMPACT);
                        json_decref(o);
                }
                putchar('\n');
        } else
                printf("pid=%d unit=%s via_scope=%s\n", (int) r->pid, r->unit ? r->unit : "-",
                       r->via_scope ? "true" : "false");
        fflush(stdout);

        if (!st->wait)
                sd_event_exit(st->event, 0);
}

/* Called after on_done, for a program that was launched. */
static void on_exit_child(pid_t pid, const siginfo_t *si, void *userdata) {
        RunState *st = userdata;
        (void) pid;

        st->exited = true;
        sd_event_exit(st->event, si->si_code == CLD_EXITED ? si->si_status : 128 + si->si_status);
}

static int forward_signal(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata) {
        (void) s;
        RunState *st = userdata;
        if (st->pid > 0 && !st->exited)
                kill(st->pid, (int) si->ssi_signo);
        else if (!st->launched)
                /* Not started yet: stop here; the engine's cleanup makes a held
                 * child give up. */
                sd_event_exit(st->event, 128 + (int) si->ssi_signo);
        return 0;
}

/* sesame run's command line: what the options set. */
typedef struct RunOptions {
        const char *id, *cwd, *slice, *description;
        ScopeMode mode;
        bool verbose;
} RunOptions;

/* The options (and --env into `env`): 0, -1 for --help, or an exit status. */
static int parse_options(int argc, char *argv[], RunOptions *o, RunState *st, EnvMap *env) {
        enum { ARG_ID = 0x100, ARG_ENV, ARG_CWD, ARG_SCOPE, ARG_SLICE, ARG_DESCRIPTION, ARG_WAIT, ARG_JSON };
        static const struct option options[] = {
                { "id", required_argument, NULL, ARG_ID },
                { "env", required_argument, NULL, ARG_ENV },
                { "cwd", required_argument, NULL, ARG_CWD },
                { "scope", required_argument, NULL, ARG_SCOPE },
                { "slice", required_argument, NULL, ARG_SLICE },
                { "description", required_argument, NULL, ARG_DESCRIPTION },
                { "wait", no_argument, NULL, ARG_WAIT },
                { "json", no_argument, NULL, ARG_JSON },
                { "verbose", no_argument, NULL, 'v' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        Error e = {};
        /* "+": stop at the first non-option, so the program's own options
         * need no "--" in front of them. */
        int c;
        while ((c = getopt_long(argc, argv, "+hv", options, NULL)) >= 0) {
                switch (c) {
                case ARG_ID:
                        o->id = optarg;
                        break;
                case ARG_ENV:
                        if (env_map_put(env, optarg, &e) < 0) {
                                fprintf(stderr, "sesame run: --env: %s\n", error_message(&e));
                                return EXIT_USAGE;
                        }
                        break;
                case ARG_CWD:
                        o->cwd = optarg;
                        break;
                case ARG_SCOPE: {
                        int m = scope_mode_from_string(optarg);
                        if (m < 0) {
                                fprintf(stderr, "sesame run: --scope: '%s' is not one of dbus, systemd-run, none\n",
                                        optarg);
                                return EXIT_USAGE;
                        }
                        o->mode = (ScopeMode) m;
                        break;
                }
                case ARG_SLICE:
                        o->slice = optarg;
                        break;
                case ARG_DESCRIPTION:
                        o->description = optarg;
                        break;
                case ARG_WAIT:
                        st->wait = true;
                        break;
                case ARG_JSON:
                        st->json = true;
                        break;
                case 'v':
                        o->verbose = true;
                        break;
                case 'h':
                        help();
                        return -1;
                default:
                        fprintf(stderr, "sesame run: see 'sesame run --help'\n");
                        return EXIT_USAGE;
                }
        }
        if (optind >= argc) {
                fprintf(stderr, "sesame run: no program given (see 'sesame run --help')\n");
                return EXIT_USAGE;
        }
        return 0;
}

/* With --wait, sesame run stands in for the program: the signals that would
 * end it go to the program instead. */
static void forward_signals(RunState *st) {
        sigset_t mask;
        sigemptyset(&mask);
        sigaddset(&mask, SIGINT);
        sigaddset(&mask, SIGTERM);
        sigaddset(&mask, SIGHUP);
        sigprocmask(SIG_BLOCK, &mask, NULL);
        sd_event_add_signal(st->event, NULL, SIGINT, forward_signal, st);
        sd_event_add_signal(st->event, NULL, SIGTERM, forward_signal, st);
        sd_event_add_signal(st->event, NULL, SIGHUP, forward_signal, st);
}

/* The launch on the event loop, until its outcome (with --wait, the
 * program's exit): the exit status. */
static int run_program(const RunOptions *o, char *const *program_argv, EnvMap *env, RunState *st) {
        Error e = {};
        /* Connecting starts now and completes while we fork. */
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        if (o->mode == SCOPE_MODE_DBUS && systemd_bus_open(&bus, st->event, false, &e) < 0)
                log_debug("%s", error_message(&e));

        _cleanup_(spawner_freep) Spawner *spawner = NULL;
        int r = spawner_new(&spawner, st->event, bus);
        if (r < 0) {
                fprintf(stderr, "sesame run: %s\n", strerror(-r));
                return EXIT_NOT_LAUNCHED;
        }
        SpawnRequest req = {
                .program = program_argv[0],
                .argv = program_argv,
                .env = env,
                .cwd = o->cwd,
                .entry_id = o->id,
                .description = o->description,
                .slice = o->slice,
                .mode = o->mode,
        };
        r = spawner_launch(spawner, &req, on_done, st->wait ? on_exit_child : NULL, st, &e);
        if (r < 0) {
                print_failure(st, error_message(&e));
                return EXIT_NOT_LAUNCHED;
        }
        r = sd_event_loop(st->event);
        if (r < 0) {
                fprintf(stderr, "sesame run: event loop failed: %s\n", strerror(-r));
                return EXIT_NOT_LAUNCHED;
        }
        return r;
}

int cmd_run(int argc, char *argv[]) {
        RunState st = {};
        RunOptions o = { .mode = SCOPE_MODE_DBUS };
        _cleanup_(env_map_unrefp) EnvMap *env = NULL;
        if (env_map_new(&env) < 0 || env_map_import(env, environ) < 0) {
                fprintf(stderr, "sesame run: out of memory\n");
                return EXIT_NOT_LAUNCHED;
        }
        int r = parse_options(argc, argv, &o, &st, env);
        if (r != 0)
                return r < 0 ? 0 : r;
        log_setup("sesame", LOG_TARGET_AUTO, o.verbose, sd_journal_sendv);

        char *const *program_argv = argv + optind;
        if (!o.id) {
                const char *slash = strrchr(program_argv[0], '/');
                o.id = slash ? slash + 1 : program_argv[0];
        }
        /* Checked here too so that a bad directory costs no bus connection. */
        Error e = {};
        if (spawn_check_cwd(o.cwd, &e) < 0) {
                print_failure(&st, error_message(&e));
                return EXIT_NOT_LAUNCHED;
        }
        _cleanup_(sd_event_unrefp) sd_event *event = NULL;
        r = sd_event_default(&event);
        if (r < 0) {
                fprintf(stderr, "sesame run: cannot create an event loop: %s\n", strerror(-r));
                return EXIT_NOT_LAUNCHED;
        }
        st.event = event;
        if (st.wait)
                forward_signals(&st);
        return run_program(&o, program_argv, TAKE_PTR(env), &st);
}
