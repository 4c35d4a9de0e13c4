/* SPDX-License-Identifier: MIT */
#pragma once

#include <stddef.h>

/* Buffers for secret values: pages of their own, zeroed, locked in memory
 * (never swapped out, where RLIMIT_MEMLOCK allows), left out of core
 * dumps, and wiped before they are unmapped. `size` must be the same in
 * both calls. */
void *secure_alloc(size_t size);
void secure_free(void *p, size_t size);
