/* SPDX-License-Identifier: MIT */
/* The configuration's errors, names and single values (parse-internal.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/env-map.h"
#include "common/strv.h"
#include "config/parse-internal.h"
#include "desktop/mime-type.h"

/* ---- errors */

void keep_error(ParseContext *ctx, unsigned line, char *msg) {
        if (!msg || GROW(ctx->errors, ctx->allocated, ctx->n_errors + 1, 8) < 0) {
                free(msg);
                ctx->oom = true;
                return;
        }
        ctx->errors[ctx->n_errors] = (ConfigError){ .line = line, .seq = ctx->n_errors, .text = msg };
        ctx->n_errors++;
}

void add_error(ParseContext *ctx, unsigned line, const char *fmt, ...) {
        _cleanup_free_ char *text = NULL;
        char *msg = NULL;
        va_list ap;
        va_start(ap, fmt);
        int r = vasprintf(&text, fmt, ap);
        va_end(ap);
        if (r < 0)
                text = NULL;
        if (!text || (line ? asprintf(&msg, "%s:%u: %s", ctx->path, line, text) : asprintf(&msg, "%s", text)) < 0)
                msg = NULL;
        keep_error(ctx, line, msg);
}

const char *last_error(const ParseContext *ctx) {
        return ctx->n_errors > 0 ? ctx->errors[ctx->n_errors - 1].text : NULL;
}

static int error_compare(const void *a, const void *b) {
        const ConfigError *x = a, *y = b;
        if (x->line != y->line)
                return x->line < y->line ? -1 : 1;
        return x->seq < y->seq ? -1 : x->seq > y->seq;
}

char **errors_take(ParseContext *ctx, bool keep) {
        char **list = keep ? calloc(ctx->n_errors + 1, sizeof(char *)) : NULL;
        if (list)
                qsort(ctx->errors, ctx->n_errors, sizeof(ConfigError), error_compare);
        for (size_t i = 0; i < ctx->n_errors; i++) {
                if (list)
                        list[i] = ctx->errors[i].text;
                else
                        free(ctx->errors[i].text);
        }
        free(ctx->errors);
        ctx->errors = NULL;
        ctx->n_errors = ctx->allocated = 0;
        return list;
}

/* ---- names */

bool is_profile_name(const char *s, size_t len) {
        if (len == 0 || len > 64)
                return false;
        for (size_t i = 0; i < len; i++) {
                char c = s[i];
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '_' || c == '.'))
                        return false;
        }
        return true;
}

/* Secret names become variables (upper-case, '-' to '_'): they must make a
 * valid name. */
bool is_secret_name(const char *s) {
        size_t len = strlen(s);
        if (len == 0 || len > 128 || (s[0] >= '0' && s[0] <= '9'))
                return false;
        for (size_t i = 0; i < len; i++) {
                char c = s[i];
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '_'))
                        return false;
        }
        return true;
}

/* ---- values */

/* Appends `add` to *list (taking its strings), or resets *list when `add`
 * is empty: systemd's rule for repeated list settings. */
static int list_accumulate(char ***list, char **add) {
        size_t n = strv_length(*list), m = strv_length(add);
        if (m == 0) {
                strv_free(*list);
                *list = add;
                return 0;
        }
        char **l = realloc(*list, (n + m + 1) * sizeof(char *));
        if (!l)
                return -ENOMEM;
        memcpy(l + n, add, (m + 1) * sizeof(char *));
        free(add);
        *list = l;
        return 0;
}

void set_string(ParseContext *ctx, char **field, const char *value) {
        char *v = strdup(value);
        if (!v) {
                ctx->oom = true;
                return;
        }
        free(*field);
        *field = v;
}

/* A string that may not be empty ("Picker: empty command"). */
void parse_nonempty(ParseContext *ctx, const KeyfileEntry *en, const ConfigItem *item, void *object) {
        if (!*en->value)
                add_error(ctx, en->line, "%s: empty%s%s", en->key, item->what ? " " : "", item->what ?: "");
        else
                set_string(ctx, FIELD(object, item, char *), en->value);
}

void parse_profile_name(ParseContext *ctx, const KeyfileEntry *en, const ConfigItem *item, void *object) {
        if (!is_profile_name(en->value, strlen(en->value)))
                add_error(ctx, en->line, "%s: '%s' is not a valid profile name", en->key, en->value);
        else
                set_string(ctx, FIELD(object, item, char *), en->value);
}

void parse_absolute_path(ParseContext *ctx, const KeyfileEntry *en, const ConfigItem *item, void *object) {
        if (en->value[0] != '/')
                add_error(ctx, en->line, "%s: '%s' is not an absolute path", en->key, en->value);
        else
                set_string(ctx, FIELD(object, item, char *), en->value);
}

void parse_slice(ParseContext *ctx, const KeyfileEntry *en, const ConfigItem *item, void *object) {
        if (!unit_name_is_slice(en->value))
                add_error(ctx, en->line, "%s: '%s' is not a slice unit name", en->key, en->value);
        else
                set_string(ctx, FIELD(object, item, char *), en->value);
}

void parse_scope_mode(ParseContext *ctx, const KeyfileEntry *en, const ConfigItem *item, void *object) {
        int m = scope_mode_from_string(en->value);
        if (m < 0)
                add_error(ctx, en->line, "%s: '%s' is not one of dbus, systemd-run, none", en->key, en->value);
        else
                *FIELD(object, item, ScopeMode) = (ScopeMode) m;
}

void parse_unit_names(ParseContext *ctx, const KeyfileEntry *en, const ConfigItem *item, void *object) {
        if (strcmp(en->value, "seed") == 0)
                *FIELD(object, item, UnitNameStyle) = UNIT_NAMES_SEED;
        else if (strcmp(en->value, "xdg") == 0)
                *FIELD(object, item, UnitNameStyle) = UNIT_NAMES_XDG;
        else
                add_error(ctx, en->line, "%s: '%s' is not seed or xdg", en->key, en->value);
}

/* yes/no, as the configuration writes booleans (true/false and 1/0 too):
 * 1, 0, or -1 after an error. */
static int yes_no(ParseContext *ctx, const KeyfileEntry *en) {
        int b = keyfile_parse_boolean(en->value);
        if (strcmp(en->value, "yes") == 0)
                return 1;
        if (b < 0 && strcmp(en->value, "no") != 0) {
                add_error(ctx, en->line, "%s: '%s' is not yes or no", en->key, en->value);
                return -1;
        }
        return b == 1;
}

void parse_bool(ParseContext *ctx, const KeyfileEntry *en, const ConfigItem *item, void *object) {
        int b = yes_no(ctx, en);
        if (b >= 0)
                *FIELD(object, item, bool) = b;
}

/* A profile's yes/no that may be left unset (-1): the last tag's wins. */
void parse_tristate(ParseContext *ctx, const KeyfileEntry *en, const ConfigItem *item, void *object) {
        int b = yes_no(ctx, en);
        if (b >= 0)
                *FIELD(object, item, int) = b;
}

/* A number within the item's bounds, in `unit` seconds, as microseconds. */
static void parse_number(ParseContext *ctx, const KeyfileEntry *en, const ConfigItem *item, uint64_t *field,
                         double unit, const char *unit_name, const char *range) {
        char *end;
        double v = strtod(en->value, &end);
        bool in_range = item->min > 0 ? v >= item->min : v > 0;
        if (end == en->value || *end || !in_range || !(v <= item->max))
                add_error(ctx, en->line, "%s: '%s' is not a number of %s %s", en->key, en->value, unit_name, range);
        else
                *field = (uint64_t) (v * unit);
}

/* Seconds in (0, 600], and at most item->max: "more than" a lower bound
 * says so. */
void parse_seconds(ParseContext *ctx, const KeyfileEntry *en, const ConfigItem *item, void *object) {
        uint64_t usec = 0;
        size_t errors = ctx->n_errors;
        parse_number(ctx, en, &(ConfigItem){ .max = 600 }, &usec, 1e6, "seconds", "(0-600]");
        if (ctx->n_errors != errors)
                return;
        if (usec > item->max * 1e6)
                add_error(ctx, en->line, "%s: '%s' is more than %g seconds", en->key, en->value, item->max);
        else
                *FIELD(object, item, uint64_t) = usec;
}

void parse_days(ParseContext *ctx, const KeyfileEntry *en, const ConfigItem *item, void *object) {
        char range[64];
        snprintf(range, sizeof(range), "(%g-%g)", item->min, item->max);
        parse_number(ctx, en, item, FIELD(object, item, uint64_t), 86400, "days", range);
}

/* One of systemd's unit settings (unit-property.h); a later line of the
 * same setting replaces an earlier one. */
void parse_unit_setting(ParseContext *ctx, const KeyfileEntry *en, const ConfigItem *item, void *object) {
        Error e = {};
        UnitProperty p;
        if (unit_property_parse(en->key, en->value, &p, &e) < 0) {
                if (e.code == -ENOMEM)
                        ctx->oom = true;
                else
                        add_error(ctx, en->line, "%s", error_message(&e));
                return;
        }
        size_t *n = (size_t *) ((char *) object + item->offset_n);
        if (unit_properties_put(FIELD(object, item, UnitProperty *), n, &p) < 0)
                ctx->oom = true;
        unit_property_done(&p);
}

/* systemd.exec(5) words, each checked; NULL after an error. */
static char **split_words(ParseContext *ctx, const KeyfileEntry *en) {
        Error e = {};
        char **words = NULL;
        if (config_split_words(en->value, &words, &e) < 0) {
                if (e.code == -ENOMEM)
                        ctx->oom = true;
                else
                        add_error(ctx, en->line, "%s: %s", en->key, error_message(&e));
                return NULL;
        }
        return words;
}

void parse_command(ParseContext *ctx, const KeyfileEntry *en, const ConfigItem *item, void *object) {
        char **words = split_words(ctx, en);
        if (!words)
                return;
        if (!words[0]) {
                strv_free(words);
                return add_error(ctx, en->line, "%s: empty command", en->key);
        }
        char ***field = FIELD(object, item, char **);
        strv_free(*field);
        *field = words;
}

bool is_assignment(const char *word) {
        const char *eq = strchr(word, '=');
        return eq && env_name_is_valid(word, (size_t) (eq - word));
}

/* Match=: "scheme:..." with a scheme as RFC 3986 has them (globs allowed in it). */
bool is_url_glob(const char *word) {
        size_t n = strspn(word, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-*?[]");
        return n > 0 && word[n] == ':';
}

/* MimeType=: "media/subtype", either part a glob. */
bool is_type_glob(const char *word) {
        return mime_type_name_valid(word, true);
}

/* From=: an entry ID (or a glob of them), as desktop file IDs are spelled. */
bool is_entry_glob(const char *word) {
        return *word && !strpbrk(word, " \t=;/");
}

/* Tags=: a launch profile, NAME or TRUST:NAME. */
bool is_tag(const char *word) {
        const char *colon = strchr(word, ':');
        if (!colon)
                return is_profile_name(word, strlen(word));
        return is_profile_name(word, (size_t) (colon - word)) && is_profile_name(colon + 1, strlen(colon + 1));
}

/* Environment= and Secret=: words that accumulate over repeated lines, an
 * empty line resetting them; each word must pass the item's check. */
void parse_word_list(ParseContext *ctx, const KeyfileEntry *en, const ConfigItem *item, void *object) {
        char **words = split_words(ctx, en);
        if (!words)
                return;
        for (char **w = words; *w; w++)
                if (!item->check(*w)) {
                        add_error(ctx, en->line, "%s: '%s' is not %s", en->key, *w, item->what);
                        strv_free(words);
                        return;
                }
        if (list_accumulate(FIELD(object, item, char **), words) < 0) {
                strv_free(words);
                ctx->oom = true;
        }
}

void parse_output(ParseContext *ctx, const KeyfileEntry *en, const ConfigItem *item, void *object) {
        static const char *const names[_APP_OUTPUT_MAX] = {
                [APP_OUTPUT_JOURNAL] = "journal", [APP_OUTPUT_INHERIT] = "inherit", [APP_OUTPUT_NULL] = "null" };
        for (int i = 0; i < _APP_OUTPUT_MAX; i++)
                if (strcmp(en->value, names[i]) == 0) {
                        *FIELD(object, item, AppOutput) = (AppOutput) i;
                        return;
                }
        add_error(ctx, en->line, "%s: '%s' is not journal, inherit or null", en->key, en->value);
}

void parse_unit_type(ParseContext *ctx, const KeyfileEntry *en, const ConfigItem *item, void *object) {
        if (strcmp(en->value, "scope") == 0 || strcmp(en->value, "service") == 0)
                *FIELD(object, item, AppUnitType) = strcmp(en->value, "service") == 0 ? APP_UNIT_SERVICE
                                                                                      : APP_UNIT_SCOPE;
        else
                add_error(ctx, en->line, "%s: '%s' is not scope or service", en->key, en->value);
}

/* stdout: null (the default: most apps print there what nobody reads) or
 * journal, with stderr on the app's stream. */
void parse_standard_output(ParseContext *ctx, const KeyfileEntry *en, const ConfigItem *item, void *object) {
        if (strcmp(en->value, "journal") == 0 || strcmp(en->value, "null") == 0)
                *FIELD(object, item, int) = strcmp(en->value, "journal") == 0;
        else
                add_error(ctx, en->line, "%s: '%s' is not null or journal", en->key, en->value);
}
