/* SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "entries.h"
#include "log.h"
#include "proto.h"
#include "reply.h"
#include "strv.h"

static void help(void) {
        printf("Usage: sesame entries [--json] [--all] [--local]\n"
               "\n"
               "List the launchable desktop entries: ID and name, one per line, sorted\n"
               "by ID. When the launcher runs, these are its entries, the ones sesame\n"
               "launch resolves against; otherwise (or with --local) this command scans\n"
               "them itself. Entries come from $XDG_DATA_HOME/applications and each\n"
               "$XDG_DATA_DIRS/applications, the first file for an ID winning; hidden,\n"
               "Exec-less and non-Application entries, and those whose TryExec is\n"
               "missing, are left out. Files that cannot be used (a Name or Exec that is\n"
               "not UTF-8 text, say) are reported on stderr with file and line (by the\n"
               "launcher in its log).\n"
               "\n"
               "Options:\n"
               "      --json   an array of {\"id\",\"name\",\"exec\":[argv...],\"exec_raw\",\"file\",\n"
               "               \"no_display\"}: exec is the argv a launch with no arguments\n"
               "               runs, exec_raw the Exec value\n"
               "      --all    include the NoDisplay=true entries (launched by their exact ID\n"
               "               only) and those that OnlyShowIn/NotShowIn hide from\n"
               "               $XDG_CURRENT_DESKTOP\n"
               "      --local  scan here, with this command's XDG directories, even when\n"
               "               the launcher runs\n"
               "  -h, --help   show this help\n");
}

static int print_entries(json_t *array, bool json) {
        if (!json_is_array(array))
                return -EBADMSG;
        if (json) {
                int r = json_dumpf(array, stdout, JSON_INDENT(2));
                putchar('\n');
                return r < 0 ? -EIO : 0;
        }
        size_t i;
        json_t *o;
        json_array_foreach(array, i, o) printf("%s\t%s\n", json_string_value(json_object_get(o, "id")),
                                               json_string_value(json_object_get(o, "name")));
        return 0;
}

/* The launcher's entries, filtered for our desktop: 0, DAEMON_ABSENT, or an
 * exit status. */
static int entries_from_daemon(bool all, const char *desktop, bool json) {
        Request req = { .method = REQUEST_ENTRIES, .all = all, .desktop = (char *) desktop };
        _cleanup_free_ char *text = request_format(&req);
        if (!text) {
                fprintf(stderr, "sesame entries: out of memory\n");
                return 1;
        }
        json_t *reply = NULL;
        int r = call_daemon("sesame entries", text, &reply, true);
        if (r != 0)
                return r;
        const char *error = json_string_value(json_object_get(reply, "error"));
        if (error)
                fprintf(stderr, "sesame entries: the launcher answered %s\n", error);
        else if ((r = print_entries(json_object_get(reply, "entries"), json)) < 0)
                fprintf(stderr, "sesame entries: %s\n", strerror(-r));
        json_decref(reply);
        return error || r < 0 ? 1 : 0;
}

static int entries_local(bool all, const char *desktop, bool json) {
        _cleanup_(strv_freep) char **dirs = xdg_data_dirs();
        _cleanup_(entry_cache_freep) EntryCache *cache = NULL;
        int r = dirs ? entry_cache_scan(dirs, entries_locale(), &cache) : -ENOMEM;
        json_t *array = r >= 0 ? entries_to_json(cache, all, desktop) : NULL;
        if (r >= 0 && !array)
                r = -ENOMEM;
        if (r >= 0)
                r = print_entries(array, json);
        json_decref(array);
        if (r < 0) {
                fprintf(stderr, "sesame entries: %s\n", strerror(-r));
                return 1;
        }
        return 0;
}

int cmd_entries(int argc, char *argv[]) {
        enum { ARG_JSON = 0x100, ARG_ALL, ARG_LOCAL };
        static const struct option options[] = {
                { "json", no_argument, NULL, ARG_JSON },
                { "all", no_argument, NULL, ARG_ALL },
                { "local", no_argument, NULL, ARG_LOCAL },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        bool json = false, all = false, local = false;
        int c;
        while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0) {
                switch (c) {
                case ARG_JSON:
                        json = true;
                        break;
                case ARG_ALL:
                        all = true;
                        break;
                case ARG_LOCAL:
                        local = true;
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

        const char *desktop = getenv("XDG_CURRENT_DESKTOP");
        int r = local ? DAEMON_ABSENT : entries_from_daemon(all, desktop, json);
        return r == DAEMON_ABSENT ? entries_local(all, desktop, json) : r;
}
