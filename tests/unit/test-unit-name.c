/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdbool.h>
#include <errno.h>
#include <string.h>

#include "common/macro.h"
#include "spawn/unit-name.h"

/* systemd's rule for a plain unit name: [A-Za-z0-9:_.\\-]+ then a known
 * suffix, at most 255 characters. Checked independently of our code. */
static bool is_valid_scope_name(const char *n) {
        size_t len = strlen(n);
        if (len == 0 || len > 255 || len <= strlen(".scope"))
                return false;
        if (strcmp(n + len - 6, ".scope") != 0)
                return false;
        for (size_t i = 0; i < len - 6; i++)
                if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789:-_.\\", n[i]))
                        return false;
        return true;
}

static void check_sanitize(const char *id, const char *expected) {
        char buf[SCOPE_ID_MAX + 1];
        size_t n = unit_id_sanitize(id, buf);
        assert_string_equal(buf, expected);
        assert_int_equal(n, strlen(expected));
}

static void test_sanitize(void **state) {
        (void) state;
        check_sanitize("org.mozilla.firefox", "org-mozilla-firefox");
        check_sanitize("Alacritty", "Alacritty");
        check_sanitize("a..b", "a-b");
        check_sanitize("--a_+_b--", "a-b");
        check_sanitize("...", "");
        check_sanitize("", "");
        check_sanitize(NULL, "");
        check_sanitize("caf\xc3\xa9-app", "caf-app");
        check_sanitize("x", "x");
        check_sanitize("a b\tc", "a-b-c");
}

static void test_name(void **state) {
        (void) state;
        char buf[UNIT_NAME_MAX + 1];

        assert_int_equal(unit_name_for_scope(UNIT_NAMES_SEED, "org.mozilla.firefox", 1234, 0, buf), 0);
        assert_string_equal(buf, "app-open-sesame-org-mozilla-firefox-1234.scope");
        assert_true(is_valid_scope_name(buf));

        assert_int_equal(unit_name_for_scope(UNIT_NAMES_SEED, "org.mozilla.firefox", 1234, 2, buf), 0);
        assert_string_equal(buf, "app-open-sesame-org-mozilla-firefox-1234-2.scope");

        /* Nothing alphanumeric left: still a valid, recognizable name. */
        assert_int_equal(unit_name_for_scope(UNIT_NAMES_SEED, "___", 7, 0, buf), 0);
        assert_string_equal(buf, "app-open-sesame-" SCOPE_ID_EMPTY "-7.scope");
        assert_true(is_valid_scope_name(buf));

        assert_int_equal(unit_name_prefix(UNIT_NAMES_SEED, "a.b", buf), 0);
        assert_string_equal(buf, "app-open-sesame-a-b-");

        assert_int_equal(unit_name_for_scope(UNIT_NAMES_SEED, "x", 0, 0, buf), -EINVAL);
        assert_int_equal(unit_name_for_scope(UNIT_NAMES_SEED, "x", 1, 1000, buf), -EINVAL);
}

static void test_long_ids(void **state) {
        (void) state;
        char id[2000], buf[UNIT_NAME_MAX + 1];

        /* Every length around the cut, with separators landing on it. */
        for (size_t len = 150; len < sizeof(id) - 1; len += 37)
                for (UnitNameStyle style = 0; style < _UNIT_NAMES_MAX; style++) {
                for (size_t i = 0; i < len; i++)
                        id[i] = (i % 3 == 2) ? (style == UNIT_NAMES_XDG ? '-' : '.') : 'a';
                id[len] = 0;
                assert_int_equal(unit_name_for_scope(style, id, 4194304, 999, buf), 0);
                assert_true(is_valid_scope_name(buf));
                assert_true(strlen(buf) <= UNIT_NAME_MAX);
                /* No dash left dangling by the cut before "-<pid>", no
                 * escape cut in half. */
                assert_null(strstr(buf, "--"));
                assert_null(strstr(buf, "\\x2-"));
                assert_null(strstr(buf, "\\x-"));
        }
}

/* UnitNames=xdg: app-sesame-<ID as systemd-escape(1) has it>-<PID>.scope.
 * (The integration test reads the ID back from real units with a parser
 * written from systemd's desktop environment integration document.) */
static void test_xdg(void **state) {
        (void) state;
        char buf[UNIT_NAME_MAX + 1];
        static const struct {
                const char *id, *name;
        } cases[] = {
                { "org.mozilla.firefox", "app-sesame-org.mozilla.firefox-42.scope" },
                { "my-app", "app-sesame-my\\x2dapp-42.scope" },
                { "7zip_2", "app-sesame-7zip_2-42.scope" },
                { "caf\xc3\xa9", "app-sesame-caf\\xc3\\xa9-42.scope" },
                { ".hidden.app", "app-sesame-\\x2ehidden.app-42.scope" },
                { "a b/c", "app-sesame-a\\x20b\\x2fc-42.scope" },
                { "", "app-sesame-" SCOPE_ID_EMPTY "-42.scope" },
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                assert_int_equal(unit_name_for_scope(UNIT_NAMES_XDG, cases[i].id, 42, 0, buf), 0);
                assert_string_equal(buf, cases[i].name);
                assert_true(is_valid_scope_name(buf));
        }
        /* A retry keeps the part after the last dash letters and digits
         * (xdg-desktop-portal's pattern), and the PID readable. */
        assert_int_equal(unit_name_for_scope(UNIT_NAMES_XDG, "my-app", 42, 3, buf), 0);
        assert_string_equal(buf, "app-sesame-my\\x2dapp-42r3.scope");
        assert_int_equal(unit_name_pid(buf), 42);
        assert_true(unit_name_is_for(buf, "my-app"));

        /* A long ID is cut before the first character that does not fit
         * whole: "é" is two escapes, never one. */
        char id[300] = "";
        for (size_t i = 0; i < 110; i++)
                strcat(id, "\xc3\xa9");
        assert_int_equal(unit_name_for_scope(UNIT_NAMES_XDG, id, 4194304, 999, buf), 0);
        assert_true(is_valid_scope_name(buf));
        const char *part = buf + strlen(SCOPE_PREFIX_XDG);
        size_t escaped = (size_t) (strstr(part, "-4194304r999.scope") - part);
        assert_int_equal(escaped % 8, 0);
        assert_true(escaped > 200 && escaped <= 223);
        /* ...and after an ASCII prefix that leaves an odd room. */
        char prefixed[310] = "aaa";
        strcat(prefixed, id);
        assert_int_equal(unit_name_for_scope(UNIT_NAMES_XDG, prefixed, 1, 0, buf), 0);
        part = buf + strlen(SCOPE_PREFIX_XDG) + 3;
        assert_int_equal((strstr(part, "-1.scope") - part) % 8, 0);
        assert_int_equal(unit_name_prefix(UNIT_NAMES_XDG, "my-app", buf), 0);
        assert_string_equal(buf, "app-sesame-my\\x2dapp-");
}

/* A transient service: "-<n>.service" (seed), "@<n>.service" (xdg, the
 * form the desktop environment integration document gives services); the
 * entry reads back from either, and the PID from neither. */
static void test_service(void **state) {
        (void) state;
        char buf[UNIT_NAME_MAX + 1];
        assert_int_equal(unit_name_for_service(UNIT_NAMES_SEED, "org.gnome.Foo", 4294967295u, buf), 0);
        assert_string_equal(buf, "app-open-sesame-org-gnome-Foo-4294967295.service");
        assert_true(unit_name_is_ours(buf) && unit_name_is_service(buf));
        assert_true(unit_name_is_for(buf, "org.gnome.Foo"));
        assert_false(unit_name_is_for(buf, "org.gnome"));
        assert_int_equal(unit_name_pid(buf), 0);

        assert_int_equal(unit_name_for_service(UNIT_NAMES_XDG, "my-app", 7, buf), 0);
        assert_string_equal(buf, "app-sesame-my\\x2dapp@7.service");
        assert_true(unit_name_is_ours(buf) && unit_name_is_service(buf));
        assert_true(unit_name_is_for(buf, "my-app"));
        assert_int_equal(unit_name_pid(buf), 0);
        /* The separators are not interchangeable: a scope's form with
         * ".service" is not ours for the entry, nor '@' in the seed form. */
        assert_false(unit_name_is_for("app-sesame-my\\x2dapp-7.service", "my-app"));
        assert_false(unit_name_is_for("app-open-sesame-my-app@7.service", "my-app"));
        assert_false(unit_name_is_service("app-sesame-my\\x2dapp-7.scope"));
        assert_false(unit_name_is_ours("foo@7.service"));

        /* Every length of ID still gives a name systemd takes. */
        char id[2000];
        for (size_t len = 150; len < sizeof(id) - 1; len += 37)
                for (UnitNameStyle style = 0; style < _UNIT_NAMES_MAX; style++) {
                        memset(id, style == UNIT_NAMES_XDG ? '-' : 'a', len);
                        id[len] = 0;
                        assert_int_equal(unit_name_for_service(style, id, 4294967295u, buf), 0);
                        assert_true(strlen(buf) <= UNIT_NAME_MAX);
                        assert_true(unit_name_is_for(buf, id));
                }

        char patterns[UNIT_NAME_PATTERNS][UNIT_NAME_PATTERN_MAX];
        assert_int_equal(unit_name_patterns("my-app", patterns), 0);
        assert_string_equal(patterns[0], "app-open-sesame-my-app-*.scope");
        assert_string_equal(patterns[1], "app-open-sesame-my-app-*.service");
        assert_string_equal(patterns[2], "app-sesame-my\\x2dapp-*.scope");
        assert_string_equal(patterns[3], "app-sesame-my\\x2dapp@*.service");
}

/* The ID a unit named as the desktop-integration specification says
 * carries: other launchers' (From= rules), and our xdg form. */
static void test_app_id(void **state) {
        (void) state;
        char id[256];
        static const struct {
                const char *unit, *id;
        } good[] = {
                { "app-gnome-org.gnome.Terminal-3456.scope", "org.gnome.Terminal" },
                { "app-org.example.Slack-12.scope", "org.example.Slack" },
                { "app-flatpak-com.slack.Slack-99281.scope", "com.slack.Slack" },
                { "app-sesame-foot-4711.scope", "foot" },
                { "app-sesame-my\\x2dapp-4711.scope", "my-app" },
                { "app-gnome-org.gnome.Evince@12345.service", "org.gnome.Evince" },
                { "app-kde-org.kde.konsole@a1b2.service", "org.kde.konsole" },
                { "app-org.gnome.Nautilus.service", "org.gnome.Nautilus" },
        };
        for (size_t i = 0; i < ELEMENTSOF(good); i++) {
                assert_int_equal(unit_name_app_id(good[i].unit, id, sizeof(id)), 0);
                assert_string_equal(id, good[i].id);
        }
        static const char *const bad[] = { "session-2.scope", "app.slice", "app-.scope", "app-4711.scope",
                                           "dbus.service", "app-foo-1.mount" };
        for (size_t i = 0; i < ELEMENTSOF(bad); i++)
                assert_int_equal(unit_name_app_id(bad[i], id, sizeof(id)), -EINVAL);
        assert_int_equal(unit_name_app_id("app-gnome-org.gnome.Terminal-3456.scope", id, 5), -EINVAL);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_sanitize),
                cmocka_unit_test(test_name),
                cmocka_unit_test(test_long_ids),
                cmocka_unit_test(test_xdg),
                cmocka_unit_test(test_service),
                cmocka_unit_test(test_app_id),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
