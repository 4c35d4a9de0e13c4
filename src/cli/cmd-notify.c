/* SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>

#include "cli/cli.h"
#include "common/strv.h"
#include "desktop/entries.h"

/* How long a notification server gets to answer: a failure report must
 * not hang the key binding that started it. */
#define NOTIFY_TIMEOUT_USEC (2 * 1000000ULL)
/* How long a refusal stays on screen: long enough to read, not a column of
 * popups to close by hand after a script's calls. */
#define NOTIFY_EXPIRE_MS 10000

/* Where the ID of the last notification about an app is kept, so that the
 * next one about it replaces it (replaces_id) rather than stacking:
 * $XDG_RUNTIME_DIR/sesame/notified-KEY, KEY the app's name made safe. */
static char *notified_path(const char *what) {
        const char *runtime = getenv("XDG_RUNTIME_DIR");
        char key[101];
        size_t n = 0;
        for (const char *p = what; *p && n < sizeof(key) - 1; p++)
                key[n++] = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                                           *p == '.' || *p == '-'
                                   ? *p
                                   : '_';
        key[n] = 0;
        char *path = NULL;
        if (!runtime || runtime[0] != '/' || asprintf(&path, "%s/sesame/notified-%s", runtime, key) < 0)
                return NULL;
        return path;
}

static uint32_t notified_read(const char *path) {
        FILE *f = path ? fopen(path, "re") : NULL;
        unsigned long id = 0;
        if (f && fscanf(f, "%lu", &id) != 1)
                id = 0;
        if (f)
                fclose(f);
        return id <= UINT32_MAX ? (uint32_t) id : 0;
}

/* Kept best-effort: without it, the next notification stacks, no more. */
static void notified_write(const char *path, uint32_t id) {
        FILE *f = path ? fopen(path, "we") : NULL;
        if (f) {
                fprintf(f, "%u\n", id);
                fclose(f);
        }
}

/* The body may be markup (the Desktop Notifications Specification's
 * "body-markup"): the sentence is shown as it is. */
static char *escape_markup(const char *s) {
        size_t n = 1;
        for (const char *p = s; *p; p++)
                n += *p == '&' ? 5 : (*p == '<' || *p == '>') ? 4 : 1;
        char *out = malloc(n), *q = out;
        for (const char *p = s; out && *p; p++)
                q = stpcpy(q, *p == '&' ? "&amp;" : *p == '<' ? "&lt;" : *p == '>' ? "&gt;" : (char[]){ *p, 0 });
        if (out)
                *q = 0;
        return out;
}

/* The entry a failed launch was for, looked up here (the launcher's index
 * is not asked: this runs only when something already went wrong): by what
 * was asked for, else the one whose Exec a picker's command is; or NULL. */
static const DesktopEntry *find_entry(const EntryCache *c, const char *requested, char *const *command) {
        if (!requested || !*requested)
                return command && command[0] ? entry_cache_match_exec(c, command, NULL) : NULL;
        return entry_cache_lookup(c, requested, NULL);
}

static int notify(const char *summary, const char *body, const char *icon, const char *key, bool critical, bool quiet) {
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_free_ char *text = escape_markup(body);
        int r = text ? sd_bus_open_user(&bus) : -ENOMEM;
        if (r >= 0)
                r = sd_bus_message_new_method_call(bus, &m, "org.freedesktop.Notifications",
                                                   "/org/freedesktop/Notifications", "org.freedesktop.Notifications",
                                                   "Notify");
        /* Critical, never expiring, only where the user must act (a locked
         * vault); else normal, for a while. One per app: it replaces the
         * last one about the same app. */
        _cleanup_free_ char *notified = notified_path(key);
        uint32_t id = 0;
        if (r >= 0)
                r = sd_bus_message_append(m, "susssasa{sv}i", "sesame", notified_read(notified), icon, summary, text,
                                          0, 2, "urgency", "y", critical ? 2 : 1, "desktop-entry", "s", "sesame",
                                          critical ? 0 : NOTIFY_EXPIRE_MS);
        if (r >= 0)
                r = sd_bus_call(bus, m, NOTIFY_TIMEOUT_USEC, &error, &reply);
        if (r >= 0 && sd_bus_message_read(reply, "u", &id) >= 0)
                notified_write(notified, id);
        if (r < 0 && !quiet)
                fprintf(stderr, "sesame: cannot show a notification: %s\n",
                        error.message ? error.message : strerror(-r));
        return r;
}

/* sesame launch's failure path: `sesame notify --exit-status N [--quiet]
 * [--entry ID] -- SENTENCE [COMMAND...]`. Exits with N whether or not a notification could be shown
 * (not being able to notify is not an error). */
int cmd_notify(int argc, char *argv[]) {
        static const struct option options[] = {
                { "exit-status", required_argument, NULL, 'x' },
                { "entry", required_argument, NULL, 'e' },
                { "quiet", no_argument, NULL, 'q' },
                {},
        };
        int status = 1, c;
        const char *requested = NULL;
        bool quiet = false;
        while ((c = getopt_long(argc, argv, "", options, NULL)) >= 0) {
                if (c == 'x')
                        status = atoi(optarg);
                else if (c == 'e')
                        requested = optarg;
                else if (c == 'q')
                        quiet = true;
                else
                        return EXIT_USAGE;
        }
        if (optind >= argc) {
                fprintf(stderr, "sesame notify: what failed is missing\n");
                return EXIT_USAGE;
        }
        const char *sentence = argv[optind];
        char **command = argv + optind + 1;

        _cleanup_(strv_freep) char **dirs = xdg_data_dirs();
        _cleanup_(entry_cache_freep) EntryCache *cache = NULL;
        if (dirs)
                (void) entry_cache_scan(dirs, entries_locale(), &cache);
        const DesktopEntry *d = find_entry(cache, requested, command);
        const char *program = command[0] ? strrchr(command[0], '/') : NULL;
        const char *what = d ? d->name
                             : requested ? requested
                             : program   ? program + 1
                             : command[0] ?: "the app";
        _cleanup_free_ char *summary = NULL;
        if (asprintf(&summary, "Could not launch %s", what) < 0)
                return status;
        (void) notify(summary, sentence, d && d->icon ? d->icon : "dialog-error", d ? d->id : what,
                      status == EXIT_VAULTS_LOCKED, quiet);
        return status;
}
