/* SPDX-License-Identifier: MIT */
/* bench-entries DATADIR...
 *
 * One cold scan of DATADIR/applications (a fresh process has no cache), as
 * `sesame entries` and the daemon do it. Prints one line:
 *   <ms> <heap bytes held by the cache> <rss growth bytes> <entries>
 * bench/entries.py runs it against GLib. */
#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "desktop/entries.h"
#include "stats.h"

static long rss_bytes(void) {
        long pages = 0, resident = 0;
        FILE *f = fopen("/proc/self/statm", "re");
        if (f) {
                if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
                        resident = 0;
                fclose(f);
        }
        return resident * sysconf(_SC_PAGESIZE);
}

int main(int argc, char *argv[]) {
        if (argc < 2) {
                fprintf(stderr, "usage: bench-entries DATADIR...\n");
                return 2;
        }
        struct mallinfo2 before = mallinfo2();
        long rss_before = rss_bytes();
        uint64_t start = now_ns();

        EntryCache *c = NULL;
        if (entry_cache_scan(argv + 1, "de_DE.UTF-8", &c) < 0)
                return 1;

        uint64_t elapsed = now_ns() - start;
        struct mallinfo2 after = mallinfo2();
        long rss_after = rss_bytes();
        size_t n = entry_cache_size(c);
        entry_cache_free(c);

        printf("%.3f %zu %ld %zu\n", (double) elapsed / 1e6, after.uordblks - before.uordblks, rss_after - rss_before,
               n);
        return 0;
}
