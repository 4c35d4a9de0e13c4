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
#include "launcher-conf.h"
#include "path.h"
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

/* The sentence a failed launch is reported with, on stderr and in the
 * notification. */
static void format_denial(json_t *reply, char *buf, size_t size) {
        const char *error = json_string_value(json_object_get(reply, "error"));
        json_t *locked = json_object_get(reply, "locked_profiles");
        if (strcmp(error, "VaultsLocked") == 0 && json_is_array(locked)) {
                FILE *f = fmemopen(buf, size, "w");
                if (!f) {
                        snprintf(buf, size, "vaults locked");
                        return;
                }
                fprintf(f, "vaults locked:");
                size_t i;
                json_t *v;
                json_array_foreach(locked, i, v) fprintf(f, "%s %s", i ? "," : "", json_string_value(v));
                const char *reason = json_string_value(json_object_get(reply, "reason"));
                if (reason)
                        fprintf(f, " (%s)", reason);
                fprintf(f, " — run: sesame unlock");
                json_array_foreach(locked, i, v) fprintf(f, " %s", json_string_value(v));
                fclose(f);
                return;
        }
        const char *message = json_string_value(json_object_get(reply, "message"));
        snprintf(buf, size, "%s (%s)", message ? message : error, error);
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
        printf("\nslice:       %s\n", json_string_value(json_object_get(p, "slice")) ?: "app.slice");
        printf("unit:       ");
        json_array_foreach(json_object_get(p, "unit_properties"), i, v) printf(" %s", json_string_value(v));
        if (json_is_true(json_object_get(p, "strict")))
                printf(" (strict)");
        if (json_is_true(json_object_get(p, "single")))
                printf(" (single)");
        printf("\n");
}

static void launch_help(void) {
        printf("Usage: sesame launch [OPTIONS...] ENTRY[:ACTION] [[--] ARGS...]\n"
               "       sesame launch [OPTIONS...] -- COMMAND...\n"
               "\n"
               "Ask the launcher to start the desktop entry ENTRY (an ID such as\n"
               "org.mozilla.firefox, just firefox, or the path of an installed .desktop\n"
               "file) or one of its desktop actions, with the launch profiles the tags\n"
               "name, in its own systemd scope. Prints pid=N unit=NAME via_scope=BOOL,\n"
               "a line per instance.\n"
               "\n"
               "ARGS are the files or URLs the entry opens (%%f %%F %%u %%U in its Exec):\n"
               "relative paths are taken from here, a path becomes a file:// URI where\n"
               "the entry takes URLs, and with %%f or %%u each gets an instance of its\n"
               "own. For an entry that takes none, ARGS are appended to its command.\n"
               "\n"
               "With no ENTRY, the words after -- are what a picker's launch hook was\n"
               "handed (fuzzel --launch-prefix='sesame launch --'): the entry is the one\n"
               "the picker exported in DESKTOP_ENTRY_ID (and DESKTOP_ENTRY_ACTION) or\n"
               "FUZZEL_DESKTOP_FILE_ID, when the words run its program; else the one\n"
               "entry or action whose Exec, field codes removed, is the words; else the\n"
               "words are a command, started with the tags in\n"
               "app-open-sesame-PROGRAM-PID.scope (this needs the secrets clearance).\n"
               "\n"
               "Options:\n"
               "      --action NAME     the entry's desktop action NAME (as ENTRY:NAME)\n"
               "      --command         the words after -- are a command, whatever they\n"
               "                        look like\n"
               "      --profile P       trust profile (default: the configuration's)\n"
               "  -t, --tag T           a launch profile: NAME, or TRUST:NAME; repeatable,\n"
               "                        later tags win\n"
               "      --dry-run         show the plan (argv, cwd, variable and secret names)\n"
               "                        without starting anything or fetching secrets\n"
               "      --json            print the launcher's reply as one JSON object\n"
               "      --activation-token TOKEN\n"
               "                        passed to the app as XDG_ACTIVATION_TOKEN and\n"
               "                        DESKTOP_STARTUP_ID (default: ours)\n"
               "      --notify=WHEN     report a failure as a desktop notification too:\n"
               "                        auto (when stderr is not a terminal, as from a key\n"
               "                        binding or a picker; the default), always, never\n"
               "      --single          if an app of the entry runs, start nothing (prints\n"
               "                        'already running: pid=N unit=U ...', exit 0);\n"
               "                        also Single=yes in a tag's launch profile\n"
               "      --unlock          when vaults are locked, ask the Secret Service to\n"
               "                        unlock them (its own prompt), then try once more\n"
               "                        (default: UnlockOnLaunch= of sesame-launcher.conf)\n"
               "  -h, --help            show this help\n"
               "\n"
               "Exit status: 0 started; 1 no launcher or no key; 2 usage; 10 EntryNotFound;\n"
               "11 ProfileNotFound; 12 LaunchProfileNotFound; 13 SecretVariableDenied;\n"
               "14 Forbidden (clearance); 15 VaultsLocked; 16 SecretNotFound;\n"
               "17 SecretServiceUnavailable; 18 RateLimited; 19 SpawnFailed;\n"
               "20 InvalidRequest; 21 Unauthorized; 22 SecretInvalid; 23 the launcher is busy\n"
               "(it refused the connection for now, after a few tries).\n");
}

typedef enum NotifyWhen {
        NOTIFY_AUTO,
        NOTIFY_ALWAYS,
        NOTIFY_NEVER,
} NotifyWhen;

typedef struct LaunchOptions {
        bool json;
        NotifyWhen notify;
        int unlock; /* -1: as the configuration says */
} LaunchOptions;

/* UnlockOnLaunch= of the configuration: read only now, on the way out of a
 * refused launch, so that a launch that works reads no file. */
static bool unlock_on_launch(void) {
        _cleanup_free_ char *path = config_default_path();
        _cleanup_(config_freep) Config *config = NULL;
        _cleanup_(strv_freep) char **errors = NULL;
        if (!path || config_load(path, true, &config, &errors) < 0)
                return false;
        return config->unlock_on_launch;
}

/* Asks the Secret Service to unlock the profiles the reply names, through
 * the launcher (the unlock lands on its own connection): whether it did.
 * The service shows its own prompt. */
static bool unlock_vaults(json_t *reply) {
        json_t *locked = json_object_get(reply, "locked_profiles"), *v;
        size_t i;
        _cleanup_free_ char **profiles = calloc(json_array_size(locked) + 1, sizeof(char *));
        if (!profiles)
                return false;
        json_array_foreach(locked, i, v) profiles[i] = (char *) json_string_value(v);
        return unlock_through_daemon(profiles, false, "sesame launch --unlock") == 0;
}

/* Says why the launch failed, on stderr and, when asked, as a desktop
 * notification (sesame-dbus notify: the D-Bus library is loaded only on
 * this path), and returns its exit status. */
static int launch_failed(const LaunchOptions *o, const Request *req, int status, const char *sentence) {
        fprintf(stderr, "sesame launch: %s\n", sentence);
        if (o->notify == NOTIFY_NEVER || (o->notify == NOTIFY_AUTO && isatty(STDERR_FILENO)))
                return status;
        char code[16];
        snprintf(code, sizeof(code), "%d", status);
        /* sesame notify --exit-status N [--quiet] [--entry ID] -- SENTENCE
         * [COMMAND...]: asked for, not being able to notify is worth a line;
         * by default (auto) it is not, as many sessions have no
         * notification server. */
        size_t n = 0;
        char *argv[10 + REQUEST_ARGS_MAX + 1];
        argv[n++] = "sesame";
        argv[n++] = "notify";
        argv[n++] = "--exit-status";
        argv[n++] = code;
        if (o->notify == NOTIFY_AUTO)
                argv[n++] = "--quiet";
        if (req->entry_id || req->entry_hint) {
                argv[n++] = "--entry";
                argv[n++] = req->entry_id ?: req->entry_hint;
        }
        argv[n++] = "--";
        argv[n++] = (char *) sentence;
        for (char **w = req->command; w && *w && n < ELEMENTSOF(argv) - 1; w++)
                argv[n++] = *w;
        argv[n] = NULL;
        _cleanup_free_ char *helper = path_helper("sesame-dbus");
        fflush(NULL);
        if (helper)
                execv(helper, argv);
        return status; /* not being able to notify is not an error */
}

/* The reply of one Launch, printed; its exit status, or -EAGAIN when the
 * vaults were locked and have been unlocked since. */
static int launch_report(const LaunchOptions *o, const Request *req, json_t *reply, bool may_unlock) {
        const char *error = json_string_value(json_object_get(reply, "error"));
        if (o->json) {
                json_dumpf(reply, stdout, JSON_COMPACT);
                putchar('\n');
        } else if (req->dry_run && !error)
                print_plan(reply);
        else {
                /* One line per instance that started (a launch of several
                 * files with %f is several), then what went wrong. */
                json_t *instances = json_object_get(reply, "instances"), *in;
                size_t i;
                if (json_is_true(json_object_get(reply, "already_running")))
                        printf("already running: ");
                json_array_foreach(instances, i, in)
                        printf("pid=%lld unit=%s via_scope=%s\n", (long long) json_integer_value(json_object_get(in, "pid")),
                               json_string_value(json_object_get(in, "unit")) ?: "-",
                               json_is_true(json_object_get(in, "via_scope")) ? "true" : "false");
        }
        if (!error)
                return 0;
        if (strcmp(error, "VaultsLocked") == 0 && may_unlock && (o->unlock > 0 || (o->unlock < 0 && unlock_on_launch())) &&
            unlock_vaults(reply))
                return -EAGAIN;
        char sentence[1024];
        format_denial(reply, sentence, sizeof(sentence));
        if (o->json) {
                /* The reply is the output; a notification still tells a key
                 * binding's user. */
                LaunchOptions quiet = *o;
                if (quiet.notify == NOTIFY_AUTO)
                        quiet.notify = NOTIFY_NEVER;
                fflush(stdout);
                return quiet.notify == NOTIFY_NEVER ? status_for(error)
                                                    : launch_failed(&quiet, req, status_for(error), sentence);
        }
        return launch_failed(o, req, status_for(error), sentence);
}

/* The entry a picker's launch hook exported, as fuzzel, walker and others
 * do: DESKTOP_ENTRY_ID (and DESKTOP_ENTRY_ACTION), else fuzzel's
 * FUZZEL_DESKTOP_FILE_ID. */
static void picker_entry(Request *req) {
        const char *id = getenv("DESKTOP_ENTRY_ID");
        if (id && *id) {
                req->entry_hint = (char *) id;
                const char *action = getenv("DESKTOP_ENTRY_ACTION");
                if (action && *action && !req->action)
                        req->action = (char *) action;
                return;
        }
        id = getenv("FUZZEL_DESKTOP_FILE_ID");
        if (id && *id)
                req->entry_hint = (char *) id;
}

int cmd_launch(int argc, char *argv[]) {
        enum { ARG_PROFILE = 0x100, ARG_DRY_RUN, ARG_JSON, ARG_TOKEN, ARG_ACTION, ARG_COMMAND, ARG_NOTIFY, ARG_UNLOCK, ARG_SINGLE };
        static const struct option options[] = {
                { "profile", required_argument, NULL, ARG_PROFILE },
                { "tag", required_argument, NULL, 't' },
                { "action", required_argument, NULL, ARG_ACTION },
                { "command", no_argument, NULL, ARG_COMMAND },
                { "dry-run", no_argument, NULL, ARG_DRY_RUN },
                { "json", no_argument, NULL, ARG_JSON },
                { "activation-token", required_argument, NULL, ARG_TOKEN },
                { "notify", required_argument, NULL, ARG_NOTIFY },
                { "unlock", no_argument, NULL, ARG_UNLOCK },
                { "single", no_argument, NULL, ARG_SINGLE },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        Request req = { .method = REQUEST_LAUNCH };
        LaunchOptions o = { .notify = NOTIFY_AUTO, .unlock = -1 };
        bool force_command = false;
        _cleanup_(strv_freep) char **tags = calloc(1, sizeof(char *));
        const char *token = getenv("XDG_ACTIVATION_TOKEN") ?: getenv("DESKTOP_STARTUP_ID");

        /* Options come before "--" (and may follow ENTRY: sesame launch
         * firefox --tag dev); after it are the app's words, untouched. */
        int words_at = argc;
        for (int i = 1; i < argc; i++)
                if (strcmp(argv[i], "--") == 0) {
                        words_at = i;
                        break;
                }
        int c;
        while ((c = getopt_long(words_at, argv, "t:h", options, NULL)) >= 0) {
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
                case ARG_ACTION:
                        req.action = optarg;
                        break;
                case ARG_COMMAND:
                        force_command = true;
                        break;
                case ARG_DRY_RUN:
                        req.dry_run = true;
                        break;
                case ARG_JSON:
                        o.json = true;
                        break;
                case ARG_TOKEN:
                        token = optarg;
                        break;
                case ARG_NOTIFY:
                        if (strcmp(optarg, "auto") == 0)
                                o.notify = NOTIFY_AUTO;
                        else if (strcmp(optarg, "always") == 0)
                                o.notify = NOTIFY_ALWAYS;
                        else if (strcmp(optarg, "never") == 0)
                                o.notify = NOTIFY_NEVER;
                        else {
                                fprintf(stderr, "sesame launch: --notify takes auto, always or never\n");
                                return EXIT_USAGE;
                        }
                        break;
                case ARG_UNLOCK:
                        o.unlock = 1;
                        break;
                case ARG_SINGLE:
                        req.single = true;
                        break;
                case 'h':
                        launch_help();
                        return 0;
                default:
                        fprintf(stderr, "sesame launch: see 'sesame launch --help'\n");
                        return EXIT_USAGE;
                }
        }
        /* What getopt left before "--" (ENTRY and perhaps files), then what
         * follows it. */
        _cleanup_(strv_freep) char **positional = calloc(1, sizeof(char *));
        for (int i = optind; i < words_at; i++)
                if (strv_push(&positional, strdup(argv[i])) < 0)
                        return 1;
        char **words = argv + (words_at < argc ? words_at + 1 : argc);

        _cleanup_(strv_freep) char **args = NULL;
        _cleanup_free_ char *entry_path = NULL;
        if (positional[0] && force_command) {
                fprintf(stderr, "sesame launch: --command takes no ENTRY: sesame launch --command -- COMMAND...\n");
                return EXIT_USAGE;
        }
        if (positional[0]) {
                req.entry_id = positional[0];
                /* A .desktop file named by its path: the launcher maps it to
                 * the entry it is (or refuses it). */
                if (strchr(req.entry_id, '/')) {
                        entry_path = realpath(req.entry_id, NULL);
                        if (!entry_path && req.entry_id[0] != '/') {
                                _cleanup_free_ char *here = get_current_dir_name();
                                if (asprintf(&entry_path, "%s/%s", here ?: "", req.entry_id) < 0)
                                        entry_path = NULL;
                        }
                        if (entry_path)
                                req.entry_id = entry_path;
                }
                args = strv_copy(positional + 1);
                for (char **w = words; args && *w; w++)
                        if (strv_push(&args, strdup(*w)) < 0)
                                return 1;
                if (!args)
                        return 1;
                req.args = args;
        } else if (words[0]) {
                /* A picker's launch hook, or a command. */
                req.command = words;
                req.recognize = !force_command;
                if (!force_command)
                        picker_entry(&req);
                if (req.action && !req.entry_hint) {
                        fprintf(stderr, "sesame launch: --action goes with an ENTRY: sesame launch ENTRY --action %s\n",
                                req.action);
                        return EXIT_USAGE;
                }
        } else {
                fprintf(stderr, "sesame launch: no entry given (see 'sesame launch --help')\n");
                return EXIT_USAGE;
        }
        req.tags = tags;
        /* Relative paths among the arguments are ours, and a command runs
         * here. */
        _cleanup_free_ char *cwd = (req.args && req.args[0]) || req.command ? get_current_dir_name() : NULL;
        req.cwd = cwd;
        req.activation_token = (char *) (token && *token ? token : NULL);

        _cleanup_free_ char *text = request_format(&req);
        for (bool may_unlock = true;; may_unlock = false) {
                json_t *reply = NULL;
                int r = text ? call_daemon("sesame launch", text, &reply, false) : 1;
                if (r != 0)
                        return r;
                r = launch_report(&o, &req, reply, may_unlock);
                json_decref(reply);
                if (r != -EAGAIN)
                        return r;
        }
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
