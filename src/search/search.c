/* SPDX-License-Identifier: MIT */
/* The search index (every entry's texts folded once) and the ranking. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/strmap.h"
#include "search/match.h"
#include "search/search.h"

/* How much a match in each text counts against one in the name. */
enum {
        WEIGHT_NAME = 100,
        WEIGHT_GENERIC_NAME = 90,
        WEIGHT_OTHER = 85, /* keywords, the ID's last part, the program */
        WEIGHT_TYPO = 50,  /* a typo's match, before its text's weight */
};

typedef struct Field {
        uint32_t start;
        uint16_t len;
        uint8_t weight;
} Field;

/* One result to be: an entry, or one of its actions. Its first field is
 * its name. */
typedef struct Item {
        const DesktopEntry *entry;
        const DesktopAction *action;
        char *name; /* an action's "Name — Action name"; NULL: the entry's */
        char *key;  /* an action's "ID\x1fACTION"; NULL: the entry's ID */
        uint32_t first_field, n_fields;
        uint32_t order; /* by name, case-insensitively (then ID): ties in a ranking go this way */
        double use;
} Item;

struct SearchIndex {
        Item *items;
        size_t n_items;
        Field *fields;
        size_t n_fields, cap_fields;
        uint32_t *chars;
        uint8_t *bonus;
        size_t n_chars, cap_chars;
        StrMap *by_key;
};

static const char *const kind_names[_MATCH_KIND_MAX] = {
        [MATCH_TYPO] = "typo",
        [MATCH_FUZZY] = "fuzzy",
        [MATCH_PREFIX] = "prefix",
        [MATCH_EXACT] = "exact",
};

const char *match_kind_name(MatchKind k) {
        return k >= 0 && k < _MATCH_KIND_MAX ? kind_names[k] : "none";
}

static const char *item_name(const Item *it) {
        return it->name ?: it->entry->name;
}

/* ---- building */

static int add_field(SearchIndex *idx, const char *text, size_t len, uint8_t weight) {
        if (len == 0)
                return 0;
        if (len > SEARCH_TEXT_MAX * 4)
                len = SEARCH_TEXT_MAX * 4;
        if (idx->n_chars + len > idx->cap_chars) {
                size_t cap = (idx->cap_chars + len) * 2;
                uint32_t *c = realloc(idx->chars, cap * sizeof(*c));
                if (!c)
                        return -ENOMEM;
                idx->chars = c;
                uint8_t *b = realloc(idx->bonus, cap);
                if (!b)
                        return -ENOMEM;
                idx->bonus = b;
                idx->cap_chars = cap;
        }
        if (GROW(idx->fields, idx->cap_fields, idx->n_fields + 1, 256) < 0)
                return -ENOMEM;
        size_t n = fold_text(text, len, idx->chars + idx->n_chars, idx->bonus + idx->n_chars, SEARCH_TEXT_MAX);
        idx->fields[idx->n_fields++] =
                (Field){ .start = (uint32_t) idx->n_chars, .len = (uint16_t) n, .weight = weight };
        idx->n_chars += n;
        return 0;
}

static int add_string_field(SearchIndex *idx, const char *text, uint8_t weight) {
        return text ? add_field(idx, text, strlen(text), weight) : 0;
}

/* The program an Exec runs, by its file name: what people type for apps
 * whose name says something else (gimp, code). Not for the wrappers that
 * run another (env, flatpak: the ID says it then). */
static const char *exec_program(const DesktopEntry *e, size_t *ret_len) {
        char **w = e->exec_words;
        if (w && *w && strcmp(*w, "env") == 0)
                for (w++; *w && strchr(*w, '='); w++)
                        ;
        if (!w || !*w)
                return NULL;
        const char *base = strrchr(*w, '/');
        base = base ? base + 1 : *w;
        if (strcmp(base, "flatpak") == 0 || strcmp(base, "env") == 0 || strchr(base, '%'))
                return NULL;
        *ret_len = strlen(base);
        return base;
}

static int add_entry(SearchIndex *idx, const DesktopEntry *e) {
        Item *it = &idx->items[idx->n_items];
        *it = (Item){ .entry = e, .first_field = (uint32_t) idx->n_fields };
        int r = add_string_field(idx, e->name, WEIGHT_NAME);
        if (r >= 0)
                r = add_string_field(idx, e->generic_name, WEIGHT_GENERIC_NAME);
        for (char **k = e->keywords; r >= 0 && k && *k; k++)
                r = add_string_field(idx, *k, WEIGHT_OTHER);
        const char *segment = strrchr(e->id, '.');
        if (r >= 0)
                r = add_string_field(idx, segment ? segment + 1 : e->id, WEIGHT_OTHER);
        size_t len = 0;
        const char *program = exec_program(e, &len);
        if (r >= 0 && program)
                r = add_field(idx, program, len, WEIGHT_OTHER);
        if (r < 0)
                return r;
        it->n_fields = (uint32_t) idx->n_fields - it->first_field;
        idx->n_items++;
        return strmap_put(idx->by_key, e->id, it) < 0 ? -ENOMEM : 0;
}

static int add_action(SearchIndex *idx, const DesktopEntry *e, const DesktopAction *a) {
        Item *it = &idx->items[idx->n_items];
        *it = (Item){ .entry = e, .action = a, .first_field = (uint32_t) idx->n_fields };
        if (asprintf(&it->name, "%s — %s", e->name, a->name) < 0) {
                it->name = NULL;
                return -ENOMEM;
        }
        if (asprintf(&it->key, "%s\x1f%s", e->id, a->id) < 0) {
                it->key = NULL;
                free(it->name);
                return -ENOMEM;
        }
        idx->n_items++; /* owns name and key from here */
        int r = add_string_field(idx, it->name, WEIGHT_NAME);
        if (r < 0)
                return r;
        it->n_fields = (uint32_t) idx->n_fields - it->first_field;
        return strmap_put(idx->by_key, it->key, it) < 0 ? -ENOMEM : 0;
}

static int item_name_compare(const void *a, const void *b) {
        const Item *x = *(const Item *const *) a, *y = *(const Item *const *) b;
        int c = strcasecmp(item_name(x), item_name(y));
        return c ? c : (x < y ? -1 : x > y);
}

/* Each item's place by name, once: a ranking's ties (every item of an
 * empty query) are then put in order without comparing names. */
static int order_by_name(SearchIndex *idx) {
        _cleanup_free_ Item **by_name = calloc(idx->n_items ? idx->n_items : 1, sizeof(Item *));
        if (!by_name)
                return -ENOMEM;
        for (size_t i = 0; i < idx->n_items; i++)
                by_name[i] = &idx->items[i];
        qsort(by_name, idx->n_items, sizeof(Item *), item_name_compare);
        for (size_t i = 0; i < idx->n_items; i++)
                by_name[i]->order = (uint32_t) i;
        return 0;
}

int search_index_new(SearchIndex **ret, const EntryCache *entries) {
        _cleanup_(search_index_freep) SearchIndex *idx = calloc(1, sizeof(*idx));
        if (!idx || !(idx->by_key = strmap_new()))
                return -ENOMEM;
        size_t n = entry_cache_size(entries), items = n;
        for (size_t i = 0; i < n; i++)
                items += entry_cache_at(entries, i)->n_actions;
        idx->items = calloc(items ? items : 1, sizeof(Item));
        if (!idx->items)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                const DesktopEntry *e = entry_cache_at(entries, i);
                int r = add_entry(idx, e);
                for (size_t k = 0; r >= 0 && k < e->n_actions; k++)
                        r = add_action(idx, e, &e->actions[k]);
                if (r < 0)
                        return r;
        }
        int r = order_by_name(idx);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(idx);
        return 0;
}

SearchIndex *search_index_free(SearchIndex *idx) {
        if (!idx)
                return NULL;
        for (size_t i = 0; i < idx->n_items; i++) {
                free(idx->items[i].name);
                free(idx->items[i].key);
        }
        free(idx->items);
        free(idx->fields);
        free(idx->chars);
        free(idx->bonus);
        strmap_free(idx->by_key);
        free(idx);
        return NULL;
}

void search_index_clear_use(SearchIndex *idx) {
        for (size_t i = 0; i < idx->n_items; i++)
                idx->items[i].use = 0;
}

void search_index_set_use(SearchIndex *idx, const char *entry_id, const char *action, double frecency) {
        char key[1024];
        if (action && (size_t) snprintf(key, sizeof(key), "%s\x1f%s", entry_id, action) >= sizeof(key))
                return;
        Item *it = strmap_get(idx->by_key, action ? key : entry_id);
        if (it)
                /* A share of 0..1 that one launch today makes one half. */
                it->use = frecency > 0 ? frecency / (1 + frecency) : 0;
}

/* ---- matching */

typedef struct Query {
        uint32_t chars[SEARCH_TERM_MAX * SEARCH_TERMS_MAX];
        size_t len;
        struct {
                const uint32_t *chars;
                size_t len;
        } terms[SEARCH_TERMS_MAX];
        size_t n_terms;
} Query;

static void query_parse(Query *q, const char *text) {
        q->len = fold_query(text, q->chars, ELEMENTSOF(q->chars));
        q->n_terms = 0;
        for (size_t i = 0; i < q->len && q->n_terms < SEARCH_TERMS_MAX;) {
                size_t end = i;
                while (end < q->len && q->chars[end] != ' ')
                        end++;
                q->terms[q->n_terms].chars = q->chars + i;
                q->terms[q->n_terms].len = end - i > SEARCH_TERM_MAX ? SEARCH_TERM_MAX : end - i;
                q->n_terms++;
                i = end + 1;
        }
}

typedef struct Scored {
        MatchKind kind;
        double match;
} Scored;

/* Whether the query is the start of the name (a combining accent in the
 * name, folded to 0, is passed over); *ret_end: where it ends in the name. */
static bool name_starts_with(const uint32_t *name, size_t len, const Query *q, size_t *ret_end) {
        size_t j = 0;
        for (size_t i = 0; i < q->len; i++, j++) {
                while (j < len && name[j] == 0)
                        j++;
                if (j == len || name[j] != q->chars[i])
                        return false;
        }
        while (j < len && name[j] == 0)
                j++;
        *ret_end = j;
        return true;
}

/* How one item matches: the whole query against its name (exact, prefix),
 * else each term against its best text (every term must match somewhere;
 * one that matches only with a typo makes the item a typo match). */
static int score_fields(const SearchIndex *idx, const Item *it, const Query *q, Scored *ret) {
        const Field *name = &idx->fields[it->first_field];
        size_t end;
        if (name_starts_with(idx->chars + name->start, name->len, q, &end)) {
                if (end == name->len)
                        *ret = (Scored){ MATCH_EXACT, 1.0 };
                else
                        *ret = (Scored){ MATCH_PREFIX, 0.9 + 0.1 * (double) q->len / (double) name->len };
                return 0;
        }
        MatchKind kind = MATCH_FUZZY;
        double sum = 0;
        for (size_t t = 0; t < q->n_terms; t++) {
                double best = -1;
                for (uint32_t f = 0; f < it->n_fields; f++) {
                        const Field *fl = &idx->fields[it->first_field + f];
                        int32_t s = match_term(q->terms[t].chars, q->terms[t].len, idx->chars + fl->start,
                                               idx->bonus + fl->start, fl->len, NULL);
                        if (s == -ENOMEM)
                                return s;
                        double v = s < 0 ? -1 : match_normalize(s, q->terms[t].len) * fl->weight / 100.0;
                        if (v > best)
                                best = v;
                }
                if (best < 0) {
                        for (uint32_t f = 0; f < it->n_fields && best < 0; f++) {
                                const Field *fl = &idx->fields[it->first_field + f];
                                if (match_typo(q->terms[t].chars, q->terms[t].len, idx->chars + fl->start,
                                               idx->bonus + fl->start, fl->len))
                                        best = WEIGHT_TYPO / 100.0 * fl->weight / 100.0;
                        }
                        if (best < 0) {
                                ret->kind = MATCH_NONE;
                                return 0;
                        }
                        kind = MATCH_TYPO;
                }
                sum += best;
        }
        *ret = (Scored){ kind, sum / (double) q->n_terms };
        return 0;
}

/* The characters of the name each term matched, for a UI to highlight:
 * ascending, each once. */
static int name_positions(const SearchIndex *idx, const Item *it, const Query *q, MatchKind kind, uint32_t **ret,
                          size_t *ret_n) {
        const Field *name = &idx->fields[it->first_field];
        *ret = NULL;
        *ret_n = 0;
        if (kind == MATCH_TYPO || q->len == 0)
                return 0;
        bool *hit = calloc(name->len ? name->len : 1, sizeof(bool));
        uint32_t *positions = malloc(SEARCH_TERM_MAX * sizeof(uint32_t));
        if (!hit || !positions) {
                free(hit), free(positions);
                return -ENOMEM;
        }
        const uint32_t *chars = idx->chars + name->start;
        if (kind >= MATCH_PREFIX)
                for (size_t i = 0, j = 0; i < q->len && j < name->len; i++, j++) {
                        while (j < name->len && chars[j] == 0)
                                j++;
                        if (j < name->len)
                                hit[j] = q->chars[i] != ' ';
                }
        else
                for (size_t t = 0; t < q->n_terms; t++) {
                        int32_t s = match_term(q->terms[t].chars, q->terms[t].len, idx->chars + name->start,
                                               idx->bonus + name->start, name->len, positions);
                        if (s == -ENOMEM) {
                                free(hit), free(positions);
                                return s;
                        }
                        for (size_t k = 0; s >= 0 && k < q->terms[t].len; k++)
                                hit[positions[k]] = true;
                }
        free(positions);
        size_t n = 0;
        for (size_t i = 0; i < name->len; i++)
                n += hit[i];
        uint32_t *out = n ? malloc(n * sizeof(uint32_t)) : NULL;
        if (n && !out) {
                free(hit);
                return -ENOMEM;
        }
        n = 0;
        for (size_t i = 0; i < name->len; i++)
                if (hit[i])
                        out[n++] = (uint32_t) i;
        free(hit);
        *ret = out;
        *ret_n = n;
        return 0;
}

/* ---- ranking */

typedef struct Candidate {
        const Item *item;
        MatchKind kind;
        double match, score;
} Candidate;

static int candidate_compare(const void *a, const void *b) {
        const Candidate *x = a, *y = b;
        if (x->kind != y->kind)
                return x->kind > y->kind ? -1 : 1;
        if (x->score != y->score)
                return x->score > y->score ? -1 : 1;
        return x->item->order < y->item->order ? -1 : x->item->order > y->item->order;
}

static bool item_listed(const Item *it, const SearchQuery *q) {
        if (it->action && !q->actions)
                return false;
        return desktop_entry_listed(it->entry, q->desktop);
}

int search_run(const SearchIndex *idx, const SearchQuery *sq, SearchResult **ret, size_t *ret_n) {
        _cleanup_free_ Query *q = malloc(sizeof(*q));
        _cleanup_free_ Candidate *c = malloc((idx->n_items ? idx->n_items : 1) * sizeof(*c));
        if (!q || !c)
                return -ENOMEM;
        query_parse(q, sq->query ?: "");
        size_t n = 0;
        for (size_t i = 0; i < idx->n_items; i++) {
                const Item *it = &idx->items[i];
                if (!item_listed(it, sq))
                        continue;
                Scored s = { MATCH_FUZZY, 0 };
                if (q->len > 0) {
                        int r = score_fields(idx, it, q, &s);
                        if (r < 0)
                                return r;
                        if (s.kind == MATCH_NONE)
                                continue;
                }
                c[n++] = (Candidate){ it, s.kind, s.match,
                                      SEARCH_MATCH_WEIGHT * s.match + SEARCH_USE_WEIGHT * it->use };
        }
        qsort(c, n, sizeof(*c), candidate_compare);
        if (sq->limit && n > sq->limit)
                n = sq->limit;
        SearchResult *results = calloc(n ? n : 1, sizeof(*results));
        if (!results)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                const Item *it = c[i].item;
                results[i] = (SearchResult){ .entry = it->entry, .action = it->action, .name = item_name(it),
                                             .kind = c[i].kind, .match = c[i].match, .use = it->use,
                                             .score = c[i].score };
                if (name_positions(idx, it, q, c[i].kind, &results[i].positions, &results[i].n_positions) < 0) {
                        search_results_free(results, n);
                        return -ENOMEM;
                }
        }
        *ret = results;
        *ret_n = n;
        return 0;
}

void search_results_free(SearchResult *r, size_t n) {
        for (size_t i = 0; r && i < n; i++)
                free(r[i].positions);
        free(r);
}

/* ---- one text */

int match_strings(const char *query, const char *text, MatchResult *ret) {
        *ret = (MatchResult){ .kind = MATCH_NONE };
        _cleanup_(search_index_freep) SearchIndex *idx = calloc(1, sizeof(*idx));
        _cleanup_free_ Query *q = malloc(sizeof(*q));
        if (!idx || !q || !(idx->items = calloc(1, sizeof(Item))))
                return -ENOMEM;
        int r = add_string_field(idx, text, WEIGHT_NAME);
        if (r < 0)
                return r;
        if (idx->n_fields == 0) /* an empty text */
                return 0;
        idx->n_items = 1;
        idx->items[0] = (Item){ .n_fields = 1 };
        query_parse(q, query);
        if (q->len == 0)
                return 0;
        Scored s;
        if ((r = score_fields(idx, &idx->items[0], q, &s)) < 0 || s.kind == MATCH_NONE)
                return r;
        ret->kind = s.kind;
        ret->score = s.match;
        return name_positions(idx, &idx->items[0], q, s.kind, &ret->positions, &ret->n_positions);
}

void match_result_done(MatchResult *r) {
        free(r->positions);
        *r = (MatchResult){ .kind = MATCH_NONE };
}
