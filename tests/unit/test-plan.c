/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "common/strv.h"
#include "desktop/exec.h"
#include "launcher/plan.h"

static char *dirs[] = { FIXTURES "/entries/home", FIXTURES "/entries/system", NULL };
#define FIREFOX_FILE FIXTURES "/entries/system/applications/org.mozilla.firefox.desktop"

static const char config_text[] = "[Launcher]\n"
                                  "Terminal=foot -e\n"
                                  "[TrustProfile work]\n"
                                  "[LaunchProfile base]\n"
                                  "Environment=A=base B=base GITHUB_TOKEN=static\n"
                                  "Secret=github-token\n"
                                  "WorkingDirectory=/srv/base\n"
                                  "[LaunchProfile over]\n"
                                  "Environment=B=over C=over\n"
                                  "Secret=github-token npm-token\n"
                                  "Devshell=/src#shell\n"
                                  "[LaunchProfile work:corp]\n"
                                  "Environment=HTTP_PROXY=http://proxy:3128 B=corp\n"
                                  "Secret=github-token corp-token\n"
                                  "WorkingDirectory=/srv/corp\n"
                                  "[LaunchProfile work:shell]\n"
                                  "Devshell=/work#other\n"
                                  "[LaunchProfile preload]\n"
                                  "Secret=ld-preload\n"
                                  "[LaunchProfile own]\n"
                                  "Secret=sesame-socket\n"
                                  "[LaunchProfile func]\n"
                                  "Secret=bash_func_ls\n"
                                  "[LaunchProfile path]\n"
                                  "Secret=Path\n"
                                  "[LaunchProfile hijack]\n"
                                  "Environment=SESAME_APP_ID=hijack SESAME_PROFILE=hijack\n";

typedef struct Fixture {
        EntryCache *entries;
        Config *config;
} Fixture;

static int setup(void **state) {
        Fixture *f = calloc(1, sizeof(*f));
        assert_int_equal(entry_cache_scan(dirs, "C", &f->entries), 0);
        if (config_parse("test.conf", config_text, strlen(config_text), &f->config) != 0)
                fail_msg("%s", f->config ? f->config->errors[0] : "out of memory");
        *state = f;
        return 0;
}

static int teardown(void **state) {
        Fixture *f = *state;
        entry_cache_free(f->entries);
        config_free(f->config);
        free(f);
        return 0;
}

static LaunchPlan *plan(Fixture *f, const char *entry, const char *profile, const char *const *tags,
                        const char *const *args) {
        LaunchRequest req = {
                .entry_id = entry,
                .profile = profile,
                .tags = (char *const *) tags,
                .args = (char *const *) args,
                .socket_path = "/run/user/1000/sesame/launcher.sock",
        };
        LaunchPlan *p = NULL;
        Denial d = {};
        int r = launch_plan_build(f->entries, f->config, &req, &p, &d);
        if (r != 0) {
                char msg[512];
                denial_format(&d, msg, sizeof(msg));
                fail_msg("denied: %s", msg);
        }
        return p;
}

static Denial denied_args(Fixture *f, const char *entry, const char *const *args, bool files_only) {
        LaunchRequest req = { .entry_id = entry, .args = (char *const *) args, .files_only = files_only,
                              .cwd = "/home/u" };
        LaunchPlan *p = NULL;
        Denial d = {};
        assert_int_equal(launch_plan_build(f->entries, f->config, &req, &p, &d), 1);
        assert_null(p);
        return d;
}

static Denial denied(Fixture *f, const char *entry, const char *profile, const char *const *tags) {
        LaunchRequest req = { .entry_id = entry, .profile = profile, .tags = (char *const *) tags };
        LaunchPlan *p = NULL;
        Denial d = {};
        assert_int_equal(launch_plan_build(f->entries, f->config, &req, &p, &d), 1);
        assert_null(p);
        return d;
}

static void assert_strv(char **l, const char *const *expected) {
        size_t n = 0;
        for (; expected[n]; n++) {
                if (!l[n])
                        fail_msg("missing '%s' at %zu", expected[n], n);
                assert_string_equal(l[n], expected[n]);
        }
        if (l[n])
                fail_msg("unexpected '%s' at %zu", l[n], n);
}

static void test_no_tags(void **state) {
        Fixture *f = *state;
        _cleanup_(launch_plan_freep) LaunchPlan *p = plan(f, "firefox", NULL, NULL, NULL);
        assert_string_equal(p->entry_id, "org.mozilla.firefox");
        assert_string_equal(p->description, "Firefox");
        assert_string_equal(p->profile, "default");
        assert_string_equal(p->argvs[0][0], "true");
        assert_strv(p->argvs[0], (const char *[]){ "true", "firefox", NULL });
        assert_null(p->cwd);
        assert_null(p->devshell);
        assert_strv(p->environment, (const char *[]){ NULL });
        assert_int_equal(p->n_secrets, 0);
        assert_strv(p->implicit, (const char *[]){ "SESAME_PROFILE=default", "SESAME_APP_ID=org.mozilla.firefox",
                                                   "SESAME_SOCKET=/run/user/1000/sesame/launcher.sock",
                                                   "GIO_LAUNCHED_DESKTOP_FILE=" FIREFOX_FILE, NULL });
}

static void test_composition(void **state) {
        Fixture *f = *state;
        _cleanup_(launch_plan_freep) LaunchPlan *p = plan(f, "org.mozilla.firefox", NULL,
                                                          (const char *[]){ "base", "over", NULL },
                                                          (const char *[]){ "--new-window", "x y", NULL });
        /* A later tag wins per variable. */
        assert_strv(p->environment, (const char *[]){ "A=base", "B=over", "GITHUB_TOKEN=static", "C=over", NULL });
        /* Secrets add up, once per (name, trust profile). */
        assert_int_equal(p->n_secrets, 2);
        assert_string_equal(p->secrets[0].name, "github-token");
        assert_string_equal(p->secrets[0].profile, "default");
        assert_string_equal(p->secrets[0].variable, "GITHUB_TOKEN");
        assert_string_equal(p->secrets[1].name, "npm-token");
        assert_string_equal(p->secrets[1].variable, "NPM_TOKEN");
        /* The last tag setting them wins: devshell from "over", cwd from "base". */
        assert_string_equal(p->devshell, "/src#shell");
        assert_string_equal(p->cwd, "/srv/base");
        assert_string_equal(p->argvs[0][0], "nix");
        assert_strv(p->argvs[0], (const char *[]){ "nix", "develop", "/src#shell", "-c", "true", "firefox",
                                               "--new-window", "x y", NULL });
}

static void test_cross_profile(void **state) {
        Fixture *f = *state;
        _cleanup_(launch_plan_freep) LaunchPlan *p = plan(f, "firefox", NULL,
                                                          (const char *[]){ "base", "work:corp", "over", NULL }, NULL);
        /* github-token of "default" and of "work" are two secrets. */
        assert_int_equal(p->n_secrets, 4);
        const char *expected[][2] = {
                { "github-token", "default" }, { "github-token", "work" }, { "corp-token", "work" },
                { "npm-token", "default" },
        };
        for (size_t i = 0; i < 4; i++) {
                assert_string_equal(p->secrets[i].name, expected[i][0]);
                assert_string_equal(p->secrets[i].profile, expected[i][1]);
        }
        assert_string_equal(p->cwd, "/srv/corp");
        assert_strv(p->environment, (const char *[]){ "A=base", "B=over", "GITHUB_TOKEN=static",
                                                      "HTTP_PROXY=http://proxy:3128", "C=over", NULL });
        /* The request's trust profile is still "default". */
        assert_string_equal(p->profile, "default");

        /* Tags without a colon belong to the request's trust profile. */
        _cleanup_(launch_plan_freep) LaunchPlan *w = plan(f, "firefox", "work", (const char *[]){ "corp", "shell", NULL },
                                                          NULL);
        assert_string_equal(w->profile, "work");
        assert_string_equal(w->devshell, "/work#other");
        assert_strv(w->implicit, (const char *[]){ "SESAME_PROFILE=work", "SESAME_APP_ID=org.mozilla.firefox",
                                                   "SESAME_SOCKET=/run/user/1000/sesame/launcher.sock",
                                                   "GIO_LAUNCHED_DESKTOP_FILE=" FIREFOX_FILE, NULL });
}

static void test_entry_fields(void **state) {
        Fixture *f = *state;
        /* Terminal=true: the configured terminal goes first; Path= is the cwd. */
        _cleanup_(launch_plan_freep) LaunchPlan *t = plan(f, "org.example.Terminal", NULL, NULL, NULL);
        assert_strv(t->argvs[0], (const char *[]){ "foot", "-e", "top", NULL });
        assert_string_equal(t->cwd, "/tmp");
        assert_string_equal(t->description, "In a terminal");
        /* A tag's WorkingDirectory overrides Path=. */
        _cleanup_(launch_plan_freep) LaunchPlan *b = plan(f, "org.example.Terminal", NULL,
                                                          (const char *[]){ "base", "over", NULL }, NULL);
        assert_string_equal(b->cwd, "/srv/base");
        assert_strv(b->argvs[0], (const char *[]){ "foot", "-e", "nix", "develop", "/src#shell", "-c", "top", NULL });
}

static void check_denial(Denial d, DenialKind kind, const char *name, const char *words);

/* Arguments fill the entry's %f %F %u %U; %f and %u make an instance per
 * argument. A client with the launch clearance may pass files and URLs
 * only, and only where the entry takes them. */
static void test_arguments(void **state) {
        Fixture *f = *state;
        LaunchRequest req = { .entry_id = "org.example.Viewer", .args = (char *const[]){ "a.png", "/b.png", NULL },
                              .cwd = "/home/u", .files_only = true };
        LaunchPlan *p = NULL;
        Denial d = {};
        assert_int_equal(launch_plan_build(f->entries, f->config, &req, &p, &d), 0);
        assert_strv(p->argvs[0], (const char *[]){ "true", "--title=Viewer", "--icon", "org.example.Viewer",
                                                   "/home/u/a.png", NULL });
        assert_strv(p->argvs[1], (const char *[]){ "true", "--title=Viewer", "--icon", "org.example.Viewer",
                                                   "/b.png", NULL });
        assert_null(p->argvs[2]);
        p = launch_plan_free(p);

        req = (LaunchRequest){ .entry_id = "org.example.Browser",
                               .args = (char *const[]){ "/tmp/a b", "https://example.org/", NULL },
                               .files_only = true };
        assert_int_equal(launch_plan_build(f->entries, f->config, &req, &p, &d), 0);
        /* A local file for %U as GLib gives it: its path. */
        assert_strv(p->argvs[0], (const char *[]){ "true", "--new", "/tmp/a b", "https://example.org/", NULL });
        p = launch_plan_free(p);

        /* X-GIO-NoFuse=true: as a file:// URI. */
        req = (LaunchRequest){ .entry_id = "org.example.NoFuse",
                               .args = (char *const[]){ "/tmp/a b", "file:///tmp/c", NULL },
                               .files_only = true };
        assert_int_equal(launch_plan_build(f->entries, f->config, &req, &p, &d), 0);
        assert_strv(p->argvs[0], (const char *[]){ "true", "--nofuse", "file:///tmp/a%20b", "file:///tmp/c", NULL });
        p = launch_plan_free(p);

        /* A secrets client may append to an entry that takes no files. */
        req = (LaunchRequest){ .entry_id = "org.mozilla.firefox", .args = (char *const[]){ "--new-window", NULL } };
        assert_int_equal(launch_plan_build(f->entries, f->config, &req, &p, &d), 0);
        assert_strv(p->argvs[0], (const char *[]){ "true", "firefox", "--new-window", NULL });
        p = launch_plan_free(p);

        /* A launch client may not. */
        d = denied_args(f, "org.mozilla.firefox", (const char *[]){ "x", NULL }, true);
        check_denial(d, DENIAL_FORBIDDEN, "Forbidden", "only to an entry that opens files or URLs");
        d = denied_args(f, "org.example.Terminal", (const char *[]){ "x", NULL }, true);
        check_denial(d, DENIAL_FORBIDDEN, "Forbidden", "org.example.Terminal takes none");
        d = denied_args(f, "org.example.Editor", (const char *[]){ "a.txt", "--exec=evil", NULL }, true);
        check_denial(d, DENIAL_FORBIDDEN, "Forbidden", "not options ('--exec=evil')");
        /* An argument that does not fit: InvalidRequest, with the reason. */
        d = denied_args(f, "org.example.Editor", (const char *[]){ "https://example.org/", NULL }, false);
        check_denial(d, DENIAL_INVALID_ARGUMENTS, "InvalidRequest", "opens files only");
}

static void check_denial(Denial d, DenialKind kind, const char *name, const char *words) {
        assert_int_equal(d.kind, kind);
        assert_string_equal(denial_name(d.kind), name);
        char msg[512];
        denial_format(&d, msg, sizeof(msg));
        if (!strstr(msg, words))
                fail_msg("'%s' does not contain '%s'", msg, words);
        denial_done(&d);
}

static void test_denials(void **state) {
        Fixture *f = *state;
        Denial d = denied(f, "no-such-app", NULL, NULL);
        assert_string_equal(d.entry_id, "no-such-app");
        check_denial(d, DENIAL_ENTRY_NOT_FOUND, "EntryNotFound", "no desktop entry matches 'no-such-app'");

        d = denied(f, "firefox", "personal", NULL);
        assert_string_equal(d.profile, "personal");
        check_denial(d, DENIAL_PROFILE_NOT_FOUND, "ProfileNotFound", "'personal'");

        d = denied(f, "firefox", NULL, (const char *[]){ "base", "personal:mail", NULL });
        assert_string_equal(d.profile, "personal");
        check_denial(d, DENIAL_PROFILE_NOT_FOUND, "ProfileNotFound", "'personal'");

        d = denied(f, "firefox", NULL, (const char *[]){ "missing", NULL });
        assert_string_equal(d.profile, "default");
        assert_string_equal(d.launch_profile, "missing");
        check_denial(d, DENIAL_LAUNCH_PROFILE_NOT_FOUND, "LaunchProfileNotFound",
                     "no launch profile 'missing' in trust profile 'default'");

        d = denied(f, "firefox", NULL, (const char *[]){ "work:missing", NULL });
        assert_string_equal(d.profile, "work");
        check_denial(d, DENIAL_LAUNCH_PROFILE_NOT_FOUND, "LaunchProfileNotFound", "'missing'");

        /* corp exists in "work" only. */
        d = denied(f, "firefox", NULL, (const char *[]){ "corp", NULL });
        check_denial(d, DENIAL_LAUNCH_PROFILE_NOT_FOUND, "LaunchProfileNotFound", "'corp' in trust profile 'default'");
}

static void test_deny_list(void **state) {
        Fixture *f = *state;
        const struct {
                const char *tag, *variable;
        } cases[] = {
                { "preload", "LD_PRELOAD" },
                { "own", "SESAME_SOCKET" },
                { "func", "BASH_FUNC_LS" },
                { "path", "PATH" },
        };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                Denial d = denied(f, "firefox", NULL, (const char *[]){ cases[i].tag, NULL });
                assert_string_equal(d.variable, cases[i].variable);
                check_denial(d, DENIAL_SECRET_VARIABLE_DENIED, "SecretVariableDenied", cases[i].variable);
        }

        const char *refused[] = { "LD_PRELOAD", "ld_library_path", "DYLD_INSERT_LIBRARIES", "PATH", "Home",
                                  "SHELL", "USER", "IFS", "BASH_ENV", "ENV", "PROMPT_COMMAND", "PYTHONPATH",
                                  "PYTHONSTARTUP", "NODE_OPTIONS", "PERL5OPT", "RUBYOPT", "JAVA_TOOL_OPTIONS",
                                  "SESAME_PROFILE", "sesame_anything", "BASH_FUNC_x%%", "bash_func_y",
                                  /* the families the hardening issue named */
                                  "GCONV_PATH", "GLIBC_TUNABLES", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS",
                                  "PYTHONHOME", "PYTHONBREAKPOINT", "PERL5LIB", "RUBYLIB", "NODE_PATH", "LUA_INIT",
                                  "LUA_INIT_5_4", "LUA_CPATH", "GIT_SSH_COMMAND", "GIT_CONFIG_VALUE_0", "EDITOR",
                                  "LESSOPEN", "SSH_ASKPASS", "GTK_MODULES", "GIO_EXTRA_MODULES",
                                  "QT_PLUGIN_PATH", "GST_PLUGIN_PATH_1_0", "MALLOC_CHECK_", "XDG_CONFIG_HOME",
                                  "PHPRC", "CLASSPATH", "SSL_CERT_FILE", "TMPDIR", "PS4", "SHELLOPTS" };
        for (size_t i = 0; i < ELEMENTSOF(refused); i++)
                if (secret_variable_allowed(refused[i]))
                        fail_msg("%s allowed", refused[i]);
        const char *allowed[] = { "GITHUB_TOKEN", "PATHNAME", "HOMEPAGE_KEY", "MY_LD_FLAGS", "ENVIRONMENT",
                                  "GITLAB_TOKEN", "AWS_SECRET_ACCESS_KEY", "HTTP_PROXY", "NPM_TOKEN",
                                  "OPENAI_API_KEY", "DATABASE_URL" };
        for (size_t i = 0; i < ELEMENTSOF(allowed); i++)
                if (!secret_variable_allowed(allowed[i]))
                        fail_msg("%s refused", allowed[i]);

        char v[SECRET_NAME_MAX + 1];
        assert_int_equal(secret_variable_name("github-token", v), 0);
        assert_string_equal(v, "GITHUB_TOKEN");
        assert_int_equal(secret_variable_name("Mixed_Case-9", v), 0);
        assert_string_equal(v, "MIXED_CASE_9");
}

static void test_environment_order(void **state) {
        Fixture *f = *state;
        _cleanup_(launch_plan_freep) LaunchPlan *p = plan(f, "firefox", NULL,
                                                          (const char *[]){ "base", "hijack", NULL }, NULL);
        char *base[] = { "PATH=/usr/bin", "A=from-base", "SESAME_APP_ID=from-base",
                         "GIO_LAUNCHED_DESKTOP_FILE=/other.desktop", "GIO_LAUNCHED_DESKTOP_FILE_PID=1",
                         "DESKTOP_STARTUP_ID=stale", "DESKTOP_ENTRY_X=y", "NOTIFY_SOCKET=/run/x", NULL };
        char *secrets[] = { "s3cr3t" };
        _cleanup_(env_map_unrefp) EnvMap *m = NULL;
        assert_int_equal(plan_environment(p, base, secrets, &m, NULL), 0);
        assert_string_equal(env_map_get(m, "PATH"), "/usr/bin");      /* base */
        assert_string_equal(env_map_get(m, "A"), "base");             /* profile over base */
        assert_string_equal(env_map_get(m, "GITHUB_TOKEN"), "s3cr3t"); /* secret over profile */
        /* The implicit variables, whatever a profile or the base says. */
        assert_string_equal(env_map_get(m, "SESAME_APP_ID"), "org.mozilla.firefox");
        assert_string_equal(env_map_get(m, "SESAME_PROFILE"), "default");
        assert_string_equal(env_map_get(m, "SESAME_SOCKET"), "/run/user/1000/sesame/launcher.sock");
        assert_string_equal(env_map_get(m, "GIO_LAUNCHED_DESKTOP_FILE"), FIREFOX_FILE);
        /* Not inherited: the launcher's own service's, and other launchers'
         * about their apps (the spawner sets the PID). */
        assert_null(env_map_get(m, "GIO_LAUNCHED_DESKTOP_FILE_PID"));
        assert_null(env_map_get(m, "DESKTOP_STARTUP_ID"));
        assert_null(env_map_get(m, "DESKTOP_ENTRY_X"));
        assert_null(env_map_get(m, "NOTIFY_SOCKET"));
}

static int build(Fixture *f, const LaunchRequest *req, LaunchPlan **p, char msg[static 512]) {
        Denial d = {};
        int r = launch_plan_build(f->entries, f->config, req, p, &d);
        msg[0] = 0;
        if (r > 0)
                denial_format(&d, msg, 512);
        denial_done(&d);
        return r;
}

/* ID:ACTION and `action`: the action's Exec, %i its icon (or the app's),
 * the unit keeps the entry's ID, the description says which action. */
static void test_actions(void **state) {
        Fixture *f = *state;
        char msg[512];
        LaunchPlan *p = NULL;
        assert_int_equal(build(f, &(LaunchRequest){ .entry_id = "org.example.Actions:new-window" }, &p, msg), 0);
        assert_string_equal(p->entry_id, "org.example.Actions");
        assert_string_equal(p->action, "new-window");
        assert_string_equal(p->description, "Actions — New Window");
        assert_strv(p->argvs[0], (const char *[]){ "true", "--new-window", NULL });
        launch_plan_free(p);

        /* The short name resolves before the action is split off. */
        assert_int_equal(build(f, &(LaunchRequest){ .entry_id = "actions", .action = "private",
                                                    .args = (char *const[]){ "x", NULL } },
                               &p, msg),
                         0);
        assert_string_equal(p->action, "private");
        assert_strv(p->argvs[0], (const char *[]){ "true", "--private", "%", "x", NULL });
        launch_plan_free(p);

        /* Several URLs for the action's %u: an instance each. */
        assert_int_equal(build(f, &(LaunchRequest){ .entry_id = "org.example.Actions:new-window",
                                                    .args = (char *const[]){ "https://a", "https://b", NULL } },
                               &p, msg),
                         0);
        assert_int_equal(exec_argvs_count(p->argvs), 2);
        assert_strv(p->argvs[1], (const char *[]){ "true", "--new-window", "https://b", NULL });
        launch_plan_free(p);

        assert_int_equal(build(f, &(LaunchRequest){ .entry_id = "org.example.Actions:unlisted" }, &p, msg), 1);
        assert_string_equal(msg, "org.example.Actions has no action 'unlisted' (see: sesame entries --actions)");
        assert_int_equal(build(f, &(LaunchRequest){ .entry_id = "org.example.Actions", .action = "no-exec" }, &p,
                               msg),
                         1);
        assert_non_null(strstr(msg, "no action 'no-exec'"));
        assert_int_equal(build(f, &(LaunchRequest){ .entry_id = "org.example.Actions:private", .action = "new-window" },
                               &p, msg),
                         1);
        assert_string_equal(msg, "two actions asked for: 'private' and 'new-window'");
        assert_int_equal(build(f, &(LaunchRequest){ .entry_id = "no-such:private" }, &p, msg), 1);
        assert_string_equal(msg, "no desktop entry matches 'no-such:private' (see: sesame entries)");
        /* A launch-clearance client: the action's Exec decides what it takes. */
        assert_int_equal(build(f, &(LaunchRequest){ .entry_id = "org.example.Actions:private", .files_only = true,
                                                    .args = (char *const[]){ "x", NULL } },
                               &p, msg),
                         1);
        assert_non_null(strstr(msg, "takes none"));
}

/* The path of an installed entry's file is that entry; any other file is
 * refused, a masked one too. */
static void test_entry_file(void **state) {
        Fixture *f = *state;
        char msg[512];
        LaunchPlan *p = NULL;
        assert_int_equal(build(f, &(LaunchRequest){ .entry_id = FIXTURES "/entries/system/applications/org.example.Viewer.desktop" },
                               &p, msg),
                         0);
        assert_string_equal(p->entry_id, "org.example.Viewer");
        launch_plan_free(p);
        /* The same file by another path. */
        assert_int_equal(build(f, &(LaunchRequest){ .entry_id = FIXTURES "/entries/system/applications/../applications/org.example.Viewer.desktop" },
                               &p, msg),
                         0);
        assert_string_equal(p->entry_id, "org.example.Viewer");
        launch_plan_free(p);
        /* Shadowed by the home directory's file of the same ID. */
        assert_int_equal(build(f, &(LaunchRequest){ .entry_id = FIXTURES "/entries/system/applications/org.example.Shadowed.desktop" },
                               &p, msg),
                         1);
        assert_non_null(strstr(msg, "is not an installed desktop entry: only the entries in the launcher's index are launched"));
        assert_int_equal(build(f, &(LaunchRequest){ .entry_id = "/tmp/evil.desktop" }, &p, msg), 1);
        assert_non_null(strstr(msg, "/tmp/evil.desktop is not an installed desktop entry"));
}

/* A picker's command: the entry it names when the command runs that
 * entry's program, else the one entry whose Exec it is, else the command,
 * which a launch-clearance client may not run. */
static void test_commands(void **state) {
        Fixture *f = *state;
        char msg[512];
        LaunchPlan *p = NULL;
        char *const browser[] = { "true", "--new", NULL };
        char *const other[] = { "/usr/bin/printf", "hi there", NULL };

        /* Exactly one entry's Exec (Browser's "true --new %U"). */
        assert_int_equal(build(f, &(LaunchRequest){ .command = browser, .recognize = true }, &p, msg), 0);
        assert_false(p->command);
        assert_string_equal(p->entry_id, "org.example.Browser");
        launch_plan_free(p);
        /* Not recognized when told not to. */
        assert_int_equal(build(f, &(LaunchRequest){ .command = browser, .cwd = "/home/u", .tags = (char *const[]){ "over", NULL } },
                               &p, msg),
                         0);
        assert_true(p->command);
        assert_string_equal(p->entry_id, "true");
        assert_string_equal(p->description, "true --new");
        assert_string_equal(p->cwd, "/home/u");
        assert_strv(p->argvs[0], (const char *[]){ "nix", "develop", "/src#shell", "-c", "true", "--new", NULL });
        launch_plan_free(p);
        /* "true" alone is the Exec of many entries: ambiguous, a command. */
        assert_int_equal(build(f, &(LaunchRequest){ .command = (char *const[]){ "true", NULL }, .recognize = true },
                               &p, msg),
                         0);
        assert_true(p->command);
        launch_plan_free(p);
        /* An action's Exec, codes removed. */
        assert_int_equal(build(f, &(LaunchRequest){ .command = (char *const[]){ "true", "--new-window", NULL },
                                                    .recognize = true },
                               &p, msg),
                         0);
        assert_string_equal(p->entry_id, "org.example.Actions");
        assert_string_equal(p->action, "new-window");
        launch_plan_free(p);

        /* The picker's hint, with its action, when the command runs its
         * program; the words are not passed on. */
        assert_int_equal(build(f, &(LaunchRequest){ .command = (char *const[]){ "foot", "-e", "true", "x", NULL },
                                                    .entry_hint = "org.example.Actions.desktop", .action = "private" },
                               &p, msg),
                         0);
        assert_string_equal(p->entry_id, "org.example.Actions");
        assert_strv(p->argvs[0], (const char *[]){ "true", "--private", "%", NULL });
        launch_plan_free(p);
        /* A hint inherited by a shell the picker started: the command runs
         * something else, so it is the command. */
        assert_int_equal(build(f, &(LaunchRequest){ .command = other, .entry_hint = "org.example.Viewer" }, &p, msg),
                         0);
        assert_true(p->command);
        assert_string_equal(p->entry_id, "printf");
        assert_string_equal(p->description, "/usr/bin/printf hi there");
        assert_strv(p->argvs[0], (const char *[]){ "/usr/bin/printf", "hi there", NULL });
        assert_strv(p->implicit, (const char *[]){ "SESAME_PROFILE=default", "SESAME_APP_ID=printf", NULL });
        launch_plan_free(p);

        assert_int_equal(build(f, &(LaunchRequest){ .command = other, .files_only = true }, &p, msg), 1);
        assert_non_null(strstr(msg, "it may launch entries, not commands"));
        /* A recognized entry is still a command sent: refused too. */
        assert_int_equal(build(f, &(LaunchRequest){ .command = browser, .recognize = true, .files_only = true }, &p,
                               msg),
                         1);
        assert_non_null(strstr(msg, "it may launch entries, not commands"));
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(test_no_tags, setup, teardown),
                cmocka_unit_test_setup_teardown(test_composition, setup, teardown),
                cmocka_unit_test_setup_teardown(test_cross_profile, setup, teardown),
                cmocka_unit_test_setup_teardown(test_entry_fields, setup, teardown),
                cmocka_unit_test_setup_teardown(test_denials, setup, teardown),
                cmocka_unit_test_setup_teardown(test_deny_list, setup, teardown),
                cmocka_unit_test_setup_teardown(test_arguments, setup, teardown),
                cmocka_unit_test_setup_teardown(test_environment_order, setup, teardown),
                cmocka_unit_test_setup_teardown(test_actions, setup, teardown),
                cmocka_unit_test_setup_teardown(test_entry_file, setup, teardown),
                cmocka_unit_test_setup_teardown(test_commands, setup, teardown),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
