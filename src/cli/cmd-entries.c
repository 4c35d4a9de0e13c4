/* SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "common/log.h"
#include "common/strv.h"
#include "desktop/entries.h"
#include "ipc/proto.h"
#include "launcher/reply.h"

static void help(void) {
        printf("Usage: sesame entries [--json] [--actions] [--all] [--local]\n"
               "\n"
               "List the launchable desktop entries: ID and name, one per line, sorted\n"
               "by ID. When the launcher runs, these are its entries, the ones sesame\n"
               "launch resolves against; otherwise (or with --local) this command scans\n"
               "them itself. Entries come from $XDG_DATA_HOME/applications and each\n"
               "$XDG_DATA_DIRS/applications, the first file for an ID winning; hidden,\n"
               "Exec-less and non-Application entries, and those whose TryExec is\n"
               "missing, are left out, as GLib leaves them out; so are entries whose\n"
               "Exec program is not installed (listed with --all, marked; a launch\n"
               "still tries, and fails saying so). Files that cannot be used (a Name\n"
               "or Exec that is not UTF-8 text, say) are reported on stderr with file\n"
               "and line (by the launcher in its log).\n"
               "\n"
               "Options:\n"
               "      --json   an array of {\"id\",\"name\",\"generic_name\",\"comment\",\"icon\",\n"
               "               \"keywords\",\"categories\",\"terminal\",\"path\",\"exec\":[argv...],\n"
               "               \"exec_raw\",\"file\",\"no_display\",\"program_missing\",\n"
               "               \"actions\":[{\"id\",\"name\",\n"
               "               \"icon\"}]}: exec is the argv a launch with no arguments runs,\n"
               "               exec_raw the Exec value; names are localized by LC_MESSAGES\n"
               "               or LANG (the launcher's, when it answers)\n"
               "      --actions\n"
               "               after each entry, its desktop actions as\n"
               "               ID:ACTION<TAB>Name — Action name (sesame launch ID:ACTION)\n"
               "      --all    include the NoDisplay=true entries (launched by their exact ID\n"
               "               only), those that OnlyShowIn/NotShowIn hide from\n"
               "               $XDG_CURRENT_DESKTOP, and those whose program is not\n"
               "               installed (a third column says so)\n"
               "      --local  scan here, with this command's XDG directories, even when\n"
               "               the launcher runs\n"
               "  -h, --help   show this help\n");
}

static int print_entries(json_t *array, bool json, bool actions) {
        if (!json_is_array(array))
                return -EBADMSG;
        if (json) {
                int r = json_dumpf(array, stdout, JSON_INDENT(2));
                putchar('\n');
                return r < 0 ? -EIO : 0;
        }
        size_t i;
        json_t *o;
        json_array_foreach(array, i, o) {
                const char *id = json_string_value(json_object_get(o, "id"));
                const char *name = json_string_value(json_object_get(o, "name"));
                bool missing = json_is_true(json_object_get(o, "program_missing"));
                printf("%s\t%s%s\n", id, name, missing ? "\t(its program is not installed)" : "");
                size_t k;
                json_t *a;
                json_array_foreach(actions ? json_object_get(o, "actions") : NULL, k, a)
                        printf("%s:%s\t%s — %s\n", id, json_string_value(json_object_get(a, "id")), name,
                               json_string_value(json_object_get(a, "name")));
        }
        return 0;
}

/* Entries per page: about a megabyte of JSON, far from the 16 MiB a
 * message may hold whatever the entries say. */
#define ENTRIES_PAGE 2000
/* Listings begun again when the launcher rescanned between two pages. */
#define ENTRIES_TRIES 3

/* One listing, page by page, into *ret (an array): 0, -EAGAIN (the entries
 * were scanned again meanwhile: begin again), DAEMON_ABSENT or an exit
 * status. */
static int entries_listing(bool all, const char *desktop, json_t **ret) {
        json_t *listing = json_array();
        json_int_t generation = -1;
        int r = listing ? 0 : -ENOMEM;
        for (size_t offset = 0; r == 0;) {
                Request req = { .method = REQUEST_ENTRIES, .all = all, .desktop = (char *) desktop,
                                .offset = offset, .limit = ENTRIES_PAGE };
                _cleanup_free_ char *text = request_format(&req);
                json_t *reply = NULL;
                r = text ? call_daemon("sesame entries", text, &reply, true) : -ENOMEM;
                if (r != 0)
                        break;
                json_t *page = json_object_get(reply, "entries"), *next = json_object_get(reply, "next_offset");
                json_int_t g = json_integer_value(json_object_get(reply, "generation"));
                if (reply_error_name(reply))
                        r = call_error("sesame entries", reply);
                else if (!json_is_array(page))
                        r = -EBADMSG;
                else if (generation >= 0 && g != generation)
                        r = -EAGAIN;
                else if (json_array_extend(listing, page) < 0)
                        r = -ENOMEM;
                else if (json_is_integer(next) && json_integer_value(next) > (json_int_t) offset)
                        offset = (size_t) json_integer_value(next);
                else
                        offset = SIZE_MAX;
                generation = g;
                json_decref(reply);
                if (offset == SIZE_MAX)
                        break;
        }
        if (r < 0 && r != DAEMON_ABSENT && r != -EAGAIN) {
                fprintf(stderr, "sesame entries: %s\n", strerror(-r));
                r = 1;
        }
        if (r == 0)
                *ret = listing;
        else
                json_decref(listing);
        return r;
}

/* The launcher's entries, filtered for our desktop: 0, DAEMON_ABSENT, or an
 * exit status. Read in pages, so that any number of entries is listed. */
static int entries_from_daemon(bool all, const char *desktop, bool json, bool actions) {
        json_t *listing = NULL;
        int r = -EAGAIN;
        for (int try = 0; r == -EAGAIN && try < ENTRIES_TRIES; try++)
                r = entries_listing(all, desktop, &listing);
        if (r == -EAGAIN) {
                fprintf(stderr, "sesame entries: the launcher kept rescanning its entries while they were listed; "
                                "try again\n");
                return 1;
        }
        if (r != 0)
                return r;
        if ((r = print_entries(listing, json, actions)) < 0) {
                fprintf(stderr, "sesame entries: %s\n", strerror(-r));
                r = 1;
        }
        json_decref(listing);
        return r;
}

static int entries_local(bool all, const char *desktop, bool json, bool actions) {
        _cleanup_(strv_freep) char **dirs = xdg_data_dirs();
        _cleanup_(entry_cache_freep) EntryCache *cache = NULL;
        int r = dirs ? entry_cache_scan(dirs, entries_locale(), &cache) : -ENOMEM;
        json_t *page = r >= 0 ? entries_page(cache, all, desktop, 0, 0) : NULL;
        if (r >= 0 && !page)
                r = -ENOMEM;
        if (r >= 0)
                r = print_entries(json_object_get(page, "entries"), json, actions);
        json_decref(page);
        if (r < 0) {
                fprintf(stderr, "sesame entries: %s\n", strerror(-r));
                return 1;
        }
        return 0;
}

int cmd_entries(int argc, char *argv[]) {
        enum { ARG_JSON = 0x100, ARG_ALL, ARG_LOCAL, ARG_ACTIONS };
        static const struct option options[] = {
                { "json", no_argument, NULL, ARG_JSON },
                { "all", no_argument, NULL, ARG_ALL },
                { "local", no_argument, NULL, ARG_LOCAL },
                { "actions", no_argument, NULL, ARG_ACTIONS },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        bool json = false, all = false, local = false, actions = false;
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
                case ARG_ACTIONS:
                        actions = true;
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
        int r = local ? DAEMON_ABSENT : entries_from_daemon(all, desktop, json, actions);
        return r == DAEMON_ABSENT ? entries_local(all, desktop, json, actions) : r;
}
