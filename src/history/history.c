/* SPDX-License-Identifier: MIT */
/* The launch history in SQLite, and its sums in memory. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "common/path.h"
#include "common/strmap.h"
#include "common/strv.h"
#include "history/history.h"

/* Pruning runs at open when the file needs it, and after this many rows
 * written. */
#define PRUNE_EVERY 256

/* One entry's or action's use. `weight` is the sum over its launches of
 * 2^((time - reference) / half-life): its frecency at `now` is weight ·
 * 2^(-(now - reference) / half-life), so a launch adds one term and a
 * search reads one product. */
typedef struct Use {
        char *key; /* "ID" or "ID\x1fACTION" */
        char *entry_id;
        char *action; /* or NULL */
        uint64_t count;
        int64_t last;
        double weight;
        uint32_t rows; /* of the file, as loaded */
} Use;

typedef struct Row {
        char *entry_id, *action, *profile, *tags;
        int64_t when;
} Row;

struct History {
        char *path;
        sqlite3 *db; /* NULL: memory only */
        sqlite3_stmt *insert_launch, *upsert_use;
        int64_t half_life, reference;
        Use **uses;
        size_t n_uses, cap_uses;
        StrMap *by_key;
        Row *pending;
        size_t n_pending, cap_pending;
        bool write_failed;   /* the pending rows are kept from a write that failed */
        size_t written_since_prune;
        bool prune_needed; /* the file loaded holds rows to prune */
        uint64_t generation;
        HistoryUse *listing; /* the last history_uses() */
};

static const char schema[] =
        "CREATE TABLE IF NOT EXISTS launches ("
        "  id INTEGER PRIMARY KEY,"
        "  entry TEXT NOT NULL,"
        "  action TEXT NOT NULL DEFAULT '',"
        "  profile TEXT,"
        "  tags TEXT,"
        "  time INTEGER NOT NULL);"
        "CREATE INDEX IF NOT EXISTS launches_by_use ON launches (entry, action, time);"
        "CREATE TABLE IF NOT EXISTS uses ("
        "  entry TEXT NOT NULL,"
        "  action TEXT NOT NULL DEFAULT '',"
        "  count INTEGER NOT NULL,"
        "  last INTEGER NOT NULL,"
        "  PRIMARY KEY (entry, action)) WITHOUT ROWID;"
        "PRAGMA user_version = 1;";

/* ---- in memory */

static void use_free(Use *u) {
        if (!u)
                return;
        free(u->key);
        free(u->entry_id);
        free(u->action);
        free(u);
}

static void uses_reset(History *h) {
        h->generation++;
        for (size_t i = 0; i < h->n_uses; i++)
                use_free(h->uses[i]);
        h->n_uses = 0;
        strmap_free(h->by_key);
        h->by_key = strmap_new();
}

static Use *use_get(History *h, const char *entry_id, const char *action) {
        _cleanup_free_ char *key = NULL;
        if (asprintf(&key, action ? "%s\x1f%s" : "%s", entry_id, action) < 0 || !h->by_key)
                return NULL;
        Use *u = strmap_get(h->by_key, key);
        if (u)
                return u;
        if (GROW(h->uses, h->cap_uses, h->n_uses + 1, 64) < 0)
                return NULL;
        u = calloc(1, sizeof(*u));
        if (!u || !(u->entry_id = strdup(entry_id)) || (action && !(u->action = strdup(action)))) {
                use_free(u);
                return NULL;
        }
        u->key = TAKE_PTR(key);
        if (strmap_put(h->by_key, u->key, u) < 0) {
                use_free(u);
                return NULL;
        }
        h->uses[h->n_uses++] = u;
        return u;
}

static void use_add(History *h, Use *u, int64_t when) {
        u->weight += exp2((double) (when - h->reference) / (double) h->half_life);
}

/* ---- the file */

static int db_exec(History *h, const char *sql) {
        char *message = NULL;
        int r = sqlite3_exec(h->db, sql, NULL, NULL, &message);
        if (r != SQLITE_OK)
                log_warning("history: %s: %s", h->path, message ?: sqlite3_errstr(r));
        sqlite3_free(message);
        return r;
}

static bool is_corrupt(int r) {
        return (r & 0xff) == SQLITE_CORRUPT || (r & 0xff) == SQLITE_NOTADB;
}

static void db_close(History *h) {
        sqlite3_finalize(h->insert_launch);
        sqlite3_finalize(h->upsert_use);
        h->insert_launch = h->upsert_use = NULL;
        sqlite3_close(h->db);
        h->db = NULL;
}

/* A file no one can read is no history: keep it for whoever wants to look,
 * out of the way, and start again. */
static void move_aside(History *h, const char *why) {
        char aside[PATH_MAX];
        snprintf(aside, sizeof(aside), "%s.corrupt-%lld", h->path, (long long) time(NULL));
        db_close(h);
        if (rename(h->path, aside) < 0)
                log_warning("history: %s is corrupt (%s) and cannot be moved aside: %s", h->path, why, strerror(errno));
        else
                log_warning("history: %s is corrupt (%s); moved to %s, a new history starts", h->path, why, aside);
        /* Its journal belongs to it. */
        const char *suffixes[] = { "-wal", "-shm" };
        for (size_t i = 0; i < ELEMENTSOF(suffixes); i++) {
                char from[PATH_MAX], to[PATH_MAX];
                snprintf(from, sizeof(from), "%s%s", h->path, suffixes[i]);
                snprintf(to, sizeof(to), "%s%s", aside, suffixes[i]);
                (void) rename(from, to);
        }
}

/* The file with mode 0600 (and its directory 0700) before SQLite opens it:
 * its journal files take the file's mode. */
static int db_prepare_file(History *h) {
        _cleanup_free_ char *dir = strdup(h->path);
        Error e = {};
        if (!dir)
                return -ENOMEM;
        if (mkdir_parents(dirname(dir), &e) < 0) {
                log_warning("history: %s; launches are remembered in memory only", error_message(&e));
                return e.code;
        }
        int fd = open(h->path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600);
        if (fd < 0) {
                int r = negative_errno();
                log_warning("history: cannot open %s: %s; launches are remembered in memory only", h->path, strerror(errno));
                return r;
        }
        struct stat st;
        if (fstat(fd, &st) == 0 && (st.st_mode & 077))
                (void) fchmod(fd, 0600);
        close(fd);
        return 0;
}

/* The use a row's entry (column 0) and action (column 1, '' for none) name. */
static Use *row_use(History *h, sqlite3_stmt *s) {
        const char *action = (const char *) sqlite3_column_text(s, 1);
        return use_get(h, (const char *) sqlite3_column_text(s, 0), action && *action ? action : NULL);
}

/* Each use's count and last launch. */
static int load_counts(History *h) {
        sqlite3_stmt *s = NULL;
        int r = sqlite3_prepare_v2(h->db, "SELECT entry, action, count, last FROM uses", -1, &s, NULL);
        while (r == SQLITE_OK && (r = sqlite3_step(s)) == SQLITE_ROW) {
                Use *u = row_use(h, s);
                if (!u)
                        r = SQLITE_NOMEM;
                else {
                        u->count = (uint64_t) sqlite3_column_int64(s, 2);
                        u->last = sqlite3_column_int64(s, 3);
                        r = SQLITE_OK;
                }
        }
        sqlite3_finalize(s);
        return r == SQLITE_DONE ? SQLITE_OK : r;
}

/* Each use's frecency weight, from its rows (and whether some are due to
 * be pruned). */
static int load_launches(History *h) {
        for (size_t i = 0; i < h->n_uses; i++) {
                h->uses[i]->weight = 0;
                h->uses[i]->rows = 0;
        }
        sqlite3_stmt *s = NULL;
        int r = sqlite3_prepare_v2(h->db, "SELECT entry, action, time FROM launches", -1, &s, NULL);
        while (r == SQLITE_OK && (r = sqlite3_step(s)) == SQLITE_ROW) {
                Use *u = row_use(h, s);
                if (!u) {
                        r = SQLITE_NOMEM;
                        break;
                }
                int64_t when = sqlite3_column_int64(s, 2);
                use_add(h, u, when);
                if (++u->rows > HISTORY_ROWS_PER_ENTRY || when < time(NULL) - HISTORY_MAX_AGE_SEC)
                        h->prune_needed = true;
                r = SQLITE_OK;
        }
        sqlite3_finalize(s);
        return r == SQLITE_DONE ? SQLITE_OK : r;
}

static void prune(History *h, int64_t now);

/* One try at opening the file: SQLite's result code. */
static int db_open_once(History *h, char *why, size_t size) {
        int r = sqlite3_open_v2(h->path, &h->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL);
        if (r == SQLITE_OK) {
                sqlite3_extended_result_codes(h->db, 1);
                /* A lock another process holds drops the write; never wait. */
                sqlite3_busy_timeout(h->db, 0);
                /* auto_vacuum only takes on a new file: before any table. */
                r = sqlite3_exec(h->db,
                                 "PRAGMA auto_vacuum = INCREMENTAL;"
                                 "PRAGMA journal_mode = WAL;"
                                 "PRAGMA synchronous = NORMAL;"
                                 "PRAGMA journal_size_limit = 262144;"
                                 "PRAGMA cache_size = -128;",
                                 NULL, NULL, NULL);
        }
        /* A file that is not a database, or whose pages are damaged, says
         * so here or while loading (SQLITE_NOTADB, SQLITE_CORRUPT): no
         * integrity check of its own, whose code would stay in memory. */
        if (r == SQLITE_OK)
                r = sqlite3_exec(h->db, schema, NULL, NULL, NULL);
        if (r == SQLITE_OK)
                r = sqlite3_prepare_v2(h->db,
                                       "INSERT INTO launches (entry, action, profile, tags, time) "
                                       "VALUES (?, ?, ?, ?, ?)",
                                       -1, &h->insert_launch, NULL);
        if (r == SQLITE_OK)
                r = sqlite3_prepare_v2(h->db,
                                       "INSERT INTO uses (entry, action, count, last) VALUES (?, ?, 1, ?) "
                                       "ON CONFLICT (entry, action) DO UPDATE SET count = count + 1, "
                                       "last = max(last, excluded.last)",
                                       -1, &h->upsert_use, NULL);
        if (r == SQLITE_OK)
                r = load_counts(h);
        if (r == SQLITE_OK)
                r = load_launches(h);
        if (r != SQLITE_OK && !why[0])
                snprintf(why, size, "%s", h->db ? sqlite3_errmsg(h->db) : sqlite3_errstr(r));
        return r;
}

static void db_open(History *h) {
        if (db_prepare_file(h) < 0)
                return;
        for (int attempt = 0; attempt < 2; attempt++) {
                char why[256] = "";
                int r = db_open_once(h, why, sizeof(why));
                if (r == SQLITE_OK) {
                        if (h->prune_needed)
                                prune(h, time(NULL));
                        /* What loading read, given back. */
                        sqlite3_db_release_memory(h->db);
                        return;
                }
                uses_reset(h);
                if (!is_corrupt(r) || attempt > 0) {
                        log_warning("history: cannot use %s: %s; launches are remembered in memory only", h->path,
                                    why);
                        db_close(h);
                        return;
                }
                move_aside(h, why);
                if (db_prepare_file(h) < 0)
                        return;
        }
}

/* Rows older than a year, and beyond the most recent
 * HISTORY_ROWS_PER_ENTRY of an entry, go; the space they took is given
 * back and the journal emptied. */
static void prune(History *h, int64_t now) {
        h->written_since_prune = 0;
        h->prune_needed = false;
        if (!h->db)
                return;
        char sql[512];
        snprintf(sql, sizeof(sql),
                 "DELETE FROM launches WHERE time < %lld;"
                 "DELETE FROM launches WHERE id IN (SELECT id FROM (SELECT id, row_number() OVER "
                 "(PARTITION BY entry, action ORDER BY time DESC, id DESC) AS n FROM launches) WHERE n > %d);",
                 (long long) (now - HISTORY_MAX_AGE_SEC), HISTORY_ROWS_PER_ENTRY);
        if (db_exec(h, sql) != SQLITE_OK)
                return;
        (void) db_exec(h, "PRAGMA incremental_vacuum; PRAGMA wal_checkpoint(TRUNCATE);");
}

/* ---- the interface */

int history_open(History **ret, const char *path, int64_t half_life_sec) {
        _cleanup_(history_freep) History *h = calloc(1, sizeof(*h));
        if (!h || (path && !(h->path = strdup(path))) || !(h->by_key = strmap_new()))
                return -ENOMEM;
        h->half_life = half_life_sec > 0 ? half_life_sec : HISTORY_HALF_LIFE_DEFAULT_SEC;
        h->reference = time(NULL);
        if (path)
                db_open(h);
        *ret = TAKE_PTR(h);
        return 0;
}

static void row_free(Row *w) {
        free(w->entry_id), free(w->action), free(w->profile), free(w->tags);
}

static void rows_free(History *h) {
        for (size_t i = 0; i < h->n_pending; i++)
                row_free(&h->pending[i]);
        h->n_pending = 0;
}

History *history_free(History *h) {
        if (!h)
                return NULL;
        history_flush(h);
        if (h->write_failed && h->n_pending > 0)
                log_warning("history: %zu launch(es) could not be written before the launcher ended", h->n_pending);
        rows_free(h);
        free(h->pending);
        db_close(h);
        uses_reset(h);
        strmap_free(h->by_key);
        free(h->uses);
        free(h->listing);
        free(h->path);
        free(h);
        return NULL;
}

size_t history_unwritten(const History *h) {
        return h && h->write_failed ? h->n_pending : 0;
}

bool history_stored(const History *h) {
        return h && h->db && !h->write_failed;
}

/* After a failed write: the rows stay for the next one, the oldest
 * dropped past HISTORY_UNWRITTEN_MAX. */
static void rows_keep(History *h, const char *why) {
        size_t drop = h->n_pending > HISTORY_UNWRITTEN_MAX ? h->n_pending - HISTORY_UNWRITTEN_MAX : 0;
        for (size_t i = 0; i < drop; i++)
                row_free(&h->pending[i]);
        memmove(h->pending, h->pending + drop, (h->n_pending - drop) * sizeof(Row));
        h->n_pending -= drop;
        if (!h->write_failed || drop > 0)
                log_warning("history: %zu launch(es) not yet written to %s: %s; kept, and written when it can be%s",
                            h->n_pending, h->path, why, drop > 0 ? " (the oldest left out: too many wait)" : "");
        h->write_failed = true;
}

void history_set_half_life(History *h, int64_t half_life_sec) {
        if (half_life_sec <= 0)
                half_life_sec = HISTORY_HALF_LIFE_DEFAULT_SEC;
        if (half_life_sec == h->half_life)
                return;
        h->half_life = half_life_sec;
        if (!h->db) { /* memory only: the times are not kept */
                log_warning("history: the new half-life applies from the next start");
                return;
        }
        history_flush(h);
        h->generation++;
        if (load_launches(h) != SQLITE_OK)
                log_warning("history: the frecencies could not be read again from %s: %s", h->path,
                            sqlite3_errmsg(h->db));
}

int history_record(History *h, const LaunchIdentity *launch, int64_t when) {
        assert_return(h && launch && launch->entry_id, -EINVAL);
        const char *entry_id = launch->entry_id, *action = launch->action, *profile = launch->profile;
        char *const *tags = launch->tags;
        Use *u = use_get(h, entry_id, action);
        if (!u)
                return -ENOMEM;
        u->count++;
        h->generation++;
        if (when > u->last)
                u->last = when;
        use_add(h, u, when);
        if (!h->db)
                return 0;
        if (GROW(h->pending, h->cap_pending, h->n_pending + 1, 16) < 0)
                return -ENOMEM;
        Row w = { .when = when };
        if (!(w.entry_id = strdup(entry_id)) || (action && !(w.action = strdup(action))) ||
            (profile && !(w.profile = strdup(profile))) || (tags && tags[0] && !(w.tags = strv_join(tags, " ")))) {
                free(w.entry_id), free(w.action), free(w.profile);
                return -ENOMEM;
        }
        h->pending[h->n_pending++] = w;
        return 0;
}

uint64_t history_generation(const History *h) {
        return h->generation;
}

bool history_pending(const History *h) {
        return h && h->n_pending > 0;
}

static int write_row(History *h, const Row *w) {
        sqlite3_stmt *s = h->insert_launch, *u = h->upsert_use;
        sqlite3_reset(s);
        sqlite3_bind_text(s, 1, w->entry_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, w->action ?: "", -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 3, w->profile, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 4, w->tags, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 5, w->when);
        int r = sqlite3_step(s);
        if (r != SQLITE_DONE)
                return r;
        sqlite3_reset(u);
        sqlite3_bind_text(u, 1, w->entry_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(u, 2, w->action ?: "", -1, SQLITE_STATIC);
        sqlite3_bind_int64(u, 3, w->when);
        r = sqlite3_step(u);
        return r == SQLITE_DONE ? SQLITE_OK : r;
}

void history_flush(History *h) {
        if (!h || h->n_pending == 0)
                return;
        if (!h->db) {
                rows_free(h);
                return;
        }
        int r = sqlite3_exec(h->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        for (size_t i = 0; r == SQLITE_OK && i < h->n_pending; i++)
                r = write_row(h, &h->pending[i]);
        if (r == SQLITE_OK)
                r = sqlite3_exec(h->db, "COMMIT", NULL, NULL, NULL);
        char why[256]; /* before the resets below clear it */
        snprintf(why, sizeof(why), "%s", r == SQLITE_OK ? "" : sqlite3_errmsg(h->db));
        sqlite3_reset(h->insert_launch);
        sqlite3_reset(h->upsert_use);
        if (r != SQLITE_OK) {
                (void) sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
                if (!is_corrupt(r))
                        /* Locked by another process, a full disk: kept for
                         * the next write. */
                        return rows_keep(h, why);
                log_warning("history: %zu launch(es) not written to %s: %s", h->n_pending, h->path, why);
                move_aside(h, sqlite3_errstr(r));
                uses_reset(h);
                db_open(h);
        } else {
                if (h->write_failed)
                        log_info("history: %zu launch(es) that waited are written to %s now", h->n_pending, h->path);
                h->written_since_prune += h->n_pending;
        }
        h->write_failed = false;
        rows_free(h);
        if (h->written_since_prune >= PRUNE_EVERY)
                prune(h, time(NULL));
}

static double frecency(const History *h, const Use *u, int64_t now) {
        return u->weight * exp2(-(double) (now - h->reference) / (double) h->half_life);
}

static int use_compare(const void *a, const void *b) {
        const HistoryUse *x = a, *y = b;
        if (x->count != y->count)
                return x->count > y->count ? -1 : 1;
        if (x->last != y->last)
                return x->last > y->last ? -1 : 1;
        int c = strcmp(x->entry_id, y->entry_id);
        return c ? c : strcmp(x->action ?: "", y->action ?: "");
}

int history_uses(History *h, int64_t now, HistoryUse **ret, size_t *ret_n) {
        free(h->listing);
        h->listing = calloc(h->n_uses ? h->n_uses : 1, sizeof(HistoryUse));
        if (!h->listing)
                return -ENOMEM;
        for (size_t i = 0; i < h->n_uses; i++) {
                const Use *u = h->uses[i];
                h->listing[i] = (HistoryUse){ .entry_id = u->entry_id, .action = u->action, .count = u->count,
                                              .last = u->last, .frecency = frecency(h, u, now) };
        }
        qsort(h->listing, h->n_uses, sizeof(HistoryUse), use_compare);
        *ret = h->listing;
        *ret_n = h->n_uses;
        return 0;
}

void history_foreach_frecency(History *h, int64_t now,
                              void (*visit)(const char *entry_id, const char *action, double frecency, void *userdata),
                              void *userdata) {
        for (size_t i = 0; i < h->n_uses; i++)
                visit(h->uses[i]->entry_id, h->uses[i]->action, frecency(h, h->uses[i], now), userdata);
}

/* Drops the uses of an entry (every use: NULL) and rebuilds the map, which
 * has no removal. */
static void uses_filter(History *h, const char *entry_id, uint64_t *ret_count) {
        size_t n = 0;
        uint64_t count = 0;
        strmap_free(h->by_key);
        h->by_key = strmap_new();
        for (size_t i = 0; i < h->n_uses; i++) {
                Use *u = h->uses[i];
                if (!entry_id || strcmp(u->entry_id, entry_id) == 0) {
                        count += u->count;
                        use_free(u);
                        continue;
                }
                h->uses[n++] = u;
                if (h->by_key)
                        (void) strmap_put(h->by_key, u->key, u);
        }
        h->n_uses = n;
        h->generation++;
        if (ret_count)
                *ret_count = count;
}

static int db_delete(History *h, const char *entry_id) {
        if (!h->db)
                return 0;
        sqlite3_stmt *s = NULL;
        int r = SQLITE_OK;
        const char *statements[] = { "DELETE FROM launches WHERE entry = ?1 OR ?1 IS NULL",
                                     "DELETE FROM uses WHERE entry = ?1 OR ?1 IS NULL" };
        for (size_t i = 0; r == SQLITE_OK && i < ELEMENTSOF(statements); i++) {
                r = sqlite3_prepare_v2(h->db, statements[i], -1, &s, NULL);
                if (r == SQLITE_OK) {
                        sqlite3_bind_text(s, 1, entry_id, -1, SQLITE_STATIC);
                        r = sqlite3_step(s) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(h->db);
                }
                sqlite3_finalize(s);
                s = NULL;
        }
        if (r != SQLITE_OK) {
                log_warning("history: cannot forget %s in %s: %s", entry_id ?: "everything", h->path,
                            sqlite3_errmsg(h->db));
                return -EIO;
        }
        (void) db_exec(h, "PRAGMA incremental_vacuum; PRAGMA wal_checkpoint(TRUNCATE);");
        return 0;
}

int history_forget(History *h, const char *entry_id, uint64_t *ret_count) {
        history_flush(h);
        uses_filter(h, entry_id, ret_count);
        return db_delete(h, entry_id);
}

int history_clear(History *h) {
        history_flush(h);
        uses_filter(h, NULL, NULL);
        return db_delete(h, NULL);
}
