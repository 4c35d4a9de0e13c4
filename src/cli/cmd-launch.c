/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/windows.h"
#include "common/path.h"
#include "common/strv.h"
#include "config/launcher-conf.h"
#include "ipc/proto.h"

void print_words(const char *label, int width, json_t *words) {
        size_t i;
        json_t *v;
        printf("%-*s", width, label);
        json_array_foreach(words, i, v) printf("%s%s", i ? " " : "", json_string_value(v));
        printf("%s\n", json_array_size(words) ? "" : "(none)");
}

static void print_plan(json_t *p) {
        printf("%-13s%s\n", "entry:", json_string_value(json_object_get(p, "entry_id")));
        printf("%-13s%s\n", "profile:", json_string_value(json_object_get(p, "profile")));
        printf("%-13s%s\n", "description:", json_string_value(json_object_get(p, "description")));
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(p, "instances"), i, v) print_words("argv:", 13, v);
        printf("%-13s%s\n", "cwd:", json_string_value(json_object_get(p, "cwd")) ?: "(the launcher's)");
        print_words("variables:", 13, json_object_get(p, "variables"));
        printf("%-13s", "secrets:");
        json_array_foreach(json_object_get(p, "secrets"), i, v) printf(
                "%s%s@%s (%s)", i ? " " : "", json_string_value(json_object_get(v, "name")),
                json_string_value(json_object_get(v, "profile")), json_string_value(json_object_get(v, "variable")));
        printf("%s\n", json_array_size(json_object_get(p, "secrets")) ? "" : "(none)");
        printf("%-13s%s\n", "unit type:", json_string_value(json_object_get(p, "unit_type")) ?: "scope");
        printf("%-13s%s\n", "slice:", json_string_value(json_object_get(p, "slice")) ?: "app.slice");
        print_words("unit:", 13, json_object_get(p, "unit_properties"));
        if (json_is_true(json_object_get(p, "strict")) || json_is_true(json_object_get(p, "single")))
                printf("%-13s%s%s\n", "mode:", json_is_true(json_object_get(p, "strict")) ? "strict " : "",
                       json_is_true(json_object_get(p, "single")) ? "single" : "");
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
               "                        'already running: pid=N unit=U ...', exit 0) and\n"
               "                        focus its window; one without a window is launched\n"
               "                        after all. Also Single=yes in a tag's launch profile\n"
               "                        (which never starts a second)\n"
               "      --raise           if a window of the entry exists, focus it and start\n"
               "                        nothing; else launch (run or raise: the one key\n"
               "                        binding). Windows come from the compositor (sway)\n"
               "      --service         start it as a transient service the user manager\n"
               "                        runs (app-open-sesame-ENTRY-N.service) rather than\n"
               "                        in a scope: its output in the journal under its\n"
               "                        unit, restartable with 'sesame restart'; also\n"
               "                        UnitType=service in a tag's launch profile\n"
               "      --wait-start      answer once the app has lived EarlyExitSec= (1 s):\n"
               "                        one that exits at once with a failure is reported\n"
               "                        with its last lines on stderr (exit 31); implied by\n"
               "                        --notify=always\n"
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
               "(it refused the connection for now, after a few tries); 24 the launcher\n"
               "ended before it answered (the app may run: sesame ps); 25 ProfileInvalid (a\n"
               "profile the configuration left out for an error: sesame config check).\n"
               "No launcher to answer: 26 not installed; 27 its socket not started; 28 its\n"
               "service failed or cannot serve; 29 it cannot read this client's handshake\n"
               "(another launcher key); 30 this client has no key (sesame keys init). Each is\n"
               "said with what to run, and notified as a refusal is. 31 (--wait-start) the\n"
               "app exited at once with a failure.\n");
}

/* UnlockOnLaunch= of the configuration: read only now, on the way out of a
 * refused launch, so that a launch that works reads no file. */
static bool unlock_on_launch(void) {
        _cleanup_free_ char *path = config_default_path();
        _cleanup_(config_freep) Config *config = NULL;
        if (!path || config_load(path, true, &config) < 0)
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

/* Shows why the launch failed as a desktop notification, when asked
 * (sesame-dbus notify: the D-Bus library is loaded only on this path), and
 * returns its exit status. */
int launch_notify(const LaunchOptions *o, const Request *req, int status, const char *sentence) {
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
        pid_t pid = o->more && helper ? fork() : 0;
        if (pid == 0 && helper) {
                execv(helper, argv);
                if (o->more)
                        _exit(status);
        }
        while (pid > 0 && waitpid(pid, NULL, 0) < 0 && errno == EINTR)
                ;
        return status; /* not being able to notify is not an error */
}

/* Says why the launch failed, on stderr and as launch_notify() does. */
static int launch_failed(const LaunchOptions *o, const Request *req, int status, const char *sentence) {
        fprintf(stderr, "%s: %s\n", o->who ?: "sesame launch", sentence);
        return launch_notify(o, req, status, sentence);
}

/* The reply of one Launch, printed; its exit status, or -EAGAIN when the
 * vaults were locked and have been unlocked since. */
static int launch_report(const LaunchOptions *o, const Request *req, json_t *reply, bool may_unlock) {
        const char *error = json_string_value(json_object_get(reply, "error"));
        if (o->json) {
                print_json(reply);
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
        reply_error_sentence(reply, sentence, sizeof(sentence));
        if (o->json) {
                /* The reply is the output; a notification still tells a key
                 * binding's user. */
                LaunchOptions quiet = *o;
                if (quiet.notify == NOTIFY_AUTO)
                        quiet.notify = NOTIFY_NEVER;
                fflush(stdout);
                return quiet.notify == NOTIFY_NEVER ? exit_status_for_error(error)
                                                    : launch_failed(&quiet, req, exit_status_for_error(error), sentence);
        }
        return launch_failed(o, req, exit_status_for_error(error), sentence);
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

const char *launch_activation_token(void) {
        const char *token = getenv("XDG_ACTIVATION_TOKEN") ?: getenv("DESKTOP_STARTUP_ID");
        return token && *token ? token : NULL;
}

/* --raise: the entry the request names (as the launcher resolves it: a
 * dry run, so a picker's words work too) has a window: focused, 0. */
static int raise_window(const Request *req) {
        Request dry = *req;
        dry.dry_run = true;
        _cleanup_free_ char *text = request_format(&dry);
        json_t *reply = NULL;
        if (!text || call_daemon("sesame launch", text, &reply, true) != 0)
                return 1;
        const char *entry_id = json_string_value(json_object_get(reply, "entry_id"));
        AppTarget t = { .entry_id = entry_id };
        int r = entry_id && !reply_error_name(reply) ? windows_focus_target("sesame launch", &t, true) : 1;
        json_decref(reply);
        return r;
}

/* Already running: its window focused (said), or WINDOWS_NONE when it has
 * none. */
static int focus_running(json_t *reply) {
        AppTarget t = { .unit = json_string_value(json_object_get(reply, "unit")),
                           .pid = (int) json_integer_value(json_object_get(reply, "pid")) };
        if (t.unit)
                t.pid = 0;
        return windows_focus_target("sesame launch", &t, true);
}

int launch_run(const LaunchOptions *o, const Request *req) {
        if (o->raise && !req->dry_run && raise_window(req) == 0)
                return 0;
        _cleanup_free_ char *text = request_format(req);
        for (bool may_unlock = true;; may_unlock = false) {
                json_t *reply = NULL;
                int r = call_daemon(o->who ?: "sesame launch", text, &reply, false);
                /* No launcher, no key...: said on stderr, and notified as a
                 * refusal is, for the key binding's user. */
                if (r != 0)
                        return call_failure() ? launch_notify(o, req, r, call_failure()) : r;
                r = launch_report(o, req, reply, may_unlock);
                /* --single: the app that runs gets the focus; one with no
                 * window is launched after all (unless a profile's
                 * Single=yes holds it to one). */
                if (r == 0 && !o->json && json_is_true(json_object_get(reply, "already_running")) &&
                    focus_running(reply) == WINDOWS_NONE && req->single) {
                        json_decref(reply);
                        Request again = *req;
                        again.single = false;
                        return launch_run(o, &again);
                }
                json_decref(reply);
                if (r != -EAGAIN)
                        return r;
        }
}

/* sesame launch's command line, and what it owns. */
typedef struct LaunchArgs {
        Request req;
        LaunchOptions o;
        bool force_command;
        const char *token;
        char **tags, **positional, **args;
        char *entry_path, *cwd;
} LaunchArgs;

static void launch_args_done(LaunchArgs *a) {
        strv_free(a->tags);
        strv_free(a->positional);
        strv_free(a->args);
        free(a->entry_path);
        free(a->cwd);
}

int launch_parse_notify(const char *who, const char *value, NotifyWhen *ret) {
        static const char *const names[] = { [NOTIFY_AUTO] = "auto", [NOTIFY_ALWAYS] = "always",
                                             [NOTIFY_NEVER] = "never" };
        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                if (strcmp(value, names[i]) == 0) {
                        *ret = (NotifyWhen) i;
                        return 0;
                }
        fprintf(stderr, "%s: --notify takes auto, always or never\n", who);
        return -EINVAL;
}

/* The options before "--": 0, -1 for --help, or an exit status. */
static int parse_options(LaunchArgs *a, int argc, char *argv[]) {
        enum { ARG_PROFILE = 0x100, ARG_DRY_RUN, ARG_JSON, ARG_TOKEN, ARG_ACTION, ARG_COMMAND, ARG_NOTIFY, ARG_UNLOCK,
               ARG_SINGLE, ARG_WAIT_START, ARG_SERVICE, ARG_RAISE };
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
                { "wait-start", no_argument, NULL, ARG_WAIT_START },
                { "service", no_argument, NULL, ARG_SERVICE },
                { "raise", no_argument, NULL, ARG_RAISE },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        int c;
        while ((c = getopt_long(argc, argv, "t:h", options, NULL)) >= 0) {
                switch (c) {
                case ARG_PROFILE:
                        a->req.profile = optarg;
                        break;
                case 't':
                        if (strv_push(&a->tags, strdup(optarg)) < 0) {
                                fprintf(stderr, "sesame launch: out of memory\n");
                                return 1;
                        }
                        break;
                case ARG_ACTION:
                        a->req.action = optarg;
                        break;
                case ARG_COMMAND:
                        a->force_command = true;
                        break;
                case ARG_DRY_RUN:
                        a->req.dry_run = true;
                        break;
                case ARG_JSON:
                        a->o.json = true;
                        break;
                case ARG_TOKEN:
                        a->token = optarg;
                        break;
                case ARG_NOTIFY:
                        if (launch_parse_notify("sesame launch", optarg, &a->o.notify) < 0)
                                return EXIT_USAGE;
                        break;
                case ARG_UNLOCK:
                        a->o.unlock = 1;
                        break;
                case ARG_SINGLE:
                        a->req.single = true;
                        break;
                case ARG_WAIT_START:
                        a->req.wait_start = true;
                        break;
                case ARG_SERVICE:
                        a->req.service = true;
                        break;
                case ARG_RAISE:
                        a->o.raise = true;
                        break;
                case 'h':
                        launch_help();
                        return -1;
                default:
                        fprintf(stderr, "sesame launch: see 'sesame launch --help'\n");
                        return EXIT_USAGE;
                }
        }
        return 0;
}

/* ENTRY and the files it opens: a .desktop file named by its path is
 * made absolute (the launcher maps it to the entry it is, or refuses it). */
static int entry_request(LaunchArgs *a, char **words) {
        a->req.entry_id = a->positional[0];
        if (strchr(a->req.entry_id, '/')) {
                a->entry_path = realpath(a->req.entry_id, NULL);
                if (!a->entry_path && a->req.entry_id[0] != '/') {
                        _cleanup_free_ char *here = get_current_dir_name();
                        if (asprintf(&a->entry_path, "%s/%s", here ?: "", a->req.entry_id) < 0)
                                a->entry_path = NULL;
                }
                if (a->entry_path)
                        a->req.entry_id = a->entry_path;
        }
        a->args = strv_copy(a->positional + 1);
        for (char **w = words; a->args && *w; w++)
                if (strv_push(&a->args, strdup(*w)) < 0)
                        return 1;
        if (!a->args)
                return 1;
        a->req.args = a->args;
        return 0;
}

/* No ENTRY: a picker's launch hook, or a command. */
static int command_request(LaunchArgs *a, char **words) {
        a->req.command = words;
        a->req.recognize = !a->force_command;
        if (!a->force_command)
                picker_entry(&a->req);
        if (a->req.action && !a->req.entry_hint) {
                fprintf(stderr, "sesame launch: --action goes with an ENTRY: sesame launch ENTRY --action %s\n",
                        a->req.action);
                return EXIT_USAGE;
        }
        return 0;
}

int cmd_launch(int argc, char *argv[]) {
        _cleanup_(launch_args_done) LaunchArgs a = {
                .req = { .method = REQUEST_LAUNCH },
                .o = LAUNCH_OPTIONS_DEFAULT,
                .token = launch_activation_token(),
                .tags = calloc(1, sizeof(char *)),
                .positional = calloc(1, sizeof(char *)),
        };
        if (!a.tags || !a.positional)
                return 1;
        /* Options come before "--" (and may follow ENTRY: sesame launch
         * firefox --tag dev); after it are the app's words, untouched. */
        int words_at = argc;
        for (int i = 1; i < argc; i++)
                if (strcmp(argv[i], "--") == 0) {
                        words_at = i;
                        break;
                }
        int r = parse_options(&a, words_at, argv);
        if (r != 0)
                return r < 0 ? 0 : r;
        /* Asked to be told of every failure: an app that dies at once too. */
        a.req.wait_start = a.req.wait_start || a.o.notify == NOTIFY_ALWAYS;
        /* What getopt left before "--" (ENTRY and perhaps files), then what
         * follows it. */
        for (int i = optind; i < words_at; i++)
                if (strv_push(&a.positional, strdup(argv[i])) < 0)
                        return 1;
        char **words = argv + (words_at < argc ? words_at + 1 : argc);
        if (a.positional[0] && a.force_command) {
                fprintf(stderr, "sesame launch: --command takes no ENTRY: sesame launch --command -- COMMAND...\n");
                return EXIT_USAGE;
        }
        if (!a.positional[0] && !words[0]) {
                fprintf(stderr, "sesame launch: no entry given (see 'sesame launch --help')\n");
                return EXIT_USAGE;
        }
        r = a.positional[0] ? entry_request(&a, words) : command_request(&a, words);
        if (r != 0)
                return r;
        a.req.tags = a.tags;
        /* Relative paths among the arguments are ours, and a command runs
         * here. */
        if ((a.req.args && a.req.args[0]) || a.req.command)
                a.req.cwd = a.cwd = get_current_dir_name();
        a.req.activation_token = (char *) (a.token && *a.token ? a.token : NULL);
        return launch_run(&a.o, &a.req);
}
