/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/env-map.h"
#include "common/fileio.h"
#include "common/strv.h"
#include "config/launcher-conf.h"
#include "desktop/keyfile.h"

#define GROUP_LAUNCHER "Launcher"
#define PREFIX_TRUST "TrustProfile "
#define PREFIX_LAUNCH "LaunchProfile "

/* One error, with its line: they are reported in line order, whatever
 * order they are found in. */
typedef struct ConfigError {
        unsigned line;
        size_t seq;
        char *text;
} ConfigError;

/* What every parser is handed: where it is, and where errors go. */
typedef struct ParseContext {
        const char *path;
        ConfigError *errors;
        size_t n_errors, allocated;
        bool oom;
} ParseContext;

/* "PATH:LINE: message"; line 0: the message alone. */
_printf_(3, 4) static void add_error(ParseContext *ctx, unsigned line, const char *fmt, ...) {
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
        if (!msg || GROW(ctx->errors, ctx->allocated, ctx->n_errors + 1, 8) < 0) {
                free(msg);
                ctx->oom = true;
                return;
        }
        ctx->errors[ctx->n_errors] = (ConfigError){ .line = line, .seq = ctx->n_errors, .text = msg };
        ctx->n_errors++;
}

static int error_compare(const void *a, const void *b) {
        const ConfigError *x = a, *y = b;
        if (x->line != y->line)
                return x->line < y->line ? -1 : 1;
        return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The errors as a list in line order (NULL when out of memory), or freed. */
static char **errors_take(ParseContext *ctx, bool keep) {
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

char *config_default_path(void) {
        const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
        char *p = NULL;
        if (xdg && xdg[0] == '/') {
                if (asprintf(&p, "%s/sesame/launcher.conf", xdg) < 0)
                        return NULL;
        } else if (home && home[0] == '/') {
                if (asprintf(&p, "%s/.config/sesame/launcher.conf", home) < 0)
                        return NULL;
        }
        return p;
}

static void launch_profile_done(LaunchProfile *p) {
        free(p->trust);
        free(p->name);
        strv_free(p->environment);
        strv_free(p->secrets);
        free(p->devshell);
        free(p->working_directory);
        free(p->slice);
        free(p->description);
        unit_properties_free(p->unit_properties, p->n_unit_properties);
}

Config *config_free(Config *c) {
        if (!c)
                return NULL;
        free(c->path);
        free(c->default_profile);
        free(c->slice);
        strv_free(c->terminal);
        free(c->picker);
        for (size_t i = 0; i < c->n_trust_profiles; i++) {
                free(c->trust_profiles[i].name);
                free(c->trust_profiles[i].collection);
        }
        free(c->trust_profiles);
        for (size_t i = 0; i < c->n_launch_profiles; i++)
                launch_profile_done(&c->launch_profiles[i]);
        free(c->launch_profiles);
        unit_properties_free(c->unit_properties, c->n_unit_properties);
        free(c);
        return NULL;
}

int config_new_default(Config **ret) {
        _cleanup_(config_freep) Config *c = calloc(1, sizeof(*c));
        if (!c)
                return -ENOMEM;
        c->scope = SCOPE_MODE_DBUS;
        c->secret_timeout_usec = 5 * 1000000ULL;
        c->scope_timeout_usec = 5 * 1000000ULL;
        c->unlock_timeout_usec = 50 * 1000000ULL;
        c->history = true;
        c->history_half_life_sec = 30 * 86400ULL;
        c->default_profile = strdup(CONFIG_DEFAULT_PROFILE);
        c->slice = strdup("app.slice");
        c->terminal = calloc(2, sizeof(char *));
        if (!c->default_profile || !c->slice || !c->terminal || !(c->terminal[0] = strdup("xdg-terminal-exec")))
                return -ENOMEM;
        *ret = TAKE_PTR(c);
        return 0;
}

/* ---- names */

static bool is_profile_name(const char *s, size_t len) {
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
static bool is_secret_name(const char *s) {
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

/* ---- building */

static TrustProfile *trust_find(Config *c, const char *name) {
        for (size_t i = 0; i < c->n_trust_profiles; i++)
                if (strcmp(c->trust_profiles[i].name, name) == 0)
                        return &c->trust_profiles[i];
        return NULL;
}

static TrustProfile *trust_get(Config *c, const char *name) {
        TrustProfile *t = trust_find(c, name);
        if (t)
                return t;
        TrustProfile *l = realloc(c->trust_profiles, (c->n_trust_profiles + 1) * sizeof(*l));
        if (!l)
                return NULL;
        c->trust_profiles = l;
        t = &l[c->n_trust_profiles];
        *t = (TrustProfile){ .name = strdup(name) };
        if (!t->name)
                return NULL;
        c->n_trust_profiles++;
        return t;
}

static LaunchProfile *launch_find(Config *c, const char *trust, const char *name) {
        for (size_t i = 0; i < c->n_launch_profiles; i++)
                if (strcmp(c->launch_profiles[i].trust, trust) == 0 && strcmp(c->launch_profiles[i].name, name) == 0)
                        return &c->launch_profiles[i];
        return NULL;
}

static LaunchProfile *launch_get(Config *c, const char *trust, const char *name, unsigned line) {
        LaunchProfile *p = launch_find(c, trust, name);
        if (p)
                return p;
        LaunchProfile *l = realloc(c->launch_profiles, (c->n_launch_profiles + 1) * sizeof(*l));
        if (!l)
                return NULL;
        c->launch_profiles = l;
        p = &l[c->n_launch_profiles];
        *p = (LaunchProfile){ .trust = strdup(trust), .name = strdup(name), .line = line, .strict = -1,
                              .single = -1 };
        p->environment = calloc(1, sizeof(char *));
        p->secrets = calloc(1, sizeof(char *));
        if (!p->trust || !p->name || !p->environment || !p->secrets) {
                launch_profile_done(p);
                return NULL;
        }
        c->n_launch_profiles++;
        return p;
}

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

/* ---- the parsers: each reads one value into its field, or adds an error */

typedef struct ConfigItem ConfigItem;
/* `object` is the Config, TrustProfile or LaunchProfile the key is in. */
typedef void (*config_parser_t)(ParseContext *ctx, const KeyfileEntry *en, const ConfigItem *item, void *object);

/* One key of one group: adding a key is one row of the table below. */
struct ConfigItem {
        const char *group; /* GROUP_LAUNCHER, PREFIX_TRUST or PREFIX_LAUNCH */
        const char *key;   /* NULL: any of systemd's unit settings (unit-property.h) */
        config_parser_t parse;
        size_t offset;     /* of the field in the object */
        size_t offset_n;   /* of a list's count, for unit settings */
        double min, max;   /* numbers: the bounds (min exclusive when 0) */
        const char *what;  /* what the value is, for the error */
        bool (*check)(const char *word); /* word lists: each word must pass */
};

#define FIELD(object, item, type) ((type *) ((char *) (object) + (item)->offset))

static void set_string(ParseContext *ctx, char **field, const char *value) {
        char *v = strdup(value);
        if (!v) {
                ctx->oom = true;
                return;
        }
        free(*field);
        *field = v;
}

/* A string that may not be empty ("Picker: empty command"). */
static void parse_nonempty(ParseContext *ctx, const KeyfileEntry *en, const ConfigItem *item, void *object) {
        if (!*en->value)
                add_error(ctx, en->line, "%s: empty%s%s", en->key, item->what ? " " : "", item->what ?: "");
        else
                set_string(ctx, FIELD(object, item, char *), en->value);
}

static void parse_profile_name(ParseContext *ctx, const KeyfileEntry *en, const ConfigItem *item, void *object) {
        if (!is_profile_name(en->value, strlen(en->value)))
                add_error(ctx, en->line, "%s: '%s' is not a valid profile name", en->key, en->value);
        else
                set_string(ctx, FIELD(object, item, char *), en->value);
}

static void parse_absolute_path(ParseContext *ctx, const KeyfileEntry *en, const ConfigItem *item, void *object) {
        if (en->value[0] != '/')
                add_error(ctx, en->line, "%s: '%s' is not an absolute path", en->key, en->value);
        else
                set_string(ctx, FIELD(object, item, char *), en->value);
}

static void parse_slice(ParseContext *ctx, const KeyfileEntry *en, const ConfigItem *item, void *object) {
        if (!unit_name_is_slice(en->value))
                add_error(ctx, en->line, "%s: '%s' is not a slice unit name", en->key, en->value);
        else
                set_string(ctx, FIELD(object, item, char *), en->value);
}

static void parse_scope_mode(ParseContext *ctx, const KeyfileEntry *en, const ConfigItem *item, void *object) {
        int m = scope_mode_from_string(en->value);
        if (m < 0)
                add_error(ctx, en->line, "%s: '%s' is not one of dbus, systemd-run, none", en->key, en->value);
        else
                *FIELD(object, item, ScopeMode) = (ScopeMode) m;
}

static void parse_unit_names(ParseContext *ctx, const KeyfileEntry *en, const ConfigItem *item, void *object) {
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

static void parse_bool(ParseContext *ctx, const KeyfileEntry *en, const ConfigItem *item, void *object) {
        int b = yes_no(ctx, en);
        if (b >= 0)
                *FIELD(object, item, bool) = b;
}

/* A profile's yes/no that may be left unset (-1): the last tag's wins. */
static void parse_tristate(ParseContext *ctx, const KeyfileEntry *en, const ConfigItem *item, void *object) {
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
static void parse_seconds(ParseContext *ctx, const KeyfileEntry *en, const ConfigItem *item, void *object) {
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

static void parse_days(ParseContext *ctx, const KeyfileEntry *en, const ConfigItem *item, void *object) {
        char range[64];
        snprintf(range, sizeof(range), "(%g-%g)", item->min, item->max);
        parse_number(ctx, en, item, FIELD(object, item, uint64_t), 86400, "days", range);
}

/* One of systemd's unit settings (unit-property.h); a later line of the
 * same setting replaces an earlier one. */
static void parse_unit_setting(ParseContext *ctx, const KeyfileEntry *en, const ConfigItem *item, void *object) {
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

static void parse_command(ParseContext *ctx, const KeyfileEntry *en, const ConfigItem *item, void *object) {
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

static bool is_assignment(const char *word) {
        const char *eq = strchr(word, '=');
        return eq && env_name_is_valid(word, (size_t) (eq - word));
}

/* Environment= and Secret=: words that accumulate over repeated lines, an
 * empty line resetting them; each word must pass the item's check. */
static void parse_word_list(ParseContext *ctx, const KeyfileEntry *en, const ConfigItem *item, void *object) {
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

/* ---- the table */

#define LAUNCHER(key, parser, field, ...) \
        { GROUP_LAUNCHER, key, parser, offsetof(Config, field), __VA_ARGS__ }
#define TRUST(key, parser, field, ...) \
        { PREFIX_TRUST, key, parser, offsetof(TrustProfile, field), __VA_ARGS__ }
#define LAUNCH(key, parser, field, ...) \
        { PREFIX_LAUNCH, key, parser, offsetof(LaunchProfile, field), __VA_ARGS__ }

static const ConfigItem config_items[] = {
        LAUNCHER("DefaultProfile", parse_profile_name, default_profile),
        LAUNCHER("Scope", parse_scope_mode, scope),
        LAUNCHER("Slice", parse_slice, slice),
        LAUNCHER("UnitNames", parse_unit_names, unit_names),
        LAUNCHER("PartOf", parse_unit_setting, unit_properties, .offset_n = offsetof(Config, n_unit_properties)),
        LAUNCHER("After", parse_unit_setting, unit_properties, .offset_n = offsetof(Config, n_unit_properties)),
        LAUNCHER("Terminal", parse_command, terminal),
        LAUNCHER("SecretTimeoutSec", parse_seconds, secret_timeout_usec, .max = 600),
        LAUNCHER("ScopeTimeoutSec", parse_seconds, scope_timeout_usec, .max = 600),
        /* Answered within the 60 s a client waits for a reply. */
        LAUNCHER("UnlockTimeoutSec", parse_seconds, unlock_timeout_usec, .max = 55),
        LAUNCHER("AllowEphemeralClients", parse_bool, allow_ephemeral_clients),
        LAUNCHER("UnlockOnLaunch", parse_bool, unlock_on_launch),
        LAUNCHER("History", parse_bool, history),
        LAUNCHER("HistoryHalfLifeDays", parse_days, history_half_life_sec, .min = 0.01, .max = 3650),
        LAUNCHER("Picker", parse_nonempty, picker, .what = "command"),
        TRUST("Collection", parse_nonempty, collection),
        LAUNCH("Environment", parse_word_list, environment, .what = "NAME=VALUE with a valid name",
               .check = is_assignment),
        LAUNCH("Secret", parse_word_list, secrets,
               .what = "a valid secret name (letters, digits, '-' and '_', not starting with a digit)",
               .check = is_secret_name),
        LAUNCH("Devshell", parse_nonempty, devshell, .what = "flake reference"),
        LAUNCH("WorkingDirectory", parse_absolute_path, working_directory),
        LAUNCH("Slice", parse_slice, slice),
        LAUNCH("Description", parse_nonempty, description),
        LAUNCH("Strict", parse_tristate, strict),
        LAUNCH("Single", parse_tristate, single),
        LAUNCH(NULL, parse_unit_setting, unit_properties, .offset_n = offsetof(LaunchProfile, n_unit_properties)),
};

static const ConfigItem *config_item(const char *group, const char *key) {
        for (size_t i = 0; i < ELEMENTSOF(config_items); i++) {
                const ConfigItem *item = &config_items[i];
                if (strcmp(item->group, group) == 0 &&
                    (item->key ? strcmp(item->key, key) == 0 : unit_setting_known(key)))
                        return item;
        }
        return NULL;
}

/* "LaunchProfile work:corp" -> trust "work", name "corp"; without a colon
 * the trust profile is "default". */
static bool split_launch_group(const char *spec, char *trust, char *name, size_t size) {
        const char *colon = strchr(spec, ':');
        const char *t = colon ? spec : CONFIG_DEFAULT_PROFILE;
        size_t tlen = colon ? (size_t) (colon - spec) : strlen(CONFIG_DEFAULT_PROFILE);
        const char *n = colon ? colon + 1 : spec;
        if (!is_profile_name(t, tlen) || !is_profile_name(n, strlen(n)) || tlen >= size || strlen(n) >= size)
                return false;
        snprintf(trust, size, "%.*s", (int) tlen, t);
        snprintf(name, size, "%s", n);
        return true;
}

/* Every group is known before its keys are read: a key may refer to a
 * trust profile whose group comes later. */
static void parse_group(Config *c, const char *g, unsigned line, ParseContext *ctx) {
        char trust[128], name[128];
        if (strcmp(g, GROUP_LAUNCHER) == 0)
                return;
        if (strncmp(g, PREFIX_TRUST, strlen(PREFIX_TRUST)) == 0) {
                const char *t = g + strlen(PREFIX_TRUST);
                if (!is_profile_name(t, strlen(t)))
                        add_error(ctx, line, "'%s' is not a valid trust profile name", t);
                else if (!trust_get(c, t))
                        ctx->oom = true;
        } else if (strncmp(g, PREFIX_LAUNCH, strlen(PREFIX_LAUNCH)) == 0) {
                if (!split_launch_group(g + strlen(PREFIX_LAUNCH), trust, name, sizeof(trust)))
                        add_error(ctx, line, "'%s' is not a valid launch profile name (NAME or TRUST:NAME)",
                                  g + strlen(PREFIX_LAUNCH));
                else if (!launch_get(c, trust, name, line))
                        ctx->oom = true;
        } else
                add_error(ctx, line, "unknown group [%s]", g);
}

/* One key: the object its group names, then the table's parser. Keys of
 * groups that are not valid were reported with their group. */
static void parse_entry(Config *c, const KeyfileEntry *en, ParseContext *ctx) {
        char trust[128], name[128], where[300];
        const char *group;
        void *object;
        if (en->locale)
                return add_error(ctx, en->line, "'%s[%s]': no localized keys here", en->key, en->locale);
        if (strcmp(en->group, GROUP_LAUNCHER) == 0) {
                group = GROUP_LAUNCHER;
                object = c;
                snprintf(where, sizeof(where), "%s", en->group);
        } else if (strncmp(en->group, PREFIX_TRUST, strlen(PREFIX_TRUST)) == 0) {
                const char *t = en->group + strlen(PREFIX_TRUST);
                if (!is_profile_name(t, strlen(t)))
                        return;
                group = PREFIX_TRUST;
                if (!(object = trust_get(c, t))) {
                        ctx->oom = true;
                        return;
                }
                snprintf(where, sizeof(where), "%s", en->group);
        } else if (strncmp(en->group, PREFIX_LAUNCH, strlen(PREFIX_LAUNCH)) == 0 &&
                   split_launch_group(en->group + strlen(PREFIX_LAUNCH), trust, name, sizeof(trust))) {
                group = PREFIX_LAUNCH;
                if (!(object = launch_find(c, trust, name)))
                        return;
                snprintf(where, sizeof(where), "LaunchProfile %s:%s", trust, name);
        } else
                return;

        const ConfigItem *item = config_item(group, en->key);
        if (!item)
                return add_error(ctx, en->line, "unknown key '%s' in [%s]", en->key, where);
        item->parse(ctx, en, item, object);
}

int config_parse(const char *path, const char *text, size_t size, Config **ret, char ***ret_errors) {
        assert_return(ret && ret_errors, -EINVAL);
        *ret_errors = NULL;

        _cleanup_(config_freep) Config *c = NULL;
        int r = config_new_default(&c);
        if (r < 0)
                return r;
        if (!(c->path = strdup(path ? path : "<input>")))
                return -ENOMEM;
        ParseContext ctx = { .path = c->path };

        Error e = {};
        _cleanup_(keyfile_freep) Keyfile *k = NULL;
        if (keyfile_parse(c->path, text, size, KEYFILE_TRAILING_COMMENTS, &k, &e) < 0) {
                if (e.code == -ENOMEM)
                        return -ENOMEM;
                add_error(&ctx, 0, "%s", error_message(&e));
        }
        for (size_t i = 0; i < keyfile_n_groups(k); i++) {
                unsigned line;
                const char *g = keyfile_group(k, i, &line);
                parse_group(c, g, line, &ctx);
        }
        for (size_t i = 0; i < keyfile_n_entries(k); i++)
                parse_entry(c, keyfile_entry(k, i), &ctx);

        const KeyfileEntry *dp = keyfile_lookup(k, GROUP_LAUNCHER, "DefaultProfile");
        if (dp && ctx.n_errors == 0 && !config_has_trust_profile(c, c->default_profile))
                add_error(&ctx, dp->line, "DefaultProfile: no trust profile '%s' is defined", c->default_profile);

        if (ctx.oom) {
                errors_take(&ctx, false);
                return -ENOMEM;
        }
        if (ctx.n_errors > 0) {
                if (!(*ret_errors = errors_take(&ctx, true)))
                        return -ENOMEM;
                return -EINVAL;
        }
        *ret = TAKE_PTR(c);
        return 0;
}

int config_load(const char *path, bool missing_ok, Config **ret, char ***ret_errors) {
        assert_return(path && ret && ret_errors, -EINVAL);
        *ret_errors = NULL;

        _cleanup_free_ char *text = NULL;
        size_t size = 0;
        Error e = {};
        int r = read_file(path, KEYFILE_MAX_SIZE, READ_FILE_TRUSTED, &text, &size, &e);
        if (r == -ENOENT && missing_ok)
                return config_new_default(ret);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                char **l = calloc(2, sizeof(char *));
                if (!l || !(l[0] = strdup(error_message(&e)))) {
                        free(l);
                        return -ENOMEM;
                }
                *ret_errors = l;
                return r;
        }
        return config_parse(path, text, size, ret, ret_errors);
}

bool config_has_trust_profile(const Config *c, const char *trust) {
        if (!c || !trust)
                return false;
        if (strcmp(trust, CONFIG_DEFAULT_PROFILE) == 0)
                return true;
        for (size_t i = 0; i < c->n_trust_profiles; i++)
                if (strcmp(c->trust_profiles[i].name, trust) == 0)
                        return true;
        for (size_t i = 0; i < c->n_launch_profiles; i++)
                if (strcmp(c->launch_profiles[i].trust, trust) == 0)
                        return true;
        return false;
}

const TrustProfile *config_trust_profile(const Config *c, const char *trust) {
        return c && trust ? trust_find((Config *) c, trust) : NULL;
}

const LaunchProfile *config_launch_profile(const Config *c, const char *trust, const char *name) {
        return c && trust && name ? launch_find((Config *) c, trust, name) : NULL;
}
