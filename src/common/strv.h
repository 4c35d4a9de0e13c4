/* SPDX-License-Identifier: MIT */
#pragma once

#include <stddef.h>

#include "macro.h"

/* NULL-terminated string vectors, as argv and envp are. */
size_t strv_length(char *const *l);
char **strv_copy(char *const *l);
char **strv_free(char **l);
DEFINE_TRIVIAL_CLEANUP_FUNC(char **, strv_free);
