/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

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

/* The canonical name of an alias (application/x-pdf -> application/pdf),
 * or the type itself; a new string. */
char *mime_type_unalias(const char *type);

/* Whether `name` is written as a MIME type: "media/subtype", one '/',
 * neither part empty, nothing a keyfile or a ';'-list would read otherwise
 * (blanks, '=', ';', '#'); with `glob`, fnmatch(3)'s brackets too. Inline:
 * the configuration checks its MimeType= with it, without the database. */
static inline bool mime_type_name_valid(const char *name, bool glob) {
        const char *slash = strchr(name, '/');
        return slash && slash != name && slash[1] && !strchr(slash + 1, '/') && !strpbrk(name, " \t\n=;#") &&
               (glob || !strpbrk(name, "[]"));
}

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
