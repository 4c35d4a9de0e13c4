/* SPDX-License-Identifier: MIT */
/* bench-search DATADIR [ROUNDS] [HISTORY_ROWS]
 * bench-search --fill HISTORY_FILE DATADIR HISTORY_ROWS
 *
 * The daemon's Search, as it answers one (finder_search: use from the
 * history, the ranking, the reply's JSON), over the entries of
 * DATADIR/applications with a history of HISTORY_ROWS (10,000) launches
 * spread over them, stored in SQLite first and loaded as the daemon loads
 * it. Queries of 1 to 10 characters: the prefixes of "application" (every
 * generated entry's name), "toolnumber" (a subsequence of every generic
 * name, across a space) and "calculator" (a few entries). Prints the median
 * and 90th percentile per length, over ROUNDS (200) of each, and the first
 * search (which builds the index). With --fill, only writes such a history
 * to HISTORY_FILE, for a daemon to load. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config/launcher-conf.h"
#include "desktop/entries.h"
#include "history/history.h"
#include "launcher/finder.h"
#include "stats.h"

/* ROWS launches of random entries over the last 90 days, written. */
static int fill(const char *path, const EntryCache *entries, int rows) {
        History *h = NULL;
        if (history_open(&h, path, HISTORY_HALF_LIFE_DEFAULT_SEC) < 0 || !history_stored(h))
                return -1;
        int64_t now = time(NULL);
        size_t n = entry_cache_size(entries);
        srand(1);
        for (int i = 0; i < rows; i++)
                if (history_record(h,
                                   &(LaunchIdentity){ .entry_id = entry_cache_at(entries, (size_t) rand() % n)->id,
                                                      .profile = "default" },
                                   now - rand() % (90 * 86400)) < 0)
                        return -1;
        history_free(h); /* written */
        return 0;
}

static EntryCache *scan(char *dir) {
        char *dirs[] = { dir, NULL };
        EntryCache *entries = NULL;
        if (entry_cache_scan(dirs, NULL, &entries) < 0 || entry_cache_size(entries) == 0)
                return NULL;
        return entries;
}

int main(int argc, char *argv[]) {
        if (argc == 5 && strcmp(argv[1], "--fill") == 0) {
                EntryCache *entries = scan(argv[3]);
                int r = entries ? fill(argv[2], entries, atoi(argv[4])) : -1;
                entry_cache_free(entries);
                return r < 0 ? 1 : 0;
        }
        if (argc < 2) {
                fprintf(stderr, "usage: bench-search DATADIR [ROUNDS] [HISTORY_ROWS]\n"
                                "       bench-search --fill HISTORY_FILE DATADIR HISTORY_ROWS\n");
                return 2;
        }
        int rounds = argc > 2 ? atoi(argv[2]) : 200, rows = argc > 3 ? atoi(argv[3]) : 10000;
        EntryCache *entries = scan(argv[1]);
        if (!entries)
                return 1;
        size_t n = entry_cache_size(entries);

        char state[] = "/tmp/bench-search.XXXXXX", path[128];
        if (!mkdtemp(state))
                return 1;
        setenv("XDG_STATE_HOME", state, 1);
        snprintf(path, sizeof(path), "%s/sesame/history.sqlite", state);
        if (fill(path, entries, rows) < 0)
                return 1;

        sd_event *event = NULL;
        Config *config = NULL;
        Finder *f = NULL;
        if (sd_event_new(&event) < 0 || config_new_default(&config) < 0 || finder_new(&f, event) < 0)
                return 1;
        finder_configure(f, config);
        search_index_free(finder_set_entries(f, entries, NULL));

        uint64_t t0 = now_ns();
        free(finder_search(f, "a", 0, 20, false, NULL, false, false));
        printf("entries %zu, history rows %d; first search (builds the index): %.3f ms\n", n, rows,
               (double) (now_ns() - t0) / 1e6);
        static const char *words[] = { "application", "toolnumber", "calculator" };
        uint64_t *all = malloc(sizeof(uint64_t) * (size_t) rounds * 3 * 10), *v = malloc(sizeof(uint64_t) * (size_t) rounds * 3);
        size_t n_all = 0;
        for (size_t len = 1; len <= 10; len++) {
                size_t k = 0;
                for (int r = 0; r < rounds; r++)
                        for (size_t w = 0; w < 3; w++) {
                                char q[16];
                                snprintf(q, sizeof(q), "%.*s", (int) len, words[w]);
                                uint64_t s = now_ns();
                                char *reply = finder_search(f, q, 0, 20, false, NULL, false, false);
                                v[k++] = all[n_all++] = now_ns() - s;
                                if (!reply)
                                        return 1;
                                free(reply);
                        }
                double median = percentile_ms(v, k, 50), p90 = percentile_ms(v, k, 90);
                printf("  %2zu characters: median %.3f ms, p90 %.3f ms\n", len, median, p90);
        }
        printf("all lengths: median %.3f ms, p90 %.3f ms, max %.3f ms\n", percentile_ms(all, n_all, 50),
               percentile_ms(all, n_all, 90), percentile_ms(all, n_all, 100));
        finder_free(f);
        config_free(config);
        sd_event_unref(event);
        entry_cache_free(entries);
        char cmd[160];
        snprintf(cmd, sizeof(cmd), "rm -rf %s", state);
        return system(cmd) == 0 ? 0 : 1;
}
