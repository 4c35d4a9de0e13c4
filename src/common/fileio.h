/* SPDX-License-Identifier: MIT */
#pragma once

#include <sys/types.h>

#include "error.h"

/* Replaces `path` with `text` so that a crash leaves either the old file or
 * the new one: a temporary file beside it (created 0600, then given
 * `mode`), fsync, rename, fsync of the directory. */
int write_file_atomic(const char *path, const char *text, mode_t mode, Error *e);
