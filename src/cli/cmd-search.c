/* SPDX-License-Identifier: MIT */
/* sesame search and sesame history: the launcher's search and what it
 * remembers of launches. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "common/strv.h"
#include "common/utf8.h"
#include "ipc/proto.h"

static void search_help(void) {
        printf("Usage: sesame search [--json] [-n N] [--actions] [QUERY...]\n"
               "\n"
               "Find apps by a few letters, as the launcher ranks them: fuzzy matching\n"
               "(letters in order, not necessarily together; word starts, runs and a\n"
               "match at the start count most) over each entry's name, generic name,\n"
               "keywords, ID and program, case- and accent-insensitive (e matches é); a\n"
               "query of 4 or more letters with one typo still finds its entry, after\n"
               "the true matches. An exact or prefix match of the name comes first.\n"
               "Among matches alike, the apps launched more and more lately come first\n"
               "(each launch counts 0.5^(age/half-life), HistoryHalfLifeDays= in\n"
               "sesame-launcher.conf(5), 30 days by default). Several words must each\n"
               "match. No QUERY lists every app by use, then by name.\n"
               "\n"
               "Output: one result per line, ID<TAB>Name (ID:ACTION<TAB>Name — Action\n"
               "for a desktop action), best first; exit status 3 when nothing matched.\n"
               "\n"
               "Options:\n"
               "  -n, --limit N  at most N results (default 20; 0: all)\n"
               "      --actions  desktop actions are results of their own\n"
               "      --json     the launcher's reply: {\"results\":[{\"id\",\"action\",\"name\",\n"
               "                 \"generic_name\",\"icon\",\"kind\",\"score\",\"match\",\"use\",\n"
               "                 \"positions\"}]}; positions: the characters of name that\n"
               "                 matched, counted from 0\n"
               "  -h, --help     show this help\n");
}


/* One page: the reply, or NULL and *status. */
static json_t *search_page(const char *who, Request *req, int *status) {
        _cleanup_free_ char *text = request_format(req);
        json_t *reply = NULL;
        *status = text ? call_checked(who, text, &reply) : 1;
        if (*status != 0)
                return NULL;
        if (!json_object_get(reply, req->lines ? "lines" : "results")) {
                fprintf(stderr, "%s: the launcher's reply has no results\n", who);
                json_decref(reply);
                *status = 1;
                return NULL;
        }
        return reply;
}

static size_t page_count(json_t *reply, bool lines) {
        if (!lines)
                return json_array_size(json_object_get(reply, "results"));
        size_t n = 0;
        for (const char *l = json_string_value(json_object_get(reply, "lines")); l && *l; l++)
                n += *l == '\n';
        return n;
}

/* `page`'s results after those of `into`. */
static int page_append(json_t *into, json_t *page, bool lines) {
        if (!lines)
                return json_array_extend(json_object_get(into, "results"), json_object_get(page, "results"));
        _cleanup_free_ char *joined = NULL;
        if (asprintf(&joined, "%s%s", json_string_value(json_object_get(into, "lines")),
                     json_string_value(json_object_get(page, "lines"))) < 0)
                return -1;
        return json_object_set_new(into, "lines", json_string(joined));
}

json_t *search_call(const char *who, const char *query, size_t limit, bool actions, bool lines, bool icons,
                    int *status) {
        if (!utf8_is_valid_string(query)) {
                fprintf(stderr, "%s: the query is not UTF-8 text\n", who);
                *status = EXIT_USAGE;
                return NULL;
        }
        Request req = { .method = REQUEST_SEARCH,
                        .query = (char *) query,
                        .actions = actions,
                        .lines = lines,
                        .icons = lines && icons,
                        .desktop = getenv("XDG_CURRENT_DESKTOP") };
        /* Page by page: any number of results, whatever their size. */
        json_t *all = NULL;
        for (size_t offset = 0;;) {
                /* Pages as large as a full-format reply may be. */
                size_t want = limit && limit - offset < REQUEST_SEARCH_FULL_MAX ? limit - offset
                                                                                : REQUEST_SEARCH_FULL_MAX;
                req.offset = offset;
                req.limit = want;
                json_t *reply = search_page(who, &req, status);
                if (!reply) {
                        json_decref(all);
                        return NULL;
                }
                size_t got = page_count(reply, lines);
                if (!all)
                        all = reply;
                else if (page_append(all, reply, lines) < 0) {
                        fprintf(stderr, "%s: out of memory\n", who);
                        json_decref(reply);
                        json_decref(all);
                        *status = 1;
                        return NULL;
                } else
                        json_decref(reply);
                offset += got;
                if (got < want || (limit && offset >= limit))
                        return all;
        }
}

int cmd_search(int argc, char *argv[]) {
        static const struct option options[] = {
                { "limit", required_argument, NULL, 'n' },
                { "actions", no_argument, NULL, 'a' },
                { "json", no_argument, NULL, 'j' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        bool json = false, actions = false;
        size_t limit = REQUEST_SEARCH_LIMIT_DEFAULT;
        int c;
        while ((c = getopt_long(argc, argv, "n:h", options, NULL)) >= 0) {
                switch (c) {
                case 'n': {
                        char *end;
                        unsigned long n = strtoul(optarg, &end, 10);
                        if (end == optarg || *end || n > REQUEST_SEARCH_LIMIT_MAX) {
                                fprintf(stderr, "sesame search: --limit takes a number from 0 (all) to 100000\n");
                                return EXIT_USAGE;
                        }
                        limit = n;
                        break;
                }
                case 'a':
                        actions = true;
                        break;
                case 'j':
                        json = true;
                        break;
                case 'h':
                        search_help();
                        return 0;
                default:
                        fprintf(stderr, "sesame search: see 'sesame search --help'\n");
                        return EXIT_USAGE;
                }
        }
        _cleanup_free_ char *query = strv_join(argv + optind, " ");
        if (!query)
                return 1;
        if (strlen(query) > REQUEST_STRING_MAX) {
                fprintf(stderr, "sesame search: the query is longer than %d bytes\n", REQUEST_STRING_MAX);
                return EXIT_USAGE;
        }
        int status;
        json_t *reply = search_call("sesame search", query, limit, actions, !json, false, &status);
        if (!reply)
                return status;
        if (json) {
                print_json(reply);
                status = json_array_size(json_object_get(reply, "results")) > 0 ? 0 : EXIT_NO_MATCH;
        } else {
                /* ID<TAB>ACTION<TAB>NAME lines; printed as ID[:ACTION]<TAB>NAME */
                const char *lines = json_string_value(json_object_get(reply, "lines")) ?: "";
                for (const char *l = lines; *l;) {
                        const char *tab1 = strchr(l, '\t'), *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
                        const char *end = strchrnul(l, '\n');
                        if (!tab2 || tab2 > end)
                                break;
                        printf("%.*s%s%.*s\t%.*s\n", (int) (tab1 - l), l, tab2 > tab1 + 1 ? ":" : "",
                               (int) (tab2 - tab1 - 1), tab1 + 1, (int) (end - tab2 - 1), tab2 + 1);
                        l = *end ? end + 1 : end;
                }
                status = *lines ? 0 : EXIT_NO_MATCH;
                /* Said on stderr: standard output stays the results, for a script. */
                if (status == EXIT_NO_MATCH)
                        fprintf(stderr, "sesame search: nothing matches '%s' (see: sesame entries)\n", query);
        }
        json_decref(reply);
        return status;
}

static void history_help(void) {
        printf("Usage: sesame history [--json]\n"
               "       sesame history forget ENTRY\n"
               "       sesame history clear\n"
               "\n"
               "What the launcher remembers of launches, which ranks sesame search and\n"
               "sesame menu: every launch that started an entry or one of its actions\n"
               "(not a dry run, not a failed launch, not a command) is a row in\n"
               "$XDG_STATE_HOME/sesame/history.sqlite (~/.local/state/...), kept a year\n"
               "and at most 100 rows per entry; the counts stay. History=no in\n"
               "sesame-launcher.conf(5) turns it off.\n"
               "\n"
               "Without a command: the entries and actions used, most used first, with\n"
               "the number of launches, the last one, and the frecency (the sum of\n"
               "0.5^(age/half-life) over the launches kept).\n"
               "\n"
               "Commands:\n"
               "  forget ENTRY   forget an entry (as sesame launch names it) and its actions\n"
               "  clear          forget everything\n"
               "\n"
               "Options:\n"
               "      --json     {\"enabled\",\"stored\",\"unwritten\",\"history\":[{\"entry_id\",\n"
               "                 \"action\",\"count\",\"last\",\"frecency\"}]}; last in seconds since the\n"
               "                 epoch; stored is false, and unwritten says how many, while\n"
               "                 launches wait to be written (a full disk, a locked file)\n"
               "  -h, --help     show this help\n");
}

static void when(int64_t t, char *buf, size_t size) {
        time_t tt = (time_t) t;
        struct tm tm;
        localtime_r(&tt, &tm);
        strftime(buf, size, "%Y-%m-%d %H:%M", &tm);
}

static int history_call(const char *request, json_t **ret) {
        int r = call_checked("sesame history", request, ret);
        if (r != 0)
                return r;
        if (!json_is_true(json_object_get(*ret, "enabled")))
                fprintf(stderr, "sesame history: the history is off (History=no in launcher.conf)\n");
        return 0;
}

static int history_list(bool json) {
        json_t *reply = NULL;
        int r = history_call("{\"method\":\"History\"}", &reply);
        if (r != 0)
                return r;
        if (json) {
                print_json(reply);
        } else {
                json_t *uses = json_object_get(reply, "history"), *u;
                size_t i;
                if (json_array_size(uses) > 0)
                        printf("%6s  %-16s %9s  %s\n", "COUNT", "LAST", "FRECENCY", "ENTRY");
                json_array_foreach(uses, i, u) {
                        char last[32];
                        const char *action = json_string_value(json_object_get(u, "action"));
                        when(json_integer_value(json_object_get(u, "last")), last, sizeof(last));
                        printf("%6lld  %-16s %9.3f  %s%s%s\n",
                               (long long) json_integer_value(json_object_get(u, "count")), last,
                               json_real_value(json_object_get(u, "frecency")),
                               json_string_value(json_object_get(u, "entry_id")), action ? ":" : "", action ?: "");
                }
                json_int_t unwritten = json_integer_value(json_object_get(reply, "unwritten"));
                if (unwritten > 0)
                        fprintf(stderr,
                                "sesame history: %lld launch(es) not yet written (a full disk or a locked file: the "
                                "launcher's log says); kept, and written when it can be\n",
                                (long long) unwritten);
                else if (json_is_true(json_object_get(reply, "enabled")) &&
                         !json_is_true(json_object_get(reply, "stored")))
                        fprintf(stderr, "sesame history: kept in memory only (the launcher's log says why)\n");
        }
        json_decref(reply);
        return 0;
}

int cmd_history(int argc, char *argv[]) {
        if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
                history_help();
                return 0;
        }
        if (argc == 1 || (argc == 2 && strcmp(argv[1], "--json") == 0))
                return history_list(argc == 2);
        json_t *reply = NULL;
        int r;
        if (strcmp(argv[1], "forget") == 0 && argc == 3) {
                Request req = { .method = REQUEST_HISTORY_FORGET, .entry_id = argv[2] };
                _cleanup_free_ char *text = request_format(&req);
                if ((r = text ? history_call(text, &reply) : 1) != 0)
                        return r;
                json_int_t n = json_integer_value(json_object_get(reply, "forgotten"));
                const char *id = json_string_value(json_object_get(reply, "entry_id"));
                if (n > 0)
                        printf("forgot %lld launch(es) of %s\n", (long long) n, id);
                else
                        printf("nothing remembered of %s\n", id);
        } else if (strcmp(argv[1], "clear") == 0 && argc == 2) {
                if ((r = history_call("{\"method\":\"HistoryClear\"}", &reply)) != 0)
                        return r;
        } else {
                fprintf(stderr, "sesame history: see 'sesame history --help'\n");
                return EXIT_USAGE;
        }
        json_decref(reply);
        return 0;
}
