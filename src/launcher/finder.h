/* SPDX-License-Identifier: MIT */
#pragma once

#include <systemd/sd-event.h>

#include "common/launch-identity.h"
#include "common/macro.h"
#include "config/launcher-conf.h"
#include "desktop/entries.h"
#include "search/search.h"

/* The daemon's search and history: the Search, History, HistoryForget and
 * HistoryClear requests answered, and each successful launch recorded —
 * counted at once, so that the next search ranks by it, and written to
 * $XDG_STATE_HOME/sesame/history.sqlite off the launch's path, a moment
 * after its reply. */
typedef struct Finder Finder;

int finder_new(Finder **ret, sd_event *event);
/* Writes what is still to be written. */
Finder *finder_free(Finder *f);
DEFINE_TRIVIAL_CLEANUP_FUNC(Finder *, finder_free);

/* History= and HistoryHalfLifeDays=: at start and at every reload. */
void finder_configure(Finder *f, const Config *c);
/* The entries searched, with their index (taken) made off the loop, or
 * NULL to make it at the next search. Returns the previous index, to be
 * freed by the caller (off the loop, with the entries it points into). */
SearchIndex *finder_set_entries(Finder *f, const EntryCache *entries, SearchIndex *index);

/* A launch that started; not a dry run, a command or a refusal. */
void finder_record(Finder *f, const LaunchIdentity *launch);

/* The replies, as JSON texts (NULL: out of memory). A search's results are
 * objects, or with `lines` one text of ID<TAB>ACTION<TAB>NAME lines (and
 * <TAB>ICON with `icons`: the entry's Icon=, or nothing): the `limit` (0:
 * all) from the `offset`-th on. */
char *finder_search(Finder *f, const char *query, size_t offset, size_t limit, bool actions, const char *desktop,
                    bool lines, bool icons);
char *finder_history(Finder *f);
/* The IDs of the best `max` entries a search for `text` finds, for "did you
 * mean" (a new vector, maybe empty), or NULL when out of memory. */
char **finder_suggest(Finder *f, const char *text, size_t max);
char *finder_forget(Finder *f, const char *entry);
char *finder_clear(Finder *f);
