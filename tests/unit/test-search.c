/* SPDX-License-Identifier: MIT */
/* The matcher (match_strings) and the ranking (search_run) over a small
 * set of entries written here; the fixture's table runs through the
 * daemon (tests/integration/test-search.sh). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/strv.h"
#include "search/search.h"

/* What match_strings says of a query and a text: its kind, score and
 * positions ("0,1,2"). */
typedef struct Got {
        MatchKind kind;
        double score;
        char positions[256];
} Got;

static Got got(const char *query, const char *text) {
        MatchResult r;
        assert_int_equal(match_strings(query, text, &r), 0);
        Got g = { .kind = r.kind, .score = r.score };
        for (size_t i = 0; i < r.n_positions; i++)
                snprintf(g.positions + strlen(g.positions), sizeof(g.positions) - strlen(g.positions), "%s%u",
                         i ? "," : "", r.positions[i]);
        match_result_done(&r);
        return g;
}

static MatchKind kind_of(const char *query, const char *text) {
        return got(query, text).kind;
}

static double score_of(const char *query, const char *text) {
        return got(query, text).score;
}

static void assert_positions(const char *query, const char *text, const char *expected) {
        Got g = got(query, text);
        if (strcmp(g.positions, expected) != 0)
                fail_msg("'%s' in '%s': positions %s, expected %s", query, text, g.positions, expected);
}

static void test_kinds(void **state) {
        assert_int_equal(kind_of("firefox", "Firefox"), MATCH_EXACT);
        assert_int_equal(kind_of("fire", "Firefox"), MATCH_PREFIX);
        assert_int_equal(kind_of("ffx", "Firefox"), MATCH_FUZZY);
        assert_int_equal(kind_of("xff", "Firefox"), MATCH_NONE);
        assert_int_equal(kind_of("", "Firefox"), MATCH_NONE);
        assert_int_equal(kind_of("fire", ""), MATCH_NONE);
        /* white space in a query: runs are one, the ends go */
        assert_int_equal(kind_of("  text   editor ", "Text Editor"), MATCH_EXACT);
}

static void test_case_and_accents(void **state) {
        assert_int_equal(kind_of("FIREFOX", "firefox"), MATCH_EXACT);
        assert_int_equal(kind_of("editeur", "Éditeur de texte"), MATCH_PREFIX);
        assert_int_equal(kind_of("éditeur", "Editeur"), MATCH_EXACT);
        assert_int_equal(kind_of("lodz", "Łódź"), MATCH_EXACT);
        assert_int_equal(kind_of("strasse", "STRASSE"), MATCH_EXACT);
        assert_int_equal(kind_of("москва", "МОСКВА"), MATCH_EXACT);
        /* a decomposed accent (e + U+0301) is passed over */
        assert_int_equal(kind_of("cafe", "Cafe\xcc\x81"), MATCH_EXACT);
        assert_int_equal(kind_of("cafe", "Café"), MATCH_EXACT);
}

static void test_typos(void **state) {
        assert_int_equal(kind_of("firwfox", "Firefox"), MATCH_TYPO); /* replaced */
        assert_int_equal(kind_of("fierfox", "Firefox"), MATCH_TYPO); /* swapped */
        assert_int_equal(kind_of("thunderbrid", "Thunderbird"), MATCH_TYPO);
        assert_int_equal(kind_of("frefox", "Firefox"), MATCH_FUZZY); /* a letter left out: in order still */
        assert_int_equal(kind_of("inkscpae", "Inkscape"), MATCH_TYPO);
        /* the start of a word inside the text */
        assert_int_equal(kind_of("wrtier", "LibreOffice Writer"), MATCH_TYPO);
        /* not for three letters, not for two typos, not a letter too many */
        assert_int_equal(kind_of("fxr", "Firefox"), MATCH_NONE);
        assert_int_equal(kind_of("fxrefox", "Firefox"), MATCH_TYPO);
        assert_int_equal(kind_of("fxrxfox", "Firefox"), MATCH_NONE);
        assert_int_equal(kind_of("firexfox", "Firefox"), MATCH_NONE);
        assert_true(score_of("firwfox", "Firefox") < score_of("ffx", "Firefox"));
}

static void test_scores(void **state) {
        /* word starts and runs count */
        assert_true(score_of("wri", "LibreOffice Writer") > score_of("ice", "LibreOffice Writer"));
        assert_true(score_of("lw", "LibreOffice Writer") > score_of("lr", "LibreOffice Writer"));
        assert_true(score_of("ter", "GNOME Terminal") > score_of("tml", "GNOME Terminal"));
        /* camelCase humps are word starts */
        assert_true(score_of("kp", "KeePassXC") > score_of("ka", "KeePassXC"));
        /* a perfect run at a word start scores 1 */
        assert_true(score_of("writer", "LibreOffice Writer") > 0.999);
        /* prefixes: the longer share of the name, the better */
        assert_true(score_of("fire", "Firefox") > score_of("fi", "Firefox"));
}

static void test_positions(void **state) {
        assert_positions("fire", "Firefox", "0,1,2,3");
        assert_positions("wri", "LibreOffice Writer", "12,13,14");
        /* the best alignment, not the first found: the word start */
        assert_positions("ox", "Box of oxen", "7,8");
        /* characters, not bytes */
        assert_positions("ed", "Éditeur", "0,1");
        assert_positions("dt", "Éditeur", "1,3");
        /* several words */
        assert_positions("lib wri", "LibreOffice Writer", "0,1,2,12,13,14");
        /* no positions for a typo */
        assert_positions("firwfox", "Firefox", "");
}

/* ---- the ranking, over entries written to a temporary directory */

static char dir[] = "/tmp/test-search.XXXXXX";

/* An entry, and an executable of its Exec's program in dir/bin (which
 * test_ranking puts first in PATH): an entry whose program is not
 * installed is never listed. */
static void write_entry(const char *id, const char *body) {
        char path[512];
        snprintf(path, sizeof(path), "%s/applications/%s.desktop", dir, id);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fprintf(f, "[Desktop Entry]\nType=Application\n%s", body);
        fclose(f);
        const char *exec = strstr(body, "Exec=") + strlen("Exec=");
        snprintf(path, sizeof(path), "%s/bin/%.*s", dir, (int) strcspn(exec, " \n"), exec);
        int fd = open(path, O_WRONLY | O_CREAT, 0755);
        assert_true(fd >= 0);
        close(fd);
}

static EntryCache *scan(void) {
        char *dirs[] = { dir, NULL };
        EntryCache *c = NULL;
        assert_int_equal(entry_cache_scan(dirs, NULL, &c), 0);
        return c;
}

static char *ranked(SearchIndex *idx, const char *query, size_t limit, bool actions) {
        SearchResult *r = NULL;
        size_t n = 0;
        SearchQuery q = { .query = query, .limit = limit, .actions = actions };
        assert_int_equal(search_run(idx, &q, &r, &n), 0);
        static char out[1024];
        out[0] = 0;
        for (size_t i = 0; i < n; i++)
                snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s%s%s", i ? " " : "", r[i].entry->id,
                         r[i].action ? ":" : "", r[i].action ? r[i].action->id : "");
        search_results_free(r, n);
        return out;
}

static void test_ranking(void **state) {
        assert_non_null(mkdtemp(dir));
        char apps[300];
        snprintf(apps, sizeof(apps), "%s/applications", dir);
        assert_int_equal(mkdir(apps, 0700), 0);
        char bin[300], path[4096];
        snprintf(bin, sizeof(bin), "%s/bin", dir);
        assert_int_equal(mkdir(bin, 0700), 0);
        snprintf(path, sizeof(path), "%s:%s", bin, getenv("PATH") ?: "/usr/bin:/bin");
        setenv("PATH", path, 1);
        write_entry("org.example.Fire", "Name=Fire\nExec=fire\n");
        write_entry("org.example.Firefox", "Name=Firefox\nGenericName=Web Browser\nExec=firefox %u\n"
                                           "Actions=private;\n[Desktop Action private]\nName=Private Window\n"
                                           "Exec=firefox --private\n");
        write_entry("org.example.Falcon", "Name=Falcon\nKeywords=fire;web;\nExec=falcon\n");
        write_entry("org.example.Hidden", "Name=Firewall\nExec=fw\nNoDisplay=true\n");
        write_entry("org.example.Kde", "Name=Fireworks\nExec=fw\nOnlyShowIn=KDE;\n");
        write_entry("org.example.Gimp", "Name=GNU Image Manipulation Program\nExec=gimp-2.10 %U\n");
        write_entry("org.example.Env", "Name=Wrapped\nExec=env FOO=1 wrappee\n");
        _cleanup_(entry_cache_freep) EntryCache *c = scan();
        _cleanup_(search_index_freep) SearchIndex *idx = NULL;
        assert_int_equal(search_index_new(&idx, c), 0);

        /* exact, then prefix, then a keyword; NoDisplay and OnlyShowIn=KDE
         * (no desktop given) never */
        assert_string_equal(ranked(idx, "fire", 0, false), "org.example.Fire org.example.Firefox org.example.Falcon");
        /* actions on request, as "Name — Action" */
        assert_string_equal(ranked(idx, "private", 0, false), "");
        assert_string_equal(ranked(idx, "private", 0, true), "org.example.Firefox:private");
        assert_string_equal(ranked(idx, "firefox priv", 0, true), "org.example.Firefox:private");
        /* the program, past env's assignments */
        assert_string_equal(ranked(idx, "gimp", 0, false), "org.example.Gimp");
        assert_string_equal(ranked(idx, "wrappee", 0, false), "org.example.Env");
        /* the limit */
        assert_string_equal(ranked(idx, "fire", 1, false), "org.example.Fire");
        /* no query: by name while unused */
        assert_string_equal(ranked(idx, "", 0, false),
                            "org.example.Falcon org.example.Fire org.example.Firefox org.example.Gimp org.example.Env");

        /* use reorders within a kind, never across kinds */
        search_index_set_use(idx, "org.example.Falcon", NULL, 5);
        assert_string_equal(ranked(idx, "fire", 0, false), "org.example.Fire org.example.Firefox org.example.Falcon");
        assert_string_equal(ranked(idx, "web", 0, false), "org.example.Falcon org.example.Firefox");
        assert_string_equal(ranked(idx, "", 1, false), "org.example.Falcon");
        search_index_set_use(idx, "org.example.Firefox", "private", 1);
        assert_string_equal(ranked(idx, "window", 0, true), "org.example.Firefox:private");
        search_index_set_use(idx, "org.example.Nothing", NULL, 3); /* not an entry: ignored */
        search_index_clear_use(idx);
        assert_string_equal(ranked(idx, "web", 0, false), "org.example.Firefox org.example.Falcon");

        char cmd[300];
        snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
        assert_int_equal(system(cmd), 0);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_kinds),     cmocka_unit_test(test_case_and_accents),
                cmocka_unit_test(test_typos),     cmocka_unit_test(test_scores),
                cmocka_unit_test(test_positions), cmocka_unit_test(test_ranking),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
