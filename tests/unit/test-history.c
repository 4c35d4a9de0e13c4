/* SPDX-License-Identifier: MIT */
/* The history against real SQLite files in a temporary directory: what is
 * stored and read back, frecency, pruning (and the file's size after
 * 100,000 launches), a corrupt file, a path that cannot be opened. */
#include <glob.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "history/history.h"

#define DAY 86400

static char dir[] = "/tmp/test-history.XXXXXX";
static char path[256];

static int setup(void **state) {
        strcpy(dir, "/tmp/test-history.XXXXXX");
        assert_non_null(mkdtemp(dir));
        snprintf(path, sizeof(path), "%s/state/sesame/history.sqlite", dir);
        return 0;
}

static int teardown(void **state) {
        char cmd[300];
        snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
        return system(cmd);
}

static long long query(const char *sql) {
        sqlite3 *db = NULL;
        sqlite3_stmt *s = NULL;
        assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(s), SQLITE_ROW);
        long long v = sqlite3_column_int64(s, 0);
        sqlite3_finalize(s);
        sqlite3_close(db);
        return v;
}

/* A copy: the listing it comes from lasts until the next one. */
static HistoryUse use_of(History *h, const char *entry, const char *action) {
        HistoryUse *u = NULL;
        size_t n = 0;
        assert_int_equal(history_uses(h, time(NULL), &u, &n), 0);
        for (size_t i = 0; i < n; i++)
                if (strcmp(u[i].entry_id, entry) == 0 && strcmp(u[i].action ?: "", action ?: "") == 0)
                        return u[i];
        return (HistoryUse){};
}

static void test_stored_and_read_back(void **state) {
        History *h = NULL;
        int64_t now = time(NULL);
        assert_int_equal(history_open(&h, path, 30 * DAY), 0);
        assert_true(history_stored(h));
        struct stat st;
        assert_int_equal(stat(path, &st), 0);
        assert_int_equal(st.st_mode & 0777, 0600);
        char parent[300];
        snprintf(parent, sizeof(parent), "%s/state/sesame", dir);
        assert_int_equal(stat(parent, &st), 0);
        assert_int_equal(st.st_mode & 0777, 0700);

        char *tags[] = { "dev", "work:corp", NULL };
        for (int i = 0; i < 3; i++)
                assert_int_equal(history_record(h, &(LaunchIdentity){ .entry_id = "org.example.A", .profile = "default", .tags = tags }, now), 0);
        assert_int_equal(history_record(h, &(LaunchIdentity){ .entry_id = "org.example.A", .action = "new-window", .profile = "default" }, now - 30 * DAY), 0);
        /* counted before it is written */
        assert_int_equal(use_of(h, "org.example.A", NULL).count, 3);
        assert_true(history_pending(h));
        assert_int_equal(query("SELECT count(*) FROM launches"), 0);
        history_flush(h);
        assert_false(history_pending(h));
        assert_int_equal(query("SELECT count(*) FROM launches"), 4);
        assert_int_equal(query("SELECT count(*) FROM launches WHERE tags = 'dev work:corp' AND profile = 'default'"), 3);
        assert_int_equal(query("SELECT count FROM uses WHERE entry = 'org.example.A' AND action = ''"), 3);
        history_free(h);

        assert_int_equal(history_open(&h, path, 30 * DAY), 0);
        HistoryUse a = use_of(h, "org.example.A", NULL), w = use_of(h, "org.example.A", "new-window");
        assert_non_null(a.entry_id);
        assert_non_null(w.entry_id);
        assert_int_equal(a.count, 3);
        assert_true(a.last >= now && a.last <= now + 5);
        /* three launches now: 3; one thirty days ago, with a half-life of
         * thirty days: 0.5 */
        assert_true(fabs(a.frecency - 3) < 0.01);
        assert_true(fabs(w.frecency - 0.5) < 0.01);
        history_set_half_life(h, 15 * DAY);
        assert_true(fabs(use_of(h, "org.example.A", "new-window").frecency - 0.25) < 0.01);
        /* most used first */
        HistoryUse *u = NULL;
        size_t n = 0;
        assert_int_equal(history_uses(h, now, &u, &n), 0);
        assert_int_equal(n, 2);
        assert_null(u[0].action);

        uint64_t forgotten = 0;
        assert_int_equal(history_forget(h, "org.example.A", &forgotten), 0);
        assert_int_equal(forgotten, 4);
        assert_null(use_of(h, "org.example.A", NULL).entry_id);
        assert_int_equal(query("SELECT count(*) FROM launches"), 0);
        assert_int_equal(history_record(h, &(LaunchIdentity){ .entry_id = "org.example.B" }, now), 0);
        assert_int_equal(history_clear(h), 0);
        assert_int_equal(query("SELECT count(*) FROM launches") + query("SELECT count(*) FROM uses"), 0);
        history_free(h);
}

static void test_pruned(void **state) {
        History *h = NULL;
        int64_t now = time(NULL);
        assert_int_equal(history_open(&h, path, 30 * DAY), 0);
        assert_int_equal(history_record(h, &(LaunchIdentity){ .entry_id = "org.example.Old" }, now - 400 * DAY), 0);
        for (int i = 0; i < 150; i++)
                assert_int_equal(history_record(h, &(LaunchIdentity){ .entry_id = "org.example.Many" }, now - i), 0);
        history_flush(h);
        assert_int_equal(query("SELECT count(*) FROM launches"), 151);
        history_free(h);
        /* at open: the year-old row, and all but the newest 100 of an entry */
        assert_int_equal(history_open(&h, path, 30 * DAY), 0);
        assert_int_equal(query("SELECT count(*) FROM launches WHERE entry = 'org.example.Old'"), 0);
        assert_int_equal(query("SELECT count(*) FROM launches WHERE entry = 'org.example.Many'"), HISTORY_ROWS_PER_ENTRY);
        assert_int_equal(query("SELECT min(time) FROM launches"), now - HISTORY_ROWS_PER_ENTRY + 1);
        /* the counts stay */
        assert_int_equal(use_of(h, "org.example.Many", NULL).count, 150);
        assert_int_equal(use_of(h, "org.example.Old", NULL).count, 1);
        history_free(h);
}

static void test_small_after_100000(void **state) {
        History *h = NULL;
        int64_t now = time(NULL);
        char entry[64];
        assert_int_equal(history_open(&h, path, 30 * DAY), 0);
        for (int i = 0; i < 100000; i++) {
                snprintf(entry, sizeof(entry), "org.example.App%d", i % 50);
                assert_int_equal(history_record(h, &(LaunchIdentity){ .entry_id = entry, .profile = "default" }, now - 100000 + i), 0);
                if (i % 1000 == 999)
                        history_flush(h);
        }
        history_free(h);
        assert_true(query("SELECT count(*) FROM launches") <= 50 * HISTORY_ROWS_PER_ENTRY);
        assert_int_equal(query("SELECT sum(count) FROM uses"), 100000);
        struct stat st;
        assert_int_equal(stat(path, &st), 0);
        print_message("# history.sqlite after 100,000 launches of 50 entries: %lld bytes, %lld rows\n",
                      (long long) st.st_size, query("SELECT count(*) FROM launches"));
        assert_true(st.st_size < 1024 * 1024);
}

static void test_corrupt_moved_aside(void **state) {
        History *h = NULL;
        assert_int_equal(history_open(&h, path, 30 * DAY), 0);
        history_free(h);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        for (int i = 0; i < 4096; i++)
                fputc((i * 7919) & 0xff, f);
        fclose(f);
        assert_int_equal(history_open(&h, path, 30 * DAY), 0);
        assert_true(history_stored(h));
        char pattern[300];
        snprintf(pattern, sizeof(pattern), "%s.corrupt-*", path);
        glob_t g;
        assert_int_equal(glob(pattern, 0, NULL, &g), 0);
        assert_int_equal(g.gl_pathc, 1);
        globfree(&g);
        assert_int_equal(history_record(h, &(LaunchIdentity){ .entry_id = "org.example.A" }, time(NULL)), 0);
        history_free(h);
        assert_int_equal(query("SELECT count(*) FROM launches"), 1);
}

static void test_memory_only(void **state) {
        History *h = NULL;
        assert_int_equal(history_open(&h, "/proc/self/no/history.sqlite", 30 * DAY), 0);
        assert_false(history_stored(h));
        assert_int_equal(history_record(h, &(LaunchIdentity){ .entry_id = "org.example.A" }, time(NULL)), 0);
        assert_false(history_pending(h));
        assert_int_equal(use_of(h, "org.example.A", NULL).count, 1);
        history_free(h);
        assert_int_equal(history_open(&h, NULL, 30 * DAY), 0);
        assert_false(history_stored(h));
        history_free(h);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(test_stored_and_read_back, setup, teardown),
                cmocka_unit_test_setup_teardown(test_pruned, setup, teardown),
                cmocka_unit_test_setup_teardown(test_small_after_100000, setup, teardown),
                cmocka_unit_test_setup_teardown(test_corrupt_moved_aside, setup, teardown),
                cmocka_unit_test_setup_teardown(test_memory_only, setup, teardown),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
