/* SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/strmap.h"
#include "common/strv.h"
#include "desktop/keyfile.h"
#include "desktop/mime-type.h"
#include "desktop/mimeapps.h"

#define GROUP_DEFAULT "Default Applications"
#define GROUP_ADDED "Added Associations"
#define GROUP_REMOVED "Removed Associations"
#define GROUP_CACHE "MIME Cache"

/* What the files of one directory say of one type. */
typedef struct Tweaks {
        char *type; /* unaliased */
        char **additions, **removals, **defaults;
} Tweaks;

typedef struct MimeDir {
        char *path;
        int data_dir;   /* its index among the data directories, or -1 for a config directory */
        bool has_cache; /* a mimeinfo.cache was read: its entries' MimeType= lines are not */
        StrMap *by_type;
        Tweaks **tweaks;
        size_t n_tweaks, allocated;
} MimeDir;

/* A file as it was when read (or found absent), to see it change. */
typedef struct Stamp {
        char *path;
        bool exists;
        dev_t dev;
        ino_t ino;
        off_t size;
        struct timespec mtime;
} Stamp;

struct MimeApps {
        MimeDir *dirs;
        size_t n_dirs;
        Stamp *stamps;
        size_t n_stamps, stamps_allocated;
        char **data_dirs;
        char **config_dirs;
        char *desktops;
};

static void mime_dir_done(MimeDir *d) {
        for (size_t i = 0; i < d->n_tweaks; i++) {
                free(d->tweaks[i]->type);
                strv_free(d->tweaks[i]->additions);
                strv_free(d->tweaks[i]->removals);
                strv_free(d->tweaks[i]->defaults);
                free(d->tweaks[i]);
        }
        free(d->tweaks);
        strmap_free(d->by_type);
        free(d->path);
}

MimeApps *mimeapps_free(MimeApps *m) {
        if (!m)
                return NULL;
        for (size_t i = 0; i < m->n_dirs; i++)
                mime_dir_done(&m->dirs[i]);
        free(m->dirs);
        for (size_t i = 0; i < m->n_stamps; i++)
                free(m->stamps[i].path);
        free(m->stamps);
        strv_free(m->data_dirs);
        strv_free(m->config_dirs);
        free(m->desktops);
        free(m);
        return NULL;
}

/* $XDG_CONFIG_HOME (~/.config), then $XDG_CONFIG_DIRS (/etc/xdg); relative
 * paths are ignored. */
static char **config_dirs(void) {
        const char *home = getenv("XDG_CONFIG_HOME"), *dirs = getenv("XDG_CONFIG_DIRS");
        _cleanup_(strv_freep) char **l = NULL;
        char *first = NULL;
        if (home && home[0] == '/')
                first = strdup(home);
        else if ((home = getenv("HOME")) && home[0] == '/' && asprintf(&first, "%s/.config", home) < 0)
                return NULL;
        if (first && strv_push(&l, first) < 0)
                return NULL;
        if (!dirs || !*dirs)
                dirs = "/etc/xdg";
        for (const char *p = dirs; *p;) {
                size_t len = strcspn(p, ":");
                if (len > 0 && p[0] == '/' && strv_push(&l, strndup(p, len)) < 0)
                        return NULL;
                p += len;
                p += *p == ':';
        }
        /* An empty list is one, not "out of memory". */
        if (!l && !(l = calloc(1, sizeof(char *))))
                return NULL;
        return TAKE_PTR(l);
}

static void stamp_read(Stamp *s) {
        struct stat st;
        s->exists = stat(s->path, &st) == 0;
        if (s->exists) {
                s->dev = st.st_dev;
                s->ino = st.st_ino;
                s->size = st.st_size;
                s->mtime = st.st_mtim;
        }
}

static bool stamp_changed(const Stamp *s) {
        Stamp now = { .path = s->path };
        stamp_read(&now);
        if (now.exists != s->exists)
                return true;
        return now.exists && (now.dev != s->dev || now.ino != s->ino || now.size != s->size ||
                              now.mtime.tv_sec != s->mtime.tv_sec || now.mtime.tv_nsec != s->mtime.tv_nsec);
}

static Tweaks *tweaks_get(MimeDir *d, const char *type) {
        _cleanup_free_ char *unaliased = mime_type_unalias(type);
        if (!unaliased)
                return NULL;
        Tweaks *t = d->by_type ? strmap_get(d->by_type, unaliased) : NULL;
        if (t)
                return t;
        if ((!d->by_type && !(d->by_type = strmap_new())) || GROW(d->tweaks, d->allocated, d->n_tweaks + 1, 16) < 0 ||
            !(t = calloc(1, sizeof(*t))))
                return NULL;
        t->type = TAKE_PTR(unaliased);
        d->tweaks[d->n_tweaks++] = t;
        if (strmap_put(d->by_type, t->type, t) < 0)
                return NULL;
        return t;
}

/* Adds each of `ids` to *list unless it is there or in `blocked`. */
static int expand(char ***list, char *const *ids, char *const *blocked) {
        for (char *const *id = ids; id && *id; id++) {
                if (strv_contains(blocked, *id) || strv_contains(*list, *id))
                        continue;
                if (strv_push(list, strdup(*id)) < 0)
                        return -ENOMEM;
        }
        return 0;
}

typedef enum ListKind {
        LIST_DEFAULTS,
        LIST_ADDED,
        LIST_REMOVED,
} ListKind;

static int read_group(MimeDir *d, const Keyfile *k, const char *group, ListKind kind) {
        for (size_t i = 0; i < keyfile_n_entries(k); i++) {
                const KeyfileEntry *en = keyfile_entry(k, i);
                /* A key given twice: its last value, once. */
                if (en->locale || strcmp(en->group, group) != 0 || keyfile_lookup(k, group, en->key) != en)
                        continue;
                _cleanup_(strv_freep) char **ids = keyfile_split_list(en->value);
                Tweaks *t = ids ? tweaks_get(d, en->key) : NULL;
                if (!t)
                        return -ENOMEM;
                int r = kind == LIST_DEFAULTS ? expand(&t->defaults, ids, NULL)
                        : kind == LIST_ADDED  ? expand(&t->additions, ids, t->removals)
                                              : expand(&t->removals, ids, t->additions);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* One file of a directory; `added`: the group that adds associations, or
 * NULL where only defaults count. */
static int read_list(MimeApps *m, MimeDir *d, const char *file, const char *added) {
        char path[PATH_MAX];
        if (snprintf(path, sizeof(path), "%s/%s", d->path, file) >= (int) sizeof(path))
                return 0;
        if (GROW(m->stamps, m->stamps_allocated, m->n_stamps + 1, 16) < 0)
                return -ENOMEM;
        Stamp *s = &m->stamps[m->n_stamps];
        if (!(*s = (Stamp){ .path = strdup(path) }).path)
                return -ENOMEM;
        m->n_stamps++;
        stamp_read(s);
        if (!s->exists)
                return 0;

        Error e = {};
        _cleanup_(keyfile_freep) Keyfile *k = NULL;
        if (keyfile_load(path, 0, &k, &e) < 0)
                return e.code == -ENOMEM ? -ENOMEM : 0;
        if (added && strcmp(added, GROUP_CACHE) == 0)
                d->has_cache = true;
        int r = 0;
        if (added && (r = read_group(d, k, added, LIST_ADDED)) >= 0)
                r = read_group(d, k, GROUP_REMOVED, LIST_REMOVED);
        if (r >= 0)
                r = read_group(d, k, GROUP_DEFAULT, LIST_DEFAULTS);
        return r;
}

/* A data directory without mimeinfo.cache: its entries' MimeType= lines,
 * as the cache would have them (additions after mimeapps.list's), in ID order. */
static int read_entries(MimeDir *d, const EntryCache *c) {
        for (size_t i = 0; i < entry_cache_size(c); i++) {
                const DesktopEntry *e = entry_cache_at(c, i);
                if ((int) e->data_dir != d->data_dir)
                        continue;
                char *id[] = { e->id, NULL };
                for (char **type = e->mime_types; type && *type; type++) {
                        Tweaks *t = tweaks_get(d, *type);
                        if (!t || expand(&t->additions, id, t->removals) < 0)
                                return -ENOMEM;
                }
        }
        return 0;
}

static int read_dir(MimeApps *m, MimeDir *d, char *const *desktops, const EntryCache *c) {
        int r = 0;
        for (char *const *desktop = desktops; r >= 0 && desktop && *desktop; desktop++) {
                char file[NAME_MAX + 1];
                if (snprintf(file, sizeof(file), "%s-mimeapps.list", *desktop) < (int) sizeof(file))
                        r = read_list(m, d, file, NULL);
        }
        if (r >= 0)
                r = read_list(m, d, "mimeapps.list", GROUP_ADDED);
        if (r >= 0 && d->data_dir >= 0 && (r = read_list(m, d, "defaults.list", NULL)) >= 0)
                r = read_list(m, d, "mimeinfo.cache", GROUP_CACHE);
        if (r >= 0 && d->data_dir >= 0 && !d->has_cache)
                r = read_entries(d, c);
        return r;
}

/* XDG_CURRENT_DESKTOP's names, lower-cased. */
static char **split_desktops(const char *desktops) {
        _cleanup_(strv_freep) char **l = calloc(1, sizeof(char *));
        for (const char *p = desktops; l && p && *p;) {
                size_t len = strcspn(p, ":");
                if (len > 0) {
                        char *name = strndup(p, len);
                        for (char *c = name; c && *c; c++)
                                *c = (char) tolower((unsigned char) *c);
                        /* A name that would leave the directory is none. */
                        if (name && strchr(name, '/'))
                                name[0] = 0;
                        if (strv_push(&l, name) < 0)
                                return NULL;
                }
                p += len;
                p += *p == ':';
        }
        return TAKE_PTR(l);
}

static int add_dir(MimeApps *m, const char *path, int data_dir) {
        MimeDir *l = realloc(m->dirs, (m->n_dirs + 1) * sizeof(*l));
        if (!l)
                return -ENOMEM;
        m->dirs = l;
        l[m->n_dirs] = (MimeDir){ .data_dir = data_dir };
        if (data_dir < 0 ? !(l[m->n_dirs].path = strdup(path))
                         : asprintf(&l[m->n_dirs].path, "%s/applications", path) < 0) {
                l[m->n_dirs].path = NULL;
                return -ENOMEM;
        }
        m->n_dirs++;
        return 0;
}

int mimeapps_load(char *const *data_dirs, const char *desktops, const EntryCache *entries, MimeApps **ret) {
        assert_return(ret, -EINVAL);

        _cleanup_(mimeapps_freep) MimeApps *m = calloc(1, sizeof(*m));
        if (!m || !(m->config_dirs = config_dirs()) || !(m->data_dirs = strv_copy(data_dirs)) ||
            (desktops && !(m->desktops = strdup(desktops))))
                return -ENOMEM;
        _cleanup_(strv_freep) char **names = split_desktops(desktops);
        if (!names)
                return -ENOMEM;
        int r = 0;
        for (char **d = m->config_dirs; r >= 0 && *d; d++)
                r = add_dir(m, *d, -1);
        for (size_t i = 0; r >= 0 && data_dirs && data_dirs[i] && i < INT_MAX; i++)
                r = add_dir(m, data_dirs[i], (int) i);
        for (size_t i = 0; r >= 0 && i < m->n_dirs; i++)
                r = read_dir(m, &m->dirs[i], names, entries);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(m);
        return 0;
}

static bool strv_equal(char *const *a, char *const *b) {
        size_t i = 0;
        for (; a && a[i] && b && b[i]; i++)
                if (strcmp(a[i], b[i]) != 0)
                        return false;
        return !(a && a[i]) && !(b && b[i]);
}

bool mimeapps_outdated(const MimeApps *m, char *const *data_dirs, const char *desktops) {
        if (!m || strcmp(m->desktops ? m->desktops : "", desktops ? desktops : "") != 0 ||
            !strv_equal(m->data_dirs, data_dirs))
                return true;
        _cleanup_(strv_freep) char **now = config_dirs();
        if (!now || !strv_equal(now, m->config_dirs))
                return true;
        for (size_t i = 0; i < m->n_stamps; i++)
                if (stamp_changed(&m->stamps[i]))
                        return true;
        return false;
}

/* ---- resolving */

/* GIO's masking: an ID in a directory is hidden by a file of the same ID in
 * a directory before it (config directories hold no entries). */
static bool masked(const MimeDir *d, const EntryCache *c, const char *id) {
        const DesktopEntry *e = d->data_dir >= 0 ? entry_cache_get(c, id) : NULL;
        return e && (int) e->data_dir < d->data_dir;
}

/* A list of IDs under construction: borrowed strings. */
typedef struct IdList {
        const char **ids;
        size_t n, allocated;
} IdList;

/* The same desktop file ID, with or without ".desktop" (entries' IDs are
 * without, the lists' with). */
static bool id_equal(const char *a, const char *b) {
        size_t na = strlen(a), nb = strlen(b);
        if (na > 8 && strcmp(a + na - 8, ".desktop") == 0)
                na -= 8;
        if (nb > 8 && strcmp(b + nb - 8, ".desktop") == 0)
                nb -= 8;
        return na == nb && strncmp(a, b, na) == 0;
}

static bool id_list_has(const IdList *l, const char *id) {
        for (size_t i = 0; i < l->n; i++)
                if (id_equal(l->ids[i], id))
                        return true;
        return false;
}

static int id_list_add(IdList *l, const char *id) {
        if (id_list_has(l, id))
                return 0;
        if (GROW(l->ids, l->allocated, l->n + 1, 16) < 0)
                return -ENOMEM;
        l->ids[l->n++] = id;
        return 0;
}

static int consider(const MimeDir *d, const EntryCache *c, const char *id, IdList *hits, IdList *blocked,
                    bool remove) {
        if (masked(d, c, id) || id_list_has(blocked, id) || id_list_has(hits, id))
                return 0;
        return id_list_add(remove ? blocked : hits, id);
}

/* The associations of one directory for one type: added ones become hits,
 * removed ones are blocked for the directories after it. */
static int dir_lookup(const MimeDir *d, const EntryCache *c, const char *type, IdList *hits, IdList *blocked) {
        const Tweaks *t = d->by_type ? strmap_get(d->by_type, type) : NULL;
        int r = 0;
        for (char **id = t ? t->additions : NULL; r >= 0 && id && *id; id++)
                r = consider(d, c, *id, hits, blocked, false);
        for (char **id = t ? t->removals : NULL; r >= 0 && id && *id; id++)
                r = consider(d, c, *id, hits, blocked, true);
        return r;
}

/* Installed as GIO sees it: its program found too. */
static const DesktopEntry *usable(const EntryCache *c, const char *id, mimeapps_skip_t skip, void *userdata) {
        const DesktopEntry *e = entry_cache_get(c, id);
        return e && !e->program_missing && !(skip && skip(e, userdata)) ? e : NULL;
}

const DesktopEntry *mimeapps_default(const MimeApps *m, const EntryCache *c, char *const *types,
                                     mimeapps_skip_t skip, void *userdata) {
        if (!m || !c)
                return NULL;
        IdList hits = {}, blocked = {};
        const DesktopEntry *found = NULL;
        for (char *const *type = types; !found && type && *type; type++) {
                hits.n = 0; /* what was blocked stays blocked for the parents */
                int r = 0;
                for (size_t i = 0; r >= 0 && i < m->n_dirs; i++) {
                        const Tweaks *t = m->dirs[i].by_type ? strmap_get(m->dirs[i].by_type, *type) : NULL;
                        for (char **id = t ? t->defaults : NULL; r >= 0 && id && *id; id++)
                                r = id_list_add(&hits, *id);
                }
                for (size_t i = 0; r >= 0 && i < m->n_dirs; i++)
                        r = dir_lookup(&m->dirs[i], c, *type, &hits, &blocked);
                if (r < 0)
                        break;
                for (size_t i = 0; !found && i < hits.n; i++)
                        found = usable(c, hits.ids[i], skip, userdata);
        }
        free(hits.ids);
        free(blocked.ids);
        return found;
}

int mimeapps_all(const MimeApps *m, const EntryCache *c, char *const *types, mimeapps_skip_t skip,
                 void *userdata, const DesktopEntry ***ret, size_t *ret_n) {
        assert_return(m && c && ret && ret_n, -EINVAL);

        IdList hits = {}, blocked = {};
        int r = 0;
        for (char *const *type = types; r >= 0 && type && *type; type++)
                for (size_t i = 0; r >= 0 && i < m->n_dirs; i++)
                        r = dir_lookup(&m->dirs[i], c, *type, &hits, &blocked);

        _cleanup_free_ const DesktopEntry **list = calloc(hits.n + 1, sizeof(*list));
        size_t n = 0;
        const DesktopEntry *first = mimeapps_default(m, c, types, skip, userdata);
        if (list && first)
                list[n++] = first;
        for (size_t i = 0; list && i < hits.n; i++) {
                const DesktopEntry *e = usable(c, hits.ids[i], skip, userdata);
                if (e && e != first)
                        list[n++] = e;
        }
        free(hits.ids);
        free(blocked.ids);
        if (r < 0 || !list)
                return -ENOMEM;
        *ret = TAKE_PTR(list);
        *ret_n = n;
        return 0;
}

/* ---- editing */

/* Whether the line (up to its end) is the group's header. */
static bool is_header(const char *line, size_t len, const char *group) {
        while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t' || line[len - 1] == '\r'))
                len--;
        size_t g = strlen(group);
        return len == g + 2 && line[0] == '[' && strncmp(line + 1, group, g) == 0 && line[g + 1] == ']';
}

/* Whether the line sets `key` (no locale): "KEY=..." or "KEY = ...". */
static bool sets_key(const char *line, size_t len, const char *key) {
        while (len > 0 && (*line == ' ' || *line == '\t'))
                line++, len--;
        size_t k = strlen(key);
        if (len <= k || strncmp(line, key, k) != 0)
                return false;
        for (size_t i = k; i < len; i++) {
                if (line[i] == '=')
                        return true;
                if (line[i] != ' ' && line[i] != '\t')
                        return false;
        }
        return false;
}

int mimeapps_edit(const char *text, const char *group, const char *key, const char *value, char **ret) {
        assert_return(text && group && key && ret, -EINVAL);

        char *out = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&out, &size);
        if (!f)
                return -ENOMEM;
        bool in_group = false, found_group = false, done = false;
        const char *p = text;
        while (*p) {
                size_t len = strcspn(p, "\n");
                bool header = p[0] == '[';
                if (header && in_group && !done) {
                        if (value)
                                fprintf(f, "%s=%s\n", key, value);
                        done = true;
                }
                if (header)
                        in_group = is_header(p, len, group), found_group |= in_group;
                if (in_group && !done && sets_key(p, len, key)) {
                        if (value)
                                fprintf(f, "%s=%s\n", key, value);
                        done = true;
                } else
                        fprintf(f, "%.*s\n", (int) len, p);
                p += len + (p[len] == '\n');
        }
        if (!done && value) {
                if (!found_group)
                        fprintf(f, "%s[%s]\n", size > 0 || ftell(f) > 0 ? "\n" : "", group);
                fprintf(f, "%s=%s\n", key, value);
        }
        if (fclose(f) != 0) {
                free(out);
                return -ENOMEM;
        }
        *ret = out;
        return 0;
}
