/* SPDX-License-Identifier: MIT */
#pragma once

#include <stddef.h>
#include <string.h>

/* explicit_bzero() is the one wipe the compiler may not elide as a dead
 * store; every wipe of secret-bearing memory in the project goes through here. */
static inline void wipe(void *p, size_t n) {
        if (p && n > 0)
                explicit_bzero(p, n);
}

static inline void wipe_string(char *s) {
        if (s)
                wipe(s, strlen(s));
}
