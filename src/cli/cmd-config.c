/* SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "common/strv.h"
#include "config/launcher-conf.h"
#include "ipc/proto.h"

static void help(void) {
        printf("Usage: sesame config check [--json] [FILE]\n"
               "       sesame config list [--json|--names] [FILE]\n"
               "       sesame config show [--json] PROFILE [FILE]\n"
               "\n"
               "The launcher's configuration: FILE, or by default\n"
               "$XDG_CONFIG_HOME/sesame/launcher.conf (~/.config/sesame/launcher.conf).\n"
               "\n"
               "  check  every error as FILE:LINE: MESSAGE, exit 1 if there is any; else a\n"
               "         summary, exit 0. The launcher serves a file with errors all the\n"
               "         same, leaving out what each error is in (sesame status lists them).\n"
               "  list   the trust profiles (and their collection), the launch profiles\n"
               "         with the tag that names each, the settings it makes (variables by\n"
               "         name, secrets by name: never a value), the [Open NAME] rules of\n"
               "         sesame open in their order, and what was left out\n"
               "  show   one launch profile (NAME or TRUST:NAME) or trust profile, as the\n"
               "         launcher reads it: each setting and its value, secrets by name\n"
               "\n"
               "  --json   one JSON object on standard output\n"
               "  --names  (list) only names, for shell completion: 'tag TAG' for each launch\n"
               "           profile that serves, 'trust NAME' for each trust profile\n"
               "\n"
               "  [Launcher]                  DefaultProfile= Scope=dbus|systemd-run|none\n"
               "                              Slice= Terminal=\n"
               "  [TrustProfile NAME]         Collection=\n"
               "  [LaunchProfile NAME]        (of trust profile \"default\")\n"
               "  [LaunchProfile TRUST:NAME]  Environment= Secret= Devshell= WorkingDirectory=\n"
               "\n"
               "Environment= and Secret= take space-separated words with quotes, as in\n"
               "systemd.exec(5); repeated lines add up, an empty one resets the list.\n"
               "See sesame-launcher.conf(5).\n");
}

/* The file, or the defaults when the default file is not there (*present
 * false); its path filled in either way. */
static int load(const char *file, Config **ret, bool *present) {
        _cleanup_free_ char *default_path = NULL;
        const char *path = file;
        if (!path && !(path = default_path = config_default_path())) {
                fprintf(stderr, "sesame config: neither XDG_CONFIG_HOME nor HOME is set\n");
                return 1;
        }
        if (config_load(path, !file, ret) < 0) {
                fprintf(stderr, "sesame config: out of memory\n");
                return 1;
        }
        *present = (*ret)->path != NULL;
        if (!*present && !((*ret)->path = strdup(path))) {
                fprintf(stderr, "sesame config: out of memory\n");
                return 1;
        }
        return 0;
}

/* The trust profiles there are: "default" always, then those named. */
static char **trust_names(const Config *c) {
        char **names = NULL;
        if (strv_push(&names, strdup(CONFIG_DEFAULT_PROFILE)) < 0)
                return NULL;
        for (size_t i = 0; i < c->n_trust_profiles; i++)
                if (!strv_contains(names, c->trust_profiles[i].name) &&
                    strv_push(&names, strdup(c->trust_profiles[i].name)) < 0)
                        return NULL;
        for (size_t i = 0; i < c->n_launch_profiles; i++)
                if (!strv_contains(names, c->launch_profiles[i].trust) &&
                    strv_push(&names, strdup(c->launch_profiles[i].trust)) < 0)
                        return NULL;
        return names;
}

/* The tag that names a launch profile: NAME in the default trust profile. */
static char *tag_of(const Config *c, const LaunchProfile *p) {
        char *tag = NULL;
        if (strcmp(p->trust, c->default_profile) == 0)
                return strdup(p->name);
        return asprintf(&tag, "%s:%s", p->trust, p->name) < 0 ? NULL : tag;
}

/* The variables' names of "NAME=VALUE" assignments: values stay out of a
 * listing (they may be tokens written in the file). */
static json_t *variable_names(char *const *assignments) {
        json_t *a = json_array();
        for (char *const *i = assignments; a && i && *i; i++)
                if (json_array_append_new(a, json_stringn(*i, strcspn(*i, "="))) < 0)
                        a = (json_decref(a), NULL);
        return a;
}

/* The settings a launch profile makes, by key, with values when `values`. */
static json_t *profile_settings(const LaunchProfile *p, bool values) {
        json_t *o = json_object();
        if (!o)
                return NULL;
        json_object_set_new(o, "Environment", values ? json_strv(p->environment) : variable_names(p->environment));
        json_object_set_new(o, "Secret", json_strv(p->secrets));
        const struct {
                const char *key, *value;
        } strings[] = {
                { "Devshell", p->devshell }, { "WorkingDirectory", p->working_directory },
                { "Slice", p->slice },       { "Description", p->description },
        };
        for (size_t i = 0; i < ELEMENTSOF(strings); i++)
                if (strings[i].value)
                        json_object_set_new(o, strings[i].key, json_string(strings[i].value));
        if (p->strict >= 0)
                json_object_set_new(o, "Strict", json_boolean(p->strict));
        if (p->single >= 0)
                json_object_set_new(o, "Single", json_boolean(p->single));
        for (size_t i = 0; i < p->n_unit_properties; i++)
                json_object_set_new(o, p->unit_properties[i].setting, json_string(p->unit_properties[i].text));
        return o;
}

static json_t *launch_profile_json(const Config *c, const LaunchProfile *p, bool values) {
        _cleanup_free_ char *tag = tag_of(c, p);
        const TrustProfile *tp = config_trust_profile(c, p->trust);
        /* Left out for its own error, or for its trust profile's. */
        const char *invalid = p->invalid ? p->invalid : tp ? tp->invalid : NULL;
        return json_pack("{s:s,s:s,s:s?,s:I,s:o*,s:s?}", "name", p->name, "trust", p->trust, "tag", tag, "line",
                         (json_int_t) p->line, "settings", profile_settings(p, values), "invalid", invalid);
}

static json_t *trust_profile_json(const Config *c, const char *name) {
        const TrustProfile *tp = config_trust_profile(c, name);
        return json_pack("{s:s,s:s?,s:b,s:s?}", "name", name, "collection", tp ? tp->collection : NULL, "default",
                         strcmp(name, c->default_profile) == 0, "invalid", tp ? tp->invalid : NULL);
}

static json_t *config_json(const Config *c) {
        _cleanup_(strv_freep) char **trusts = trust_names(c);
        json_t *t = json_array(), *l = json_array();
        for (char **n = trusts; t && n && *n; n++)
                if (json_array_append_new(t, trust_profile_json(c, *n)) < 0)
                        t = (json_decref(t), NULL);
        for (size_t i = 0; l && i < c->n_launch_profiles; i++)
                if (json_array_append_new(l, launch_profile_json(c, &c->launch_profiles[i], false)) < 0)
                        l = (json_decref(l), NULL);
        json_t *rules = json_array();
        for (size_t i = 0; rules && i < c->n_open_rules; i++) {
                const OpenRule *r = &c->open_rules[i];
                if (json_array_append_new(rules, json_pack("{s:s,s:o,s:o,s:o,s:s?,s:s?,s:o,s:b,s:s?}", "name", r->name,
                                                           "match", json_strv(r->match), "mime_types",
                                                           json_strv(r->mime_types), "from", json_strv(r->from),
                                                           "entry", r->entry, "action", r->action, "tags",
                                                           json_strv(r->tags), "ask", r->ask, "invalid",
                                                           r->invalid)) < 0)
                        rules = (json_decref(rules), NULL);
        }
        return json_pack("{s:s,s:s,s:o*,s:o*,s:o*,s:o*}", "path", c->path, "default_profile", c->default_profile,
                         "trust_profiles", t, "launch_profiles", l, "open_rules", rules, "errors",
                         json_strv(c->errors));
}

/* One line per setting key: "Environment GREETING PATH_EXTRA". */
static void print_settings(json_t *settings, const char *indent) {
        const char *key;
        json_t *v;
        json_object_foreach(settings, key, v) {
                if (json_is_null(v) || (json_is_array(v) && json_array_size(v) == 0))
                        continue;
                printf("%s%s=", indent, key);
                if (json_is_array(v)) {
                        size_t i;
                        json_t *w;
                        json_array_foreach(v, i, w) printf("%s%s", i ? " " : "", json_string_value(w));
                } else if (json_is_boolean(v))
                        printf("%s", json_is_true(v) ? "yes" : "no");
                else
                        printf("%s", json_string_value(v));
                putchar('\n');
        }
}

/* A launch profile or a rule: its name (and what left it out), then its settings. */
static void print_item(json_t *v, const char *name_key, json_t *settings) {
        const char *invalid = json_string_value(json_object_get(v, "invalid"));
        printf("  %s%s%s\n", json_string_value(json_object_get(v, name_key)), invalid ? " — left out: " : "",
               invalid ? invalid : "");
        print_settings(settings, "      ");
}

static int print_or_fail(json_t *o, bool json) {
        if (!o) {
                fprintf(stderr, "sesame config: out of memory\n");
                return 1;
        }
        if (json)
                print_json(o);
        return 0;
}

static int check(const Config *c, bool present, bool json) {
        size_t n_errors = strv_length(c->errors);
        _cleanup_(strv_freep) char **trusts = trust_names(c);
        if (json) {
                json_t *o = json_pack("{s:s,s:b,s:b,s:o*,s:I,s:I}", "path", c->path, "present", present, "valid",
                                      n_errors == 0, "errors", json_strv(c->errors), "trust_profiles",
                                      (json_int_t) strv_length(trusts), "launch_profiles",
                                      (json_int_t) c->n_launch_profiles);
                int r = print_or_fail(o, true);
                json_decref(o);
                return r ? r : n_errors > 0;
        }
        for (char **e = c->errors; e && *e; e++)
                printf("%s\n", *e);
        if (n_errors > 0)
                return 1;
        if (!present)
                printf("%s: not present; the built-in defaults apply\n", c->path);
        else
                printf("%s: valid; %zu trust profile%s, %zu launch profile%s\n", c->path, strv_length(trusts),
                       strv_length(trusts) == 1 ? "" : "s", c->n_launch_profiles,
                       c->n_launch_profiles == 1 ? "" : "s");
        return 0;
}

/* For completion: what --tag and --profile take, one per line. */
static int list_names(const Config *c) {
        _cleanup_(strv_freep) char **trusts = trust_names(c);
        for (char **t = trusts; t && *t; t++) {
                const TrustProfile *tp = config_trust_profile(c, *t);
                if (!tp || !tp->invalid)
                        printf("trust %s\n", *t);
        }
        for (size_t i = 0; i < c->n_launch_profiles; i++) {
                const LaunchProfile *p = &c->launch_profiles[i];
                const TrustProfile *tp = config_trust_profile(c, p->trust);
                _cleanup_free_ char *tag = tag_of(c, p);
                if (tag && !p->invalid && !(tp && tp->invalid))
                        printf("tag %s\n", tag);
        }
        return 0;
}

static int list(const Config *c, bool json) {
        json_t *o = config_json(c);
        int r = print_or_fail(o, json);
        if (r || json) {
                json_decref(o);
                return r;
        }
        printf("%s\n\nTrust profiles:\n", c->path);
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(o, "trust_profiles"), i, v) {
                const char *collection = json_string_value(json_object_get(v, "collection"));
                const char *invalid = json_string_value(json_object_get(v, "invalid"));
                printf("  %-20s collection: %s%s%s%s\n", json_string_value(json_object_get(v, "name")),
                       collection ? collection : "any (every unlocked one)",
                       json_is_true(json_object_get(v, "default")) ? " (DefaultProfile)" : "",
                       invalid ? " — left out: " : "", invalid ? invalid : "");
        }
        printf("\nLaunch profiles (--tag TAG):\n");
        if (json_array_size(json_object_get(o, "launch_profiles")) == 0)
                printf("  none\n");
        json_array_foreach(json_object_get(o, "launch_profiles"), i, v)
                print_item(v, "tag", json_object_get(v, "settings"));
        printf("\nOpen rules (sesame open), in the order they are tried:\n");
        if (json_array_size(json_object_get(o, "open_rules")) == 0)
                printf("  none\n");
        json_array_foreach(json_object_get(o, "open_rules"), i, v) {
                json_t *settings = json_pack("{s:O,s:O,s:O,s:O?,s:O?,s:O,s:O}", "Match", json_object_get(v, "match"),
                                             "MimeType", json_object_get(v, "mime_types"), "From",
                                             json_object_get(v, "from"), "Entry", json_object_get(v, "entry"),
                                             "Action", json_object_get(v, "action"), "Tags",
                                             json_object_get(v, "tags"), "Ask", json_object_get(v, "ask"));
                print_item(v, "name", settings);
                json_decref(settings);
        }
        if (c->errors)
                printf("\n%zu error%s in force (sesame config check)\n", strv_length(c->errors),
                       strv_length(c->errors) == 1 ? "" : "s");
        json_decref(o);
        return 0;
}

/* NAME or TRUST:NAME as a tag names it; else a trust profile's name. */
static int show(const Config *c, const char *what, bool json) {
        const char *colon = strchr(what, ':');
        _cleanup_free_ char *trust = colon ? strndup(what, (size_t) (colon - what)) : strdup(c->default_profile);
        const LaunchProfile *p = trust ? config_launch_profile(c, trust, colon ? colon + 1 : what) : NULL;
        json_t *o = p ? launch_profile_json(c, p, true)
                  : !colon && config_has_trust_profile(c, what) ? trust_profile_json(c, what)
                                                                : NULL;
        if (!o && !p && !(!colon && config_has_trust_profile(c, what))) {
                fprintf(stderr, "sesame config show: no launch or trust profile '%s' in %s (see: sesame config list)\n",
                        what, c->path);
                return 1;
        }
        int r = print_or_fail(o, json);
        if (r || json) {
                json_decref(o);
                return r;
        }
        const char *invalid = json_string_value(json_object_get(o, "invalid"));
        if (p) {
                printf("[LaunchProfile %s:%s]  # %s:%u, --tag %s\n", p->trust, p->name, c->path, p->line,
                       json_string_value(json_object_get(o, "tag")));
                print_settings(json_object_get(o, "settings"), "");
        } else {
                const char *collection = json_string_value(json_object_get(o, "collection"));
                printf("[TrustProfile %s]\nCollection=%s\n", what, collection ? collection : "");
        }
        if (invalid)
                printf("# left out: %s\n", invalid);
        json_decref(o);
        return 0;
}

int cmd_config(int argc, char *argv[]) {
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "json", no_argument, NULL, 'j' },
                { "names", no_argument, NULL, 'n' },
                {},
        };
        bool json = false, names = false;
        int c;
        while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0) {
                if (c == 'h') {
                        help();
                        return 0;
                }
                if (c == 'j' || c == 'n') {
                        json = json || c == 'j';
                        names = names || c == 'n';
                        continue;
                }
                fprintf(stderr, "sesame config: see 'sesame config --help'\n");
                return EXIT_USAGE;
        }
        const char *verb = optind < argc ? argv[optind] : NULL;
        size_t operands = verb && strcmp(verb, "show") == 0 ? 1 : 0;
        if (!verb || (strcmp(verb, "check") != 0 && strcmp(verb, "list") != 0 && strcmp(verb, "show") != 0)) {
                fprintf(stderr, "sesame config: expected check, list or show (see 'sesame config --help')\n");
                return EXIT_USAGE;
        }
        size_t rest = (size_t) (argc - optind - 1);
        if (rest < operands || rest > operands + 1) {
                fprintf(stderr, "sesame config %s: expected %sat most one FILE\n", verb,
                        operands ? "PROFILE and " : "");
                return EXIT_USAGE;
        }
        const char *file = rest > operands ? argv[argc - 1] : NULL;
        _cleanup_(config_freep) Config *config = NULL;
        bool present;
        if (load(file, &config, &present) != 0)
                return 1;
        if (strcmp(verb, "check") == 0)
                return check(config, present, json);
        if (strcmp(verb, "list") == 0)
                return names ? list_names(config) : list(config, json);
        return show(config, argv[optind + 1], json);
}
