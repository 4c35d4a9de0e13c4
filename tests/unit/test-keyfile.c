/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "common/strv.h"
#include "desktop/keyfile.h"

static Keyfile *parse(const char *text, KeyfileFlags flags) {
        Keyfile *k = NULL;
        Error e = {};
        if (keyfile_parse("test.desktop", text, strlen(text), flags, &k, &e) < 0)
                fail_msg("%s", e.message);
        return k;
}

static void check_error(const char *text, KeyfileFlags flags, const char *expected) {
        Keyfile *k = NULL;
        Error e = {};
        assert_true(keyfile_parse("bad.conf", text, strlen(text), flags, &k, &e) < 0);
        assert_null(k);
        if (!strstr(e.message, expected))
                fail_msg("'%s' does not contain '%s'", e.message, expected);
}

static void test_basic(void **state) {
        (void) state;
        _cleanup_(keyfile_freep) Keyfile *k = parse("# comment\n"
                                                    "\n"
                                                    "[Desktop Entry]\n"
                                                    "Name=Viewer\n"
                                                    "Name[de]=Betrachter\n"
                                                    "  Exec = view --x  \n"
                                                    "[Other Group]\n"
                                                    "Name=Other\n",
                                                    0);
        assert_int_equal(keyfile_n_groups(k), 2);
        unsigned line;
        assert_string_equal(keyfile_group(k, 0, &line), "Desktop Entry");
        assert_int_equal(line, 3);
        assert_string_equal(keyfile_get(k, "Desktop Entry", "Name"), "Viewer");
        /* Leading whitespace of a value goes, trailing stays (as in GLib). */
        assert_string_equal(keyfile_get(k, "Desktop Entry", "Exec"), "view --x  ");
        assert_string_equal(keyfile_get(k, "Other Group", "Name"), "Other");
        assert_null(keyfile_get(k, "Desktop Entry", "Missing"));
        assert_null(keyfile_get(k, "No Group", "Name"));
        const KeyfileEntry *en = keyfile_lookup(k, "Desktop Entry", "Exec");
        assert_int_equal(en->line, 6);
        assert_int_equal(keyfile_n_entries(k), 4);
        assert_string_equal(keyfile_entry(k, 1)->locale, "de");
}

static void test_repeats(void **state) {
        (void) state;
        _cleanup_(keyfile_freep) Keyfile *k = parse("[A]\nX=1\n[B]\nY=2\n[A]\nX=3\nZ=4\n", 0);
        /* A repeated group continues the first; the last value of a key wins. */
        assert_int_equal(keyfile_n_groups(k), 2);
        assert_string_equal(keyfile_get(k, "A", "X"), "3");
        assert_string_equal(keyfile_get(k, "A", "Z"), "4");
        /* Every occurrence stays visible, in order, for keys that accumulate. */
        assert_int_equal(keyfile_n_entries(k), 4);
        assert_string_equal(keyfile_entry(k, 0)->value, "1");
        assert_string_equal(keyfile_entry(k, 2)->value, "3");
        assert_ptr_equal(keyfile_entry(k, 0)->group, keyfile_entry(k, 2)->group);
}

static void test_bom_crlf(void **state) {
        (void) state;
        _cleanup_(keyfile_freep) Keyfile *k = parse("\xef\xbb\xbf[G]\r\nA=1\r\nB=two words\r\n", 0);
        assert_string_equal(keyfile_get(k, "G", "A"), "1");
        assert_string_equal(keyfile_get(k, "G", "B"), "two words");
}

static void test_locale(void **state) {
        (void) state;
        _cleanup_(keyfile_freep) Keyfile *k = parse("[G]\nN=C\nN[de]=de\nN[de_AT]=de_AT\nN[sr@latin]=sr@latin\n"
                                                    "N[sr_RS@latin]=sr_RS@latin\n",
                                                    0);
        assert_string_equal(keyfile_get_locale(k, "G", "N", "de_AT.UTF-8"), "de_AT");
        assert_string_equal(keyfile_get_locale(k, "G", "N", "de_DE.UTF-8"), "de");
        assert_string_equal(keyfile_get_locale(k, "G", "N", "de"), "de");
        assert_string_equal(keyfile_get_locale(k, "G", "N", "sr_RS.UTF-8@latin"), "sr_RS@latin");
        assert_string_equal(keyfile_get_locale(k, "G", "N", "sr_ME@latin"), "sr@latin");
        assert_string_equal(keyfile_get_locale(k, "G", "N", "fr_FR.UTF-8"), "C");
        assert_string_equal(keyfile_get_locale(k, "G", "N", "C.UTF-8"), "C");
        assert_string_equal(keyfile_get_locale(k, "G", "N", NULL), "C");
}

static void test_errors(void **state) {
        (void) state;
        check_error("[G]\nnot a key value line\n", 0, "bad.conf:2: expected '=' after the key");
        check_error("[G]\n=value\n", 0, "bad.conf:2: expected a group header or Key=Value");
        check_error("A=1\n", 0, "bad.conf:1: key outside of any group");
        check_error("[G\nA=1\n", 0, "bad.conf:1: group header without ']'");
        check_error("[]\n", 0, "bad.conf:1: empty group name");
        check_error("[G] trailing\n", 0, "bad.conf:1: text after the group header");
        check_error("[G]\nA[de=1\n", 0, "bad.conf:2: malformed locale");
        check_error("[G]\nA\x01=1\n", 0, "bad.conf:2:");
        Keyfile *k = NULL;
        Error e = {};
        assert_int_equal(keyfile_parse("nul", "[G]\0A=1", 7, 0, &k, &e), -EINVAL);
        assert_non_null(strstr(e.message, "NUL"));
}

static void test_trailing_comments(void **state) {
        (void) state;
        _cleanup_(keyfile_freep) Keyfile *k = parse("[Launcher]   # the main group\n"
                                                    "Scope=dbus        # dbus | none\n"
                                                    "Env=\"A=#not a comment\" B=x#y\n"
                                                    "Plain=value   \n",
                                                    KEYFILE_TRAILING_COMMENTS);
        assert_string_equal(keyfile_get(k, "Launcher", "Scope"), "dbus");
        assert_string_equal(keyfile_get(k, "Launcher", "Env"), "\"A=#not a comment\" B=x#y");
        assert_string_equal(keyfile_get(k, "Launcher", "Plain"), "value");
        /* Without the flag, '#' is part of the value, as in desktop files. */
        _cleanup_(keyfile_freep) Keyfile *d = parse("[G]\nName=C# is fine # too\n", 0);
        assert_string_equal(keyfile_get(d, "G", "Name"), "C# is fine # too");
}

/* KEYFILE_SKIP_BAD_LINES: each bad line kept with its group, the rest read;
 * the keys after a broken header belong to no group. */
static void test_skip_bad_lines(void **state) {
        (void) state;
        _cleanup_(keyfile_freep) Keyfile *k = parse("[A]\n"         /* 1 */
                                                    "x=1\n"         /* 2 */
                                                    "no equals\n"   /* 3 */
                                                    "y=2\n"         /* 4 */
                                                    "[B\n"          /* 5 */
                                                    "z=3\n"         /* 6: not A's */
                                                    "bad again\n"   /* 7: said once, with 5 */
                                                    "[C]\n"         /* 8 */
                                                    "w=4\n",        /* 9 */
                                                    KEYFILE_SKIP_BAD_LINES);
        assert_string_equal(keyfile_get(k, "A", "x"), "1");
        assert_string_equal(keyfile_get(k, "A", "y"), "2");
        assert_null(keyfile_get(k, "A", "z"));
        assert_string_equal(keyfile_get(k, "C", "w"), "4");
        assert_int_equal(keyfile_n_line_errors(k), 2);
        const KeyfileLineError *e0 = keyfile_line_error(k, 0), *e1 = keyfile_line_error(k, 1);
        assert_int_equal(e0->line, 3);
        assert_string_equal(e0->group, "A");
        assert_string_equal(e0->message, "test.desktop:3: expected '=' after the key");
        assert_int_equal(e1->line, 5);
        assert_null(e1->group);
        assert_string_equal(e1->message, "test.desktop:5: group header without ']'");
        assert_null(keyfile_line_error(k, 2));
}

static void test_unescape_and_lists(void **state) {
        (void) state;
        _cleanup_free_ char *s = keyfile_unescape("a\\sb\\nc\\td\\re\\\\f\\qg\\;");
        assert_string_equal(s, "a b\nc\td\re\\f\\qg\\;");

        _cleanup_(strv_freep) char **l = keyfile_split_list("one;two\\;half;th\\sree;");
        assert_int_equal(strv_length(l), 3);
        assert_string_equal(l[0], "one");
        assert_string_equal(l[1], "two;half");
        assert_string_equal(l[2], "th ree");
        _cleanup_(strv_freep) char **m = keyfile_split_list("no-final");
        assert_int_equal(strv_length(m), 1);
        _cleanup_(strv_freep) char **empty = keyfile_split_list("");
        assert_int_equal(strv_length(empty), 0);

        assert_int_equal(keyfile_parse_boolean("true"), 1);
        assert_int_equal(keyfile_parse_boolean("false"), 0);
        assert_int_equal(keyfile_parse_boolean("True"), -EINVAL);
        assert_int_equal(keyfile_parse_boolean(NULL), -EINVAL);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_basic),        cmocka_unit_test(test_repeats),
                cmocka_unit_test(test_bom_crlf),     cmocka_unit_test(test_locale),
                cmocka_unit_test(test_errors),       cmocka_unit_test(test_trailing_comments),
                cmocka_unit_test(test_unescape_and_lists), cmocka_unit_test(test_skip_bad_lines),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
