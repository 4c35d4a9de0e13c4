/* SPDX-License-Identifier: MIT */
#pragma once

#include <stddef.h>

/* Buffers for secret values: locked in memory (never swapped out, where the
 * limit allows), wiped before they are freed. */
void *secure_alloc(size_t size);
void secure_free(void *p, size_t size);
