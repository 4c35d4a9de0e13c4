/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "common/error.h"

/* The one parser of the keyfile syntax shared by desktop entries and the
 * configuration: [Group] headers, Key=Value and Key[locale]=Value lines,
 * '#' comments, blank lines; a UTF-8 BOM and CRLF line ends are accepted.
 * It works as GLib's GKeyFile does where the specification leaves room
 * (checked by the peer test against Gio): leading whitespace of lines and
 * values is dropped, trailing whitespace of values kept; a repeated key is
 * kept as a second entry (lookups take the last); a repeated group continues
 * the first. Values are returned raw: string escapes and lists are the
 * consumers' business (keyfile_unescape(), keyfile_split_list()). */

typedef enum KeyfileFlags {
        /* Configuration files: " #..." after a value or group header is a
         * comment, and trailing whitespace of a value is dropped. */
        KEYFILE_TRAILING_COMMENTS = 1 << 0,
        /* A line that is not valid is kept as an error (keyfile_line_error)
         * and the parse goes on; after a broken group header, the lines up
         * to the next header are skipped (their group is unknown). */
        KEYFILE_SKIP_BAD_LINES = 1 << 1,
} KeyfileFlags;

/* A line KEYFILE_SKIP_BAD_LINES left out. */
typedef struct KeyfileLineError {
        unsigned line;
        const char *group;   /* the group it is in, or NULL */
        char *message;       /* "PATH:LINE: ..." */
} KeyfileLineError;

typedef struct KeyfileEntry {
        const char *group;
        const char *key;
        const char *locale; /* NULL when the key has none */
        const char *value;  /* raw */
        unsigned line;
} KeyfileEntry;

typedef struct Keyfile Keyfile;

/* Limits checked before allocating. */
#define KEYFILE_MAX_SIZE (4 * 1024 * 1024)

/* Errors are "PATH:LINE: message" in e. */
int keyfile_parse(const char *path, const char *data, size_t size, KeyfileFlags flags, Keyfile **ret, Error *e);
int keyfile_load(const char *path, KeyfileFlags flags, Keyfile **ret, Error *e);
Keyfile *keyfile_free(Keyfile *k);
DEFINE_TRIVIAL_CLEANUP_FUNC(Keyfile *, keyfile_free);

size_t keyfile_n_entries(const Keyfile *k);
const KeyfileEntry *keyfile_entry(const Keyfile *k, size_t i);
size_t keyfile_n_groups(const Keyfile *k);
/* Group names in the order of their first appearance, and that line. */
const char *keyfile_group(const Keyfile *k, size_t i, unsigned *ret_line);
bool keyfile_has_group(const Keyfile *k, const char *group);
size_t keyfile_n_line_errors(const Keyfile *k);
const KeyfileLineError *keyfile_line_error(const Keyfile *k, size_t i);

/* The last raw value of group/key without a locale, or NULL. */
const char *keyfile_get(const Keyfile *k, const char *group, const char *key);
/* The same entry, for its line. */
const KeyfileEntry *keyfile_lookup(const Keyfile *k, const char *group, const char *key);
/* The value for the best match of `locale` (lang_COUNTRY.ENCODING@MODIFIER)
 * by the Desktop Entry Specification's order — lang_COUNTRY@MODIFIER,
 * lang_COUNTRY, lang@MODIFIER, lang — then the unlocalized one. */
const char *keyfile_get_locale(const Keyfile *k, const char *group, const char *key, const char *locale);
/* The same entry, for its line. */
const KeyfileEntry *keyfile_lookup_locale(const Keyfile *k, const char *group, const char *key, const char *locale);

/* String escapes \s \n \t \r \\ replaced (any other backslash is kept, as
 * GLib does); a new string. */
char *keyfile_unescape(const char *raw);
/* A ';'-separated list ("\;" is a literal semicolon), each item unescaped,
 * the final separator optional; a new NULL-terminated vector. */
char **keyfile_split_list(const char *raw);
/* "true"/"false" (GLib also takes "1"/"0"); -EINVAL otherwise. */
int keyfile_parse_boolean(const char *raw);
