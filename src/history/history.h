/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/launch-identity.h"
#include "common/macro.h"

/* What was launched, and how often and how lately: one row per successful
 * launch in SQLite (WAL), and per entry or action a count, the last use and
 * the frecency — each launch adds 0.5^(age / half-life) — kept in memory so
 * that a launch counts in the next search. Never fatal: a file that cannot
 * be opened leaves the history in memory only, a corrupt one is moved aside
 * and a new one started, a write that fails (a full disk, a lock) keeps
 * its rows, at most HISTORY_UNWRITTEN_MAX, for the next flush; each with
 * one log line. Nothing here waits for a lock. */

/* Kept per entry (or action): the most recent rows, and none older than a
 * year; each use's count and last time stay. */
#define HISTORY_ROWS_PER_ENTRY 100
#define HISTORY_MAX_AGE_SEC (365 * 86400LL)
#define HISTORY_HALF_LIFE_DEFAULT_SEC (30 * 86400LL)
/* Rows kept while they cannot be written; past it the oldest go. */
#define HISTORY_UNWRITTEN_MAX 1000

typedef struct History History;

typedef struct HistoryUse {
        const char *entry_id;
        const char *action; /* or NULL */
        uint64_t count;
        int64_t last; /* seconds since the epoch */
        double frecency;
} HistoryUse;

/* Opens (or creates: directory 0700, file 0600) the history at `path`; any
 * failure is logged and the history lives in memory (as with a NULL
 * path). -ENOMEM only. */
int history_open(History **ret, const char *path, int64_t half_life_sec);
History *history_free(History *h);
DEFINE_TRIVIAL_CLEANUP_FUNC(History *, history_free);

/* Whether it is stored (false: memory only, or rows wait unwritten). */
bool history_stored(const History *h);
/* Rows a write failed to store, kept for the next flush. */
size_t history_unwritten(const History *h);

/* A new half-life: the frecencies are computed again from the rows. */
void history_set_half_life(History *h, int64_t half_life_sec);

/* A launch, counted at once; its row is written at the next
 * history_flush(). */
int history_record(History *h, const LaunchIdentity *launch, int64_t when);
/* Writes the rows recorded since the last flush (and those kept from a
 * write that failed), in one transaction, and prunes now and then.
 * Whether there was anything to write. */
bool history_pending(const History *h);
void history_flush(History *h);

/* Changes whenever a use does (a launch, forget, clear, a new half-life):
 * frecencies computed at the same generation differ only by the time
 * passed, one factor for all. */
uint64_t history_generation(const History *h);

/* Every entry and action used, most used first (count, then last use);
 * frecency as of `now`. Points into the history: valid until the next call,
 * or until the history changes. */
int history_uses(History *h, int64_t now, HistoryUse **ret, size_t *ret_n);

/* Calls `visit` for every entry and action with its frecency as of `now`. */
void history_foreach_frecency(History *h, int64_t now,
                              void (*visit)(const char *entry_id, const char *action, double frecency, void *userdata),
                              void *userdata);

/* Forgets an entry (its actions too): how many launches were forgotten. */
int history_forget(History *h, const char *entry_id, uint64_t *ret_count);
/* Forgets everything. */
int history_clear(History *h);
