/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "common/strv.h"
#include "config/launcher-conf.h"

static Config *parse(const char *text) {
        Config *c = NULL;
        int r = config_parse("test.conf", text, strlen(text), &c);
        if (r != 0)
                fail_msg("%d: %s", r, r > 0 ? c->errors[0] : "parse failed");
        return c;
}

/* The errors in force: the configuration still serves. */
static char **parse_errors(const char *text) {
        _cleanup_(config_freep) Config *c = NULL;
        int r = config_parse("bad.conf", text, strlen(text), &c);
        assert_true(r > 0);
        assert_non_null(c);
        assert_int_equal((size_t) r, strv_length(c->errors));
        return TAKE_PTR(c->errors);
}

/* The errors, in order, each beginning as expected, and no more. */
static void assert_errors(char **errors, const char *const *expected, size_t n) {
        for (size_t i = 0; i < n; i++) {
                assert_non_null(errors[i]);
                if (strncmp(errors[i], expected[i], strlen(expected[i])) != 0)
                        fail_msg("error %zu: '%s', expected '%s'", i, errors[i], expected[i]);
        }
        assert_null(errors[n]);
}

static void assert_strv(char **l, const char *const *expected) {
        size_t n = 0;
        for (; expected[n]; n++) {
                assert_non_null(l[n]);
                assert_string_equal(l[n], expected[n]);
        }
        assert_null(l[n]);
}

static const char example[] = "[Launcher]\n"
                              "DefaultProfile=default\n"
                              "Scope=systemd-run          # dbus | systemd-run | none\n"
                              "Slice=apps.slice\n"
                              "Terminal=foot -e\n"
                              "AllowEphemeralClients=yes\n"
                              "\n"
                              "[TrustProfile work]\n"
                              "# Collection=...\n"
                              "Collection=login\n"
                              "\n"
                              "[LaunchProfile dev-rust]   # of trust profile default\n"
                              "Environment=RUST_LOG=debug \"CARGO_HOME=/workspace/.cargo\"\n"
                              "Secret=github-token crates-io-token\n"
                              "Devshell=/workspace/myproject#rust\n"
                              "WorkingDirectory=/workspace/repo\n"
                              "\n"
                              "[LaunchProfile work:corp]\n"
                              "Environment=HTTP_PROXY=http://proxy:3128\n"
                              "Secret=corp-token\n";

static void test_example(void **state) {
        (void) state;
        _cleanup_(config_freep) Config *c = parse(example);
        assert_string_equal(c->default_profile, "default");
        assert_int_equal(c->scope, SCOPE_MODE_SYSTEMD_RUN);
        assert_string_equal(c->slice, "apps.slice");
        assert_strv(c->terminal, (const char *[]){ "foot", "-e", NULL });
        assert_true(c->allow_ephemeral_clients);

        const LaunchProfile *p = config_launch_profile(c, "default", "dev-rust");
        assert_non_null(p);
        assert_strv(p->environment, (const char *[]){ "RUST_LOG=debug", "CARGO_HOME=/workspace/.cargo", NULL });
        assert_strv(p->secrets, (const char *[]){ "github-token", "crates-io-token", NULL });
        assert_string_equal(p->devshell, "/workspace/myproject#rust");
        assert_string_equal(p->working_directory, "/workspace/repo");
        assert_int_equal(p->line, 12);

        const LaunchProfile *corp = config_launch_profile(c, "work", "corp");
        assert_non_null(corp);
        assert_strv(corp->environment, (const char *[]){ "HTTP_PROXY=http://proxy:3128", NULL });
        assert_null(config_launch_profile(c, "default", "corp"));
        assert_string_equal(config_trust_profile(c, "work")->collection, "login");

        assert_true(config_has_trust_profile(c, "default"));
        assert_true(config_has_trust_profile(c, "work"));
        assert_false(config_has_trust_profile(c, "personal"));
}

static void test_defaults(void **state) {
        (void) state;
        _cleanup_(config_freep) Config *c = parse("");
        assert_string_equal(c->default_profile, "default");
        assert_int_equal(c->scope, SCOPE_MODE_DBUS);
        assert_string_equal(c->slice, "app.slice");
        assert_strv(c->terminal, (const char *[]){ "xdg-terminal-exec", NULL });
        assert_true(config_has_trust_profile(c, "default"));
        assert_true(c->history);
        assert_int_equal(c->history_half_life_sec, 30 * 86400);
        assert_null(c->picker);

        Config *d = NULL;
        assert_int_equal(config_load("/nonexistent/launcher.conf", true, &d), 0);
        assert_null(d->path);
        assert_null(d->errors);
        config_free(d);
        /* Named and missing: the defaults serve, with that error in force. */
        assert_int_equal(config_load("/nonexistent/launcher.conf", false, &d), 1);
        assert_string_equal(d->errors[0], "/nonexistent/launcher.conf: No such file or directory");
        assert_string_equal(d->default_profile, "default");
        config_free(d);
}

static void test_history_and_picker(void **state) {
        (void) state;
        _cleanup_(config_freep) Config *c =
                parse("[Launcher]\nHistory=no\nHistoryHalfLifeDays=7.5\nPicker=rofi -dmenu -i   # or fuzzel\n");
        assert_false(c->history);
        assert_int_equal(c->history_half_life_sec, 7.5 * 86400);
        assert_string_equal(c->picker, "rofi -dmenu -i");
        _cleanup_(strv_freep) char **errors = parse_errors("[Launcher]\nHistory=sometimes\nHistoryHalfLifeDays=0\n"
                                                           "HistoryHalfLifeDays=4000\nHistoryHalfLifeDays=a week\n"
                                                           "Picker=\n");
        const char *expected[] = {
                "bad.conf:2: History: 'sometimes' is not yes or no",
                "bad.conf:3: HistoryHalfLifeDays: '0' is not a number of days (0.01-3650)",
                "bad.conf:4: HistoryHalfLifeDays: '4000' is not a number of days (0.01-3650)",
                "bad.conf:5: HistoryHalfLifeDays: 'a week' is not a number of days (0.01-3650)",
                "bad.conf:6: Picker: empty command",
        };
        assert_errors(errors, expected, ELEMENTSOF(expected));
}

static void test_accumulate_and_reset(void **state) {
        (void) state;
        _cleanup_(config_freep) Config *c = parse("[LaunchProfile a]\n"
                                                  "Environment=A=1 B=2\n"
                                                  "Environment=C=3\n"
                                                  "Secret=one\n"
                                                  "Environment=\n"
                                                  "Environment=D=4\n"
                                                  "Secret=two three\n"
                                                  "[LaunchProfile b]\n"
                                                  "Secret=x\n"
                                                  "Secret=\n"
                                                  "[LaunchProfile a]\n"
                                                  "Environment=E=5\n");
        const LaunchProfile *a = config_launch_profile(c, "default", "a");
        assert_strv(a->environment, (const char *[]){ "D=4", "E=5", NULL });
        assert_strv(a->secrets, (const char *[]){ "one", "two", "three", NULL });
        assert_strv(config_launch_profile(c, "default", "b")->secrets, (const char *[]){ NULL });
        /* A trust profile exists through its launch profiles alone. */
        _cleanup_(config_freep) Config *d = parse("[LaunchProfile personal:mail]\nSecret=imap\n");
        assert_true(config_has_trust_profile(d, "personal"));
        assert_null(config_trust_profile(d, "personal"));
}

static void test_words(void **state) {
        (void) state;
        _cleanup_(strv_freep) char **w = NULL;
        assert_int_equal(config_split_words("  \"X=a b\" 'Y=c d' Z=e\\x41 W=t\\tq V=\"in\"side U=\\s ", &w, NULL), 0);
        assert_strv(w, (const char *[]){ "X=a b", "Y=c d", "Z=eA", "W=t\tq", "V=inside", "U= ", NULL });

        Error e = {};
        char **bad = NULL;
        assert_int_equal(config_split_words("\"open", &bad, &e), -EINVAL);
        assert_non_null(strstr(e.message, "unterminated quote"));
        assert_int_equal(config_split_words("a\\q", &bad, &e), -EINVAL);
        assert_non_null(strstr(e.message, "invalid escape"));
        assert_int_equal(config_split_words("a\\", &bad, &e), -EINVAL);
        assert_int_equal(config_split_words("a\\x00", &bad, &e), -EINVAL);
        assert_null(bad);

        _cleanup_(strv_freep) char **none = NULL;
        assert_int_equal(config_split_words("   ", &none, NULL), 0);
        assert_null(none[0]);
}

static void test_errors(void **state) {
        (void) state;
        _cleanup_(strv_freep) char **errors = parse_errors("[Launcher]\n"                       /* 1 */
                                                           "Scope=fast\n"                       /* 2 */
                                                           "Bogus=1\n"                          /* 3 */
                                                           "[Nope]\n"                           /* 4 */
                                                           "[LaunchProfile x]\n"                /* 5 */
                                                           "WorkingDirectory=relative/dir\n"    /* 6 */
                                                           "Environment=1A=b\n"                 /* 7 */
                                                           "Secret=ok 2fa\n"                    /* 8 */
                                                           "Environment=\"open\n"               /* 9 */
                                                           "Name[de]=x\n"                       /* 10 */
                                                           "[LaunchProfile bad name]\n"         /* 11 */
                                                           "[TrustProfile a:b]\n"               /* 12 */
                                                           "[TrustProfile t]\n"                 /* 13 */
                                                           "Vault=x\n"                          /* 14 */
                                                           "[LaunchProfile x]\n"                /* 15 */
                                                           "Environment=NOEQUALS\n");           /* 16 */
        const char *expected[] = {
                "bad.conf:2: Scope: 'fast' is not one of dbus, systemd-run, none",
                "bad.conf:3: unknown key 'Bogus' in [Launcher]",
                "bad.conf:4: unknown group [Nope]",
                "bad.conf:6: WorkingDirectory: 'relative/dir' is not an absolute path",
                "bad.conf:7: Environment: '1A=b' is not NAME=VALUE with a valid name",
                "bad.conf:8: Secret: '2fa' is not a valid secret name",
                "bad.conf:9: Environment: unterminated quote",
                "bad.conf:10: 'Name[de]': no localized keys here",
                "bad.conf:11: 'bad name' is not a valid launch profile name",
                "bad.conf:12: 'a:b' is not a valid trust profile name",
                "bad.conf:14: unknown key 'Vault' in [TrustProfile t]",
                "bad.conf:16: Environment: 'NOEQUALS' is not NAME=VALUE with a valid name",
        };
        assert_errors(errors, expected, ELEMENTSOF(expected));

        _cleanup_(strv_freep) char **syntax = parse_errors("[Launcher]\nScope=dbus\nthis is no line\nno=\n");
        assert_string_equal(syntax[0], "bad.conf:3: expected '=' after the key");
        /* The parse goes on after a line it cannot read. */
        assert_string_equal(syntax[1], "bad.conf:4: unknown key 'no' in [Launcher]");
        assert_null(syntax[2]);

        _cleanup_(strv_freep) char **dp = parse_errors("[Launcher]\nDefaultProfile=work\n");
        assert_string_equal(dp[0], "bad.conf:2: DefaultProfile: no trust profile 'work' is defined; 'default' serves");
        _cleanup_(strv_freep) char **slice = parse_errors("[Launcher]\nSlice=app\nTerminal=\n");
        assert_string_equal(slice[0], "bad.conf:2: Slice: 'app' is not a slice unit name");
        assert_string_equal(slice[1], "bad.conf:3: Terminal: empty command");
}

/* One typo leaves out what it is in, and nothing else. */
static void test_partial(void **state) {
        (void) state;
        _cleanup_(config_freep) Config *c = NULL;
        const char *text = "[Launcher]\n"                 /* 1 */
                           "Scope=fast\n"                 /* 2: left out, the default stays */
                           "Slice=work.slice\n"           /* 3 */
                           "[LaunchProfile good]\n"       /* 4 */
                           "Environment=A=1\n"            /* 5 */
                           "[LaunchProfile gh]\n"         /* 6 */
                           "Secret=github-token\n"        /* 7 */
                           "MemroyMax=2G\n"               /* 8 */
                           "[TrustProfile vault]\n"       /* 9 */
                           "Collection=\n"                /* 10 */
                           "[LaunchProfile vault:mail]\n" /* 11 */
                           "Environment=B=2\n"            /* 12 */
                           "[LaunchProfile broken\n"      /* 13: a header without ']' */
                           "Environment=C=3\n"            /* 14: not given to the group before */
                           "[LaunchProfile syntax]\n"     /* 15 */
                           "this is no line\n"            /* 16 */
                           "DefaultProfile=x\n";          /* 17 */
        assert_int_equal(config_parse("p.conf", text, strlen(text), &c), 6);
        assert_int_equal(c->scope, SCOPE_MODE_DBUS);
        assert_string_equal(c->slice, "work.slice");
        const LaunchProfile *good = config_launch_profile(c, "default", "good");
        assert_null(good->invalid);
        assert_strv(good->environment, (const char *[]){ "A=1", NULL });
        const LaunchProfile *gh = config_launch_profile(c, "default", "gh");
        assert_string_equal(gh->invalid, "p.conf:8: unknown key 'MemroyMax' in [LaunchProfile default:gh]");
        assert_string_equal(config_trust_profile(c, "vault")->invalid, "p.conf:10: Collection: empty");
        /* Its launch profile is valid itself; the trust profile it needs is not. */
        assert_null(config_launch_profile(c, "vault", "mail")->invalid);
        assert_string_equal(config_launch_profile(c, "default", "syntax")->invalid,
                            "p.conf:16: expected '=' after the key");
        assert_null(config_launch_profile(c, "default", "broken"));
        const char *expected[] = {
                "p.conf:2: Scope: 'fast' is not one of dbus, systemd-run, none",
                "p.conf:8: unknown key 'MemroyMax' in [LaunchProfile default:gh]",
                "p.conf:10: Collection: empty",
                "p.conf:13: group header without ']'",
                "p.conf:16: expected '=' after the key",
                "p.conf:17: unknown key 'DefaultProfile' in [LaunchProfile default:syntax]",
        };
        assert_errors(c->errors, expected, ELEMENTSOF(expected));
}

/* Output= for every app and per profile; StandardOutput= per profile. */
static void test_output(void **state) {
        (void) state;
        _cleanup_(config_freep) Config *c = parse("[Launcher]\nOutput=inherit\n"
                                                  "[LaunchProfile quiet]\nOutput=null\n"
                                                  "[LaunchProfile loud]\nStandardOutput=journal\n");
        assert_int_equal(c->output, APP_OUTPUT_INHERIT);
        assert_int_equal(config_launch_profile(c, "default", "quiet")->output, APP_OUTPUT_NULL);
        assert_int_equal(config_launch_profile(c, "default", "quiet")->stdout_journal, -1);
        assert_int_equal(config_launch_profile(c, "default", "loud")->output, APP_OUTPUT_UNSET);
        assert_int_equal(config_launch_profile(c, "default", "loud")->stdout_journal, 1);
        _cleanup_(config_freep) Config *d = parse("");
        assert_int_equal(d->output, APP_OUTPUT_JOURNAL);
        _cleanup_(strv_freep) char **errors = parse_errors("[Launcher]\nOutput=syslog\n[LaunchProfile x]\n"
                                                           "StandardOutput=kmsg\n");
        const char *expected[] = {
                "bad.conf:2: Output: 'syslog' is not journal, inherit or null",
                "bad.conf:4: StandardOutput: 'kmsg' is not null or journal",
        };
        assert_errors(errors, expected, ELEMENTSOF(expected));
}

/* [Open NAME]: rules in the file's order, their conditions as globs; one
 * with an error, or with no condition, left out saying where. */
static void test_open_rules(void **state) {
        (void) state;
        _cleanup_(config_freep) Config *c = NULL;
        const char *text = "[Open corp]\n"                                                   /* 1 */
                           "Match=https://*.corp.example.com/* https://jira.example.com/*  # work\n" /* 2 */
                           "Entry=firefox-esr\n"                                              /* 3 */
                           "Action=new-window\n"                                              /* 4 */
                           "Tags=work personal:mail\n"                                        /* 5 */
                           "[Open images]\n"                                                  /* 6 */
                           "MimeType=image/* application/pdf\n"                              /* 7 */
                           "Ask=yes\n"                                                        /* 8 */
                           "[Open chat]\n"                                                    /* 9 */
                           "From=org.example.Slack\n"                                         /* 10 */
                           "[Open nothing]\n"                                                 /* 11 */
                           "Entry=firefox-esr\n"                                              /* 12 */
                           "[Open bad]\n"                                                     /* 13 */
                           "Match=not-a-url\n"                                                /* 14 */
                           "MimeType=image\n"                                                 /* 15 */
                           "Tags=a:b:c\n"                                                     /* 16 */
                           "Bogus=1\n"                                                        /* 17 */
                           "[Open two words]\n";                                              /* 18 */
        assert_int_equal(config_parse("o.conf", text, strlen(text), &c), 6);
        assert_int_equal(c->n_open_rules, 5);
        const OpenRule *corp = &c->open_rules[0];
        assert_string_equal(corp->name, "corp");
        assert_null(corp->invalid);
        assert_strv(corp->match, (const char *[]){ "https://*.corp.example.com/*", "https://jira.example.com/*", NULL });
        assert_string_equal(corp->entry, "firefox-esr");
        assert_string_equal(corp->action, "new-window");
        assert_strv(corp->tags, (const char *[]){ "work", "personal:mail", NULL });
        assert_false(corp->ask);
        assert_strv(c->open_rules[1].mime_types, (const char *[]){ "image/*", "application/pdf", NULL });
        assert_true(c->open_rules[1].ask);
        assert_strv(c->open_rules[2].from, (const char *[]){ "org.example.Slack", NULL });
        assert_null(c->open_rules[2].entry);
        assert_string_equal(c->open_rules[3].invalid,
                            "o.conf:11: [Open nothing]: no Match=, MimeType= or From=: the rule would take everything");
        assert_string_equal(c->open_rules[4].invalid, "o.conf:14: Match: 'not-a-url' is not a URL glob (scheme:...)");
        const char *expected[] = {
                "o.conf:11: [Open nothing]: no Match=, MimeType= or From=: the rule would take everything",
                "o.conf:14: Match: 'not-a-url' is not a URL glob (scheme:...)",
                "o.conf:15: MimeType: 'image' is not a type glob (image/png, image/*)",
                "o.conf:16: Tags: 'a:b:c' is not a launch profile (NAME or TRUST:NAME)",
                "o.conf:17: unknown key 'Bogus' in [Open bad]",
                "o.conf:18: 'two words' is not a valid rule name (letters, digits, '-', '_', '.')",
        };
        assert_errors(c->errors, expected, ELEMENTSOF(expected));
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_example),        cmocka_unit_test(test_defaults),
                cmocka_unit_test(test_accumulate_and_reset), cmocka_unit_test(test_words),
                cmocka_unit_test(test_errors),        cmocka_unit_test(test_history_and_picker),
                cmocka_unit_test(test_partial),       cmocka_unit_test(test_output),
                cmocka_unit_test(test_open_rules),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
