/* SPDX-License-Identifier: MIT */
#pragma once

#include "error.h"

/* The Exec key of a desktop entry, after its string escapes are undone
 * (keyfile_unescape), to an argv:
 *   1. field codes %f %F %u %U %d %D %n %N %i %c %k %v %m are removed (the
 *      launcher passes no files or URLs), "%%" becomes "%", and the spaces a
 *      removed code leaves are collapsed; any other "%x" is an error;
 *   2. the result is split at unquoted spaces and tabs; a double-quoted part
 *      may hold spaces and the escapes \" \` \$ \\, and any other backslash
 *      in quotes is an error, as is an unterminated quote.
 * Never a shell: outside quotes every other character is itself. */
#define EXEC_MAX_ARGS 4096

int exec_remove_field_codes(const char *exec, char **ret, Error *e);
int exec_split(const char *command, char ***ret_argv, Error *e);
/* Both steps. */
int exec_to_argv(const char *exec, char ***ret_argv, Error *e);
