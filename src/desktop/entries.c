/* SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/log.h"
#include "common/path.h"
#include "common/strmap.h"
#include "common/strv.h"
#include "common/utf8.h"
#include "desktop/entries.h"
#include "desktop/exec.h"
#include "desktop/keyfile.h"

#define GROUP "Desktop Entry"
/* Deeper than any real applications tree; stops symlink loops. */
#define MAX_DEPTH 8

struct EntryCache {
        DesktopEntry **entries;
        size_t n_entries, n_allocated;
        StrMap *by_id;
};

static void desktop_action_done(DesktopAction *a) {
        free(a->id);
        free(a->name);
        free(a->icon);
        free(a->exec);
        strv_free(a->exec_words);
}

static DesktopEntry *desktop_entry_free(DesktopEntry *d) {
        if (!d)
                return NULL;
        for (size_t i = 0; i < d->n_actions; i++)
                desktop_action_done(&d->actions[i]);
        free(d->actions);
        free(d->id);
        free(d->name);
        free(d->generic_name);
        free(d->comment);
        strv_free(d->keywords);
        strv_free(d->categories);
        free(d->icon);
        free(d->path);
        free(d->startup_wm_class);
        free(d->exec);
        strv_free(d->exec_words);
        strv_free(d->argv);
        free(d->file);
        strv_free(d->only_show_in);
        strv_free(d->not_show_in);
        strv_free(d->mime_types);
        free(d);
        return NULL;
}
DEFINE_TRIVIAL_CLEANUP_FUNC(DesktopEntry *, desktop_entry_free);

EntryCache *entry_cache_free(EntryCache *c) {
        if (!c)
                return NULL;
        for (size_t i = 0; i < c->n_entries; i++)
                desktop_entry_free(c->entries[i]);
        free(c->entries);
        strmap_free(c->by_id);
        free(c);
        return NULL;
}

char **xdg_data_dirs(void) {
        const char *home = getenv("XDG_DATA_HOME"), *dirs = getenv("XDG_DATA_DIRS");
        char *first = NULL;
        if (home && home[0] == '/')
                first = strdup(home);
        else if ((home = getenv("HOME")) && home[0] == '/' && asprintf(&first, "%s/.local/share", home) < 0)
                first = NULL;
        if (!dirs || !*dirs)
                dirs = "/usr/local/share:/usr/share";

        size_t n = 2;
        for (const char *p = dirs; *p; p++)
                n += *p == ':';
        char **l = calloc(n + 1, sizeof(char *));
        if (!l) {
                free(first);
                return NULL;
        }
        size_t k = 0;
        if (first)
                l[k++] = first;
        for (const char *p = dirs; *p;) {
                size_t len = strcspn(p, ":");
                if (len > 0 && p[0] == '/' && !(l[k++] = strndup(p, len)))
                        return strv_free(l);
                p += len;
                if (*p == ':')
                        p++;
        }
        return l;
}

const char *entries_locale(void) {
        const char *names[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
        for (size_t i = 0; i < ELEMENTSOF(names); i++) {
                const char *v = getenv(names[i]);
                if (v && *v)
                        return v;
        }
        return NULL;
}

/* Keys the specification types as strings are UTF-8. A value that is not
 * is reported with its file and line: the entry goes without an optional
 * key, and is skipped when it cannot do without the key. */
typedef enum KeyNeed {
        KEY_OPTIONAL,
        KEY_NEEDED,
} KeyNeed;

typedef struct EntryFile {
        const Keyfile *keyfile;
        const char *group; /* [Desktop Entry], or an action's */
        const char *file;
        const char *locale;
        bool unusable; /* a needed key is not UTF-8 */
} EntryFile;

/* The raw value of `key` (localized when `localized`), or NULL. */
static const char *get_raw(EntryFile *f, const char *key, bool localized, KeyNeed need) {
        const KeyfileEntry *en = localized ? keyfile_lookup_locale(f->keyfile, f->group, key, f->locale)
                                           : keyfile_lookup(f->keyfile, f->group, key);
        if (!en || utf8_is_valid_string(en->value))
                return en ? en->value : NULL;
        if (need == KEY_NEEDED)
                f->unusable = true;
        log_warning("%s:%u: %s is not UTF-8 text; %s", f->file, en->line, key,
                    need == KEY_NEEDED ? "skipped" : "ignored");
        return NULL;
}

static char *get_string(EntryFile *f, const char *key, bool localized, KeyNeed need) {
        const char *raw = get_raw(f, key, localized, need);
        return raw ? keyfile_unescape(raw) : NULL;
}

static char **get_list(EntryFile *f, const char *key, bool localized) {
        const char *raw = get_raw(f, key, localized, KEY_OPTIONAL);
        return raw ? keyfile_split_list(raw) : NULL;
}

static bool get_bool(EntryFile *f, const char *key) {
        return keyfile_parse_boolean(keyfile_get(f->keyfile, GROUP, key)) == 1;
}

/* Exec's program as GLib looks for it: in PATH, or from Path= when it is
 * a relative path. */
static bool program_found(const char *program, const char *path) {
        if (strchr(program, '/') && program[0] != '/' && path) {
                _cleanup_free_ char *joined = NULL;
                return asprintf(&joined, "%s/%s", path, program) >= 0 && access(joined, X_OK) == 0;
        }
        _cleanup_free_ char *found = path_find_executable(program);
        return found != NULL;
}

static bool try_exec_found(EntryFile *f) {
        _cleanup_free_ char *try_exec = get_string(f, "TryExec", false, KEY_OPTIONAL);
        if (!try_exec)
                return true;
        _cleanup_free_ char *found = path_find_executable(try_exec);
        return found != NULL;
}

/* The words of an Exec value, or NULL (with a warning naming file and line)
 * for one that is malformed. */
static int parse_exec(EntryFile *f, const char *raw, char **ret_exec, char ***ret_words) {
        Error e = {};
        _cleanup_free_ char *exec = keyfile_unescape(raw);
        if (!exec)
                return -ENOMEM;
        if (exec_parse(exec, ret_words, &e) < 0) {
                if (e.code == -ENOMEM)
                        return -ENOMEM;
                log_warning("%s:%u: %s; skipped", f->file, keyfile_lookup(f->keyfile, f->group, "Exec")->line,
                            error_message(&e));
                *ret_words = NULL;
                return 0;
        }
        *ret_exec = TAKE_PTR(exec);
        return 0;
}

/* The actions Actions= lists, each from its [Desktop Action ID] group (the
 * specification: a group not listed is ignored). An action without a group,
 * without an Exec, or with one that cannot be used is left out; the entry
 * stays. */
static int load_actions(EntryFile *f, DesktopEntry *d) {
        f->group = GROUP;
        _cleanup_(strv_freep) char **ids = get_list(f, "Actions", false);
        size_t n = strv_length(ids);
        if (n == 0)
                return 0;
        if (!(d->actions = calloc(n, sizeof(DesktopAction))))
                return -ENOMEM;
        int r = 0;
        for (char **id = ids; r >= 0 && *id; id++) {
                _cleanup_free_ char *group = NULL;
                if (!**id || desktop_entry_action(d, *id) || asprintf(&group, "Desktop Action %s", *id) < 0)
                        continue;
                if (!keyfile_has_group(f->keyfile, group))
                        continue;
                f->group = group;
                const char *exec = get_raw(f, "Exec", false, KEY_OPTIONAL);
                DesktopAction a = {};
                if (exec && (r = parse_exec(f, exec, &a.exec, &a.exec_words)) >= 0 && a.exec_words) {
                        a.id = strdup(*id);
                        a.name = get_string(f, "Name", true, KEY_OPTIONAL) ?: strdup(*id);
                        a.icon = get_string(f, "Icon", false, KEY_OPTIONAL);
                        if (!a.id || !a.name)
                                r = -ENOMEM;
                }
                if (r < 0 || !a.exec_words) {
                        desktop_action_done(&a);
                        continue;
                }
                d->actions[d->n_actions++] = a;
        }
        f->group = GROUP;
        return r;
}

/* NULL (not an error) for a file that is to be skipped. */
static int entry_load(const char *file, const char *id, const char *locale, DesktopEntry **ret) {
        *ret = NULL;
        if (!utf8_is_valid_string(file) || !utf8_is_valid_string(id)) {
                log_warning("%s: the file's name is not UTF-8; skipped", file);
                return 0;
        }
        Error e = {};
        _cleanup_(keyfile_freep) Keyfile *k = NULL;
        if (keyfile_load(file, 0, &k, &e) < 0) {
                log_warning("%s; skipped", error_message(&e));
                return e.code == -ENOMEM ? -ENOMEM : 0;
        }
        if (!keyfile_has_group(k, GROUP)) {
                log_warning("%s: no [" GROUP "] group; skipped", file);
                return 0;
        }
        EntryFile f = { .keyfile = k, .group = GROUP, .file = file, .locale = locale };

        /* Hidden=true: the entry does not exist. NoDisplay=true: it does,
         * and is launched by its ID, but not listed (the specification:
         * "don't display it in the menus"). */
        const char *type = keyfile_get(k, GROUP, "Type");
        if (!type || strcmp(type, "Application") != 0 || get_bool(&f, "Hidden"))
                return 0;
        const char *exec = get_raw(&f, "Exec", false, KEY_NEEDED);
        if (!exec || !try_exec_found(&f))
                return 0;

        _cleanup_(desktop_entry_freep) DesktopEntry *d = calloc(1, sizeof(*d));
        if (!d)
                return -ENOMEM;
        d->id = strdup(id);
        d->file = strdup(file);
        d->name = get_string(&f, "Name", true, KEY_NEEDED);
        if (f.unusable)
                return 0;
        if (!d->name)
                d->name = strdup(id);
        d->icon = get_string(&f, "Icon", false, KEY_OPTIONAL);
        if (!d->id || !d->file || !d->name)
                return -ENOMEM;
        int r = parse_exec(&f, exec, &d->exec, &d->exec_words);
        if (r < 0 || !d->exec_words)
                return r;
        _cleanup_(exec_argvs_freep) char ***argvs = NULL;
        r = exec_expand(d->exec_words, &(ExecContext){ .name = d->name, .icon = d->icon, .file = d->file }, NULL,
                        &argvs, &e);
        if (r < 0) {
                if (e.code == -ENOMEM)
                        return -ENOMEM;
                log_warning("%s: %s; skipped", file, error_message(&e));
                return 0;
        }
        d->argv = TAKE_PTR(argvs[0]);
        d->generic_name = get_string(&f, "GenericName", true, KEY_OPTIONAL);
        d->comment = get_string(&f, "Comment", true, KEY_OPTIONAL);
        d->keywords = get_list(&f, "Keywords", true);
        d->categories = get_list(&f, "Categories", false);
        if ((r = load_actions(&f, d)) < 0)
                return r;
        d->path = get_string(&f, "Path", false, KEY_OPTIONAL);
        d->startup_wm_class = get_string(&f, "StartupWMClass", false, KEY_OPTIONAL);
        d->terminal = get_bool(&f, "Terminal");
        d->no_display = get_bool(&f, "NoDisplay");
        d->only_show_in = get_list(&f, "OnlyShowIn", false);
        d->not_show_in = get_list(&f, "NotShowIn", false);
        /* An empty Path= means none. */
        if (d->path && !*d->path) {
                free(d->path);
                d->path = NULL;
        }
        d->program_missing = !program_found(d->exec_words[0], d->path);
        d->no_fuse = get_bool(&f, "X-GIO-NoFuse");
        d->mime_types = get_list(&f, "MimeType", false);
        *ret = TAKE_PTR(d);
        return 0;
}

typedef struct Scan {
        EntryCache *cache;
        StrMap *seen; /* every ID a file was found for, kept or not */
        char **seen_ids;
        size_t n_seen, n_seen_allocated;
        const char *locale;
        unsigned data_dir; /* the index of the data directory being scanned */
} Scan;

/* Remembers the ID; false when an earlier file already had it. */
static int scan_claim(Scan *s, const char *id, bool *ret_first) {
        if (strmap_get(s->seen, id)) {
                *ret_first = false;
                return 0;
        }
        if (GROW(s->seen_ids, s->n_seen_allocated, s->n_seen + 1, 256) < 0)
                return -ENOMEM;
        char *copy = strdup(id);
        if (!copy)
                return -ENOMEM;
        s->seen_ids[s->n_seen++] = copy;
        if (strmap_put(s->seen, copy, copy) < 0)
                return -ENOMEM;
        *ret_first = true;
        return 0;
}

static int cache_add(EntryCache *c, DesktopEntry *d) {
        if (GROW(c->entries, c->n_allocated, c->n_entries + 1, 64) < 0)
                return -ENOMEM;
        c->entries[c->n_entries++] = d;
        return 0;
}

static bool has_suffix(const char *s, const char *suffix) {
        size_t n = strlen(s), m = strlen(suffix);
        return n > m && strcmp(s + n - m, suffix) == 0;
}

/* `dir` is a directory below applications/; `prefix` its ID prefix ("" or
 * "kde4-"). */
static int scan_dir(Scan *s, const char *dir, const char *prefix, unsigned depth) {
        if (depth > MAX_DEPTH)
                return 0;
        DIR *d = opendir(dir);
        if (!d)
                return 0; /* missing directories are the common case */

        int r = 0;
        struct dirent *de;
        while (r >= 0 && (de = readdir(d))) {
                if (de->d_name[0] == '.')
                        continue;
                char path[PATH_MAX];
                if (snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >= (int) sizeof(path))
                        continue;

                bool is_dir = de->d_type == DT_DIR, is_file = de->d_type == DT_REG;
                if (de->d_type == DT_LNK || de->d_type == DT_UNKNOWN) {
                        struct stat st;
                        if (stat(path, &st) < 0)
                                continue;
                        is_dir = S_ISDIR(st.st_mode);
                        is_file = S_ISREG(st.st_mode);
                }

                if (is_dir) {
                        char sub[PATH_MAX];
                        if (snprintf(sub, sizeof(sub), "%s%s-", prefix, de->d_name) < (int) sizeof(sub))
                                r = scan_dir(s, path, sub, depth + 1);
                        continue;
                }
                if (!is_file || !has_suffix(de->d_name, ".desktop"))
                        continue;

                char id[PATH_MAX];
                if (snprintf(id, sizeof(id), "%s%.*s", prefix, (int) (strlen(de->d_name) - strlen(".desktop")),
                             de->d_name) >= (int) sizeof(id))
                        continue;
                bool first;
                r = scan_claim(s, id, &first);
                if (r < 0 || !first)
                        continue;

                DesktopEntry *entry;
                r = entry_load(path, id, s->locale, &entry);
                if (r >= 0 && entry) {
                        entry->data_dir = s->data_dir;
                        r = cache_add(s->cache, entry);
                        if (r < 0)
                                desktop_entry_free(entry);
                }
        }
        closedir(d);
        return r;
}

static int compare_entries(const void *a, const void *b) {
        return strcmp((*(DesktopEntry *const *) a)->id, (*(DesktopEntry *const *) b)->id);
}

int entry_cache_scan(char *const *data_dirs, const char *locale, EntryCache **ret) {
        assert_return(ret, -EINVAL);

        _cleanup_(entry_cache_freep) EntryCache *c = calloc(1, sizeof(*c));
        if (!c || !(c->by_id = strmap_new()))
                return -ENOMEM;
        Scan s = { .cache = c, .seen = strmap_new(), .locale = locale };
        int r = s.seen ? 0 : -ENOMEM;

        for (char *const *dir = data_dirs; r >= 0 && dir && *dir; dir++, s.data_dir++) {
                char apps[PATH_MAX];
                if (snprintf(apps, sizeof(apps), "%s/applications", *dir) < (int) sizeof(apps))
                        r = scan_dir(&s, apps, "", 0);
        }
        for (size_t i = 0; i < s.n_seen; i++)
                free(s.seen_ids[i]);
        free(s.seen_ids);
        strmap_free(s.seen);
        if (r < 0)
                return r;

        /* qsort() wants an array even for none. */
        if (c->n_entries > 0)
                qsort(c->entries, c->n_entries, sizeof(*c->entries), compare_entries);
        for (size_t i = 0; i < c->n_entries; i++)
                if (strmap_put(c->by_id, c->entries[i]->id, c->entries[i]) < 0)
                        return -ENOMEM;
        *ret = TAKE_PTR(c);
        return 0;
}

size_t entry_cache_size(const EntryCache *c) {
        return c ? c->n_entries : 0;
}

const DesktopEntry *entry_cache_at(const EntryCache *c, size_t i) {
        return c && i < c->n_entries ? c->entries[i] : NULL;
}

/* The ID without ".desktop" in `id`; false when there is none or it is too long. */
static bool bare_id(const char *requested, char *id, size_t size) {
        size_t len = strlen(requested);
        if (has_suffix(requested, ".desktop"))
                len -= strlen(".desktop");
        if (len == 0 || len >= size)
                return false;
        memcpy(id, requested, len);
        id[len] = 0;
        return true;
}

const DesktopEntry *entry_cache_get(const EntryCache *c, const char *requested) {
        char id[PATH_MAX];
        if (!c || !requested || !bare_id(requested, id, sizeof(id)))
                return NULL;
        return strmap_get(c->by_id, id);
}

const DesktopEntry *entry_cache_resolve(const EntryCache *c, const char *requested) {
        char id[PATH_MAX];
        if (!c || !requested || !bare_id(requested, id, sizeof(id)))
                return NULL;

        const DesktopEntry *d = strmap_get(c->by_id, id);
        if (d)
                return d;

        /* The last dot-separated segment, case-insensitively. Entries are
         * sorted, so the first match is the same on every run. */
        /* NoDisplay entries (helpers, MIME handlers) only by their exact ID:
         * a short name means the app a person sees. */
        for (size_t i = 0; i < c->n_entries; i++) {
                const char *dot = strrchr(c->entries[i]->id, '.');
                if (!c->entries[i]->no_display && dot && strcasecmp(dot + 1, id) == 0)
                        return c->entries[i];
        }
        for (size_t i = 0; i < c->n_entries; i++)
                if (!c->entries[i]->no_display && strcasecmp(c->entries[i]->id, id) == 0)
                        return c->entries[i];
        return NULL;
}

const DesktopEntry *entry_cache_lookup(const EntryCache *c, const char *requested, const char **ret_action) {
        if (ret_action)
                *ret_action = NULL;
        if (!requested)
                return NULL;
        if (requested[0] == '/')
                return entry_cache_find_file(c, requested);
        const DesktopEntry *d = entry_cache_resolve(c, requested);
        /* ID:ACTION; an ID with a ':' of its own was tried whole above. */
        const char *colon = strrchr(requested, ':');
        char id[PATH_MAX];
        if (d || !colon || !colon[1] || (size_t) (colon - requested) >= sizeof(id))
                return d;
        memcpy(id, requested, (size_t) (colon - requested));
        id[colon - requested] = 0;
        if ((d = entry_cache_resolve(c, id)) && ret_action)
                *ret_action = colon + 1;
        return d;
}

const DesktopEntry *entry_cache_find_file(const EntryCache *c, const char *path) {
        if (!c || !path)
                return NULL;
        for (size_t i = 0; i < c->n_entries; i++)
                if (strcmp(c->entries[i]->file, path) == 0)
                        return c->entries[i];
        /* The same file by another name (a symlinked data directory, as
         * Flatpak's exports are): rare, so resolved only now. */
        _cleanup_free_ char *real = realpath(path, NULL);
        for (size_t i = 0; real && i < c->n_entries; i++) {
                _cleanup_free_ char *other = realpath(c->entries[i]->file, NULL);
                if (other && strcmp(other, real) == 0)
                        return c->entries[i];
        }
        return NULL;
}

const DesktopEntry *entry_cache_match_exec(const EntryCache *c, char *const *argv,
                                           const DesktopAction **ret_action) {
        const DesktopEntry *found = NULL;
        const DesktopAction *found_action = NULL;
        size_t n = 0;
        for (size_t i = 0; c && i < c->n_entries; i++) {
                const DesktopEntry *d = c->entries[i];
                if (d->no_display)
                        continue;
                if (exec_matches(d->exec_words, argv)) {
                        found = d;
                        found_action = NULL;
                        n++;
                }
                for (size_t k = 0; k < d->n_actions; k++)
                        if (exec_matches(d->actions[k].exec_words, argv)) {
                                found = d;
                                found_action = &d->actions[k];
                                n++;
                        }
        }
        if (n != 1)
                return NULL;
        if (ret_action)
                *ret_action = found_action;
        return found;
}

const DesktopAction *desktop_entry_action(const DesktopEntry *e, const char *id) {
        for (size_t i = 0; e && id && i < e->n_actions; i++)
                if (strcmp(e->actions[i].id, id) == 0)
                        return &e->actions[i];
        return NULL;
}

static bool desktop_in_list(const char *current, char *const *list) {
        for (const char *p = current; p && *p;) {
                size_t len = strcspn(p, ":");
                for (char *const *i = list; *i; i++)
                        if (strlen(*i) == len && strncmp(*i, p, len) == 0)
                                return true;
                p += len;
                if (*p == ':')
                        p++;
        }
        return false;
}

ExecContext desktop_entry_exec_context(const DesktopEntry *e, const DesktopAction *a, const char *cwd) {
        return (ExecContext){ .name = e->name,
                              .icon = a && a->icon ? a->icon : e->icon,
                              .file = e->file,
                              .cwd = cwd,
                              .local_as_uri = e->no_fuse };
}

bool desktop_entry_listed(const DesktopEntry *e, const char *current_desktop) {
        return e && !e->no_display && !e->program_missing && desktop_entry_shown_in(e, current_desktop);
}

size_t entry_cache_count_listed(const EntryCache *c, bool all, const char *current_desktop) {
        size_t n = 0;
        for (size_t i = 0; i < entry_cache_size(c); i++)
                n += all || desktop_entry_listed(entry_cache_at(c, i), current_desktop);
        return n;
}

bool desktop_entry_shown_in(const DesktopEntry *e, const char *current_desktop) {
        if (!e)
                return false;
        if (e->only_show_in && !desktop_in_list(current_desktop, e->only_show_in))
                return false;
        if (e->not_show_in && desktop_in_list(current_desktop, e->not_show_in))
                return false;
        return true;
}
