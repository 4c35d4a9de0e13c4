/* SPDX-License-Identifier: MIT */
/* libFuzzer: the entry cache over a directory made of the input: records
 * separated by 0x1e become desktop files (every other one in a
 * subdirectory, so its ID has a prefix). Whatever they hold, the scan
 * finishes, every entry resolves to itself by its ID and its file, every
 * action by its ID, and the list a client gets can be made (every text
 * UTF-8). */
#include <errno.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "desktop/entries.h"
#include "launcher/reply.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_FILES 8

static char root[64], apps[128], sub[160];

static void remove_tree(void) {
        for (int i = 0; i < MAX_FILES; i++) {
                char path[256];
                snprintf(path, sizeof(path), "%s/e%d.desktop", i % 2 ? sub : apps, i);
                unlink(path);
        }
        rmdir(sub);
        rmdir(apps);
        rmdir(root);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        if (!root[0]) {
                snprintf(root, sizeof(root), "/tmp/fuzz-entries.%d", (int) getpid());
                snprintf(apps, sizeof(apps), "%s/applications", root);
                snprintf(sub, sizeof(sub), "%s/vendor", apps);
                if ((mkdir(root, 0700) < 0 && errno != EEXIST) || (mkdir(apps, 0700) < 0 && errno != EEXIST) ||
                    (mkdir(sub, 0700) < 0 && errno != EEXIST))
                        abort();
                atexit(remove_tree);
        }
        for (int i = 0; i < MAX_FILES; i++) {
                char path[256];
                snprintf(path, sizeof(path), "%s/e%d.desktop", i % 2 ? sub : apps, i);
                unlink(path);
        }
        const uint8_t *p = data, *end = data + size;
        for (int i = 0; i < MAX_FILES && p <= end; i++) {
                const uint8_t *sep = memchr(p, 0x1e, (size_t) (end - p));
                const uint8_t *stop = sep ? sep : end;
                char path[256];
                snprintf(path, sizeof(path), "%s/e%d.desktop", i % 2 ? sub : apps, i);
                FILE *f = fopen(path, "we");
                if (!f || fwrite(p, 1, (size_t) (stop - p), f) != (size_t) (stop - p))
                        abort();
                fclose(f);
                if (!sep)
                        break;
                p = sep + 1;
        }

        char *dirs[] = { root, NULL };
        EntryCache *c = NULL;
        if (entry_cache_scan(dirs, "de_AT.UTF-8", &c) < 0)
                abort();
        for (size_t i = 0; i < entry_cache_size(c); i++) {
                const DesktopEntry *d = entry_cache_at(c, i);
                if (entry_cache_resolve(c, d->id) != d || !d->argv || !d->argv[0])
                        abort();
                /* Found by its file; each action by its ID; the one whose
                 * Exec an argv is, if any, is an entry of the index. */
                if (entry_cache_find_file(c, d->file) != d)
                        abort();
                for (size_t k = 0; k < d->n_actions; k++)
                        if (desktop_entry_action(d, d->actions[k].id) != &d->actions[k] ||
                            !d->actions[k].exec_words[0])
                                abort();
                const DesktopEntry *m = entry_cache_match_exec(c, d->argv, NULL);
                if (m && entry_cache_resolve(c, m->id) != m)
                        abort();
        }
        json_t *all = entries_page(c, true, NULL, 0, 0);
        if (!all)
                abort();
        char *text = json_dumps(all, JSON_COMPACT);
        if (!text)
                abort();
        free(text);
        json_decref(all);
        entry_cache_free(c);
        return 0;
}
