/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <sys/mman.h>

#include "secure.h"
#include "wipe.h"

void *secure_alloc(size_t size) {
        void *p = calloc(1, size ? size : 1);
        if (p)
                /* Best effort: RLIMIT_MEMLOCK may be small; a failure here must
                 * not fail the launch. */
                (void) mlock(p, size ? size : 1);
        return p;
}

void secure_free(void *p, size_t size) {
        if (!p)
                return;
        wipe(p, size);
        (void) munlock(p, size ? size : 1);
        free(p);
}
