/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/event-util.h"
#include "common/log.h"
#include "common/strv.h"
#include "history/history.h"
#include "ipc/proto.h"
#include "launcher/finder.h"
#include "launcher/reply.h"

/* Launches are written this long after the first of a burst, together. */
#define FLUSH_DELAY_USEC (200 * 1000)
/* Rows kept from a write that failed: tried again this often. */
#define RETRY_DELAY_USEC (2 * 1000 * 1000)

struct Finder {
        sd_event *event;
        sd_event_source *flush_timer;
        const EntryCache *entries;
        SearchIndex *index; /* made at the first search after the entries change */
        History *history;   /* NULL: History=no */
        int64_t half_life_sec;
        /* The index's use, as of this history generation and time: made
         * again when a use changes, or a minute later (every frecency has
         * decayed alike meanwhile, by 0.002% with the default half-life). */
        bool use_current;
        uint64_t use_generation;
        int64_t use_time;
};

int finder_new(Finder **ret, sd_event *event) {
        Finder *f = calloc(1, sizeof(*f));
        if (!f)
                return -ENOMEM;
        f->event = sd_event_ref(event);
        *ret = f;
        return 0;
}

Finder *finder_free(Finder *f) {
        if (!f)
                return NULL;
        sd_event_source_disable_unref(f->flush_timer);
        history_free(f->history); /* writes what is pending */
        search_index_free(f->index);
        sd_event_unref(f->event);
        free(f);
        return NULL;
}

/* $XDG_STATE_HOME/sesame/history.sqlite, or ~/.local/state/... */
static char *history_path(void) {
        const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
        char *path = NULL;
        int r;
        if (state && state[0] == '/')
                r = asprintf(&path, "%s/sesame/history.sqlite", state);
        else if (home && home[0] == '/')
                r = asprintf(&path, "%s/.local/state/sesame/history.sqlite", home);
        else
                return NULL;
        return r < 0 ? NULL : path;
}

void finder_configure(Finder *f, const Config *c) {
        if (!c->history) {
                if (f->history)
                        log_info("history: turned off (History=no); nothing more is written");
                f->history = history_free(f->history);
                f->use_current = false;
                return;
        }
        f->half_life_sec = (int64_t) c->history_half_life_sec;
        if (f->history) {
                history_set_half_life(f->history, f->half_life_sec);
                return;
        }
        _cleanup_free_ char *path = history_path();
        if (!path)
                log_warning("history: neither XDG_STATE_HOME nor HOME is an absolute path; launches are "
                            "remembered in memory only");
        if (history_open(&f->history, path, f->half_life_sec) < 0)
                log_error("history: out of memory; no history");
}

SearchIndex *finder_set_entries(Finder *f, const EntryCache *entries, SearchIndex *index) {
        SearchIndex *old = f->index;
        f->entries = entries;
        f->index = index;
        f->use_current = false;
        return old;
}

static int on_flush(sd_event_source *s, uint64_t usec, void *userdata) {
        Finder *f = userdata;
        history_flush(f->history);
        /* Rows a full disk or a lock kept back: tried again, at leisure. */
        if (history_unwritten(f->history) > 0)
                (void) event_reset_time_relative(f->event, &f->flush_timer, RETRY_DELAY_USEC, RETRY_DELAY_USEC / 10,
                                                 on_flush, f);
        return 0;
}

void finder_record(Finder *f, const LaunchIdentity *launch) {
        if (!f->history)
                return;
        if (history_record(f->history, launch, time(NULL)) < 0) {
                log_warning("history: out of memory; a launch of %s is not remembered", launch->entry_id);
                return;
        }
        if (!history_pending(f->history))
                return;
        if (event_source_armed(f->flush_timer))
                return; /* this burst's write is already planned */
        int r = event_reset_time_relative(f->event, &f->flush_timer, FLUSH_DELAY_USEC, 0, on_flush, f);
        if (r >= 0)
                r = sd_event_source_set_priority(f->flush_timer, SD_EVENT_PRIORITY_IDLE);
        if (r < 0) /* written now, then */
                history_flush(f->history);
}

static void set_use(const char *entry_id, const char *action, double frecency, void *userdata) {
        search_index_set_use(userdata, entry_id, action, frecency);
}

static void refresh_use(Finder *f) {
        int64_t now = time(NULL);
        uint64_t generation = f->history ? history_generation(f->history) : 0;
        if (f->use_current && generation == f->use_generation && now - f->use_time < 60)
                return;
        search_index_clear_use(f->index);
        if (f->history)
                history_foreach_frecency(f->history, now, set_use, f->index);
        f->use_current = true;
        f->use_generation = generation;
        f->use_time = now;
}

static json_t *positions_json(const SearchResult *r) {
        json_t *a = json_array();
        for (size_t i = 0; a && i < r->n_positions; i++)
                if (json_array_append_new(a, json_integer(r->positions[i])) < 0) {
                        json_decref(a);
                        return NULL;
                }
        return a;
}

static json_t *result_json(const SearchResult *r) {
        return json_pack("{s:s,s:s?,s:s,s:s?,s:s?,s:s,s:f,s:f,s:f,s:o*}", "id", r->entry->id, "action",
                         r->action ? r->action->id : NULL, "name", r->name, "generic_name", r->entry->generic_name,
                         "icon", r->action && r->action->icon ? r->action->icon : r->entry->icon, "kind",
                         match_kind_name(r->kind), "score", r->score, "match", r->match, "use", r->use, "positions",
                         positions_json(r));
}

/* ID<TAB>ACTION<TAB>NAME lines: what a list of thousands needs, in one
 * string (a JSON object per result costs ten times as much to make and to
 * read). A tab or line break inside a field becomes a space. */
static json_t *results_lines(const SearchResult *r, size_t n, bool icons) {
        size_t len = 0, n_fields = icons ? 4 : 3;
        for (size_t i = 0; i < n; i++)
                len += strlen(r[i].entry->id) + (r[i].action ? strlen(r[i].action->id) : 0) + strlen(r[i].name) +
                       (icons && r[i].entry->icon ? strlen(r[i].entry->icon) : 0) + n_fields;
        _cleanup_free_ char *text = malloc(len + 1);
        if (!text)
                return NULL;
        char *p = text;
        for (size_t i = 0; i < n; i++) {
                const char *fields[] = { r[i].entry->id, r[i].action ? r[i].action->id : "", r[i].name,
                                         r[i].entry->icon ?: "" };
                for (size_t k = 0; k < n_fields; k++) {
                        for (const char *c = fields[k]; *c; c++)
                                *p++ = *c == '\t' || *c == '\n' || *c == '\r' ? ' ' : *c;
                        *p++ = k + 1 < n_fields ? '\t' : '\n';
                }
        }
        return json_stringn_nocheck(text, len); /* pieces of valid UTF-8, and ASCII between them */
}

char **finder_suggest(Finder *f, const char *text, size_t max) {
        char **ids = calloc(1, sizeof(char *));
        if (!ids || !f->entries || (!f->index && search_index_new(&f->index, f->entries) < 0))
                return ids;
        refresh_use(f);
        SearchResult *results = NULL;
        size_t n = 0;
        SearchQuery q = { .query = text, .limit = max };
        if (search_run(f->index, &q, &results, &n) < 0)
                return ids;
        for (size_t i = 0; ids && i < n; i++)
                if (!strv_contains(ids, results[i].entry->id) && strv_push(&ids, strdup(results[i].entry->id)) < 0)
                        ids = NULL;
        search_results_free(results, n);
        return ids;
}

char *finder_search(Finder *f, const char *query, size_t offset, size_t limit, bool actions, const char *desktop,
                    bool lines, bool icons) {
        if (!f->entries)
                return reply_error("InternalError", "no entries yet");
        if (!f->index && search_index_new(&f->index, f->entries) < 0)
                return reply_error("InternalError", "out of memory");
        refresh_use(f);
        SearchResult *results = NULL;
        size_t n = 0;
        SearchQuery q = { .query = query, .limit = limit ? offset + limit : 0, .actions = actions, .desktop = desktop };
        if (search_run(f->index, &q, &results, &n) < 0)
                return reply_error("InternalError", "out of memory");
        /* The page: the results from `offset` on. */
        const SearchResult *page = results + (offset < n ? offset : n);
        size_t n_page = offset < n ? n - offset : 0;
        if (!lines && n_page > REQUEST_SEARCH_FULL_MAX) {
                /* Refused before building it: tens of megabytes of objects
                 * would hold the loop, for a reply over the message limit. */
                search_results_free(results, n);
                char message[256];
                snprintf(message, sizeof(message),
                         "%zu results are more than the %d a reply holds in the full format; ask in pages "
                         "(offset, limit) or for lines (format)",
                         n_page, REQUEST_SEARCH_FULL_MAX);
                return reply_error("ReplyTooLarge", message);
        }
        json_t *o;
        if (lines)
                o = json_pack("{s:o*}", "lines", results_lines(page, n_page, icons));
        else {
                json_t *array = json_array();
                for (size_t i = 0; array && i < n_page; i++) {
                        json_t *r = result_json(&page[i]);
                        if (!r || json_array_append_new(array, r) < 0)
                                array = (json_decref(array), NULL);
                }
                o = json_pack("{s:o*}", "results", array);
        }
        search_results_free(results, n);
        /* Scores to six digits: more says nothing, and costs. */
        char *s = o ? json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(6)) : NULL;
        json_decref(o);
        return s;
}

char *finder_history(Finder *f) {
        json_t *array = json_array();
        HistoryUse *uses = NULL;
        size_t n = 0;
        if (f->history && history_uses(f->history, time(NULL), &uses, &n) < 0)
                return reply_error("InternalError", "out of memory");
        for (size_t i = 0; array && i < n; i++) {
                json_t *o = json_pack("{s:s,s:s?,s:I,s:I,s:f}", "entry_id", uses[i].entry_id, "action", uses[i].action,
                                      "count", (json_int_t) uses[i].count, "last", (json_int_t) uses[i].last,
                                      "frecency", uses[i].frecency);
                if (!o || json_array_append_new(array, o) < 0)
                        array = (json_decref(array), NULL);
        }
        return reply_json(json_pack("{s:b,s:b,s:I,s:o*}", "enabled", f->history != NULL, "stored",
                                    history_stored(f->history), "unwritten",
                                    (json_int_t) history_unwritten(f->history), "history", array));
}

char *finder_forget(Finder *f, const char *entry) {
        /* As launches name it (firefox: org.mozilla.firefox); an entry no
         * longer installed by the ID it was recorded under. */
        const DesktopEntry *e = f->entries ? entry_cache_resolve(f->entries, entry) : NULL;
        const char *id = e ? e->id : entry;
        uint64_t count = 0;
        if (f->history && history_forget(f->history, id, &count) < 0)
                return reply_error("InternalError", "the history file could not be changed (see the launcher's log)");
        return reply_json(json_pack("{s:b,s:s,s:I}", "enabled", f->history != NULL, "entry_id", id, "forgotten",
                              (json_int_t) count));
}

char *finder_clear(Finder *f) {
        if (f->history && history_clear(f->history) < 0)
                return reply_error("InternalError", "the history file could not be changed (see the launcher's log)");
        return reply_json(json_pack("{s:b,s:b}", "enabled", f->history != NULL, "cleared", true));
}
