/* SPDX-License-Identifier: MIT */
/* sesame logs: the lines of one app (every instance of an entry, one PID
 * or one unit), or the launcher's own, through the journal API. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-journal.h>
#include <time.h>

#include "cli/cli.h"
#include "common/strv.h"
#include "common/utf8.h"
#include "desktop/entries.h"

#define LAUNCHER_IDENTIFIER "sesame-launcherd"

static void logs_help(void) {
        printf("Usage: sesame logs [ENTRY|PID|UNIT] [-f] [-n N] [--since TIME] [--json]\n"
               "\n"
               "The lines an app wrote to stderr, newest last, from the journal: each app\n"
               "the launcher starts has a journal stream of its own under its entry ID.\n"
               "ENTRY: every instance of the entry (an ID, or a name sesame launch takes);\n"
               "PID: that app; UNIT: the app's scope (app-open-sesame-...). Without one,\n"
               "the launcher's own log.\n"
               "\n"
               "  -n, --lines N   the last N lines (default 50; 0: all)\n"
               "      --since T   only lines since T: a time ago (30s, 10min, 2h, 1d) or\n"
               "                  \"YYYY-MM-DD HH:MM[:SS]\" (local time)\n"
               "  -f, --follow    then each new line as it comes, until interrupted\n"
               "      --json      one JSON object per line: time_usec, pid, identifier,\n"
               "                  unit, priority, message\n"
               "\n"
               "Exit status: 0 lines shown (or following); 1 no journal; 2 usage; 3\n"
               "nothing logged.\n");
}

/* "30s", "10min", "2h", "1d" ago, or "YYYY-MM-DD HH:MM[:SS]": microseconds
 * of the realtime clock, or 0 when it is neither. */
static uint64_t parse_since(const char *s) {
        char *end;
        double n = strtod(s, &end);
        static const struct {
                const char *suffix;
                double seconds;
        } units[] = { { "s", 1 }, { "sec", 1 }, { "min", 60 }, { "m", 60 }, { "h", 3600 }, { "d", 86400 } };
        for (size_t i = 0; end != s && n >= 0 && i < ELEMENTSOF(units); i++)
                if (strcmp(end, units[i].suffix) == 0) {
                        struct timespec now;
                        clock_gettime(CLOCK_REALTIME, &now);
                        double ago = n * units[i].seconds * 1e6, t = (double) now.tv_sec * 1e6 + now.tv_nsec / 1e3;
                        return ago < t ? (uint64_t) (t - ago) : 1;
                }
        struct tm tm = {};
        const char *rest = strptime(s, "%Y-%m-%d %H:%M", &tm);
        if (rest && *rest == ':')
                rest = strptime(rest, ":%S", &tm);
        if (!rest || *rest)
                return 0;
        tm.tm_isdst = -1;
        time_t t = mktime(&tm);
        return t > 0 ? (uint64_t) t * 1000000ULL : 0;
}

/* What the argument names, as journal matches. */
static int add_matches(sd_journal *j, const char *what, char *label, size_t size) {
        char match[512];
        if (!what) {
                snprintf(label, size, "the launcher");
                snprintf(match, sizeof(match), "SYSLOG_IDENTIFIER=%s", LAUNCHER_IDENTIFIER);
                return sd_journal_add_match(j, match, 0);
        }
        char *end;
        long pid = strtol(what, &end, 10);
        if (*what && !*end && pid > 0) {
                snprintf(label, size, "pid %ld", pid);
                snprintf(match, sizeof(match), "_PID=%ld", pid);
                return sd_journal_add_match(j, match, 0);
        }
        const char *dot = strrchr(what, '.');
        if (dot && dot > what && (strcmp(dot, ".scope") == 0 || strcmp(dot, ".service") == 0)) {
                snprintf(label, size, "%s", what);
                /* A session's manager is a user unit; the one of a bare
                 * namespace (the tests') journald sees as a system unit. */
                snprintf(match, sizeof(match), "_SYSTEMD_USER_UNIT=%s", what);
                int r = sd_journal_add_match(j, match, 0);
                if (r >= 0)
                        r = sd_journal_add_disjunction(j);
                snprintf(match, sizeof(match), "_SYSTEMD_UNIT=%s", what);
                return r < 0 ? r : sd_journal_add_match(j, match, 0);
        }
        /* An entry, as sesame launch resolves a name (the desktop files read
         * here); its streams carry its ID. */
        _cleanup_(strv_freep) char **dirs = xdg_data_dirs();
        _cleanup_(entry_cache_freep) EntryCache *cache = NULL;
        if (dirs)
                (void) entry_cache_scan(dirs, entries_locale(), &cache);
        const DesktopEntry *d = cache ? entry_cache_lookup(cache, what, NULL) : NULL;
        const char *id = d ? d->id : what;
        snprintf(label, size, "%s", id);
        snprintf(match, sizeof(match), "SYSLOG_IDENTIFIER=%s", id);
        return sd_journal_add_match(j, match, 0);
}

static void print_entry(sd_journal *j, bool json) {
        const void *data;
        size_t len;
        char *fields[4] = {}; /* MESSAGE, _PID, SYSLOG_IDENTIFIER, PRIORITY */
        static const char *const names[] = { "MESSAGE", "_PID", "SYSLOG_IDENTIFIER", "PRIORITY" };
        for (size_t i = 0; i < ELEMENTSOF(names); i++) {
                size_t n = strlen(names[i]) + 1;
                if (sd_journal_get_data(j, names[i], &data, &len) >= 0 && len >= n) {
                        _cleanup_free_ char *raw = strndup((const char *) data + n, len - n);
                        fields[i] = raw ? utf8_sanitize(raw) : NULL;
                }
        }
        char *unit = NULL;
        if (sd_journal_get_data(j, "_SYSTEMD_USER_UNIT", &data, &len) >= 0 && len > 19)
                unit = strndup((const char *) data + 19, len - 19);
        else if (sd_journal_get_data(j, "_SYSTEMD_UNIT", &data, &len) >= 0 && len > 14)
                unit = strndup((const char *) data + 14, len - 14);
        uint64_t usec = 0;
        (void) sd_journal_get_realtime_usec(j, &usec);
        if (json) {
                json_t *o = json_pack("{s:I,s:I,s:s?,s:s?,s:I,s:s}", "time_usec", (json_int_t) usec, "pid",
                                      (json_int_t) (fields[1] ? atol(fields[1]) : 0), "identifier", fields[2], "unit",
                                      unit, "priority", (json_int_t) (fields[3] ? atol(fields[3]) : 6), "message",
                                      fields[0] ? fields[0] : "");
                if (o)
                        print_json(o);
                json_decref(o);
        } else {
                char when[32];
                time_t t = (time_t) (usec / 1000000);
                struct tm tm;
                strftime(when, sizeof(when), "%b %d %H:%M:%S", localtime_r(&t, &tm));
                printf("%s %s[%s]: %s\n", when, fields[2] ? fields[2] : "?", fields[1] ? fields[1] : "?",
                       fields[0] ? fields[0] : "");
        }
        fflush(stdout);
        for (size_t i = 0; i < ELEMENTSOF(fields); i++)
                free(fields[i]);
        free(unit);
}

static volatile sig_atomic_t interrupted;

static void on_interrupt(int sig) {
        interrupted = 1;
}

/* New lines as they come, until SIGINT or SIGTERM. */
static int follow(sd_journal *j, bool json) {
        struct sigaction sa = { .sa_handler = on_interrupt };
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        while (!interrupted) {
                int r = sd_journal_wait(j, 250 * 1000);
                if (r < 0 && r != -EINTR)
                        return 1;
                while (sd_journal_next(j) > 0)
                        print_entry(j, json);
        }
        return 0;
}

int cmd_logs(int argc, char *argv[]) {
        static const struct option options[] = {
                { "lines", required_argument, NULL, 'n' }, { "since", required_argument, NULL, 's' },
                { "follow", no_argument, NULL, 'f' },      { "json", no_argument, NULL, 'j' },
                { "help", no_argument, NULL, 'h' },        {},
        };
        long lines = 50;
        uint64_t since = 0;
        bool follow_on = false, json = false;
        int c;
        while ((c = getopt_long(argc, argv, "n:fh", options, NULL)) >= 0) {
                char *end;
                switch (c) {
                case 'n':
                        lines = strtol(optarg, &end, 10);
                        if (*end || end == optarg || lines < 0) {
                                fprintf(stderr, "sesame logs: -n takes a number of lines (0: all)\n");
                                return EXIT_USAGE;
                        }
                        break;
                case 's':
                        if (!(since = parse_since(optarg))) {
                                fprintf(stderr, "sesame logs: --since takes 30s, 10min, 2h, 1d or "
                                                "\"YYYY-MM-DD HH:MM[:SS]\"\n");
                                return EXIT_USAGE;
                        }
                        break;
                case 'f':
                        follow_on = true;
                        break;
                case 'j':
                        json = true;
                        break;
                case 'h':
                        logs_help();
                        return 0;
                default:
                        fprintf(stderr, "sesame logs: see 'sesame logs --help'\n");
                        return EXIT_USAGE;
                }
        }
        if (argc - optind > 1) {
                fprintf(stderr, "sesame logs: at most one ENTRY, PID or UNIT\n");
                return EXIT_USAGE;
        }
        sd_journal *j = NULL;
        char label[300];
        int r = sd_journal_open(&j, SD_JOURNAL_LOCAL_ONLY);
        if (r < 0) {
                fprintf(stderr, "sesame logs: cannot open the journal: %s\n", strerror(-r));
                return 1;
        }
        if ((r = add_matches(j, optind < argc ? argv[optind] : NULL, label, sizeof(label))) < 0) {
                fprintf(stderr, "sesame logs: %s\n", strerror(-r));
                sd_journal_close(j);
                return 1;
        }
        /* The last N (after --since): from the end back, then forward. */
        size_t shown = 0, back = 0;
        (void) sd_journal_seek_tail(j);
        while ((lines == 0 || back < (size_t) lines) && sd_journal_previous(j) > 0) {
                uint64_t usec = 0;
                if (since && sd_journal_get_realtime_usec(j, &usec) >= 0 && usec < since) {
                        (void) sd_journal_next(j);
                        break;
                }
                back++;
        }
        if (back > 0) {
                print_entry(j, json);
                shown++;
                while (shown < back && sd_journal_next(j) > 0) {
                        print_entry(j, json);
                        shown++;
                }
        }
        if (shown == 0 && !follow_on)
                fprintf(stderr, "sesame logs: nothing logged for %s%s\n", label, since ? " in that time" : "");
        r = follow_on ? follow(j, json) : shown > 0 ? 0 : EXIT_NO_MATCH;
        sd_journal_close(j);
        return r;
}
