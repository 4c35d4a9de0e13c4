/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/macro.h"
#include "desktop/entries.h"

/* Finding an app by a few typed letters: fzf-style fuzzy matching over the
 * entries' names, generic names, keywords, IDs, programs and (on request)
 * desktop actions, case- and accent-insensitive, ranked by match quality and
 * by use (frecency, which the caller supplies: this module keeps no
 * history). No I/O. */

/* How well a query matched, best first in the ranking: any exact match of
 * the whole name beats any prefix, which beats any fuzzy (subsequence)
 * match, which beats a match with one typo. */
typedef enum MatchKind {
        MATCH_NONE = -1,
        MATCH_TYPO,
        MATCH_FUZZY,
        MATCH_PREFIX,
        MATCH_EXACT,
        _MATCH_KIND_MAX,
} MatchKind;

const char *match_kind_name(MatchKind k);

/* The share of the match and of use in a result's score. */
#define SEARCH_MATCH_WEIGHT 0.7
#define SEARCH_USE_WEIGHT 0.3

/* Query terms longer than this many characters are matched on their first
 * SEARCH_TERM_MAX; texts on their first SEARCH_TEXT_MAX. */
#define SEARCH_TERM_MAX 64
#define SEARCH_TEXT_MAX 256
#define SEARCH_TERMS_MAX 8

typedef struct MatchResult {
        MatchKind kind;
        double score;         /* 0..1 within its kind */
        uint32_t *positions;  /* characters of the text that matched, ascending; NULL if none */
        size_t n_positions;
} MatchResult;

/* One query against one text, as the index matches a name: for tests and
 * the fuzzer. Any bytes in either (invalid UTF-8 counts a character per
 * byte). 0, or -ENOMEM. */
int match_strings(const char *query, const char *text, MatchResult *ret);
void match_result_done(MatchResult *r);

typedef struct SearchIndex SearchIndex;

/* The searchable texts of every entry (and action) of `entries`, folded
 * once; `entries` must outlive the index. */
int search_index_new(SearchIndex **ret, const EntryCache *entries);
SearchIndex *search_index_free(SearchIndex *idx);
DEFINE_TRIVIAL_CLEANUP_FUNC(SearchIndex *, search_index_free);

/* Use: each launch adds 0.5^(age / half-life), summed per entry (action:
 * NULL) or action. Reset all to 0, then set those the history knows. */
void search_index_clear_use(SearchIndex *idx);
void search_index_set_use(SearchIndex *idx, const char *entry_id, const char *action, double frecency);

typedef struct SearchQuery {
        const char *query;   /* "" lists everything by use, then by name */
        size_t limit;        /* 0: no limit */
        bool actions;        /* desktop actions as results of their own */
        const char *desktop; /* XDG_CURRENT_DESKTOP for OnlyShowIn/NotShowIn, or NULL */
} SearchQuery;

typedef struct SearchResult {
        const DesktopEntry *entry;
        const DesktopAction *action; /* or NULL */
        const char *name;            /* the entry's name, or "Name — Action name" */
        MatchKind kind;
        double match, use, score;    /* score = SEARCH_MATCH_WEIGHT·match + SEARCH_USE_WEIGHT·use */
        uint32_t *positions;         /* characters of `name` that matched, ascending */
        size_t n_positions;
} SearchResult;

/* Results in rank order: kind, then score, then name. NoDisplay entries
 * and those not shown in `desktop` are not results. */
int search_run(const SearchIndex *idx, const SearchQuery *q, SearchResult **ret, size_t *ret_n);
void search_results_free(SearchResult *r, size_t n);
