/* SPDX-License-Identifier: MIT */
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/env-map.h"
#include "common/fileio.h"
#include "common/strv.h"
#include "config/launcher-conf.h"
#include "config/parse-internal.h"
#include "desktop/keyfile.h"

#define GROUP_LAUNCHER "Launcher"
#define PREFIX_TRUST "TrustProfile "
#define PREFIX_LAUNCH "LaunchProfile "
#define PREFIX_OPEN "Open "


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
        free(p->invalid);
}

static void open_rule_done(OpenRule *r) {
        free(r->name);
        strv_free(r->match);
        strv_free(r->mime_types);
        strv_free(r->from);
        free(r->entry);
        free(r->action);
        strv_free(r->tags);
        free(r->invalid);
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
                free(c->trust_profiles[i].invalid);
        }
        free(c->trust_profiles);
        for (size_t i = 0; i < c->n_launch_profiles; i++)
                launch_profile_done(&c->launch_profiles[i]);
        free(c->launch_profiles);
        for (size_t i = 0; i < c->n_open_rules; i++)
                open_rule_done(&c->open_rules[i]);
        free(c->open_rules);
        unit_properties_free(c->unit_properties, c->n_unit_properties);
        strv_free(c->errors);
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
        c->early_exit_usec = 1000000ULL;
        c->default_profile = strdup(CONFIG_DEFAULT_PROFILE);
        c->slice = strdup("app.slice");
        c->terminal = calloc(2, sizeof(char *));
        if (!c->default_profile || !c->slice || !c->terminal || !(c->terminal[0] = strdup("xdg-terminal-exec")))
                return -ENOMEM;
        *ret = TAKE_PTR(c);
        return 0;
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
                              .single = -1, .output = APP_OUTPUT_UNSET, .stdout_journal = -1,
                              .unit_type = APP_UNIT_TYPE_UNSET };
        p->environment = calloc(1, sizeof(char *));
        p->secrets = calloc(1, sizeof(char *));
        if (!p->trust || !p->name || !p->environment || !p->secrets) {
                launch_profile_done(p);
                return NULL;
        }
        c->n_launch_profiles++;
        return p;
}

static OpenRule *open_find(Config *c, const char *name) {
        for (size_t i = 0; i < c->n_open_rules; i++)
                if (strcmp(c->open_rules[i].name, name) == 0)
                        return &c->open_rules[i];
        return NULL;
}

/* A repeated [Open NAME] continues the first, as every group does. */
static OpenRule *open_get(Config *c, const char *name, unsigned line) {
        OpenRule *r = open_find(c, name);
        if (r)
                return r;
        OpenRule *l = realloc(c->open_rules, (c->n_open_rules + 1) * sizeof(*l));
        if (!l)
                return NULL;
        c->open_rules = l;
        r = &l[c->n_open_rules];
        *r = (OpenRule){ .name = strdup(name), .line = line };
        if (!r->name)
                return NULL;
        c->n_open_rules++;
        return r;
}

/* ---- the table */

#define LAUNCHER(key, parser, field, ...) \
        { GROUP_LAUNCHER, key, parser, offsetof(Config, field), __VA_ARGS__ }
#define TRUST(key, parser, field, ...) \
        { PREFIX_TRUST, key, parser, offsetof(TrustProfile, field), __VA_ARGS__ }
#define LAUNCH(key, parser, field, ...) \
        { PREFIX_LAUNCH, key, parser, offsetof(LaunchProfile, field), __VA_ARGS__ }
#define OPEN(key, parser, field, ...) \
        { PREFIX_OPEN, key, parser, offsetof(OpenRule, field), __VA_ARGS__ }

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
        /* A client waits it out (--wait-start) within the 60 s of a reply. */
        LAUNCHER("EarlyExitSec", parse_seconds, early_exit_usec, .max = 30),
        LAUNCHER("Output", parse_output, output),
        LAUNCHER("UnitType", parse_unit_type, unit_type),
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
        LAUNCH("Output", parse_output, output),
        LAUNCH("StandardOutput", parse_standard_output, stdout_journal),
        LAUNCH("UnitType", parse_unit_type, unit_type),
        LAUNCH(NULL, parse_unit_setting, unit_properties, .offset_n = offsetof(LaunchProfile, n_unit_properties)),
        OPEN("Match", parse_word_list, match, .what = "a URL glob (scheme:...)", .check = is_url_glob),
        OPEN("MimeType", parse_word_list, mime_types, .what = "a type glob (image/png, image/*)",
             .check = is_type_glob),
        OPEN("From", parse_word_list, from, .what = "an entry ID or a glob of them", .check = is_entry_glob),
        OPEN("Entry", parse_nonempty, entry),
        OPEN("Action", parse_nonempty, action),
        OPEN("Tags", parse_word_list, tags, .what = "a launch profile (NAME or TRUST:NAME)", .check = is_tag),
        OPEN("Ask", parse_bool, ask),
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
        } else if (strncmp(g, PREFIX_OPEN, strlen(PREFIX_OPEN)) == 0) {
                const char *n = g + strlen(PREFIX_OPEN);
                if (!is_profile_name(n, strlen(n)))
                        add_error(ctx, line, "'%s' is not a valid rule name (letters, digits, '-', '_', '.')", n);
                else if (!open_get(c, n, line))
                        ctx->oom = true;
        } else
                add_error(ctx, line, "unknown group [%s]", g);
}

/* A profile with an error is left out, with the first of its errors: a
 * launch that names it is refused with that, the rest of the file serves. */
static void leave_out(ParseContext *ctx, char **invalid) {
        if (*invalid || !last_error(ctx))
                return;
        if (!(*invalid = strdup(last_error(ctx))))
                ctx->oom = true;
}

/* The field a profile group's error goes to, or NULL for [Launcher] (a key
 * in error is left out, its default in force) and groups not valid (their
 * own error says so). */
static char **invalid_field(Config *c, const char *group) {
        char trust[128], name[128];
        if (strncmp(group, PREFIX_TRUST, strlen(PREFIX_TRUST)) == 0) {
                TrustProfile *t = trust_find(c, group + strlen(PREFIX_TRUST));
                return t ? &t->invalid : NULL;
        }
        if (strncmp(group, PREFIX_LAUNCH, strlen(PREFIX_LAUNCH)) == 0 &&
            split_launch_group(group + strlen(PREFIX_LAUNCH), trust, name, sizeof(trust))) {
                LaunchProfile *p = launch_find(c, trust, name);
                return p ? &p->invalid : NULL;
        }
        if (strncmp(group, PREFIX_OPEN, strlen(PREFIX_OPEN)) == 0) {
                OpenRule *r = open_find(c, group + strlen(PREFIX_OPEN));
                return r ? &r->invalid : NULL;
        }
        return NULL;
}

/* One key: the object its group names, then the table's parser. Keys of
 * groups that are not valid were reported with their group. */
static void parse_entry(Config *c, const KeyfileEntry *en, ParseContext *ctx) {
        char trust[128], name[128], where[300];
        const char *group;
        void *object;
        char **invalid = NULL; /* where an error leaves its profile out */
        if (strcmp(en->group, GROUP_LAUNCHER) == 0) {
                group = GROUP_LAUNCHER;
                object = c;
                snprintf(where, sizeof(where), "%s", en->group);
        } else if (strncmp(en->group, PREFIX_TRUST, strlen(PREFIX_TRUST)) == 0) {
                const char *t = en->group + strlen(PREFIX_TRUST);
                if (!is_profile_name(t, strlen(t)))
                        return;
                group = PREFIX_TRUST;
                TrustProfile *tp = trust_get(c, t);
                if (!tp) {
                        ctx->oom = true;
                        return;
                }
                object = tp;
                invalid = &tp->invalid;
                snprintf(where, sizeof(where), "%s", en->group);
        } else if (strncmp(en->group, PREFIX_LAUNCH, strlen(PREFIX_LAUNCH)) == 0 &&
                   split_launch_group(en->group + strlen(PREFIX_LAUNCH), trust, name, sizeof(trust))) {
                group = PREFIX_LAUNCH;
                LaunchProfile *lp = launch_find(c, trust, name);
                if (!lp)
                        return;
                object = lp;
                invalid = &lp->invalid;
                snprintf(where, sizeof(where), "LaunchProfile %s:%s", trust, name);
        } else if (strncmp(en->group, PREFIX_OPEN, strlen(PREFIX_OPEN)) == 0) {
                group = PREFIX_OPEN;
                OpenRule *r = open_find(c, en->group + strlen(PREFIX_OPEN));
                if (!r)
                        return;
                object = r;
                invalid = &r->invalid;
                snprintf(where, sizeof(where), "%s", en->group);
        } else
                return;

        const ConfigItem *item = en->locale ? NULL : config_item(group, en->key);
        size_t errors = ctx->n_errors;
        if (en->locale)
                add_error(ctx, en->line, "'%s[%s]': no localized keys here", en->key, en->locale);
        else if (!item)
                add_error(ctx, en->line, "unknown key '%s' in [%s]", en->key, where);
        else
                item->parse(ctx, en, item, object);
        if (ctx->n_errors != errors && invalid)
                leave_out(ctx, invalid);
}

/* Lines the keyfile parser could not read: in a profile, they leave it out. */
static void parse_line_errors(Config *c, const Keyfile *k, ParseContext *ctx) {
        for (size_t i = 0; i < keyfile_n_line_errors(k); i++) {
                const KeyfileLineError *le = keyfile_line_error(k, i);
                char *msg = strdup(le->message);
                keep_error(ctx, le->line, msg);
                char **invalid = le->group && msg ? invalid_field(c, le->group) : NULL;
                if (invalid)
                        leave_out(ctx, invalid);
        }
}

/* A DefaultProfile that names no trust profile: "default" serves. */
static void check_default_profile(Config *c, const Keyfile *k, ParseContext *ctx) {
        const KeyfileEntry *dp = keyfile_lookup(k, GROUP_LAUNCHER, "DefaultProfile");
        if (!dp || config_has_trust_profile(c, c->default_profile))
                return;
        add_error(ctx, dp->line, "DefaultProfile: no trust profile '%s' is defined; 'default' serves",
                  c->default_profile);
        set_string(ctx, &c->default_profile, CONFIG_DEFAULT_PROFILE);
}

/* A rule that says nothing of what it applies to would take every target:
 * surely a mistake, so it is left out saying so. */
static void check_open_rules(Config *c, ParseContext *ctx) {
        for (size_t i = 0; i < c->n_open_rules; i++) {
                OpenRule *r = &c->open_rules[i];
                if (r->invalid || r->match || r->mime_types || r->from)
                        continue;
                add_error(ctx, r->line, "[Open %s]: no Match=, MimeType= or From=: the rule would take everything",
                          r->name);
                leave_out(ctx, &r->invalid);
        }
}

/* The errors in force, in line order, kept in the configuration. */
static int errors_keep(Config *c, ParseContext *ctx) {
        if (ctx->oom || (ctx->n_errors > 0 && !(c->errors = errors_take(ctx, true)))) {
                errors_take(ctx, false);
                return -ENOMEM;
        }
        size_t n = strv_length(c->errors);
        return n > INT_MAX ? INT_MAX : (int) n;
}

int config_parse(const char *path, const char *text, size_t size, Config **ret) {
        assert_return(ret, -EINVAL);

        _cleanup_(config_freep) Config *c = NULL;
        int r = config_new_default(&c);
        if (r < 0)
                return r;
        if (!(c->path = strdup(path ? path : "<input>")))
                return -ENOMEM;
        ParseContext ctx = { .path = c->path };

        Error e = {};
        _cleanup_(keyfile_freep) Keyfile *k = NULL;
        if (keyfile_parse(c->path, text, size, KEYFILE_TRAILING_COMMENTS | KEYFILE_SKIP_BAD_LINES, &k, &e) < 0) {
                if (e.code == -ENOMEM)
                        return -ENOMEM;
                add_error(&ctx, 0, "%s", error_message(&e));
        }
        for (size_t i = 0; i < keyfile_n_groups(k); i++) {
                unsigned line;
                const char *g = keyfile_group(k, i, &line);
                parse_group(c, g, line, &ctx);
        }
        parse_line_errors(c, k, &ctx);
        for (size_t i = 0; i < keyfile_n_entries(k); i++)
                parse_entry(c, keyfile_entry(k, i), &ctx);
        check_default_profile(c, k, &ctx);
        check_open_rules(c, &ctx);

        r = errors_keep(c, &ctx);
        if (r >= 0)
                *ret = TAKE_PTR(c);
        return r;
}

int config_load(const char *path, bool missing_ok, Config **ret) {
        assert_return(path && ret, -EINVAL);

        _cleanup_free_ char *text = NULL;
        size_t size = 0;
        Error e = {};
        int r = read_file(path, KEYFILE_MAX_SIZE, READ_FILE_TRUSTED, &text, &size, &e);
        if (r == -ENOENT && missing_ok)
                return config_new_default(ret);
        if (r == -ENOMEM)
                return r;
        if (r >= 0)
                return config_parse(path, text, size, ret);

        /* Unreadable, or not to be trusted: the built-in defaults serve. */
        _cleanup_(config_freep) Config *c = NULL;
        if (config_new_default(&c) < 0 || !(c->path = strdup(path)))
                return -ENOMEM;
        ParseContext ctx = { .path = c->path };
        add_error(&ctx, 0, "%s", error_message(&e));
        r = errors_keep(c, &ctx);
        if (r >= 0)
                *ret = TAKE_PTR(c);
        return r;
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
