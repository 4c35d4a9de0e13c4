/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "launcher-conf.h"
#include "env-map.h"
#include "fileio.h"
#include "hex.h"
#include "keyfile.h"
#include "strv.h"

#define GROUP_LAUNCHER "Launcher"
#define PREFIX_TRUST "TrustProfile "
#define PREFIX_LAUNCH "LaunchProfile "

typedef struct Errors {
        char **list; /* in the order of their lines */
        unsigned *lines;
        size_t n;
        bool oom;
} Errors;

/* "PATH:LINE: message", kept in line order whatever order they are found in. */
_printf_(4, 5) static void add_error(Errors *errs, const char *path, unsigned line, const char *fmt, ...) {
        char *text = NULL, *msg = NULL;
        va_list ap;
        va_start(ap, fmt);
        int r = vasprintf(&text, fmt, ap);
        va_end(ap);
        if (r >= 0 && (line ? asprintf(&msg, "%s:%u: %s", path, line, text) : asprintf(&msg, "%s", text)) < 0)
                msg = NULL;
        free(r >= 0 ? text : NULL);
        char **l = msg ? realloc(errs->list, (errs->n + 2) * sizeof(char *)) : NULL;
        if (l)
                errs->list = l;
        unsigned *ln = l ? realloc(errs->lines, (errs->n + 1) * sizeof(unsigned)) : NULL;
        if (!ln) {
                free(msg);
                errs->oom = true;
                return;
        }
        errs->lines = ln;
        size_t at = errs->n;
        while (at > 0 && errs->lines[at - 1] > line) {
                errs->list[at] = errs->list[at - 1];
                errs->lines[at] = errs->lines[at - 1];
                at--;
        }
        errs->list[at] = msg;
        errs->lines[at] = line;
        errs->list[++errs->n] = NULL;
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

/* ---- systemd.exec(5) words */

/* One C escape after a backslash at *p; advances *p past it. */
static int unescape_one(const char **p, char *out, Error *e) {
        char c = **p;
        (*p)++;
        switch (c) {
        case 'a': *out = '\a'; return 0;
        case 'b': *out = '\b'; return 0;
        case 'f': *out = '\f'; return 0;
        case 'n': *out = '\n'; return 0;
        case 'r': *out = '\r'; return 0;
        case 't': *out = '\t'; return 0;
        case 'v': *out = '\v'; return 0;
        case 's': *out = ' '; return 0;
        case '\\': case '"': case '\'': *out = c; return 0;
        case 'x': {
                int hi = unhexchar((*p)[0]), lo = hi >= 0 ? unhexchar((*p)[1]) : -1;
                if (lo < 0 || (hi == 0 && lo == 0))
                        return error_setf(e, -EINVAL, "invalid \\x escape");
                *out = (char) (hi << 4 | lo);
                *p += 2;
                return 0;
        }
        default:
                return error_setf(e, -EINVAL, "invalid escape '\\%c'", c ? c : ' ');
        }
}

int config_split_words(const char *value, char ***ret, Error *e) {
        assert_return(value && ret, error_setf(e, -EINVAL, "invalid argument"));

        size_t n = strlen(value);
        _cleanup_free_ char *word = malloc(n + 1);
        _cleanup_(strv_freep) char **words = calloc(n / 2 + 2, sizeof(char *));
        if (!word || !words)
                return error_setf(e, -ENOMEM, "out of memory");

        size_t k = 0;
        const char *p = value;
        for (;;) {
                while (*p == ' ' || *p == '\t')
                        p++;
                if (!*p)
                        break;
                char *w = word;
                char quote = 0;
                while (*p && (quote || (*p != ' ' && *p != '\t'))) {
                        char c = *p++;
                        if (quote && c == quote) {
                                quote = 0;
                                continue;
                        }
                        if (!quote && (c == '"' || c == '\'')) {
                                quote = c;
                                continue;
                        }
                        if (c == '\\') {
                                if (!*p)
                                        return error_setf(e, -EINVAL, "trailing backslash");
                                int r = unescape_one(&p, w++, e);
                                if (r < 0)
                                        return r;
                                continue;
                        }
                        *w++ = c;
                }
                if (quote)
                        return error_setf(e, -EINVAL, "unterminated quote");
                *w = 0;
                if (!(words[k++] = strdup(word)))
                        return error_setf(e, -ENOMEM, "out of memory");
        }
        *ret = TAKE_PTR(words);
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

static void set_string(char **field, const char *value, Errors *errs) {
        char *v = strdup(value);
        if (!v) {
                errs->oom = true;
                return;
        }
        free(*field);
        *field = v;
}

/* A number of seconds in (0, 600]. */
static void parse_slice(char **field, const KeyfileEntry *en, const char *path, Errors *errs) {
        if (!unit_name_is_slice(en->value))
                add_error(errs, path, en->line, "Slice: '%s' is not a slice unit name", en->value);
        else
                set_string(field, en->value, errs);
}

/* One of systemd's unit settings (unit-property.h); a later line of the
 * same setting replaces an earlier one. */
static void parse_unit_setting(UnitProperty **list, size_t *n, const KeyfileEntry *en, const char *path,
                               Errors *errs) {
        Error e = {};
        UnitProperty p;
        if (unit_property_parse(en->key, en->value, &p, &e) < 0) {
                if (e.code == -ENOMEM)
                        errs->oom = true;
                else
                        add_error(errs, path, en->line, "%s", error_message(&e));
                return;
        }
        if (unit_properties_put(list, n, &p) < 0)
                errs->oom = true;
        unit_property_done(&p);
}

/* yes/no, as the configuration writes booleans (true/false and 1/0 too). */
static void parse_yes_no(bool *field, const KeyfileEntry *en, const char *path, Errors *errs) {
        int b = keyfile_parse_boolean(en->value);
        if (b < 0 && strcmp(en->value, "yes") != 0 && strcmp(en->value, "no") != 0)
                add_error(errs, path, en->line, "%s: '%s' is not yes or no", en->key, en->value);
        else
                *field = b == 1 || strcmp(en->value, "yes") == 0;
}

static void parse_seconds(uint64_t *field, const KeyfileEntry *en, const char *path, Errors *errs) {
        char *end;
        double sec = strtod(en->value, &end);
        if (end == en->value || *end || !(sec > 0 && sec <= 600))
                add_error(errs, path, en->line, "%s: '%s' is not a number of seconds (0-600]", en->key, en->value);
        else
                *field = (uint64_t) (sec * 1e6);
}

static void parse_launcher_key(Config *c, const KeyfileEntry *en, const char *path, Errors *errs) {
        if (strcmp(en->key, "DefaultProfile") == 0) {
                if (!is_profile_name(en->value, strlen(en->value)))
                        add_error(errs, path, en->line, "DefaultProfile: '%s' is not a valid profile name", en->value);
                else
                        set_string(&c->default_profile, en->value, errs);
        } else if (strcmp(en->key, "Scope") == 0) {
                int m = scope_mode_from_string(en->value);
                if (m < 0)
                        add_error(errs, path, en->line, "Scope: '%s' is not one of dbus, systemd-run, none", en->value);
                else
                        c->scope = (ScopeMode) m;
        } else if (strcmp(en->key, "Slice") == 0)
                parse_slice(&c->slice, en, path, errs);
        else if (strcmp(en->key, "UnitNames") == 0) {
                if (strcmp(en->value, "seed") == 0)
                        c->unit_names = UNIT_NAMES_SEED;
                else if (strcmp(en->value, "xdg") == 0)
                        c->unit_names = UNIT_NAMES_XDG;
                else
                        add_error(errs, path, en->line, "UnitNames: '%s' is not seed or xdg", en->value);
        } else if (strcmp(en->key, "PartOf") == 0 || strcmp(en->key, "After") == 0)
                parse_unit_setting(&c->unit_properties, &c->n_unit_properties, en, path, errs);
        else if (strcmp(en->key, "Terminal") == 0) {
                Error e = {};
                char **words = NULL;
                if (config_split_words(en->value, &words, &e) < 0)
                        add_error(errs, path, en->line, "Terminal: %s", error_message(&e));
                else if (!words[0]) {
                        strv_free(words);
                        add_error(errs, path, en->line, "Terminal: empty command");
                } else {
                        strv_free(c->terminal);
                        c->terminal = words;
                }
        } else if (strcmp(en->key, "SecretTimeoutSec") == 0)
                parse_seconds(&c->secret_timeout_usec, en, path, errs);
        else if (strcmp(en->key, "ScopeTimeoutSec") == 0)
                parse_seconds(&c->scope_timeout_usec, en, path, errs);
        else if (strcmp(en->key, "UnlockTimeoutSec") == 0) {
                /* Answered within the 60 s a client waits for a reply. */
                uint64_t usec = 0;
                size_t errors = errs->n;
                parse_seconds(&usec, en, path, errs);
                if (errs->n == errors && usec > 55 * 1000000ULL)
                        add_error(errs, path, en->line, "UnlockTimeoutSec: '%s' is more than 55 seconds", en->value);
                else if (errs->n == errors)
                        c->unlock_timeout_usec = usec;
        }
        else if (strcmp(en->key, "AllowEphemeralClients") == 0)
                parse_yes_no(&c->allow_ephemeral_clients, en, path, errs);
        else if (strcmp(en->key, "UnlockOnLaunch") == 0)
                parse_yes_no(&c->unlock_on_launch, en, path, errs);
        else if (strcmp(en->key, "History") == 0)
                parse_yes_no(&c->history, en, path, errs);
        else if (strcmp(en->key, "HistoryHalfLifeDays") == 0) {
                char *end;
                double days = strtod(en->value, &end);
                if (end == en->value || *end || !(days >= 0.01 && days <= 3650))
                        add_error(errs, path, en->line, "HistoryHalfLifeDays: '%s' is not a number of days (0.01-3650)",
                                  en->value);
                else
                        c->history_half_life_sec = (uint64_t) (days * 86400);
        } else if (strcmp(en->key, "Picker") == 0) {
                if (!*en->value)
                        add_error(errs, path, en->line, "Picker: empty command");
                else
                        set_string(&c->picker, en->value, errs);
        } else
                add_error(errs, path, en->line, "unknown key '%s' in [" GROUP_LAUNCHER "]", en->key);
}

static void parse_trust_key(Config *c, const char *trust, const KeyfileEntry *en, const char *path, Errors *errs) {
        TrustProfile *t = trust_get(c, trust);
        if (!t) {
                errs->oom = true;
                return;
        }
        if (strcmp(en->key, "Collection") == 0) {
                if (!*en->value)
                        add_error(errs, path, en->line, "Collection: empty");
                else
                        set_string(&t->collection, en->value, errs);
        } else
                add_error(errs, path, en->line, "unknown key '%s' in [TrustProfile %s]", en->key, trust);
}

static void parse_environment(LaunchProfile *p, const KeyfileEntry *en, const char *path, Errors *errs) {
        Error e = {};
        char **words = NULL;
        if (config_split_words(en->value, &words, &e) < 0) {
                add_error(errs, path, en->line, "Environment: %s", error_message(&e));
                return;
        }
        for (char **w = words; *w; w++) {
                const char *eq = strchr(*w, '=');
                if (!eq || !env_name_is_valid(*w, (size_t) (eq - *w))) {
                        add_error(errs, path, en->line, "Environment: '%s' is not NAME=VALUE with a valid name", *w);
                        strv_free(words);
                        return;
                }
        }
        if (list_accumulate(&p->environment, words) < 0) {
                strv_free(words);
                errs->oom = true;
        }
}

static void parse_secret(LaunchProfile *p, const KeyfileEntry *en, const char *path, Errors *errs) {
        Error e = {};
        char **words = NULL;
        if (config_split_words(en->value, &words, &e) < 0) {
                add_error(errs, path, en->line, "Secret: %s", error_message(&e));
                return;
        }
        for (char **w = words; *w; w++)
                if (!is_secret_name(*w)) {
                        add_error(errs, path, en->line,
                                  "Secret: '%s' is not a valid secret name (letters, digits, '-' and '_', not "
                                  "starting with a digit)",
                                  *w);
                        strv_free(words);
                        return;
                }
        if (list_accumulate(&p->secrets, words) < 0) {
                strv_free(words);
                errs->oom = true;
        }
}

static void parse_launch_key(LaunchProfile *p, const KeyfileEntry *en, const char *path, Errors *errs) {
        if (strcmp(en->key, "Environment") == 0)
                parse_environment(p, en, path, errs);
        else if (strcmp(en->key, "Secret") == 0)
                parse_secret(p, en, path, errs);
        else if (strcmp(en->key, "Devshell") == 0) {
                if (!*en->value)
                        add_error(errs, path, en->line, "Devshell: empty flake reference");
                else
                        set_string(&p->devshell, en->value, errs);
        } else if (strcmp(en->key, "WorkingDirectory") == 0) {
                if (en->value[0] != '/')
                        add_error(errs, path, en->line, "WorkingDirectory: '%s' is not an absolute path", en->value);
                else
                        set_string(&p->working_directory, en->value, errs);
        } else if (strcmp(en->key, "Slice") == 0)
                parse_slice(&p->slice, en, path, errs);
        else if (strcmp(en->key, "Description") == 0) {
                if (!*en->value)
                        add_error(errs, path, en->line, "Description: empty");
                else
                        set_string(&p->description, en->value, errs);
        } else if (strcmp(en->key, "Strict") == 0 || strcmp(en->key, "Single") == 0) {
                bool b = false;
                size_t errors = errs->n;
                parse_yes_no(&b, en, path, errs);
                if (errs->n == errors)
                        *(strcmp(en->key, "Strict") == 0 ? &p->strict : &p->single) = b;
        } else if (unit_setting_known(en->key))
                parse_unit_setting(&p->unit_properties, &p->n_unit_properties, en, path, errs);
        else
                add_error(errs, path, en->line, "unknown key '%s' in [LaunchProfile %s:%s]", en->key, p->trust,
                          p->name);
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

int config_parse(const char *path, const char *text, size_t size, Config **ret, char ***ret_errors) {
        assert_return(ret && ret_errors, -EINVAL);
        *ret_errors = NULL;

        Errors errs = {};
        _cleanup_(config_freep) Config *c = NULL;
        int r = config_new_default(&c);
        if (r < 0)
                return r;
        if (!(c->path = strdup(path ? path : "<input>")))
                return -ENOMEM;

        Error e = {};
        _cleanup_(keyfile_freep) Keyfile *k = NULL;
        if (keyfile_parse(c->path, text, size, KEYFILE_TRAILING_COMMENTS, &k, &e) < 0) {
                if (e.code == -ENOMEM)
                        return -ENOMEM;
                add_error(&errs, NULL, 0, "%s", error_message(&e));
        }

        /* Every group is known before its keys are read: a key may refer to a
         * trust profile whose group comes later. */
        for (size_t i = 0; i < keyfile_n_groups(k); i++) {
                unsigned line;
                const char *g = keyfile_group(k, i, &line);
                char trust[128], name[128];
                if (strcmp(g, GROUP_LAUNCHER) == 0)
                        continue;
                if (strncmp(g, PREFIX_TRUST, strlen(PREFIX_TRUST)) == 0) {
                        const char *t = g + strlen(PREFIX_TRUST);
                        if (!is_profile_name(t, strlen(t)))
                                add_error(&errs, c->path, line, "'%s' is not a valid trust profile name", t);
                        else if (!trust_get(c, t))
                                errs.oom = true;
                } else if (strncmp(g, PREFIX_LAUNCH, strlen(PREFIX_LAUNCH)) == 0) {
                        if (!split_launch_group(g + strlen(PREFIX_LAUNCH), trust, name, sizeof(trust)))
                                add_error(&errs, c->path, line,
                                          "'%s' is not a valid launch profile name (NAME or TRUST:NAME)",
                                          g + strlen(PREFIX_LAUNCH));
                        else if (!launch_get(c, trust, name, line))
                                errs.oom = true;
                } else
                        add_error(&errs, c->path, line, "unknown group [%s]", g);
        }

        for (size_t i = 0; i < keyfile_n_entries(k); i++) {
                const KeyfileEntry *en = keyfile_entry(k, i);
                char trust[128], name[128];
                if (en->locale)
                        add_error(&errs, c->path, en->line, "'%s[%s]': no localized keys here", en->key, en->locale);
                else if (strcmp(en->group, GROUP_LAUNCHER) == 0)
                        parse_launcher_key(c, en, c->path, &errs);
                else if (strncmp(en->group, PREFIX_TRUST, strlen(PREFIX_TRUST)) == 0) {
                        if (is_profile_name(en->group + strlen(PREFIX_TRUST), strlen(en->group + strlen(PREFIX_TRUST))))
                                parse_trust_key(c, en->group + strlen(PREFIX_TRUST), en, c->path, &errs);
                } else if (strncmp(en->group, PREFIX_LAUNCH, strlen(PREFIX_LAUNCH)) == 0 &&
                           split_launch_group(en->group + strlen(PREFIX_LAUNCH), trust, name, sizeof(trust))) {
                        LaunchProfile *p = launch_find(c, trust, name);
                        if (p)
                                parse_launch_key(p, en, c->path, &errs);
                }
        }

        const KeyfileEntry *dp = keyfile_lookup(k, GROUP_LAUNCHER, "DefaultProfile");
        if (dp && !errs.n && !config_has_trust_profile(c, c->default_profile))
                add_error(&errs, c->path, dp->line, "DefaultProfile: no trust profile '%s' is defined",
                          c->default_profile);

        free(errs.lines);
        if (errs.oom) {
                strv_free(errs.list);
                return -ENOMEM;
        }
        if (errs.n > 0) {
                *ret_errors = errs.list;
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
        int r = read_file(path, KEYFILE_MAX_SIZE, 0, &text, &size, &e);
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
