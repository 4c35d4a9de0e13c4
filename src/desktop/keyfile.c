/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fileio.h"
#include "common/strv.h"
#include "desktop/keyfile.h"

struct Keyfile {
        char *path;
        char *buffer; /* the file's text; entries point into it */
        KeyfileEntry *entries;
        size_t n_entries, n_allocated;
        const char **groups;
        unsigned *group_lines;
        size_t n_groups, n_groups_allocated;
        KeyfileLineError *line_errors;
        size_t n_line_errors, n_line_errors_allocated;
};

Keyfile *keyfile_free(Keyfile *k) {
        if (!k)
                return NULL;
        free(k->path);
        free(k->buffer);
        free(k->entries);
        free(k->groups);
        free(k->group_lines);
        for (size_t i = 0; i < k->n_line_errors; i++)
                free(k->line_errors[i].message);
        free(k->line_errors);
        free(k);
        return NULL;
}

/* GKeyFile takes more than the Desktop Entry Specification's A-Za-z0-9-:
 * MIME types are keys of mimeapps.list and mimeinfo.cache. Anything but
 * blanks, controls, '=' and the brackets of a locale. */
static bool is_key_char(char c) {
        return (unsigned char) c > ' ' && c != 0x7f && c != '=' && c != '[' && c != ']';
}

static bool is_locale_char(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
               c == '.' || c == '@';
}

static bool is_blank(char c) {
        return c == ' ' || c == '\t';
}

static const char *keyfile_find_group(const Keyfile *k, const char *name) {
        for (size_t i = 0; i < k->n_groups; i++)
                if (strcmp(k->groups[i], name) == 0)
                        return k->groups[i];
        return NULL;
}

static int keyfile_add_group(Keyfile *k, const char *name, unsigned line, const char **ret) {
        const char *existing = keyfile_find_group(k, name);
        if (existing) {
                /* As GLib does: a repeated header continues the group. */
                *ret = existing;
                return 0;
        }
        if (k->n_groups == k->n_groups_allocated) {
                size_t n = k->n_groups_allocated ? k->n_groups_allocated * 2 : 8;
                const char **g = realloc(k->groups, n * sizeof(*g));
                if (!g)
                        return -ENOMEM;
                k->groups = g;
                unsigned *l = realloc(k->group_lines, n * sizeof(*l));
                if (!l)
                        return -ENOMEM;
                k->group_lines = l;
                k->n_groups_allocated = n;
        }
        k->groups[k->n_groups] = name;
        k->group_lines[k->n_groups] = line;
        k->n_groups++;
        *ret = name;
        return 0;
}

static int keyfile_add_entry(Keyfile *k, const KeyfileEntry *entry) {
        if (GROW(k->entries, k->n_allocated, k->n_entries + 1, 32) < 0)
                return -ENOMEM;
        k->entries[k->n_entries++] = *entry;
        return 0;
}

/* In TRAILING_COMMENTS mode: cut `s` at a '#' that follows whitespace and
 * is outside double quotes, and drop trailing whitespace. */
static void cut_trailing_comment(char *s) {
        bool quoted = false;
        for (char *p = s; *p; p++) {
                if (*p == '\\' && p[1]) {
                        p++;
                        continue;
                }
                if (*p == '"')
                        quoted = !quoted;
                else if (*p == '#' && !quoted && (p == s || is_blank(p[-1]))) {
                        *p = 0;
                        break;
                }
        }
        size_t n = strlen(s);
        while (n > 0 && is_blank(s[n - 1]))
                s[--n] = 0;
}

static int parse_line(Keyfile *k, char *line, unsigned number, KeyfileFlags flags, const char **group, Error *e) {
        while (is_blank(*line))
                line++;
        if (*line == 0 || *line == '#')
                return 0;

        if (*line == '[') {
                char *end = strchr(line, ']');
                if (!end)
                        return error_setf(e, -EINVAL, "%s:%u: group header without ']'", k->path, number);
                *end = 0;
                char *rest = end + 1;
                if (flags & KEYFILE_TRAILING_COMMENTS)
                        cut_trailing_comment(rest);
                if (*rest)
                        return error_setf(e, -EINVAL, "%s:%u: text after the group header", k->path, number);
                const char *name = line + 1;
                if (!*name)
                        return error_setf(e, -EINVAL, "%s:%u: empty group name", k->path, number);
                for (const char *c = name; *c; c++)
                        if ((unsigned char) *c < 0x20 || *c == '[')
                                return error_setf(e, -EINVAL, "%s:%u: invalid character in group name", k->path,
                                                  number);
                return keyfile_add_group(k, name, number, group) < 0
                               ? error_setf(e, -ENOMEM, "out of memory")
                               : 0;
        }

        KeyfileEntry entry = { .line = number };
        char *p = line;
        while (is_key_char(*p))
                p++;
        if (p == line)
                return error_setf(e, -EINVAL, "%s:%u: expected a group header or Key=Value", k->path, number);
        char *key_end = p;
        if (*p == '[') {
                char *locale = p + 1;
                char *close = locale;
                while (is_locale_char(*close))
                        close++;
                if (*close != ']' || close == locale)
                        return error_setf(e, -EINVAL, "%s:%u: malformed locale in key", k->path, number);
                *close = 0;
                entry.locale = locale;
                p = close + 1;
        }
        while (is_blank(*p))
                p++;
        if (*p != '=')
                return error_setf(e, -EINVAL, "%s:%u: expected '=' after the key", k->path, number);
        *key_end = 0;
        p++;
        while (is_blank(*p))
                p++;
        if (flags & KEYFILE_TRAILING_COMMENTS)
                cut_trailing_comment(p);

        if (!*group)
                return error_setf(e, -EINVAL, "%s:%u: key outside of any group", k->path, number);
        entry.group = *group;
        entry.key = line;
        entry.value = p;
        return keyfile_add_entry(k, &entry) < 0 ? error_setf(e, -ENOMEM, "out of memory") : 0;
}

static bool is_group_header(const char *line) {
        while (is_blank(*line))
                line++;
        return *line == '[';
}

static int keep_line_error(Keyfile *k, unsigned line, const char *group, Error *e) {
        if (GROW(k->line_errors, k->n_line_errors_allocated, k->n_line_errors + 1, 4) < 0)
                return error_setf(e, -ENOMEM, "out of memory");
        char *message = strdup(error_message(e));
        if (!message)
                return error_setf(e, -ENOMEM, "out of memory");
        k->line_errors[k->n_line_errors++] = (KeyfileLineError){ .line = line, .group = group, .message = message };
        *e = (Error){};
        return 0;
}

int keyfile_parse(const char *path, const char *data, size_t size, KeyfileFlags flags, Keyfile **ret, Error *e) {
        assert_return(ret && (data || size == 0), error_setf(e, -EINVAL, "invalid argument"));
        if (!path)
                path = "<input>";
        if (size > KEYFILE_MAX_SIZE)
                return error_setf(e, -EFBIG, "%s: larger than %d bytes", path, KEYFILE_MAX_SIZE);
        if (memchr(data, 0, size))
                return error_setf(e, -EINVAL, "%s: contains a NUL byte", path);

        _cleanup_(keyfile_freep) Keyfile *k = calloc(1, sizeof(*k));
        if (!k || !(k->path = strdup(path)) || !(k->buffer = malloc(size + 1)))
                return error_setf(e, -ENOMEM, "out of memory");
        memcpy(k->buffer, data, size);
        k->buffer[size] = 0;

        char *text = k->buffer;
        if (size >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
                text += 3;

        const char *group = NULL;
        unsigned number = 0;
        bool skipping = false; /* after a broken group header */
        for (char *line = text; line;) {
                number++;
                char *next = strchr(line, '\n');
                if (next)
                        *next++ = 0;
                size_t len = strlen(line);
                if (len > 0 && line[len - 1] == '\r')
                        line[len - 1] = 0;
                const char *before = group;
                int r = parse_line(k, line, number, flags, &group, e);
                if (r == -EINVAL && (flags & KEYFILE_SKIP_BAD_LINES)) {
                        bool header = is_group_header(line);
                        if (!skipping || header) {
                                r = keep_line_error(k, number, header ? NULL : before, e);
                                if (r < 0)
                                        return r;
                        }
                        skipping = skipping || header;
                        if (header)
                                group = NULL;
                } else if (r < 0)
                        return r;
                else if (group != before)
                        skipping = false;
                line = next;
        }
        *ret = TAKE_PTR(k);
        return 0;
}

int keyfile_load(const char *path, KeyfileFlags flags, Keyfile **ret, Error *e) {
        _cleanup_free_ char *data = NULL;
        size_t size;
        int r = read_file(path, KEYFILE_MAX_SIZE, 0, &data, &size, e);
        if (r < 0)
                return r;
        return keyfile_parse(path, data, size, flags, ret, e);
}

size_t keyfile_n_entries(const Keyfile *k) {
        return k ? k->n_entries : 0;
}

const KeyfileEntry *keyfile_entry(const Keyfile *k, size_t i) {
        return k && i < k->n_entries ? &k->entries[i] : NULL;
}

size_t keyfile_n_line_errors(const Keyfile *k) {
        return k ? k->n_line_errors : 0;
}

const KeyfileLineError *keyfile_line_error(const Keyfile *k, size_t i) {
        return k && i < k->n_line_errors ? &k->line_errors[i] : NULL;
}

size_t keyfile_n_groups(const Keyfile *k) {
        return k ? k->n_groups : 0;
}

const char *keyfile_group(const Keyfile *k, size_t i, unsigned *ret_line) {
        if (!k || i >= k->n_groups)
                return NULL;
        if (ret_line)
                *ret_line = k->group_lines[i];
        return k->groups[i];
}

bool keyfile_has_group(const Keyfile *k, const char *group) {
        return k && group && keyfile_find_group(k, group);
}

static const KeyfileEntry *lookup_entry(const Keyfile *k, const char *group, const char *key, const char *locale,
                                        size_t locale_len) {
        /* Entries point at the group's one interned name. */
        const char *g = keyfile_find_group(k, group);
        if (!g)
                return NULL;
        for (size_t i = k->n_entries; i > 0; i--) {
                const KeyfileEntry *en = &k->entries[i - 1];
                if (en->group != g || strcmp(en->key, key) != 0)
                        continue;
                if (!locale ? !en->locale
                            : en->locale && strlen(en->locale) == locale_len &&
                                      strncmp(en->locale, locale, locale_len) == 0)
                        return en;
        }
        return NULL;
}

const KeyfileEntry *keyfile_lookup(const Keyfile *k, const char *group, const char *key) {
        if (!k || !group || !key)
                return NULL;
        return lookup_entry(k, group, key, NULL, 0);
}

const char *keyfile_get(const Keyfile *k, const char *group, const char *key) {
        const KeyfileEntry *en = keyfile_lookup(k, group, key);
        return en ? en->value : NULL;
}

const KeyfileEntry *keyfile_lookup_locale(const Keyfile *k, const char *group, const char *key, const char *locale) {
        if (!k || !group || !key)
                return NULL;
        if (locale && *locale && strcmp(locale, "C") != 0 && strcmp(locale, "POSIX") != 0) {
                /* lang_COUNTRY.ENCODING@MODIFIER: split, dropping ENCODING. */
                size_t lang = strcspn(locale, "_.@");
                const char *country = locale[lang] == '_' ? locale + lang + 1 : NULL;
                size_t country_len = country ? strcspn(country, ".@") : 0;
                const char *at = strchr(locale, '@');
                const char *modifier = at ? at + 1 : NULL;

                char candidate[256];
                const struct {
                        bool country, modifier;
                } order[] = { { true, true }, { true, false }, { false, true }, { false, false } };
                for (size_t i = 0; i < ELEMENTSOF(order); i++) {
                        if ((order[i].country && !country) || (order[i].modifier && !modifier))
                                continue;
                        int n = snprintf(candidate, sizeof(candidate), "%.*s%s%.*s%s%s", (int) lang, locale,
                                         order[i].country ? "_" : "", order[i].country ? (int) country_len : 0,
                                         order[i].country ? country : "", order[i].modifier ? "@" : "",
                                         order[i].modifier ? modifier : "");
                        if (n <= 0 || (size_t) n >= sizeof(candidate))
                                continue;
                        const KeyfileEntry *en = lookup_entry(k, group, key, candidate, (size_t) n);
                        if (en)
                                return en;
                }
        }
        return lookup_entry(k, group, key, NULL, 0);
}

const char *keyfile_get_locale(const Keyfile *k, const char *group, const char *key, const char *locale) {
        const KeyfileEntry *en = keyfile_lookup_locale(k, group, key, locale);
        return en ? en->value : NULL;
}

static char *unescape(const char *raw, bool list_item, const char **ret_end) {
        size_t n = strlen(raw);
        char *out = malloc(n + 1), *q = out;
        if (!out)
                return NULL;
        const char *p = raw;
        for (; *p; p++) {
                if (list_item && *p == ';')
                        break;
                if (*p != '\\' || !p[1]) {
                        *q++ = *p;
                        continue;
                }
                p++;
                switch (*p) {
                case 's':
                        *q++ = ' ';
                        break;
                case 'n':
                        *q++ = '\n';
                        break;
                case 't':
                        *q++ = '\t';
                        break;
                case 'r':
                        *q++ = '\r';
                        break;
                case '\\':
                        *q++ = '\\';
                        break;
                case ';':
                        if (list_item) {
                                *q++ = ';';
                                break;
                        }
                        /* fall through */
                default:
                        /* Unknown escapes stay as they are, as in GLib. */
                        *q++ = '\\';
                        *q++ = *p;
                }
        }
        *q = 0;
        if (ret_end)
                *ret_end = p;
        return out;
}

char *keyfile_unescape(const char *raw) {
        return raw ? unescape(raw, false, NULL) : NULL;
}

char **keyfile_split_list(const char *raw) {
        if (!raw)
                return NULL;
        size_t n = 1;
        for (const char *p = raw; *p; p++)
                if (*p == ';')
                        n++;
        char **l = calloc(n + 1, sizeof(char *));
        if (!l)
                return NULL;
        size_t k = 0;
        for (const char *p = raw; *p;) {
                const char *end;
                char *item = unescape(p, true, &end);
                if (!item)
                        return strv_free(l);
                l[k++] = item;
                p = *end == ';' ? end + 1 : end;
        }
        return l;
}

int keyfile_parse_boolean(const char *raw) {
        if (!raw)
                return -EINVAL;
        if (strcmp(raw, "true") == 0 || strcmp(raw, "1") == 0)
                return 1;
        if (strcmp(raw, "false") == 0 || strcmp(raw, "0") == 0)
                return 0;
        return -EINVAL;
}
