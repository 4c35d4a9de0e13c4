/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "common/error.h"

/* Types from the Shared MIME-info database ($XDG_DATA_DIRS/mime), read by
 * the freedesktop.org reference implementation (vendor/xdgmime, the copy
 * Debian's GIO embeds) and chosen as GIO chooses them, so that a file is of
 * the type `gio open` would give it. Not thread-safe: one thread calls. */

/* The type of a file as GIO's g_file_query_info() gives it
 * (standard::content-type): a directory, device, FIFO or socket is its
 * inode/ type, a broken link inode/symlink, an empty regular file
 * text/plain (never read: files in /proc look empty); any other file by its
 * name's globs (the heaviest, the longest) and, when they give none or
 * several, by the magic of its first bytes. `path` need not be UTF-8.
 * A new string; -ENOENT and the like (with a sentence naming the file)
 * when it cannot be stat()ed. */
int mime_type_of_file(const char *path, char **ret, Error *e);

/* The type of a name and, optionally, of data (NULL: none): g_content_type_guess(). */
char *mime_type_guess(const char *name, const void *data, size_t size, bool *ret_uncertain);

/* The canonical name of an alias (application/x-pdf -> application/pdf),
 * or the type itself; a new string. */
char *mime_type_unalias(const char *type);

/* The types a handler of `type` may be found for, in the order GIO looks:
 * the type unaliased, then its parents, theirs, ... breadth first, each
 * once (text/x-csrc -> text/plain -> application/octet-stream is not
 * implied: only what the database lists). A new NULL-terminated vector, or
 * NULL when out of memory. */
char **mime_type_fallbacks(const char *type);

/* The database unmapped until it is used again: a resident process that
 * reads it now and then (the launcher, loading the associations) does not
 * keep its pages. */
void mime_type_release(void);

/* Whether `type` is `parent` or derives from it (xdgmime's rules: the
 * listed sub-classes, text/ * under text/plain, every non-inode type under
 * application/octet-stream). */
bool mime_type_is_a(const char *type, const char *parent);
