/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "common/macro.h"

/* NULL-terminated string vectors, as argv and envp are. */
size_t strv_length(char *const *l);
char **strv_copy(char *const *l);
char **strv_free(char **l);
bool strv_contains(char *const *l, const char *s);
/* Appends s, which the vector then owns (freed on failure too); *l may be
 * NULL. 0 or -ENOMEM. */
int strv_push(char ***l, char *s);
DEFINE_TRIVIAL_CLEANUP_FUNC(char **, strv_free);

/* Whether a vector of NAME=VALUE assignments gives NAME a value that is not
 * empty (the last one counts). */
bool strv_env_has(char *const *env, const char *name);

/* The strings with `separator` between them: a new string ("" for none),
 * or NULL when out of memory. */
char *strv_join(char *const *l, const char *separator);
