/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "exec.h"
#include "strv.h"

static void check(const char *exec, const char *const *expected) {
        _cleanup_(strv_freep) char **argv = NULL;
        Error e = {};
        if (exec_to_argv(exec, &argv, &e) < 0)
                fail_msg("'%s': %s", exec, e.message);
        size_t n = 0;
        for (; expected[n]; n++) {
                assert_non_null(argv[n]);
                assert_string_equal(argv[n], expected[n]);
        }
        assert_null(argv[n]);
}

static void check_error(const char *exec, const char *expected) {
        _cleanup_(strv_freep) char **argv = NULL;
        Error e = {};
        assert_true(exec_to_argv(exec, &argv, &e) < 0);
        assert_null(argv);
        if (!strstr(e.message, expected))
                fail_msg("'%s' does not contain '%s'", e.message, expected);
}

static void test_field_codes(void **state) {
        (void) state;
        check("app %U", (const char *[]){ "app", NULL });
        check("app %f %F %u %U %d %D %n %N %i %c %k %v %m --x", (const char *[]){ "app", "--x", NULL });
        check("%U app", (const char *[]){ "app", NULL });
        check("app --opt=%f", (const char *[]){ "app", "--opt=", NULL });
        check("printf 100%%", (const char *[]){ "printf", "100%", NULL });
        check("a %%U b", (const char *[]){ "a", "%U", "b", NULL });

        _cleanup_free_ char *collapsed = NULL;
        assert_int_equal(exec_remove_field_codes("a %f %u b", &collapsed, NULL), 0);
        assert_string_equal(collapsed, "a b");

        check_error("app %x", "unknown field code '%x'");
        check_error("app 100%", "lone '%'");
}

static void test_quoting(void **state) {
        (void) state;
        check("a  b\tc", (const char *[]){ "a", "b", "c", NULL });
        check("sh -c \"echo \\\"hi\\\" \\$HOME \\\\ \\`x\\`\"",
              (const char *[]){ "sh", "-c", "echo \"hi\" $HOME \\ `x`", NULL });
        check("\"/opt/My App/bin/app\" --flag", (const char *[]){ "/opt/My App/bin/app", "--flag", NULL });
        check("app \"\" end", (const char *[]){ "app", "", "end", NULL });
        check("app --x=\"a b\"c", (const char *[]){ "app", "--x=a bc", NULL });
        /* Not a shell: single quotes, $ and ; are just characters. */
        check("app 'a b' $HOME ;", (const char *[]){ "app", "'a", "b'", "$HOME", ";", NULL });

        check_error("sh -c \"echo", "unterminated quote");
        check_error("sh -c \"a\\qb\"", "invalid escape '\\q'");
        check_error("sh -c \"a\\", "invalid escape");
        check_error("   ", "no program");
        check_error("%U", "no program");
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_field_codes),
                cmocka_unit_test(test_quoting),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
