/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "common/strv.h"
#include "desktop/exec.h"

static const ExecContext ctx = { .name = "Text Editor", .icon = "org.example.Editor", .file = "/apps/ed.desktop",
                                 .cwd = "/home/u/docs" };

static void assert_argv(char **argv, const char *const *expected) {
        size_t n = 0;
        for (; expected[n]; n++) {
                if (!argv[n])
                        fail_msg("argument %zu missing, expected '%s'", n, expected[n]);
                assert_string_equal(argv[n], expected[n]);
        }
        if (argv[n])
                fail_msg("unexpected argument '%s'", argv[n]);
}

static void check(const char *exec, const char *const *expected) {
        _cleanup_(strv_freep) char **argv = NULL;
        Error e = {};
        if (exec_to_argv(exec, &ctx, &argv, &e) < 0)
                fail_msg("'%s': %s", exec, e.message);
        assert_argv(argv, expected);
}

static void check_error(const char *exec, const char *expected) {
        _cleanup_(strv_freep) char **argv = NULL;
        Error e = {};
        assert_true(exec_to_argv(exec, &ctx, &argv, &e) < 0);
        assert_null(argv);
        if (!strstr(e.message, expected))
                fail_msg("'%s' does not contain '%s'", e.message, expected);
}

/* Expands `exec` for `args`; returns the instances. */
static char ***expand(const char *exec, const ExecContext *c, char *const *args, Error *e) {
        _cleanup_(strv_freep) char **words = NULL;
        if (exec_parse(exec, &words, e) < 0)
                return NULL;
        char ***argvs = NULL;
        return exec_expand(words, c, args, &argvs, e) < 0 ? NULL : argvs;
}

static void test_field_codes_without_arguments(void **state) {
        (void) state;
        check("app %U", (const char *[]){ "app", NULL });
        check("app %f %F %u %U %d %D %n %N %v %m --x", (const char *[]){ "app", "--x", NULL });
        check("%U app", (const char *[]){ "app", NULL });
        check("app --opt=%f", (const char *[]){ "app", "--opt=", NULL });
        check("printf 100%%", (const char *[]){ "printf", "100%", NULL });
        check("a %%U b", (const char *[]){ "a", "%U", "b", NULL });
        /* %i: two words with an Icon, none without; %c the name, %k the file. */
        check("app %i %c %k", (const char *[]){ "app", "--icon", "org.example.Editor", "Text Editor",
                                                "/apps/ed.desktop", NULL });
        check("app --title=%c", (const char *[]){ "app", "--title=Text Editor", NULL });
        _cleanup_(strv_freep) char **argv = NULL;
        ExecContext no_icon = ctx;
        no_icon.icon = NULL;
        assert_int_equal(exec_to_argv("app %i end", &no_icon, &argv, NULL), 0);
        assert_argv(argv, (const char *[]){ "app", "end", NULL });

        check_error("app %x", "unknown field code '%x'");
        check_error("app 100%", "lone '%'");
        check_error("%U %f", "no program");
}

/* What GLib's g_shell_parse_argv() does, which is what desktops run:
 * tests/integration/test-entries-glib.py holds both side by side. */
static void test_quoting(void **state) {
        (void) state;
        check("a  b\tc", (const char *[]){ "a", "b", "c", NULL });
        check("sh -c \"echo \\\"hi\\\" \\$HOME \\\\ \\`x\\`\"",
              (const char *[]){ "sh", "-c", "echo \"hi\" $HOME \\ `x`", NULL });
        check("\"/opt/My App/bin/app\" --flag", (const char *[]){ "/opt/My App/bin/app", "--flag", NULL });
        check("app \"\" end", (const char *[]){ "app", "", "end", NULL });
        check("app --x=\"a b\"c", (const char *[]){ "app", "--x=a bc", NULL });
        /* Single quotes, as in many shipped desktop files. */
        check("sh -c 'echo hi there'", (const char *[]){ "sh", "-c", "echo hi there", NULL });
        check("app 'a \"b\" \\c' ''", (const char *[]){ "app", "a \"b\" \\c", "", NULL });
        /* Outside quotes a backslash keeps the next character; inside double
         * quotes other backslashes stay. */
        check("app a\\ b \\'x \"\\q\"", (const char *[]){ "app", "a b", "'x", "\\q", NULL });
        /* Never a shell. */
        check("app $HOME ; | &&", (const char *[]){ "app", "$HOME", ";", "|", "&&", NULL });
        /* A comment at the start of a word, not inside one. */
        check("app a#b #c d", (const char *[]){ "app", "a#b", NULL });

        check_error("sh -c \"echo", "unterminated quote");
        check_error("sh -c 'echo", "unterminated quote");
        check_error("app \\", "ends in a backslash");
        check_error("   ", "no program");
}

static void test_files_and_urls(void **state) {
        (void) state;
        Error e = {};
        char *two[] = { (char *) "a b.txt", (char *) "/abs/é.txt", NULL };

        /* %f: one instance per file, each with its own. */
        char ***i = expand("ed --new %f", &ctx, two, &e);
        assert_non_null(i);
        assert_int_equal(exec_argvs_count(i), 2);
        assert_argv(i[0], (const char *[]){ "ed", "--new", "/home/u/docs/a b.txt", NULL });
        assert_argv(i[1], (const char *[]){ "ed", "--new", "/abs/é.txt", NULL });
        exec_argvs_free(i);

        /* %F: all of them, in place. */
        i = expand("ed %F --end", &ctx, two, &e);
        assert_int_equal(exec_argvs_count(i), 1);
        assert_argv(i[0], (const char *[]){ "ed", "/home/u/docs/a b.txt", "/abs/é.txt", "--end", NULL });
        exec_argvs_free(i);

        /* %U as GLib fills it: a local file as its path (given as a path or
         * a file:// URI of this host), a URL as it is, and so a file:// URI
         * with a #fragment or of another host. */
        char *mixed[] = { (char *) "/tmp/x y/é;!", (char *) "https://example.org/?q=1",
                          (char *) "file:///tmp/a%20b", (char *) "file:///tmp/doc.html#part",
                          (char *) "file://elsewhere/x", NULL };
        i = expand("browser %U", &ctx, mixed, &e);
        assert_argv(i[0], (const char *[]){ "browser", "/tmp/x y/é;!", "https://example.org/?q=1", "/tmp/a b",
                                            "file:///tmp/doc.html#part", "file://elsewhere/x", NULL });
        exec_argvs_free(i);
        /* X-GIO-NoFuse=true: paths become file:// URIs, percent-encoded as
         * GLib does; URLs stay. */
        ExecContext no_fuse = ctx;
        no_fuse.local_as_uri = true;
        i = expand("browser %U", &no_fuse, mixed, &e);
        assert_argv(i[0], (const char *[]){ "browser", "file:///tmp/x%20y/%C3%A9%3B!", "https://example.org/?q=1",
                                            "file:///tmp/a%20b", "file:///tmp/doc.html#part", "file://elsewhere/x",
                                            NULL });
        exec_argvs_free(i);
        i = expand("browser --url=%u", &ctx, mixed, &e);
        assert_int_equal(exec_argvs_count(i), 5);
        assert_argv(i[1], (const char *[]){ "browser", "--url=https://example.org/?q=1", NULL });
        exec_argvs_free(i);

        /* %f: a file:// URI becomes its path; another scheme is refused. */
        char *uri[] = { (char *) "file:///tmp/x%20y/%C3%A9", (char *) "file://localhost/etc/hosts", NULL };
        i = expand("ed %F", &ctx, uri, &e);
        assert_argv(i[0], (const char *[]){ "ed", "/tmp/x y/é", "/etc/hosts", NULL });
        exec_argvs_free(i);
        char *web[] = { (char *) "https://example.org/", NULL };
        e = (Error){};
        assert_null(expand("ed %f", &ctx, web, &e));
        assert_non_null(strstr(e.message, "is a URL, and this application opens files only"));
        char *remote[] = { (char *) "file://elsewhere/etc/hosts", NULL };
        assert_null(expand("ed %f", &ctx, remote, &e));
        assert_non_null(strstr(e.message, "on another host"));

        /* A relative path needs the client's directory. */
        ExecContext no_cwd = ctx;
        no_cwd.cwd = NULL;
        char *rel[] = { (char *) "notes.txt", NULL };
        assert_null(expand("ed %f", &no_cwd, rel, &e));
        assert_non_null(strstr(e.message, "relative path"));

        /* No code that takes them: the arguments go at the end, as given. */
        char *opts[] = { (char *) "--new-window", (char *) "x", NULL };
        i = expand("app %i -q", &ctx, opts, &e);
        assert_int_equal(exec_argvs_count(i), 1);
        assert_argv(i[0], (const char *[]){ "app", "--icon", "org.example.Editor", "-q", "--new-window", "x", NULL });
        exec_argvs_free(i);

        /* What each takes. */
        const struct {
                const char *exec;
                ExecTakes takes;
        } takes[] = {
                { "a %f", EXEC_TAKES_FILE }, { "a %F", EXEC_TAKES_FILES }, { "a %u", EXEC_TAKES_URL },
                { "a %U %i", EXEC_TAKES_URLS }, { "a %i %c %k %%f", EXEC_TAKES_NOTHING },
        };
        for (size_t k = 0; k < ELEMENTSOF(takes); k++) {
                _cleanup_(strv_freep) char **words = NULL;
                assert_int_equal(exec_parse(takes[k].exec, &words, NULL), 0);
                assert_int_equal(exec_takes(words), takes[k].takes);
        }
        assert_true(exec_is_uri("mailto:x@y"));
        assert_false(exec_is_uri("/a:b"));
        assert_false(exec_is_uri("1a:b"));
}

static bool matches(const char *exec, const char *const *argv) {
        _cleanup_(strv_freep) char **words = NULL;
        Error e = {};
        assert_int_equal(exec_parse(exec, &words, &e), 0);
        return exec_matches(words, (char *const *) argv);
}

/* What a picker that drops the field codes hands its launch prefix. */
static void test_matches(void **state) {
        (void) state;
        assert_true(matches("firefox %u", (const char *[]){ "firefox", NULL }));
        assert_true(matches("firefox --new-window %U", (const char *[]){ "firefox", "--new-window", NULL }));
        assert_true(matches("app --file=%f -x", (const char *[]){ "app", "--file=", "-x", NULL }));
        assert_true(matches("app %i %c %k 100%%", (const char *[]){ "app", "100%", NULL }));
        assert_true(matches("sh -c 'echo hi there'", (const char *[]){ "sh", "-c", "echo hi there", NULL }));
        assert_false(matches("firefox %u", (const char *[]){ "firefox", "x", NULL }));
        assert_false(matches("firefox --new-window", (const char *[]){ "firefox", NULL }));
        assert_false(matches("firefox", (const char *[]){ "Firefox", NULL }));
        assert_false(matches("app 100%%", (const char *[]){ "app", "100%%", NULL }));
        assert_false(matches("%U", (const char *[]){ NULL }));
        assert_true(matches("app '' %U", (const char *[]){ "app", "", NULL }));
        assert_false(matches("app '' %U", (const char *[]){ "app", NULL }));
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_field_codes_without_arguments),
                cmocka_unit_test(test_quoting),
                cmocka_unit_test(test_files_and_urls),
                cmocka_unit_test(test_matches),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
