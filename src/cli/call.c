/* SPDX-License-Identifier: MIT */
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <jansson.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/call.h"
#include "cli/cli.h"
#include "ipc/client.h"
#include "ipc/proto.h"
#include "spawn/unit-name.h"
#include "ipc/keys.h"
#include "ipc/transport.h"
#include "common/path.h"

extern char **environ;

/* The sentence the last failure to reach the launcher was said with. */
static char failure[1024];
static bool quiet;

void call_quiet(bool q) {
        quiet = q;
}

const char *call_failure(void) {
        return failure[0] ? failure : NULL;
}

/* Says why the launcher could not be reached, as `who`; its exit status. */
_printf_(3, 4) static int fail(const char *who, int status, const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(failure, sizeof(failure), fmt, ap);
        va_end(ap);
        if (!quiet)
                fprintf(stderr, "%s: %s\n", who, failure);
        return status;
}

int helper_output(const char *name, char *const argv[], char *buf, size_t size) {
        _cleanup_free_ char *helper = path_helper(name);
        int fds[2];
        if (!helper || size == 0)
                return -ENOMEM;
        if (pipe2(fds, O_CLOEXEC) < 0)
                return -errno;
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
        pid_t pid;
        int r = -posix_spawn(&pid, helper, &actions, NULL, argv, environ);
        posix_spawn_file_actions_destroy(&actions);
        close(fds[1]);
        size_t len = 0;
        ssize_t n;
        while (r == 0 && len < size - 1 && (n = read(fds[0], buf + len, size - 1 - len)) > 0)
                len += (size_t) n;
        close(fds[0]);
        buf[len] = 0;
        int status = 0;
        if (r == 0 && waitpid(pid, &status, 0) < 0)
                r = -errno;
        if (r < 0)
                return r;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Why no launcher answers, asked of the user manager by sesame-dbus (this
 * program speaks no D-Bus: only this failure path pays for it): its exit
 * status and sentence, or 0 when it could not tell. */
static int launcher_state(char *sentence, size_t size) {
        char *argv[] = { (char *) "sesame-dbus", (char *) "launcher-state", NULL };
        char text[1100];
        if (helper_output("sesame-dbus", argv, text, sizeof(text)) < 0)
                return 0;
        char *tab = strchr(text, '\t'), *end;
        long status = strtol(text, &end, 10);
        if (!tab || end != tab || status <= 0 || status > 125)
                return 0;
        tab[strcspn(tab, "\n")] = 0;
        snprintf(sentence, size, "%s", tab + 1);
        return (int) status;
}

#define CALL_TIMEOUT_MS 60000

/* Exit statuses of error replies, one per error (sesame(1), EXIT STATUS). */
static const struct {
        const char *error;
        int status;
} error_status[] = {
        { "NotRunning", EXIT_NO_MATCH },  { "Ambiguous", EXIT_AMBIGUOUS },
        { "EntryNotFound", 10 },          { "ProfileNotFound", 11 },    { "LaunchProfileNotFound", 12 },
        { "SecretVariableDenied", 13 },   { "Forbidden", 14 },          { "VaultsLocked", EXIT_VAULTS_LOCKED },
        { "SecretNotFound", 16 },         { "SecretServiceUnavailable", 17 }, { "RateLimited", 18 },
        { "SpawnFailed", 19 },            { "InvalidRequest", 20 },     { "Unauthorized", 21 },
        { "SecretInvalid", 22 },          { "Busy", EXIT_BUSY },        { "ProfileInvalid", 25 },
        { "ExitedAtOnce", 31 },           { "NoHandler", EXIT_NO_HANDLER },
};

int exit_status_for_error(const char *error) {
        for (size_t i = 0; error && i < ELEMENTSOF(error_status); i++)
                if (strcmp(error, error_status[i].error) == 0)
                        return error_status[i].status;
        return 1;
}

/* This client's key and the launcher's public key: 0, DAEMON_ABSENT (with
 * `absent_ok`, nothing said), or an exit status after saying why. */
static int load_keys(const char *who, bool absent_ok, NoiseKeypair *key, uint8_t server[static NOISE_DHLEN]) {
        Error e = {};
        _cleanup_free_ char *dir = NULL, *pub_path = NULL;
        if (ipc_config_dir(&dir, &e) < 0 || ipc_public_key_path(&pub_path, &e) < 0) {
                /* No runtime directory: no socket to find. */
                if (absent_ok)
                        return DAEMON_ABSENT;
                return fail(who, 1, "%s", error_message(&e));
        }
        if (key_load(dir, "cli", key, &e) < 0) {
                if (e.code == -ENOENT && absent_ok)
                        return DAEMON_ABSENT;
                if (e.code == -ENOENT)
                        return fail(who, EXIT_NO_KEY, "this client has no key yet; run: sesame keys init");
                return fail(who, EXIT_NO_KEY, "%s", error_message(&e));
        }
        /* The daemon publishes its key when it starts; before its first
         * start (socket activation) the same key is in our key store. */
        int r = key_read_public(pub_path, server, &e);
        if (r == -ENOENT) {
                _cleanup_free_ char *stored = NULL;
                e = (Error){};
                r = asprintf(&stored, "%s/launcher.pub", dir) < 0 ? -ENOMEM : key_read_public(stored, server, &e);
        }
        if (r >= 0)
                return 0;
        noise_keypair_wipe(key);
        if (r == -ENOENT && absent_ok)
                return DAEMON_ABSENT;
        if (r == -ENOENT)
                return fail(who, EXIT_NO_KEY, "no key of the launcher is known; run: sesame keys init");
        return fail(who, EXIT_NO_KEY, "%s", error_message(&e));
}

/* Connects with this CLI's key to the launcher's published key. */
static int connect_daemon(IpcClient **ret, const char *who, bool absent_ok) {
        Error e = {};
        _cleanup_free_ char *sock = NULL;
        if (ipc_socket_path(&sock, &e) < 0) {
                if (absent_ok)
                        return DAEMON_ABSENT;
                return fail(who, 1, "%s", error_message(&e));
        }
        NoiseKeypair key;
        uint8_t server[NOISE_DHLEN];
        int r = load_keys(who, absent_ok, &key, server);
        if (r != 0)
                return r;
        /* A launcher under a burst may ask us to come back (Busy), and a
         * connection may be reset while it is starting: a few more tries,
         * spread out, before giving up. */
        static const unsigned backoff_ms[] = { 20, 50, 120, 250 };
        for (size_t attempt = 0;; attempt++) {
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
        char why[1024];
        int status;
        switch (r) {
        case 0:
                return 0;
        case -ENOENT:
        case -ECONNREFUSED:
                if ((status = launcher_state(why, sizeof(why))) > 0)
                        return fail(who, status, "%s", why);
                return fail(who, EXIT_NOT_STARTED, "the launcher is not running (%s); start it with: systemctl "
                            "--user enable --now sesame-launcher.socket", error_message(&e));
        case -ECONNRESET:
                /* It ended in every handshake we tried: one that fails as it
                 * starts is named by the manager, else it went meanwhile. */
                if (launcher_state(why, sizeof(why)) == EXIT_SERVICE_FAILED)
                        return fail(who, EXIT_SERVICE_FAILED, "%s", why);
                return fail(who, EXIT_NOT_STARTED, "the launcher is not running: %s", error_message(&e));
        case -EHOSTDOWN:
                return fail(who, EXIT_SERVICE_FAILED, "%s (see: journalctl --user -u sesame-launcher.service)",
                            error_message(&e));
        case -EPROTO:
                return fail(who, EXIT_KEY_MISMATCH, "%s", error_message(&e));
        case -EACCES:
                return fail(who, exit_status_for_error("Unauthorized"), "the launcher refused this client: %s",
                            error_message(&e));
        case -EBUSY:
                return fail(who, EXIT_BUSY, "the launcher is busy: %s", error_message(&e));
        default:
                return fail(who, 1, "%s", error_message(&e));
        }
}

/* The connection of this process's last call, kept for its next one: a
 * command that asks before it launches (sesame open, --raise) pays for one
 * handshake. Kept only a moment (the launcher drops a connection idle for
 * 60 s) and only while the launcher has not closed it (nothing to read on
 * it: a request is never sent on a connection that is going). */
static IpcClient *kept;
static struct timespec kept_at;
#define KEEP_SEC 10

static IpcClient *kept_take(void) {
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        IpcClient *c = TAKE_PTR(kept);
        struct pollfd p = { .fd = c ? ipc_client_fd(c) : -1, .events = POLLIN };
        if (c && (now.tv_sec - kept_at.tv_sec >= KEEP_SEC || poll(&p, 1, 0) != 0))
                c = ipc_client_free(c);
        return c;
}

static void kept_put(IpcClient *c) {
        ipc_client_free(kept);
        kept = c;
        clock_gettime(CLOCK_MONOTONIC, &kept_at);
}

int call_daemon(const char *who, const char *request, json_t **ret, bool absent_ok) {
        if (!request) {
                fprintf(stderr, "%s: out of memory\n", who);
                return 1;
        }
        _cleanup_(ipc_client_freep) IpcClient *c = kept_take();
        int r = c ? 0 : connect_daemon(&c, who, absent_ok);
        if (r != 0)
                return r;
        _cleanup_free_ char *reply = NULL;
        Error e = {};
        if (ipc_client_call(c, request, &reply, CALL_TIMEOUT_MS, &e) < 0 && e.code == -ECONNRESET) {
                /* The request went out: it may have been carried out. Not
                 * tried again, which could start an app twice. */
                return fail(who, EXIT_NO_ANSWER,
                            "the launcher ended before it answered (it stopped or restarted): what was asked may "
                            "have been done; an app launched may be running (see: sesame ps)");
        }
        if (!reply)
                return fail(who, 1, "%s", error_message(&e));
        kept_put(TAKE_PTR(c));
        json_error_t je;
        *ret = json_loads(reply, 0, &je);
        if (!*ret) {
                fprintf(stderr, "%s: the launcher's reply is not JSON: %s\n", who, je.text);
                return 1;
        }
        return 0;
}

int call_parse_json_only(const char *who, int argc, char *argv[], void (*help)(void), bool *ret_json) {
        static const struct option options[] = {
                { "json", no_argument, NULL, 'j' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        *ret_json = false;
        int c;
        while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0) {
                if (c == 'h') {
                        help();
                        return -1;
                }
                if (c != 'j') {
                        fprintf(stderr, "%s: see '%s --help'\n", who, who);
                        return EXIT_USAGE;
                }
                *ret_json = true;
        }
        if (optind < argc) {
                fprintf(stderr, "%s: takes no argument, not '%s' (see '%s --help')\n", who, argv[optind], who);
                return EXIT_USAGE;
        }
        return 0;
}

void print_json(json_t *reply) {
        json_dumpf(reply, stdout, JSON_COMPACT);
        putchar('\n');
}

const char *reply_error_name(json_t *reply) {
        return json_string_value(json_object_get(reply, "error"));
}

void reply_error_sentence(json_t *reply, char *buf, size_t size) {
        const char *error = reply_error_name(reply);
        json_t *locked = json_object_get(reply, "locked_profiles");
        if (error && strcmp(error, "VaultsLocked") == 0 && json_is_array(locked)) {
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
        snprintf(buf, size, "%s (%s)", message ?: error, error);
}

int call_error(const char *who, json_t *reply) {
        char sentence[1024];
        reply_error_sentence(reply, sentence, sizeof(sentence));
        fprintf(stderr, "%s: %s\n", who, sentence);
        return exit_status_for_error(reply_error_name(reply));
}

int call_checked(const char *who, const char *request, json_t **ret) {
        int r = call_daemon(who, request, ret, false);
        if (r != 0)
                return r;
        if (!reply_error_name(*ret))
                return 0;
        r = call_error(who, *ret);
        json_decref(*ret);
        *ret = NULL;
        return r;
}

char *call_resolve_entry(const char *who, const char *target, int *ret_status) {
        Request req = { .method = REQUEST_LAUNCH, .entry_id = (char *) target, .dry_run = true };
        _cleanup_free_ char *text = request_format(&req);
        json_t *reply = NULL;
        *ret_status = text ? call_checked(who, text, &reply) : 1;
        if (*ret_status != 0)
                return NULL;
        const char *id = json_string_value(json_object_get(reply, "entry_id"));
        char *copy = id ? strdup(id) : NULL;
        json_decref(reply);
        if (!copy)
                *ret_status = 1;
        return copy;
}

int call_parse_target(const char *who, const char *target, AppTarget *ret, char **ret_entry) {
        *ret = (AppTarget){};
        *ret_entry = NULL;
        char *end;
        long pid = strtol(target, &end, 10);
        if (*target && !*end && pid > 0 && pid <= INT32_MAX) {
                ret->pid = (int) pid;
                return 0;
        }
        if (unit_name_is_ours(target)) {
                ret->unit = target;
                return 0;
        }
        int r = 0;
        ret->entry_id = *ret_entry = call_resolve_entry(who, target, &r);
        return r;
}
