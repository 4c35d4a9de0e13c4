/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/strv.h"
#include "common/utf8.h"
#include "desktop/exec.h"
#include "launcher/plan.h"

static const char *const denial_names[_DENIAL_MAX] = {
        [DENIAL_NONE] = "None",
        [DENIAL_ENTRY_NOT_FOUND] = "EntryNotFound",
        [DENIAL_PROFILE_NOT_FOUND] = "ProfileNotFound",
        [DENIAL_LAUNCH_PROFILE_NOT_FOUND] = "LaunchProfileNotFound",
        [DENIAL_PROFILE_INVALID] = "ProfileInvalid",
        [DENIAL_SECRET_VARIABLE_DENIED] = "SecretVariableDenied",
        [DENIAL_FORBIDDEN] = "Forbidden",
        [DENIAL_INVALID_ARGUMENTS] = "InvalidRequest",
};

const char *denial_name(DenialKind kind) {
        return kind >= 0 && kind < _DENIAL_MAX ? denial_names[kind] : NULL;
}

/* "a, b and c" (`last`: " and " or " or "), or "none". */
static void format_list(char *const *l, const char *last, char *buf, size_t size) {
        size_t n = strv_length((char **) l), used = 0;
        buf[0] = 0;
        if (n == 0)
                utf8_snprintf(buf, size, "none");
        for (size_t i = 0; i < n && used < size; i++)
                used += (size_t) utf8_snprintf(buf + used, size - used, "%s%s",
                                               i == 0 ? "" : i + 1 == n ? last : ", ", l[i]);
}

/* A configuration with errors in force may be why something is missing. */
static const char *errors_note(const Denial *d, char *buf, size_t size) {
        if (d->config_errors == 0)
                return "";
        utf8_snprintf(buf, size, "; the configuration has %zu error%s in force (sesame status lists them)",
                      d->config_errors, d->config_errors == 1 ? "" : "s");
        return buf;
}

int denial_format(const Denial *d, char *buf, size_t size) {
        char list[512], note[128];
        switch (d->kind) {
        case DENIAL_ENTRY_NOT_FOUND:
                if (d->reason)
                        return utf8_snprintf(buf, size, "%s", d->reason);
                if (d->known && d->known[0]) {
                        format_list(d->known, " or ", list, sizeof(list));
                        return utf8_snprintf(buf, size, "no desktop entry matches '%s'; did you mean %s? (see: sesame "
                                             "search %s)", d->entry_id, list, d->entry_id);
                }
                return utf8_snprintf(buf, size, "no desktop entry matches '%s' (see: sesame entries)", d->entry_id);
        case DENIAL_PROFILE_NOT_FOUND:
                return utf8_snprintf(buf, size, "no trust profile '%s' in the configuration%s", d->profile,
                                     errors_note(d, note, sizeof(note)));
        case DENIAL_LAUNCH_PROFILE_NOT_FOUND:
                format_list(d->known, " and ", list, sizeof(list));
                return utf8_snprintf(buf, size, "no launch profile '%s' in trust profile '%s' (it has: %s)%s",
                                     d->launch_profile, d->profile, list, errors_note(d, note, sizeof(note)));
        case DENIAL_PROFILE_INVALID:
                if (d->launch_profile)
                        return utf8_snprintf(buf, size,
                                             "launch profile '%s' is left out: %s (fix it, then: sesame config check)",
                                             d->launch_profile, d->reason);
                return utf8_snprintf(buf, size, "trust profile '%s' is left out: %s (fix it, then: sesame config check)",
                                     d->profile, d->reason);
        case DENIAL_SECRET_VARIABLE_DENIED:
                return utf8_snprintf(buf, size,
                                "secret '%s' of trust profile '%s' would set %s, which no secret may set; rename "
                                "the secret",
                                d->secret, d->profile, d->variable);
        case DENIAL_FORBIDDEN:
        case DENIAL_INVALID_ARGUMENTS:
                return utf8_snprintf(buf, size, "%s", d->reason);
        default:
                return utf8_snprintf(buf, size, "launch denied");
        }
}

void denial_done(Denial *d) {
        if (!d)
                return;
        free(d->entry_id);
        free(d->profile);
        free(d->launch_profile);
        free(d->secret);
        free(d->variable);
        free(d->reason);
        strv_free(d->known);
        *d = (Denial){};
}

/* Fills a denial; 1 (denied), or -ENOMEM. */
static int deny(Denial *d, DenialKind kind, const char *entry_id, const char *profile, const char *launch_profile,
                const char *secret, const char *variable) {
        *d = (Denial){ .kind = kind };
        if ((entry_id && !(d->entry_id = strdup(entry_id))) || (profile && !(d->profile = strdup(profile))) ||
            (launch_profile && !(d->launch_profile = strdup(launch_profile))) ||
            (secret && !(d->secret = strdup(secret))) || (variable && !(d->variable = strdup(variable)))) {
                denial_done(d);
                return -ENOMEM;
        }
        return 1;
}

int secret_variable_name(const char *secret, char buf[static SECRET_NAME_MAX + 1]) {
        size_t n = strlen(secret);
        if (n == 0 || n > SECRET_NAME_MAX)
                return -EINVAL;
        for (size_t i = 0; i < n; i++) {
                char c = secret[i];
                buf[i] = c == '-' ? '_' : (c >= 'a' && c <= 'z') ? (char) (c - 'a' + 'A') : c;
        }
        buf[n] = 0;
        return 0;
}

/* Variables a secret may not set: what makes a program, its loader or its
 * interpreter load or run other code, read its configuration or trust from
 * elsewhere, or run a command it is handed. A secret is data; it must not
 * become code. Compared without regard to case. */
static const char *const denied_exact[] = {
        /* glibc: the variables it removes for set-user-ID programs
         * (sysdeps/generic/unsecvars.h), as they load code or read files */
        "GCONV_PATH", "GETCONF_DIR", "GLIBC_TUNABLES", "HOSTALIASES", "LOCALDOMAIN", "LOCPATH", "NIS_PATH",
        "NLSPATH", "RESOLV_HOST_CONF", "RES_OPTIONS", "TMPDIR", "TZDIR",
        /* shells: startup files, functions, options, prompts and hooks that
         * run commands */
        "BASH_ENV", "ENV", "SHELLOPTS", "BASHOPTS", "PROMPT_COMMAND", "PS0", "PS1", "PS2", "PS4", "IFS", "CDPATH",
        "ZDOTDIR",
        /* Java: options the JVM and its launchers read, the class path */
        "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS", "JAVA_OPTS", "JAVA_HOME", "CLASSPATH",
        /* PHP and Tcl: their startup configuration and library path */
        "PHPRC", "PHP_INI_SCAN_DIR", "TCLLIBPATH",
        /* commands other programs run: editors, pagers, browsers, askpass,
         * less's input filters */
        "EDITOR", "VISUAL", "PAGER", "MANPAGER", "BROWSER", "SUDO_ASKPASS", "SSH_ASKPASS", "SSH_ASKPASS_REQUIRE",
        "SSH_AUTH_SOCK", "LESSOPEN", "LESSCLOSE",
        /* toolkits loading modules and plugins */
        "GTK_MODULES", "GTK3_MODULES", "GTK_PATH", "GIO_EXTRA_MODULES", "GIO_MODULE_DIR", "GI_TYPELIB_PATH",
        "GDK_PIXBUF_MODULE_FILE", "QT_PLUGIN_PATH", "QT_QPA_PLATFORM_PLUGIN_PATH",
        /* whom TLS trusts */
        "SSL_CERT_FILE", "SSL_CERT_DIR", "CURL_CA_BUNDLE", "REQUESTS_CA_BUNDLE",
        /* where programs are found, whose they are */
        "PATH", "HOME", "SHELL", "USER", "LOGNAME",
};
static const char *const denied_prefixes[] = {
        /* the dynamic loader (ld.so(8)), and glibc's allocator hooks */
        "LD_", "MALLOC_", "DYLD_",
        /* bash's exported functions */
        "BASH_FUNC_",
        /* interpreters that read code paths and options from their own
         * family of variables: PYTHONPATH, PYTHONSTARTUP, PYTHONHOME,
         * PYTHONBREAKPOINT, PYTHONWARNINGS (imports categories)...;
         * PERL5LIB, PERL5OPT, PERL5DB...; RUBYOPT, RUBYLIB...; NODE_OPTIONS,
         * NODE_PATH, NODE_REPL_EXTERNAL_MODULE...; LUA_INIT, LUA_PATH,
         * LUA_CPATH and their _5_x forms */
        "PYTHON", "PERL", "RUBY", "NODE_", "LUA_",
        /* git: GIT_SSH_COMMAND, GIT_PROXY_COMMAND, GIT_EXEC_PATH,
         * GIT_CONFIG_COUNT/KEY_n/VALUE_n (any configuration, so any
         * command), GIT_ASKPASS, GIT_EDITOR, GIT_PAGER, GIT_EXTERNAL_DIFF */
        "GIT_",
        /* GStreamer plugins */
        "GST_PLUGIN_",
        /* where programs read their configuration and data: autostart,
         * plugins, helpers */
        "XDG_",
        /* our own */
        "SESAME_",
};

bool secret_variable_allowed(const char *v) {
        for (size_t i = 0; i < ELEMENTSOF(denied_exact); i++)
                if (strcasecmp(v, denied_exact[i]) == 0)
                        return false;
        for (size_t i = 0; i < ELEMENTSOF(denied_prefixes); i++)
                if (strncasecmp(v, denied_prefixes[i], strlen(denied_prefixes[i])) == 0)
                        return false;
        return true;
}

LaunchPlan *launch_plan_free(LaunchPlan *p) {
        if (!p)
                return NULL;
        free(p->entry_id);
        free(p->entry_file);
        free(p->action);
        free(p->description);
        free(p->profile);
        exec_argvs_free(p->argvs);
        free(p->cwd);
        free(p->devshell);
        strv_free(p->environment);
        for (size_t i = 0; i < p->n_secrets; i++) {
                free(p->secrets[i].name);
                free(p->secrets[i].profile);
                free(p->secrets[i].variable);
        }
        free(p->secrets);
        strv_free(p->implicit);
        free(p->slice);
        unit_properties_free(p->unit_properties, p->n_unit_properties);
        free(p);
        return NULL;
}

/* A growing NULL-terminated vector of new strings. */
typedef struct Vec {
        char **v;
        size_t n, allocated;
} Vec;

static int vec_push(Vec *vec, const char *s) {
        if (GROW(vec->v, vec->allocated, vec->n + 2, 16) < 0) /* and its NULL */
                return -ENOMEM;
        if (!(vec->v[vec->n] = strdup(s)))
                return -ENOMEM;
        vec->v[++vec->n] = NULL;
        return 0;
}

static int vec_push_all(Vec *vec, char *const *l) {
        for (char *const *i = l; i && *i; i++)
                if (vec_push(vec, *i) < 0)
                        return -ENOMEM;
        return 0;
}

/* Sets NAME=VALUE, replacing an earlier NAME in place. */
static int vec_set_env(Vec *vec, const char *assignment) {
        size_t name_len = strcspn(assignment, "=");
        for (size_t i = 0; i < vec->n; i++)
                if (strncmp(vec->v[i], assignment, name_len) == 0 && vec->v[i][name_len] == '=') {
                        char *copy = strdup(assignment);
                        if (!copy)
                                return -ENOMEM;
                        free(vec->v[i]);
                        vec->v[i] = copy;
                        return 0;
                }
        return vec_push(vec, assignment);
}

static int plan_add_secret(LaunchPlan *p, const char *name, const char *profile) {
        for (size_t i = 0; i < p->n_secrets; i++)
                if (strcmp(p->secrets[i].name, name) == 0 && strcmp(p->secrets[i].profile, profile) == 0)
                        return 0;
        char variable[SECRET_NAME_MAX + 1];
        if (secret_variable_name(name, variable) < 0)
                return -EINVAL;
        PlanSecret *s = realloc(p->secrets, (p->n_secrets + 1) * sizeof(*s));
        if (!s)
                return -ENOMEM;
        p->secrets = s;
        s = &p->secrets[p->n_secrets];
        *s = (PlanSecret){ .name = strdup(name), .profile = strdup(profile), .variable = strdup(variable) };
        p->n_secrets++;
        return s->name && s->profile && s->variable ? 0 : -ENOMEM;
}

static int replace(char **field, const char *value) {
        char *v = strdup(value);
        if (!v)
                return -ENOMEM;
        free(*field);
        *field = v;
        return 0;
}

/* A profile the configuration left out: denied with its error. */
static int deny_invalid(Denial *d, const char *profile, const char *launch_profile, const char *error) {
        int r = deny(d, DENIAL_PROFILE_INVALID, NULL, profile, launch_profile, NULL, NULL);
        if (r > 0 && !(d->reason = strdup(error))) {
                denial_done(d);
                return -ENOMEM;
        }
        return r;
}

int plan_check_trust(const Config *config, const char *trust, Denial *denial) {
        if (!config_has_trust_profile(config, trust)) {
                int r = deny(denial, DENIAL_PROFILE_NOT_FOUND, NULL, trust, NULL, NULL, NULL);
                denial->config_errors = strv_length(config->errors);
                return r;
        }
        const TrustProfile *tp = config_trust_profile(config, trust);
        return tp && tp->invalid ? deny_invalid(denial, trust, NULL, tp->invalid) : 0;
}

static int deny_launch_profile(const Config *config, const char *trust, const char *name, Denial *denial) {
        int r = deny(denial, DENIAL_LAUNCH_PROFILE_NOT_FOUND, NULL, trust, name, NULL, NULL);
        if (r < 0)
                return r;
        denial->config_errors = strv_length(config->errors);
        for (size_t i = 0; i < config->n_launch_profiles; i++)
                if (strcmp(config->launch_profiles[i].trust, trust) == 0 &&
                    strv_push(&denial->known, strdup(config->launch_profiles[i].name)) < 0) {
                        denial_done(denial);
                        return -ENOMEM;
                }
        return r;
}

static int describe(LaunchPlan *p, const char *app_name, const char *what_for) {
        char *d = NULL;
        if (asprintf(&d, "%s (%s)", app_name, what_for) < 0)
                return -ENOMEM;
        free(p->description);
        p->description = d;
        return 0;
}

/* Tags in order: each names a launch profile of the request's trust
 * profile, or "trust:name" one of another. */
static int plan_tags(LaunchPlan *p, const Config *config, char *const *tags, Vec *env, Denial *denial) {
        /* A profile's Description= says what the launch is for; the app's
         * own name stays first ("Foot (corp laptop)"): systemctl status and
         * sesame ps still name the app. */
        _cleanup_free_ char *app_name = strdup(p->description);
        if (!app_name)
                return -ENOMEM;
        for (char *const *tag = tags; tag && *tag; tag++) {
                const char *colon = strchr(*tag, ':');
                _cleanup_free_ char *trust = colon ? strndup(*tag, (size_t) (colon - *tag)) : strdup(p->profile);
                const char *name = colon ? colon + 1 : *tag;
                if (!trust)
                        return -ENOMEM;
                int r = plan_check_trust(config, trust, denial);
                if (r != 0)
                        return r;
                const LaunchProfile *lp = config_launch_profile(config, trust, name);
                if (!lp)
                        return deny_launch_profile(config, trust, name, denial);
                if (lp->invalid)
                        return deny_invalid(denial, trust, name, lp->invalid);

                for (char **a = lp->environment; a && *a; a++)
                        if (vec_set_env(env, *a) < 0)
                                return -ENOMEM;
                for (char **s = lp->secrets; s && *s; s++)
                        if ((r = plan_add_secret(p, *s, trust)) < 0)
                                return r;
                if ((lp->devshell && replace(&p->devshell, lp->devshell) < 0) ||
                    (lp->working_directory && replace(&p->cwd, lp->working_directory) < 0) ||
                    (lp->slice && replace(&p->slice, lp->slice) < 0) ||
                    (lp->description && describe(p, app_name, lp->description) < 0))
                        return -ENOMEM;
                for (size_t i = 0; i < lp->n_unit_properties; i++)
                        if (unit_properties_put(&p->unit_properties, &p->n_unit_properties,
                                                &lp->unit_properties[i]) < 0)
                                return -ENOMEM;
                if (lp->strict >= 0)
                        p->strict = lp->strict;
                if (lp->output != APP_OUTPUT_UNSET)
                        p->output = lp->output;
                if (lp->stdout_journal >= 0)
                        p->stdout_journal = lp->stdout_journal;
                if (lp->single > 0)
                        p->single = true;
                if (lp->unit_type != APP_UNIT_TYPE_UNSET)
                        p->service = lp->unit_type == APP_UNIT_SERVICE;
        }
        return 0;
}

/* Fills a denial that carries only a reason; 1, or -ENOMEM. */
static int deny_because(Denial *d, DenialKind kind, const char *fmt, ...) _printf_(3, 4);
static int deny_because(Denial *d, DenialKind kind, const char *fmt, ...) {
        *d = (Denial){ .kind = kind };
        va_list ap;
        va_start(ap, fmt);
        int r = vasprintf(&d->reason, fmt, ap);
        va_end(ap);
        if (r < 0) {
                d->reason = NULL;
                return -ENOMEM;
        }
        return 1;
}

/* What a launch runs: an entry or one of its actions, or a command. */
typedef struct Target {
        const DesktopEntry *entry;    /* NULL: the command */
        const DesktopAction *action;  /* or NULL */
        char *const *command;
        char *const *args;            /* for the entry's Exec */
} Target;

/* A client with the launch clearance may hand an app files and URLs, in
 * the places its Exec names for them, and nothing else: no option, no
 * argument to an entry that takes none (a terminal's command line, say). */
static int check_files_only(const Target *t, Denial *denial) {
        char *const *args = t->args;
        const DesktopEntry *entry = t->entry;
        if (!args || !args[0])
                return 0;
        if (exec_takes(t->action ? t->action->exec_words : entry->exec_words) == EXEC_TAKES_NOTHING)
                return deny_because(denial, DENIAL_FORBIDDEN,
                                    "this client may pass arguments only to an entry that opens files or URLs, and "
                                    "%s takes none (no %%f %%F %%u %%U in its Exec)",
                                    entry->id);
        for (char *const *a = args; *a; a++)
                if ((*a)[0] == '-')
                        return deny_because(denial, DENIAL_FORBIDDEN,
                                            "this client may pass files and URLs only, not options ('%.*s')",
                                            UTF8_AT_MOST(*a, 64));
        return 0;
}

/* One argv per instance: the terminal and devshell wrappers, then the
 * entry's (or action's) Exec with the arguments in place, or the command. */
static int plan_command(LaunchPlan *p, const Target *t, const Config *config, const LaunchRequest *req,
                        Denial *denial) {
        _cleanup_(exec_argvs_freep) char ***commands = NULL;
        const DesktopEntry *entry = t->entry;
        int r;
        if (entry) {
                Error e = {};
                ExecContext ctx = desktop_entry_exec_context(entry, t->action, req->cwd);
                r = exec_expand(t->action ? t->action->exec_words : entry->exec_words, &ctx, t->args, &commands, &e);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        return deny_because(denial, DENIAL_INVALID_ARGUMENTS, "%s", error_message(&e));
        } else if (!(commands = calloc(2, sizeof(char **))) || !(commands[0] = strv_copy(t->command)))
                return -ENOMEM;

        size_t n = exec_argvs_count(commands);
        if (!(p->argvs = calloc(n + 1, sizeof(char **))))
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                Vec argv = {};
                r = 0;
                if (entry && entry->terminal)
                        r = vec_push_all(&argv, config->terminal);
                if (r >= 0 && p->devshell) {
                        const char *nix[] = { "nix", "develop", p->devshell, "-c", NULL };
                        r = vec_push_all(&argv, (char *const *) nix);
                }
                if (r >= 0)
                        r = vec_push_all(&argv, commands[i]);
                p->argvs[i] = argv.v;
                if (r < 0)
                        return -ENOMEM;
        }
        return 0;
}

static int plan_implicit(LaunchPlan *p, const char *socket_path) {
        Vec v = {};
        char *s = NULL;
        int r = asprintf(&s, "SESAME_PROFILE=%s", p->profile) < 0 ? -ENOMEM : vec_push(&v, s);
        free(s);
        s = NULL;
        if (r >= 0)
                r = asprintf(&s, "SESAME_APP_ID=%s", p->entry_id) < 0 ? -ENOMEM : vec_push(&v, s);
        free(s);
        s = NULL;
        if (r >= 0 && socket_path)
                r = asprintf(&s, "SESAME_SOCKET=%s", socket_path) < 0 ? -ENOMEM : vec_push(&v, s);
        free(s);
        s = NULL;
        if (r >= 0 && p->entry_file)
                r = asprintf(&s, "GIO_LAUNCHED_DESKTOP_FILE=%s", p->entry_file) < 0 ? -ENOMEM : vec_push(&v, s);
        free(s);
        if (r < 0) {
                strv_free(v.v);
                return -ENOMEM;
        }
        p->implicit = v.v;
        return 0;
}

/* An entry named by ID, ID:ACTION or its file, with `action` if given. */
static int find_entry(const EntryCache *entries, const char *requested, const char *action, Target *t,
                      Denial *denial);

/* The same; a denial always names what was asked for (`entry_id`). */
static int resolve_entry(const EntryCache *entries, const char *requested, const char *action, Target *t,
                         Denial *denial) {
        int r = find_entry(entries, requested, action, t, denial);
        if (r > 0 && denial->kind == DENIAL_ENTRY_NOT_FOUND && !denial->entry_id &&
            !(denial->entry_id = strdup(requested))) {
                denial_done(denial);
                return -ENOMEM;
        }
        return r;
}

static int find_entry(const EntryCache *entries, const char *requested, const char *action, Target *t,
                         Denial *denial) {
        const char *named_action = NULL;
        if (!(t->entry = entry_cache_lookup(entries, requested, &named_action))) {
                if (requested[0] == '/')
                        return deny_because(denial, DENIAL_ENTRY_NOT_FOUND,
                                            "%.*s is not an installed desktop entry: only the entries in the "
                                            "launcher's index are launched (see: sesame entries)",
                                            UTF8_AT_MOST(requested, 512));
                return deny(denial, DENIAL_ENTRY_NOT_FOUND, requested, NULL, NULL, NULL, NULL);
        }
        if (named_action && action && strcmp(action, named_action) != 0)
                return deny_because(denial, DENIAL_INVALID_ARGUMENTS, "two actions asked for: '%.*s' and '%.*s'",
                                    UTF8_AT_MOST(named_action, 128), UTF8_AT_MOST(action, 128));
        action = action ?: named_action;
        if (action && !(t->action = desktop_entry_action(t->entry, action)))
                return deny_because(denial, DENIAL_ENTRY_NOT_FOUND,
                                    "%s has no action '%.*s' (see: sesame entries --actions)", t->entry->id,
                                    UTF8_AT_MOST(action, 128));
        return 0;
}

/* Whether a picker's command is for this entry: it runs the entry's (or
 * action's) program, perhaps inside a terminal. So a variable inherited
 * from a picker that started this client's shell does not turn every
 * command typed there into that app. */
static bool command_runs(char *const *command, const Target *t) {
        char *const *words = t->action ? t->action->exec_words : t->entry->exec_words;
        const char *program = words[0], *base = strrchr(program, '/');
        for (char *const *w = command; *w; w++) {
                const char *wb = strrchr(*w, '/');
                if (strcmp(*w, program) == 0 || strcmp(wb ? wb + 1 : *w, base ? base + 1 : program) == 0)
                        return true;
        }
        return false;
}

/* A command from a picker's launch hook: the entry the picker named, or
 * the one whose Exec it is, or the command itself. */
static int resolve_command(const EntryCache *entries, const LaunchRequest *req, Target *t, Denial *denial) {
        if (!req->command[0])
                return deny_because(denial, DENIAL_INVALID_ARGUMENTS, "the command is empty");
        if (req->entry_hint) {
                Target hinted = {};
                Denial ignored = {};
                int r = resolve_entry(entries, req->entry_hint, req->action, &hinted, &ignored);
                denial_done(&ignored);
                if (r < 0)
                        return r;
                if (r == 0 && command_runs(req->command, &hinted)) {
                        *t = hinted;
                        return 0;
                }
        }
        if (req->recognize && (t->entry = entry_cache_match_exec(entries, req->command, &t->action)))
                return 0;
        *t = (Target){ .command = req->command };
        return 0;
}

static char *command_description(char *const *command) {
        char buf[256];
        size_t n = 0;
        buf[0] = 0;
        for (char *const *w = command; *w && n < sizeof(buf) - 1; w++)
                n += (size_t) utf8_snprintf(buf + n, sizeof(buf) - n, "%s%s", w == command ? "" : " ", *w);
        return strdup(buf);
}

static char *basename_of(const char *program) {
        const char *slash = strrchr(program, '/');
        return strdup(slash && slash[1] ? slash + 1 : program);
}

/* The plan's name, description and default directory. */
static int plan_target(LaunchPlan *p, const Target *t, const LaunchRequest *req) {
        if (!t->entry) {
                p->command = true;
                if (!(p->entry_id = basename_of(t->command[0])) || !(p->description = command_description(t->command)))
                        return -ENOMEM;
                return req->cwd && !(p->cwd = strdup(req->cwd)) ? -ENOMEM : 0;
        }
        if (!(p->entry_id = strdup(t->entry->id)) || !(p->entry_file = strdup(t->entry->file)) ||
            (t->entry->path && !(p->cwd = strdup(t->entry->path))))
                return -ENOMEM;
        if (!t->action)
                return (p->description = strdup(t->entry->name)) ? 0 : -ENOMEM;
        if (!(p->action = strdup(t->action->id)) ||
            asprintf(&p->description, "%s — %s", t->entry->name, t->action->name) < 0) {
                p->description = NULL;
                return -ENOMEM;
        }
        return 0;
}

int launch_plan_build(const EntryCache *entries, const Config *config, const LaunchRequest *req, LaunchPlan **ret,
                      Denial *denial) {
        assert_return(entries && config && req && ret && denial, -EINVAL);
        assert_return(!req->entry_id != !req->command, -EINVAL);
        *denial = (Denial){};
        /* A command is any code, and so is a recognized one: only sent. */
        if (req->files_only && req->command)
                return deny_because(denial, DENIAL_FORBIDDEN,
                                    "this client's clearance is 'launch': it may launch entries, not commands "
                                    "(sesame keys authorize NAME KEY --clearance secrets)");

        Target t = {};
        int r = req->command ? resolve_command(entries, req, &t, denial)
                             : resolve_entry(entries, req->entry_id, req->action, &t, denial);
        if (r != 0)
                return r;
        /* A picker's words are the entry's command, not files for it. */
        t.args = req->command ? NULL : req->args;

        const char *profile = req->profile ? req->profile : config->default_profile;
        if ((r = plan_check_trust(config, profile, denial)) != 0)
                return r;

        _cleanup_(launch_plan_freep) LaunchPlan *p = calloc(1, sizeof(*p));
        if (!p || !(p->profile = strdup(profile)) || plan_target(p, &t, req) < 0 ||
            (config->slice && !(p->slice = strdup(config->slice))))
                return -ENOMEM;
        p->single = req->single;
        p->output = config->output;
        p->service = config->unit_type == APP_UNIT_SERVICE;
        for (size_t i = 0; i < config->n_unit_properties; i++)
                if (unit_properties_put(&p->unit_properties, &p->n_unit_properties, &config->unit_properties[i]) < 0)
                        return -ENOMEM;

        Vec env = {};
        r = plan_tags(p, config, req->tags, &env, denial);
        p->environment = env.v ? env.v : calloc(1, sizeof(char *));
        if (r != 0 || !p->environment)
                return r != 0 ? r : -ENOMEM;
        if (req->service)
                p->service = true;

        for (size_t i = 0; i < p->n_secrets; i++)
                if (!secret_variable_allowed(p->secrets[i].variable))
                        return deny(denial, DENIAL_SECRET_VARIABLE_DENIED, NULL, p->secrets[i].profile, NULL,
                                    p->secrets[i].name, p->secrets[i].variable);

        if (req->files_only && (r = check_files_only(&t, denial)) != 0)
                return r;
        r = plan_command(p, &t, config, req, denial);
        if (r == 0)
                r = plan_implicit(p, req->socket_path);
        if (r != 0)
                return r;
        *ret = TAKE_PTR(p);
        return 0;
}

/* Not inherited from the base environment ("NAME_*": a prefix). What
 * the service manager sets for the launcher's own service
 * (systemd.exec(5), "Environment Variables Set or Propagated by the
 * Service Manager"): about this service, its sockets, its watchdog, its
 * directories, its journal stream. An app is not that service; in the
 * user manager's environment these never appear, in ours they do. */
static char *const not_inherited[] = {
        "NOTIFY_SOCKET", "WATCHDOG_PID", "WATCHDOG_USEC", "LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES",
        "INVOCATION_ID", "JOURNAL_STREAM", "MANAGERPID", "MAINPID", "SYSTEMD_EXEC_PID", "PIDFILE",
        "RUNTIME_DIRECTORY", "STATE_DIRECTORY", "CACHE_DIRECTORY", "LOGS_DIRECTORY", "CONFIGURATION_DIRECTORY",
        "CREDENTIALS_DIRECTORY", "MEMORY_PRESSURE_WATCH", "MEMORY_PRESSURE_WRITE", "FDSTORE", "TRIGGER_UNIT",
        "TRIGGER_PATH", "TRIGGER_TIMER_REALTIME_USEC", "TRIGGER_TIMER_MONOTONIC_USEC", "SERVICE_RESULT",
        "EXIT_CODE", "EXIT_STATUS", "MONITOR_SERVICE_RESULT", "MONITOR_EXIT_CODE", "MONITOR_EXIT_STATUS",
        "MONITOR_INVOCATION_ID", "MONITOR_UNIT",
        /* What a launcher sets about the app it launched (GLib, Unity's
         * BAMF, startup notification and activation): in the session's
         * environment, about some other app. Ours are set afresh. */
        "GIO_LAUNCHED_DESKTOP_FILE", "GIO_LAUNCHED_DESKTOP_FILE_PID", "BAMF_DESKTOP_FILE_HINT",
        "DESKTOP_STARTUP_ID", "XDG_ACTIVATION_TOKEN", "DESKTOP_ENTRY_*", NULL,
};

int plan_environment(const LaunchPlan *p, char *const *base, char *const *secret_values, EnvMap **ret, Error *e) {
        assert_return(p && ret, error_setf(e, -EINVAL, "invalid argument"));

        _cleanup_(env_map_unrefp) EnvMap *m = NULL;
        int r = env_map_new(&m);
        if (r >= 0)
                r = env_map_import_except(m, base, not_inherited);
        if (r < 0)
                return error_setf(e, r, "out of memory");
        for (char **a = p->environment; *a; a++)
                if ((r = env_map_put(m, *a, e)) < 0)
                        return r;
        for (size_t i = 0; secret_values && i < p->n_secrets; i++)
                if ((r = env_map_set_secret(m, p->secrets[i].variable, secret_values[i], e)) < 0)
                        return r;
        for (char **a = p->implicit; *a; a++)
                if ((r = env_map_put(m, *a, e)) < 0)
                        return r;
        *ret = TAKE_PTR(m);
        return 0;
}
