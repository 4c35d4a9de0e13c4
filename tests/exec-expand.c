/* SPDX-License-Identifier: MIT */
/* exec-expand DATA_DIR ID[:ACTION] [ARGS...]
 *
 * What sesame runs for the entry ID of DATA_DIR/applications with ARGS
 * (files or URLs), as JSON: one argv per instance. For the GLib peer test,
 * which puts it beside what GLib runs for the same entry and URIs. Relative
 * paths are taken from the current directory. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "desktop/entries.h"
#include "desktop/exec.h"

int main(int argc, char *argv[]) {
        if (argc < 3) {
                fprintf(stderr, "usage: exec-expand DATA_DIR ID [ARGS...]\n");
                return 2;
        }
        char *dirs[] = { argv[1], NULL };
        EntryCache *c = NULL;
        if (entry_cache_scan(dirs, getenv("LANG"), &c) < 0)
                return 1;
        const char *named_action = NULL;
        const DesktopEntry *d = entry_cache_lookup(c, argv[2], &named_action);
        const DesktopAction *action = named_action ? desktop_entry_action(d, named_action) : NULL;
        if (!d || (named_action && !action)) {
                fprintf(stderr, "exec-expand: no entry or action %s\n", argv[2]);
                return 1;
        }
        char *cwd = get_current_dir_name();
        ExecContext ctx = desktop_entry_exec_context(d, action, cwd);
        char ***argvs = NULL;
        Error e = {};
        if (exec_expand(action ? action->exec_words : d->exec_words, &ctx, argv + 3, &argvs, &e) < 0) {
                fprintf(stderr, "exec-expand: %s\n", error_message(&e));
                return 1;
        }
        json_t *out = json_array();
        for (char ***a = argvs; *a; a++) {
                json_t *one = json_array();
                for (char **w = *a; *w; w++)
                        json_array_append_new(one, json_string(*w));
                json_array_append_new(out, one);
        }
        json_dumpf(out, stdout, JSON_COMPACT);
        putchar('\n');
        json_decref(out);
        exec_argvs_free(argvs);
        entry_cache_free(c);
        free(cwd);
        return 0;
}
