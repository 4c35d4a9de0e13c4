/* SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "client.h"
#include "keys.h"
#include "log.h"
#include "proto.h"
#include "strv.h"
#include "transport.h"

#define CALL_TIMEOUT_MS 60000

/* Exit statuses of `sesame launch`, one per denial (documented in --help). */
static const struct {
        const char *error;
        int status;
} denial_status[] = {
        { "EntryNotFound", 10 },          { "ProfileNotFound", 11 },    { "LaunchProfileNotFound", 12 },
        { "SecretVariableDenied", 13 },   { "Forbidden", 14 },          { "VaultsLocked", EXIT_VAULTS_LOCKED },
        { "SecretNotFound", 16 },         { "SecretServiceUnavailable", 17 }, { "RateLimited", 18 },
        { "SpawnFailed", 19 },            { "InvalidRequest", 20 },     { "Unauthorized", 21 },
        { "SecretInvalid", 22 },          { "Busy", EXIT_BUSY },
};

static int status_for(const char *error) {
        for (size_t i = 0; i < ELEMENTSOF(denial_status); i++)
                if (strcmp(error, denial_status[i].error) == 0)
                        return denial_status[i].status;
        return 1;
}

/* Connects with this CLI's key to the launcher's published key. With
 * `absent_ok`, no key or no launcher listening is DAEMON_ABSENT, silently. */
static int connect_daemon(IpcClient **ret, const char *who, bool absent_ok) {
        Error e = {};
        _cleanup_free_ char *dir = NULL, *sock = NULL, *pub_path = NULL;
        if (ipc_config_dir(&dir, &e) < 0 || ipc_socket_path(&sock, &e) < 0 || ipc_public_key_path(&pub_path, &e) < 0) {
                /* No runtime directory: no socket to find. */
                if (absent_ok)
                        return DAEMON_ABSENT;
                fprintf(stderr, "%s: %s\n", who, error_message(&e));
                return 1;
        }
        NoiseKeypair key;
        if (key_load(dir, "cli", &key, &e) < 0) {
                if (e.code == -ENOENT && absent_ok)
                        return DAEMON_ABSENT;
                if (e.code == -ENOENT)
                        fprintf(stderr, "%s: this client has no key yet; run: sesame keys init\n", who);
                else
                        fprintf(stderr, "%s: %s\n", who, error_message(&e));
                return 1;
        }
        /* The daemon publishes its key when it starts; before its first
         * start (socket activation) the same key is in our key store. */
        uint8_t server[NOISE_DHLEN];
        int r = key_read_public(pub_path, server, &e);
        if (r == -ENOENT) {
                _cleanup_free_ char *stored = NULL;
                e = (Error){};
                r = asprintf(&stored, "%s/launcher.pub", dir) < 0 ? -ENOMEM : key_read_public(stored, server, &e);
                if (r == -ENOENT) {
                        noise_keypair_wipe(&key);
                        if (absent_ok)
                                return DAEMON_ABSENT;
                        fprintf(stderr, "%s: no key of the launcher is known; run: sesame keys init\n", who);
                        return 1;
                }
        }
        /* A launcher under a burst may ask us to come back (Busy), and a
         * connection may be reset while it is starting: a few more tries,
         * spread out, before giving up. */
        static const unsigned backoff_ms[] = { 20, 50, 120, 250 };
        for (size_t attempt = 0; r >= 0; attempt++) {
                e = (Error){};
                r = ipc_client_connect(ret, sock, &key, server, 5000, &e);
                if (!(r == -EBUSY || r == -EPROTO || r == -ECONNRESET) || attempt == ELEMENTSOF(backoff_ms))
                        break;
                struct timespec pause = { 0, (long) (backoff_ms[attempt] + (unsigned) getpid() % 16) * 1000000L };
                nanosleep(&pause, NULL);
        }
        noise_keypair_wipe(&key);
        if ((r == -ENOENT || r == -ECONNREFUSED) && absent_ok)
                return DAEMON_ABSENT;
        if (r == -ENOENT || r == -ECONNREFUSED) {
                fprintf(stderr,
                        "%s: the launcher is not running; start it with: systemctl --user start "
                        "sesame-launcher.socket\n",
                        who);
                return 1;
        }
        if (r == -EACCES) {
                fprintf(stderr, "%s: the launcher refused this client: %s\n", who, error_message(&e));
                return status_for("Unauthorized");
        }
        if (r == -EBUSY) {
                fprintf(stderr, "%s: the launcher is busy: %s\n", who, error_message(&e));
                return EXIT_BUSY;
        }
        if (r < 0) {
                fprintf(stderr, "%s: %s\n", who, error_message(&e));
                return 1;
        }
        return 0;
}

int call_daemon(const char *who, const char *request, json_t **ret, bool absent_ok) {
        _cleanup_(ipc_client_freep) IpcClient *c = NULL;
        int r = connect_daemon(&c, who, absent_ok);
        if (r != 0)
                return r;
        _cleanup_free_ char *reply = NULL;
        Error e = {};
        if (ipc_client_call(c, request, &reply, CALL_TIMEOUT_MS, &e) < 0) {
                fprintf(stderr, "%s: %s\n", who, error_message(&e));
                return 1;
        }
        json_error_t je;
        *ret = json_loads(reply, 0, &je);
        if (!*ret) {
                fprintf(stderr, "%s: the launcher's reply is not JSON: %s\n", who, je.text);
                return 1;
        }
        return 0;
}

static void print_denial(json_t *reply) {
        const char *error = json_string_value(json_object_get(reply, "error"));
        json_t *locked = json_object_get(reply, "locked_profiles");
        if (strcmp(error, "VaultsLocked") == 0 && json_is_array(locked)) {
                fprintf(stderr, "sesame launch: vaults locked:");
                size_t i;
                json_t *v;
                json_array_foreach(locked, i, v) fprintf(stderr, "%s %s", i ? "," : "", json_string_value(v));
                fprintf(stderr, " — run: sesame unlock");
                json_array_foreach(locked, i, v) fprintf(stderr, " %s", json_string_value(v));
                fputc('\n', stderr);
                return;
        }
        const char *message = json_string_value(json_object_get(reply, "message"));
        fprintf(stderr, "sesame launch: %s (%s)\n", message ? message : error, error);
}

static void print_plan(json_t *p) {
        printf("entry:       %s\n", json_string_value(json_object_get(p, "entry_id")));
        printf("profile:     %s\n", json_string_value(json_object_get(p, "profile")));
        printf("description: %s\n", json_string_value(json_object_get(p, "description")));
        size_t i, k;
        json_t *v, *argv;
        json_array_foreach(json_object_get(p, "instances"), k, argv) {
                printf(k == 0 ? "argv:       " : "\nargv:       ");
                json_array_foreach(argv, i, v) printf(" %s", json_string_value(v));
        }
        printf("\ncwd:         %s\n", json_string_value(json_object_get(p, "cwd")) ?: "(the launcher's)");
        printf("variables:  ");
        json_array_foreach(json_object_get(p, "variables"), i, v) printf(" %s", json_string_value(v));
        printf("\nsecrets:    ");
        json_array_foreach(json_object_get(p, "secrets"), i, v) printf(
                " %s@%s (%s)", json_string_value(json_object_get(v, "name")),
                json_string_value(json_object_get(v, "profile")), json_string_value(json_object_get(v, "variable")));
        printf("\n");
}

static void launch_help(void) {
        printf("Usage: sesame launch [OPTIONS...] ENTRY [-- ARGS...]\n"
               "\n"
               "Ask the launcher to start the desktop entry ENTRY (an ID such as\n"
               "org.mozilla.firefox, or just firefox) with the launch profiles the tags\n"
               "name, in its own systemd scope. Prints pid=N unit=NAME via_scope=BOOL,\n"
               "a line per instance.\n"
               "\n"
               "ARGS are the files or URLs the entry opens (%%f %%F %%u %%U in its Exec):\n"
               "relative paths are taken from here, a path becomes a file:// URI where\n"
               "the entry takes URLs, and with %%f or %%u each gets an instance of its\n"
               "own. For an entry that takes none, ARGS are appended to its command.\n"
               "\n"
               "Options:\n"
               "      --profile P       trust profile (default: the configuration's)\n"
               "  -t, --tag T           a launch profile: NAME, or TRUST:NAME; repeatable,\n"
               "                        later tags win\n"
               "      --dry-run         show the plan (argv, cwd, variable and secret names)\n"
               "                        without starting anything or fetching secrets\n"
               "      --json            print the launcher's reply as one JSON object\n"
               "      --activation-token TOKEN\n"
               "                        passed to the app as XDG_ACTIVATION_TOKEN and\n"
               "                        DESKTOP_STARTUP_ID (default: ours)\n"
               "  -h, --help            show this help\n"
               "\n"
               "Exit status: 0 started; 1 no launcher or no key; 2 usage; 10 EntryNotFound;\n"
               "11 ProfileNotFound; 12 LaunchProfileNotFound; 13 SecretVariableDenied;\n"
               "14 Forbidden (clearance); 15 VaultsLocked; 16 SecretNotFound;\n"
               "17 SecretServiceUnavailable; 18 RateLimited; 19 SpawnFailed;\n"
               "20 InvalidRequest; 21 Unauthorized; 22 SecretInvalid; 23 the launcher is busy\n"
               "(it refused the connection for now, after a few tries).\n");
}

int cmd_launch(int argc, char *argv[]) {
        enum { ARG_PROFILE = 0x100, ARG_DRY_RUN, ARG_JSON, ARG_TOKEN };
        static const struct option options[] = {
                { "profile", required_argument, NULL, ARG_PROFILE },
                { "tag", required_argument, NULL, 't' },
                { "dry-run", no_argument, NULL, ARG_DRY_RUN },
                { "json", no_argument, NULL, ARG_JSON },
                { "activation-token", required_argument, NULL, ARG_TOKEN },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        Request req = { .method = REQUEST_LAUNCH };
        bool json = false;
        _cleanup_(strv_freep) char **tags = calloc(1, sizeof(char *));
        const char *token = getenv("XDG_ACTIVATION_TOKEN") ?: getenv("DESKTOP_STARTUP_ID");
        int c;
        /* Options may follow ENTRY (sesame launch firefox --tag dev); the
         * app's own arguments come after "--". */
        while ((c = getopt_long(argc, argv, "t:h", options, NULL)) >= 0) {
                switch (c) {
                case ARG_PROFILE:
                        req.profile = optarg;
                        break;
                case 't':
                        if (strv_push(&tags, strdup(optarg)) < 0) {
                                fprintf(stderr, "sesame launch: out of memory\n");
                                return 1;
                        }
                        break;
                case ARG_DRY_RUN:
                        req.dry_run = true;
                        break;
                case ARG_JSON:
                        json = true;
                        break;
                case ARG_TOKEN:
                        token = optarg;
                        break;
                case 'h':
                        launch_help();
                        return 0;
                default:
                        fprintf(stderr, "sesame launch: see 'sesame launch --help'\n");
                        return EXIT_USAGE;
                }
        }
        if (optind >= argc) {
                fprintf(stderr, "sesame launch: no entry given (see 'sesame launch --help')\n");
                return EXIT_USAGE;
        }
        req.entry_id = argv[optind++];
        req.tags = tags;
        req.args = argv + optind;
        /* Relative paths among the arguments are ours. */
        _cleanup_free_ char *cwd = req.args[0] ? get_current_dir_name() : NULL;
        req.cwd = cwd;
        req.activation_token = (char *) (token && *token ? token : NULL);

        _cleanup_free_ char *text = request_format(&req);
        json_t *reply = NULL;
        int r = text ? call_daemon("sesame launch", text, &reply, false) : 1;
        if (r != 0)
                return r;

        const char *error = json_string_value(json_object_get(reply, "error"));
        if (json) {
                json_dumpf(reply, stdout, JSON_COMPACT);
                putchar('\n');
        } else if (req.dry_run && !error)
                print_plan(reply);
        else {
                /* One line per instance that started (a launch of several
                 * files with %f is several), then what went wrong. */
                json_t *instances = json_object_get(reply, "instances"), *in;
                size_t i;
                json_array_foreach(instances, i, in)
                        printf("pid=%lld unit=%s via_scope=%s\n", (long long) json_integer_value(json_object_get(in, "pid")),
                               json_string_value(json_object_get(in, "unit")) ?: "-",
                               json_is_true(json_object_get(in, "via_scope")) ? "true" : "false");
                if (error)
                        print_denial(reply);
        }
        r = error ? status_for(error) : 0;
        json_decref(reply);
        return r;
}

int cmd_status(int argc, char *argv[]) {
        bool json = argc > 1 && strcmp(argv[1], "--json") == 0;
        if (argc > 1 && !json) {
                printf("Usage: sesame status [--json]\n\nShow the running launcher's version, uptime, entries,\n"
                       "launches served and in flight, and children alive.\n");
                return strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ? 0 : EXIT_USAGE;
        }
        json_t *reply = NULL;
        int r = call_daemon("sesame status", "{\"method\":\"Status\"}", &reply, false);
        if (r != 0)
                return r;
        if (json) {
                json_dumpf(reply, stdout, JSON_COMPACT);
                putchar('\n');
        } else {
                const char *key;
                json_t *v;
                json_object_foreach(reply, key, v) {
                        if (json_is_string(v))
                                printf("%-12s %s\n", key, json_string_value(v));
                        else
                                printf("%-12s %lld\n", key, (long long) json_integer_value(v));
                }
        }
        json_decref(reply);
        return 0;
}
