/* SPDX-License-Identifier: MIT */
#include <sys/mman.h>
#include <unistd.h>

#include "common/secure.h"
#include "common/wipe.h"

/* Whole pages of their own: mlock() and munlock() work on pages, and a
 * buffer that shared a page with another could be unlocked (or swapped
 * out) while the other still held a secret. */
static size_t pages(size_t size) {
        size_t page = (size_t) sysconf(_SC_PAGESIZE);
        return ((size ? size : 1) + page - 1) / page * page;
}

void *secure_alloc(size_t size) {
        size_t len = pages(size);
        void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
                return NULL;
        /* Never in a core dump; and locked where RLIMIT_MEMLOCK allows (a
         * failure must not fail the launch). */
        (void) madvise(p, len, MADV_DONTDUMP);
        (void) mlock(p, len);
        return p;
}

void secure_free(void *p, size_t size) {
        if (!p)
                return;
        size_t len = pages(size);
        wipe(p, len);
        (void) munlock(p, len);
        (void) munmap(p, len);
}
