/* SPDX-License-Identifier: MIT */
#include <malloc.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/strv.h"
#include "desktop/entries.h"
#include "desktop/mimeapps.h"
#include "helpers.h"

static char *dirs[] = { FIXTURES "/entries/home", FIXTURES "/entries/system", NULL };

static EntryCache *scan(const char *locale) {
        EntryCache *c = NULL;
        assert_int_equal(entry_cache_scan(dirs, locale, &c), 0);
        return c;
}

static const DesktopEntry *find(const EntryCache *c, const char *id) {
        for (size_t i = 0; i < entry_cache_size(c); i++)
                if (strcmp(entry_cache_at(c, i)->id, id) == 0)
                        return entry_cache_at(c, i);
        return NULL;
}

/* A list as one ';'-joined string, for comparing. */
static void assert_list(char **l, const char *expected) {
        char buf[256] = "";
        for (char **i = l; i && *i; i++) {
                if (i != l)
                        strcat(buf, ";");
                strcat(buf, *i);
        }
        assert_string_equal(buf, expected);
}

static void assert_argv(char **argv, const char *const *expected) {
        size_t n = 0;
        for (; expected[n]; n++) {
                assert_non_null(argv[n]);
                assert_string_equal(argv[n], expected[n]);
        }
        assert_null(argv[n]);
}

static void test_ids_and_filtering(void **state) {
        (void) state;
        _cleanup_(entry_cache_freep) EntryCache *c = scan("C");

        const char *present[] = {
                "kde4-konsole", "org.example.Shadowed", "org.example.TryExecFound", "org.example.Localized",
                "org.example.FieldCodes", "org.example.Quoting", "org.example.Duplicate", "org.example.Bom",
                "org.example.Crlf", "org.example.Terminal", "org.example.OnlyGnome", "org.example.NotKde",
                "org.example.Whitespace", "Alacritty", "org.mozilla.firefox", "org.example.NoDisplay",
                "org.example.BadOptional", "org.example.BadEscape", "org.example.Viewer", "org.example.Browser",
                "org.example.Editor", "org.example.SingleQuotes", "org.example.Actions",
                "org.example.Uninstalled", "org.example.NoFuse",
        };
        const char *absent[] = {
                "org.example.Masked",     "org.example.BadName",      "org.example.NoExec", "org.example.BadExec",
                "org.example.Link",       "org.example.TryExecMissing", "org.example.Unterminated",
                "org.example.UnknownCode",  "org.example.Broken",
                "README",
        };
        for (size_t i = 0; i < ELEMENTSOF(present); i++)
                if (!find(c, present[i]))
                        fail_msg("%s missing", present[i]);
        for (size_t i = 0; i < ELEMENTSOF(absent); i++)
                if (find(c, absent[i]))
                        fail_msg("%s listed", absent[i]);
        assert_int_equal(entry_cache_size(c), ELEMENTSOF(present));

        /* Kept, and marked: a listing leaves it out, a launch by ID tries. */
        assert_true(find(c, "org.example.Uninstalled")->program_missing);
        assert_false(desktop_entry_listed(find(c, "org.example.Uninstalled"), NULL));
        assert_false(find(c, "org.example.Browser")->program_missing);
        assert_true(desktop_entry_listed(find(c, "org.example.Browser"), NULL));
        assert_true(find(c, "org.example.NoFuse")->no_fuse);
        assert_false(find(c, "org.example.Browser")->no_fuse);

        /* Sorted by ID. */
        for (size_t i = 1; i < entry_cache_size(c); i++)
                assert_true(strcmp(entry_cache_at(c, i - 1)->id, entry_cache_at(c, i)->id) < 0);

        /* The higher-precedence directory wins. */
        const DesktopEntry *d = find(c, "org.example.Shadowed");
        assert_string_equal(d->name, "Shadowed (home)");
        assert_non_null(strstr(d->file, "/home/applications/"));
}

/* Keys the specification types as strings are UTF-8: an entry whose Name
 * or Exec is not is skipped (above); optional keys that are not are
 * dropped, the entry kept. */
static void test_not_utf8(void **state) {
        (void) state;
        _cleanup_(entry_cache_freep) EntryCache *c = scan("C");
        const DesktopEntry *d = find(c, "org.example.BadOptional");
        assert_non_null(d);
        assert_string_equal(d->name, "Optional keys that are not UTF-8");
        assert_null(d->generic_name);
        assert_null(d->icon);
        assert_list(d->keywords, "ok");
}

/* NoDisplay=true: in the index, launchable by its exact ID (and with
 * .desktop), never by the looser steps that stand for a name a person
 * typed. */
static void test_no_display(void **state) {
        (void) state;
        _cleanup_(entry_cache_freep) EntryCache *c = scan("C");
        const DesktopEntry *d = find(c, "org.example.NoDisplay");
        assert_non_null(d);
        assert_true(d->no_display);
        assert_false(find(c, "org.mozilla.firefox")->no_display);
        assert_ptr_equal(entry_cache_resolve(c, "org.example.NoDisplay"), d);
        assert_ptr_equal(entry_cache_resolve(c, "org.example.NoDisplay.desktop"), d);
        assert_null(entry_cache_resolve(c, "NoDisplay"));
        assert_null(entry_cache_resolve(c, "nodisplay"));
        assert_null(entry_cache_resolve(c, "org.example.nodisplay"));
}

static void test_fields(void **state) {
        (void) state;
        _cleanup_(entry_cache_freep) EntryCache *c = scan("C");

        const DesktopEntry *d = find(c, "org.example.FieldCodes");
        /* With no files: %f %F %u %U and the deprecated codes go, %c is the
         * name, %k the file, %i nothing (no Icon). */
        assert_argv(d->argv, (const char *[]){ "sh", "Field codes",
                                               FIXTURES "/entries/system/applications/org.example.FieldCodes.desktop",
                                               "-c", "exit 0", "--percent=100%", NULL });

        /* Single quotes, as GLib takes them. */
        assert_argv(find(c, "org.example.SingleQuotes")->argv,
                    (const char *[]){ "sh", "-c", "echo \"$0\" hi there", "sq", NULL });
        assert_argv(find(c, "org.example.Viewer")->argv,
                    (const char *[]){ "true", "--title=Viewer", "--icon", "org.example.Viewer", NULL });

        d = find(c, "org.example.Quoting");
        assert_argv(d->argv, (const char *[]){ "printf", "%s|", "two words", "a \"quote\"", "dollar $HOME",
                                               "back\\slash", "tick `x`", "plain", "tab", NULL });

        d = find(c, "org.example.Duplicate");
        assert_string_equal(d->name, "Second");
        assert_string_equal(d->exec, "true second");

        assert_string_equal(find(c, "org.example.Bom")->name, "BOM and CRLF");
        assert_argv(find(c, "org.example.Crlf")->argv, (const char *[]){ "true", "crlf", NULL });

        d = find(c, "org.example.Terminal");
        assert_true(d->terminal);
        assert_string_equal(d->path, "/tmp");
        assert_false(find(c, "org.example.Crlf")->terminal);

        d = find(c, "org.example.Whitespace");
        assert_string_equal(d->name, "Spaced out  ");
        assert_argv(d->argv, (const char *[]){ "true", "spaced", NULL });

        d = find(c, "kde4-konsole");
        assert_list(d->categories, "System;TerminalEmulator");
        assert_null(d->keywords);
}

static void test_localized(void **state) {
        (void) state;
        _cleanup_(entry_cache_freep) EntryCache *at = scan("de_AT.UTF-8");
        const DesktopEntry *d = find(at, "org.example.Localized");
        assert_string_equal(d->name, "Österreichisch");
        assert_string_equal(d->generic_name, "Betrachter");
        assert_list(d->keywords, "ansehen");
        assert_list(d->categories, "Graphics;Viewer");
        assert_string_equal(d->icon, "org.example.Localized");

        _cleanup_(entry_cache_freep) EntryCache *de = scan("de_DE.UTF-8");
        assert_string_equal(find(de, "org.example.Localized")->name, "Deutsch");
        _cleanup_(entry_cache_freep) EntryCache *sr = scan("sr_RS@latin");
        assert_string_equal(find(sr, "org.example.Localized")->name, "Latinica");
        _cleanup_(entry_cache_freep) EntryCache *fr = scan("fr_FR.UTF-8");
        d = find(fr, "org.example.Localized");
        assert_string_equal(d->name, "Default");
        assert_string_equal(d->generic_name, "Viewer");
        assert_list(d->keywords, "view;look");
        assert_list(d->categories, "Graphics;Viewer");
}

/* Actions= names the actions, in its order, each from its [Desktop Action
 * ID] group: a group it does not list is ignored, a listed one without a
 * group or an Exec is left out, a malformed Exec drops the action and
 * keeps the entry, a repeated ID counts once. */
static void test_actions(void **state) {
        (void) state;
        _cleanup_(entry_cache_freep) EntryCache *c = scan("de_DE.UTF-8");
        const DesktopEntry *d = find(c, "org.example.Actions");
        assert_non_null(d);
        assert_int_equal(d->n_actions, 2);
        assert_string_equal(d->actions[0].id, "new-window");
        assert_string_equal(d->actions[0].name, "Neues Fenster");
        assert_null(d->actions[0].icon);
        assert_argv(d->actions[0].exec_words, (const char *[]){ "true", "--new-window", "%u", NULL });
        assert_string_equal(d->actions[1].id, "private");
        assert_string_equal(d->actions[1].name, "Private Window");
        assert_string_equal(d->actions[1].icon, "org.example.Private");
        assert_ptr_equal(desktop_entry_action(d, "private"), &d->actions[1]);
        assert_null(desktop_entry_action(d, "unlisted"));
        assert_null(desktop_entry_action(d, "no-exec"));
        assert_null(desktop_entry_action(d, "bad-exec"));
        assert_null(desktop_entry_action(d, "no-group"));
        assert_int_equal(find(c, "org.mozilla.firefox")->n_actions, 0);

        _cleanup_(entry_cache_freep) EntryCache *en = scan("C");
        assert_string_equal(find(en, "org.example.Actions")->actions[0].name, "New Window");
}

static void test_resolution(void **state) {
        (void) state;
        _cleanup_(entry_cache_freep) EntryCache *c = scan("C");

        assert_string_equal(entry_cache_resolve(c, "org.mozilla.firefox")->id, "org.mozilla.firefox");
        assert_string_equal(entry_cache_resolve(c, "org.mozilla.firefox.desktop")->id, "org.mozilla.firefox");
        /* 2: the last dot-separated segment, case-insensitively */
        assert_string_equal(entry_cache_resolve(c, "firefox")->id, "org.mozilla.firefox");
        assert_string_equal(entry_cache_resolve(c, "FireFox.desktop")->id, "org.mozilla.firefox");
        /* 3: the whole ID, case-insensitively */
        assert_string_equal(entry_cache_resolve(c, "alacritty")->id, "Alacritty");
        assert_string_equal(entry_cache_resolve(c, "ORG.EXAMPLE.QUOTING")->id, "org.example.Quoting");
        assert_string_equal(entry_cache_resolve(c, "kde4-konsole")->id, "kde4-konsole");

        assert_null(entry_cache_resolve(c, "konsole"));
        assert_null(entry_cache_resolve(c, "nothing"));
        assert_null(entry_cache_resolve(c, ""));
        assert_null(entry_cache_resolve(c, ".desktop"));
        /* Hidden entries cannot be launched by ID either. */
        assert_null(entry_cache_resolve(c, "org.example.Masked"));
}

static void test_order_of_strategies(void **state) {
        (void) state;
        char base[256];
        tmp_template(base, sizeof(base), "sesame-order");
        assert_non_null(mkdtemp(base));
        char apps[512], file[600];
        snprintf(apps, sizeof(apps), "%s/applications", base);
        assert_int_equal(mkdir(apps, 0755), 0);
        /* "Foo" (whole ID) and "org.x.foo" (segment) both answer "foo": the
         * segment rule comes first. An exact match beats both. */
        const char *ids[] = { "Foo", "org.x.foo", "FOO.bar" };
        for (size_t i = 0; i < ELEMENTSOF(ids); i++) {
                snprintf(file, sizeof(file), "%s/%s.desktop", apps, ids[i]);
                FILE *f = fopen(file, "we");
                assert_non_null(f);
                fputs("[Desktop Entry]\nType=Application\nName=X\nExec=true\n", f);
                fclose(f);
        }
        char *d[] = { base, NULL };
        _cleanup_(entry_cache_freep) EntryCache *c = NULL;
        assert_int_equal(entry_cache_scan(d, NULL, &c), 0);
        assert_string_equal(entry_cache_resolve(c, "foo")->id, "org.x.foo");
        assert_string_equal(entry_cache_resolve(c, "Foo")->id, "Foo");
        assert_string_equal(entry_cache_resolve(c, "foo.bar")->id, "FOO.bar");

        for (size_t i = 0; i < ELEMENTSOF(ids); i++) {
                snprintf(file, sizeof(file), "%s/%s.desktop", apps, ids[i]);
                unlink(file);
        }
        rmdir(apps);
        rmdir(base);
}

static void test_shown_in(void **state) {
        (void) state;
        _cleanup_(entry_cache_freep) EntryCache *c = scan("C");
        const DesktopEntry *gnome = find(c, "org.example.OnlyGnome"), *notkde = find(c, "org.example.NotKde");
        assert_true(desktop_entry_shown_in(gnome, "GNOME"));
        assert_true(desktop_entry_shown_in(gnome, "ubuntu:GNOME"));
        assert_false(desktop_entry_shown_in(gnome, "KDE"));
        assert_false(desktop_entry_shown_in(gnome, NULL));
        assert_true(desktop_entry_shown_in(notkde, "GNOME"));
        assert_false(desktop_entry_shown_in(notkde, "KDE"));
        assert_true(desktop_entry_shown_in(notkde, NULL));
        assert_true(desktop_entry_shown_in(find(c, "Alacritty"), "KDE"));
}

static void test_data_dirs(void **state) {
        (void) state;
        setenv("HOME", "/home/u", 1);
        unsetenv("XDG_DATA_HOME");
        unsetenv("XDG_DATA_DIRS");
        _cleanup_(strv_freep) char **d = xdg_data_dirs();
        assert_int_equal(strv_length(d), 3);
        assert_string_equal(d[0], "/home/u/.local/share");
        assert_string_equal(d[1], "/usr/local/share");
        assert_string_equal(d[2], "/usr/share");

        setenv("XDG_DATA_HOME", "relative/ignored", 1);
        setenv("XDG_DATA_DIRS", "/a::relative:/b/", 1);
        _cleanup_(strv_freep) char **e = xdg_data_dirs();
        assert_int_equal(strv_length(e), 3);
        assert_string_equal(e[0], "/home/u/.local/share");
        assert_string_equal(e[1], "/a");
        assert_string_equal(e[2], "/b/");

        setenv("LANG", "de_DE.UTF-8", 1);
        setenv("LC_MESSAGES", "fr_FR.UTF-8", 1);
        unsetenv("LC_ALL");
        assert_string_equal(entries_locale(), "fr_FR.UTF-8");
        setenv("LC_ALL", "", 1);
        assert_string_equal(entries_locale(), "fr_FR.UTF-8");
}

/* Rebuilding the cache, as the daemon does on every change, holds the same
 * memory each time: nothing accumulates (and LSan, in CI, sees no leak). */
static void test_rebuild_2000(void **state) {
        (void) state;
        char base[256], apps[512], file[600];
        tmp_template(base, sizeof(base), "sesame-many");
        assert_non_null(mkdtemp(base));
        snprintf(apps, sizeof(apps), "%s/applications", base);
        assert_int_equal(mkdir(apps, 0755), 0);
        for (int i = 0; i < 2000; i++) {
                snprintf(file, sizeof(file), "%s/org.example.App%d.desktop", apps, i);
                FILE *f = fopen(file, "we");
                assert_non_null(f);
                fprintf(f, "[Desktop Entry]\nType=Application\nName=App %d\nName[de]=Anw %d\nExec=true %d %%U\n"
                           "Keywords=a;b;\nCategories=Utility;\n", i, i, i);
                fclose(f);
        }
        char *d[] = { base, NULL };

        size_t held[3];
        for (int round = 0; round < 3; round++) {
                struct mallinfo2 before = mallinfo2();
                _cleanup_(entry_cache_freep) EntryCache *c = NULL;
                assert_int_equal(entry_cache_scan(d, "de_DE.UTF-8", &c), 0);
                assert_int_equal(entry_cache_size(c), 2000);
                held[round] = mallinfo2().uordblks - before.uordblks;
                /* The budget: at most 1 MiB per 1000 entries. */
                assert_true(held[round] <= 2 * 1024 * 1024);
        }
        assert_true(held[2] <= held[1] + held[1] / 20);

        for (int i = 0; i < 2000; i++) {
                snprintf(file, sizeof(file), "%s/org.example.App%d.desktop", apps, i);
                unlink(file);
        }
        rmdir(apps);
        rmdir(base);
}

/* --set-default's edit of a mimeapps.list: one key of one group, every
 * other line as it was. */
static void test_mimeapps_edit(void **state) {
        (void) state;
        static const struct {
                const char *text, *value, *want;
        } cases[] = {
                /* a key replaced in place, the comment and the other group kept */
                { "# mine\n[Default Applications]\ntext/html=a.desktop;\nimage/png=b.desktop;\n\n[Added Associations]\n"
                  "text/html=c.desktop;\n",
                  "s.desktop;a.desktop;",
                  "# mine\n[Default Applications]\ntext/html=s.desktop;a.desktop;\nimage/png=b.desktop;\n\n"
                  "[Added Associations]\ntext/html=c.desktop;\n" },
                /* a key added to its group, before the next one */
                { "[Default Applications]\nimage/png=b.desktop;\n[Added Associations]\nx/y=z.desktop;\n", "s.desktop;",
                  "[Default Applications]\nimage/png=b.desktop;\ntext/html=s.desktop;\n[Added Associations]\n"
                  "x/y=z.desktop;\n" },
                /* the group added when there is none; a file without a last newline */
                { "[Added Associations]\nx/y=z.desktop;", "s.desktop;",
                  "[Added Associations]\nx/y=z.desktop;\n\n[Default Applications]\ntext/html=s.desktop;\n" },
                { "", "s.desktop;", "[Default Applications]\ntext/html=s.desktop;\n" },
                /* removed: the line goes, nothing else; the same key in another group stays */
                { "[Added Associations]\ntext/html=c.desktop;\n[Default Applications]\ntext/html = s.desktop;\n", NULL,
                  "[Added Associations]\ntext/html=c.desktop;\n[Default Applications]\n" },
                /* a longer key that starts the same is another key */
                { "[Default Applications]\ntext/html2=x.desktop;\n", NULL, "[Default Applications]\ntext/html2=x.desktop;\n" },
        };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                char *out = NULL;
                assert_int_equal(mimeapps_edit(cases[i].text, "Default Applications", "text/html", cases[i].value, &out), 0);
                if (strcmp(out, cases[i].want) != 0)
                        fail_msg("case %zu: got\n%s\nwanted\n%s", i, out, cases[i].want);
                free(out);
        }
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_ids_and_filtering), cmocka_unit_test(test_fields),
                cmocka_unit_test(test_not_utf8),          cmocka_unit_test(test_no_display),
                cmocka_unit_test(test_localized),         cmocka_unit_test(test_resolution),
                cmocka_unit_test(test_actions),
                cmocka_unit_test(test_order_of_strategies), cmocka_unit_test(test_shown_in),
                cmocka_unit_test(test_data_dirs),         cmocka_unit_test(test_rebuild_2000),
                cmocka_unit_test(test_mimeapps_edit),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
