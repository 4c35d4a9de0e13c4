/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdint.h>
#include <stdlib.h>
#include <time.h>

static inline uint64_t now_ns(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * 1000000000ULL + (uint64_t) ts.tv_nsec;
}

static inline int cmp_u64(const void *a, const void *b) {
        uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;
        return x < y ? -1 : x > y;
}

/* Sorts in place; the p-th percentile (0..100). */
static inline double percentile_ms(uint64_t *v, size_t n, unsigned p) {
        qsort(v, n, sizeof(*v), cmp_u64);
        size_t i = (n - 1) * p / 100;
        return (double) v[i] / 1e6;
}
