/* SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "entries.h"
#include "log.h"
#include "reply.h"
#include "strv.h"

static void help(void) {
        printf("Usage: sesame entries [--json] [--all]\n"
               "\n"
               "List the launchable desktop entries: ID and name, one per line, sorted\n"
               "by ID. Entries come from $XDG_DATA_HOME/applications and each\n"
               "$XDG_DATA_DIRS/applications, the first file for an ID winning; hidden,\n"
               "NoDisplay, Exec-less and non-Application entries, and those whose TryExec\n"
               "is missing, are left out. Files that cannot be used are reported on\n"
               "stderr with file and line.\n"
               "\n"
               "Options:\n"
               "      --json   an array of {\"id\",\"name\",\"exec\":[argv...],\"exec_raw\",\"file\"}:\n"
               "               exec is the argv that is run, exec_raw the Exec value\n"
               "      --all    include entries that OnlyShowIn/NotShowIn hide from\n"
               "               $XDG_CURRENT_DESKTOP\n"
               "  -h, --help   show this help\n");
}

static int print_json(const EntryCache *cache, bool all, const char *desktop) {
        json_t *array = entries_to_json(cache, all, desktop);
        if (!array)
                return -ENOMEM;
        int r = json_dumpf(array, stdout, JSON_INDENT(2));
        putchar('\n');
        json_decref(array);
        return r < 0 ? -EIO : 0;
}

int cmd_entries(int argc, char *argv[]) {
        enum { ARG_JSON = 0x100, ARG_ALL };
        static const struct option options[] = {
                { "json", no_argument, NULL, ARG_JSON },
                { "all", no_argument, NULL, ARG_ALL },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        bool json = false, all = false;
        int c;
        while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0) {
                switch (c) {
                case ARG_JSON:
                        json = true;
                        break;
                case ARG_ALL:
                        all = true;
                        break;
                case 'h':
                        help();
                        return 0;
                default:
                        fprintf(stderr, "sesame entries: see 'sesame entries --help'\n");
                        return EXIT_USAGE;
                }
        }
        if (optind < argc) {
                fprintf(stderr, "sesame entries: unexpected argument '%s'\n", argv[optind]);
                return EXIT_USAGE;
        }

        _cleanup_(strv_freep) char **dirs = xdg_data_dirs();
        _cleanup_(entry_cache_freep) EntryCache *cache = NULL;
        int r = dirs ? entry_cache_scan(dirs, entries_locale(), &cache) : -ENOMEM;
        if (r < 0) {
                fprintf(stderr, "sesame entries: %s\n", strerror(-r));
                return 1;
        }

        const char *desktop = getenv("XDG_CURRENT_DESKTOP");
        if (json)
                r = print_json(cache, all, desktop);
        else
                for (size_t i = 0; i < entry_cache_size(cache); i++) {
                        const DesktopEntry *d = entry_cache_at(cache, i);
                        if (all || desktop_entry_shown_in(d, desktop))
                                printf("%s\t%s\n", d->id, d->name);
                }
        if (r < 0) {
                fprintf(stderr, "sesame entries: %s\n", strerror(-r));
                return 1;
        }
        return 0;
}
