/* SPDX-License-Identifier: MIT */
/* sesame ps and sesame stop: what the launcher started and still runs. */
#include <getopt.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/windows.h"
#include "ipc/proto.h"

static void ps_help(void) {
        printf("Usage: sesame ps [--json]\n"
               "\n"
               "List the apps the launcher started that still run: those in a sesame\n"
               "scope as the user manager has them (complete after a restart of the\n"
               "launcher too), and those started without a scope. Columns: PID, the\n"
               "entry (and action), trust profile and tags, when it started, memory and\n"
               "CPU time used (from the manager; '-' where it cannot say), its windows\n"
               "(those whose process is in its unit, from the compositor: '-' where the\n"
               "session offers no window backend; see sesame windows), the unit.\n"
               "\n"
               "Options:\n"
               "      --json   {\"apps\":[{\"unit\",\"pid\",\"entry_id\",\"action\",\"profile\",\n"
               "               \"tags\",\"started_usec\",\"memory_bytes\",\"cpu_nsec\",\"wm_class\",\n"
               "               \"windows\" (their titles; absent without a backend)}]}\n"
               "  -h, --help   show this help\n");
}

static void human_bytes(json_t *v, char *buf, size_t size) {
        if (!json_is_integer(v)) {
                snprintf(buf, size, "-");
                return;
        }
        double b = (double) json_integer_value(v);
        const char *units = "BKMGT";
        while (b >= 1024 && units[1]) {
                b /= 1024;
                units++;
        }
        snprintf(buf, size, b < 10 && *units != 'B' ? "%.1f%c" : "%.0f%c", b, *units);
}

static void started(json_t *v, char *buf, size_t size) {
        if (!json_is_integer(v)) {
                snprintf(buf, size, "-");
                return;
        }
        time_t t = (time_t) (json_integer_value(v) / 1000000);
        struct tm tm;
        localtime_r(&t, &tm);
        strftime(buf, size, time(NULL) - t < 86400 ? "%H:%M:%S" : "%b %d", &tm);
}

/* One app's row, as text per column. */
typedef struct Row {
        char pid[16], what[160], who[256], when[32], mem[16], cpu[16], windows[16];
        const char *unit;
} Row;

enum { COL_PID, COL_WHAT, COL_WHO, COL_WHEN, COL_MEM, COL_CPU, COL_WINDOWS, COL_UNIT, _COL_MAX };

static const char *cell(const Row *r, int col) {
        const char *cells[_COL_MAX] = { r->pid, r->what, r->who, r->when, r->mem, r->cpu, r->windows, r->unit };
        return cells[col];
}

static void row_fill(Row *r, json_t *a) {
        const char *entry = json_string_value(json_object_get(a, "entry_id")) ?: "?";
        const char *action = json_string_value(json_object_get(a, "action"));
        snprintf(r->pid, sizeof(r->pid), "%lld", (long long) json_integer_value(json_object_get(a, "pid")));
        snprintf(r->what, sizeof(r->what), "%s%s%s", entry, action ? ":" : "", action ?: "");
        int n = snprintf(r->who, sizeof(r->who), "%s", json_string_value(json_object_get(a, "profile")) ?: "-");
        size_t k;
        json_t *t;
        json_array_foreach(json_object_get(a, "tags"), k, t) if (n > 0 && (size_t) n < sizeof(r->who))
                n += snprintf(r->who + n, sizeof(r->who) - (size_t) n, "%s%s", k ? "," : "/", json_string_value(t));
        started(json_object_get(a, "started_usec"), r->when, sizeof(r->when));
        human_bytes(json_object_get(a, "memory_bytes"), r->mem, sizeof(r->mem));
        json_t *c = json_object_get(a, "cpu_nsec");
        if (json_is_integer(c))
                snprintf(r->cpu, sizeof(r->cpu), "%.1fs", (double) json_integer_value(c) / 1e9);
        else
                snprintf(r->cpu, sizeof(r->cpu), "-");
        json_t *windows = json_object_get(a, "windows");
        if (windows)
                snprintf(r->windows, sizeof(r->windows), "%zu", json_array_size(windows));
        else
                snprintf(r->windows, sizeof(r->windows), "-");
        r->unit = json_string_value(json_object_get(a, "unit")) ?: "(no scope)";
}

/* Each app's windows' titles ("windows"), where the session offers a
 * window backend. */
static void add_windows(json_t *apps) {
        WindowList l;
        if (windows_list(&l, NULL) < 0)
                return;
        size_t i;
        json_t *a;
        json_array_foreach(apps, i, a) {
                const char *unit = json_string_value(json_object_get(a, "unit"));
                json_t *titles = json_array();
                for (size_t k = 0; titles && unit && k < l.n; k++)
                        if (l.windows[k].unit && strcmp(l.windows[k].unit, unit) == 0)
                                json_array_append_new(titles, json_string(l.windows[k].title));
                json_object_set_new(a, "windows", titles);
        }
        window_list_done(&l);
}

/* Each column as wide as its widest cell, nothing cut. In a terminal too
 * narrow, whole columns go, least needed first (the unit, CPU, memory,
 * start time): the app, its profile and tags always show in full. */
static int print_apps(json_t *apps) {
        static const char *const headers[_COL_MAX] = { "PID",    "ENTRY", "PROFILE/TAGS", "STARTED",
                                                       "MEM",    "CPU",   "WINDOWS",      "UNIT" };
        static const int drop_order[] = { COL_UNIT, COL_CPU, COL_MEM, COL_WINDOWS, COL_WHEN };
        struct winsize ws = {};
        int width = isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col ? ws.ws_col : 0;
        size_t n = json_array_size(apps);
        _cleanup_free_ Row *rows = calloc(n ? n : 1, sizeof(Row));
        if (!rows)
                return 1;
        int w[_COL_MAX];
        bool shown[_COL_MAX];
        for (int c = 0; c < _COL_MAX; c++) {
                w[c] = (int) strlen(headers[c]);
                shown[c] = true;
        }
        for (size_t i = 0; i < n; i++) {
                row_fill(&rows[i], json_array_get(apps, i));
                for (int c = 0; c < _COL_MAX; c++)
                        if ((int) strlen(cell(&rows[i], c)) > w[c])
                                w[c] = (int) strlen(cell(&rows[i], c));
        }
        for (size_t d = 0; width && d < ELEMENTSOF(drop_order); d++) {
                int total = 0;
                for (int c = 0; c < _COL_MAX; c++)
                        total += shown[c] ? w[c] + 2 : 0;
                if (total - 2 <= width)
                        break;
                shown[drop_order[d]] = false;
        }
        int last = COL_PID;
        for (int c = 0; c < _COL_MAX; c++)
                last = shown[c] ? c : last;
        for (size_t i = 0; i <= n; i++) {
                for (int c = 0; c <= last; c++) {
                        if (!shown[c])
                                continue;
                        const char *text = i == 0 ? headers[c] : cell(&rows[i - 1], c);
                        /* Numbers right, words left; the last column unpadded. */
                        bool number = c == COL_PID || c == COL_MEM || c == COL_CPU || c == COL_WINDOWS;
                        printf("%s%*s", c == COL_PID ? "" : "  ", number ? w[c] : c == last ? 0 : -w[c], text);
                }
                putchar('\n');
        }
        return 0;
}

int cmd_ps(int argc, char *argv[]) {
        bool json;
        int r = call_parse_json_only("sesame ps", argc, argv, ps_help, &json);
        if (r != 0)
                return r < 0 ? 0 : r;
        json_t *reply = NULL;
        r = call_checked("sesame ps", "{\"method\":\"List\"}", &reply);
        if (r != 0)
                return r;
        add_windows(json_object_get(reply, "apps"));
        if (json) {
                print_json(reply);
        } else
                print_apps(json_object_get(reply, "apps"));
        json_decref(reply);
        return 0;
}

static void stop_help(void) {
        printf("Usage: sesame stop [--signal SIG] [--all] ENTRY|UNIT|PID\n"
               "\n"
               "Stop apps the launcher started, through the user manager (StopUnit: the\n"
               "app's whole scope), or send them a signal (--signal: KillUnit, every\n"
               "process of the scope). ENTRY is an entry as sesame launch takes it\n"
               "(firefox), UNIT a scope of sesame's, PID any process in one. Only units of\n"
               "sesame are touched. When several apps match, none is stopped unless\n"
               "--all is given; they are listed. Needs the secrets clearance: a client of\n"
               "the launch clearance may list what runs (sesame ps), not stop it.\n"
               "\n"
               "Options:\n"
               "      --signal SIG  a signal name (TERM, HUP, KILL...) or number\n"
               "      --all         every app that matches\n"
               "  -h, --help        show this help\n"
               "\n"
               "Exit status: 0 stopped; 1 the manager refused, or no launcher; 2 usage;\n"
               "3 nothing of sesame's matches; 4 several match (without --all);\n"
               "14 Forbidden (this client's clearance is launch).\n");
}

static int parse_signal(const char *s) {
        char *end;
        long n = strtol(s, &end, 10);
        if (*s && !*end)
                return n > 0 && n < 65 ? (int) n : -1;
        if (strncasecmp(s, "SIG", 3) == 0)
                s += 3;
        static const struct {
                const char *name;
                int number;
        } names[] = { { "HUP", SIGHUP }, { "INT", SIGINT },   { "QUIT", SIGQUIT }, { "KILL", SIGKILL },
                      { "USR1", SIGUSR1 }, { "USR2", SIGUSR2 }, { "TERM", SIGTERM }, { "CONT", SIGCONT },
                      { "STOP", SIGSTOP } };
        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                if (strcasecmp(s, names[i].name) == 0)
                        return names[i].number;
        return -1;
}

int cmd_stop(int argc, char *argv[]) {
        static const struct option options[] = {
                { "signal", required_argument, NULL, 's' },
                { "all", no_argument, NULL, 'a' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        Request req = { .method = REQUEST_STOP };
        int c;
        while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0) {
                switch (c) {
                case 's':
                        if ((req.signal = parse_signal(optarg)) < 0) {
                                fprintf(stderr, "sesame stop: '%s' is not a signal\n", optarg);
                                return EXIT_USAGE;
                        }
                        break;
                case 'a':
                        req.all = true;
                        break;
                case 'h':
                        stop_help();
                        return 0;
                default:
                        fprintf(stderr, "sesame stop: see 'sesame stop --help'\n");
                        return EXIT_USAGE;
                }
        }
        if (optind + 1 != argc) {
                fprintf(stderr, "sesame stop: name one ENTRY, UNIT or PID (see 'sesame stop --help')\n");
                return EXIT_USAGE;
        }
        req.target = argv[optind];
        _cleanup_free_ char *text = request_format(&req);
        json_t *reply = NULL;
        int r = call_daemon("sesame stop", text, &reply, false);
        if (r != 0)
                return r;
        size_t i;
        json_t *a;
        if (!reply_error_name(reply))
                json_array_foreach(json_object_get(reply, "stopped"), i, a)
                        printf("%s %s (pid %lld)\n", req.signal ? "signalled" : "stopped",
                               json_string_value(json_object_get(a, "unit")) ?: "-",
                               (long long) json_integer_value(json_object_get(a, "pid")));
        else {
                r = call_error("sesame stop", reply);
                /* Ambiguous: which ones. */
                json_array_foreach(json_object_get(reply, "matches"), i, a)
                        fprintf(stderr, "  %s (pid %lld)\n", json_string_value(json_object_get(a, "unit")) ?: "-",
                                (long long) json_integer_value(json_object_get(a, "pid")));
        }
        json_decref(reply);
        return r;
}
