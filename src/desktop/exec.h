/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "common/error.h"
#include "common/macro.h"

/* The Exec key of a desktop entry, its string escapes already undone
 * (keyfile_unescape):
 *
 *   1. split into words as GLib's g_shell_parse_argv() splits it, which is
 *      what desktops run: blanks separate words; single quotes keep
 *      everything; double quotes keep everything but \" \\ \` \$ and
 *      backslash-newline; outside quotes a backslash keeps the next
 *      character; '#' at the start of a word starts a comment. Never a
 *      shell: nothing is expanded, $ and ; are just characters;
 *   2. the field codes are kept in the words (and checked: a code the
 *      Desktop Entry Specification does not list makes the command
 *      invalid, and it "must not be executed");
 *   3. exec_expand() makes the argv of each instance: %f %F (paths) and
 *      %u %U (URLs) take the launch's arguments, %i is "--icon ICON", %c the
 *      name, %k the entry's file, %% a '%'; the deprecated %d %D %n %N %v
 *      %m go; a word that was only codes and comes to nothing goes too. */
#define EXEC_MAX_ARGS 4096

typedef enum ExecTakes {
        EXEC_TAKES_NOTHING,
        EXEC_TAKES_FILE,  /* %f: one path, one instance per path */
        EXEC_TAKES_FILES, /* %F: every path, in place */
        EXEC_TAKES_URL,   /* %u: one URL, one instance per URL */
        EXEC_TAKES_URLS,  /* %U: every URL, in place */
} ExecTakes;

/* Steps 1 and 2: a new NULL-terminated vector of words with their codes. */
int exec_parse(const char *exec, char ***ret_words, Error *e);

/* What the words take: their first %f %F %u or %U. */
ExecTakes exec_takes(char *const *words);

typedef struct ExecContext {
        const char *name; /* %c */
        const char *icon; /* %i; NULL or empty: %i expands to nothing */
        const char *file; /* %k; NULL: nothing */
        const char *cwd;  /* relative paths among the arguments are taken from here (the
                           * client's working directory); NULL: they are refused */
        bool local_as_uri; /* %u %U get local files as file:// URIs (X-GIO-NoFuse=true), not
                            * as paths */
} ExecContext;

/* Step 3. `args` (paths or URLs, or NULL) fill %f %F %u %U as GLib fills
 * them: a file:// URI given for a path becomes the path, a URL of any
 * other scheme for a path is refused; %u and %U take a local file (a path,
 * or a file:// URI of this host without a #fragment) as its path too, and
 * any other URL as it is, or with ctx->local_as_uri a path as a file://
 * URI (percent-encoded as GLib does). With %f or %u, each argument gets an
 * instance of its own; with neither %f %F %u %U, the arguments are
 * appended to the one instance as they are. Returns the argvs (a
 * NULL-terminated vector of NULL-terminated vectors, exec_argvs_free()). */
int exec_expand(char *const *words, const ExecContext *ctx, char *const *args, char ****ret_argvs, Error *e);
char ***exec_argvs_free(char ***argvs);
DEFINE_TRIVIAL_CLEANUP_FUNC(char ***, exec_argvs_free);
size_t exec_argvs_count(char ***argvs);

/* Whether `argv` is what a picker that drops field codes makes of the
 * words (fuzzel does): every code removed, a word of codes only gone. */
bool exec_matches(char *const *words, char *const *argv);

/* Steps 1 to 3 without arguments: the argv a launch with none runs. */
int exec_to_argv(const char *exec, const ExecContext *ctx, char ***ret_argv, Error *e);

/* file:// URI of an absolute path, percent-encoded as GLib's
 * g_filename_to_uri() does; a new string. */
char *exec_path_to_uri(const char *path);
/* The local path of a file:// URI (an empty host or "localhost"; %XX
 * decoded, ?query and #fragment dropped); -EINVAL saying why for another
 * host or a malformed one. */
int exec_uri_to_path(const char *uri, char **ret, Error *e);
/* Whether `arg` starts with a URI scheme ("https:", "file:"), as
 * g_uri_parse_scheme() decides. */
int exec_is_uri(const char *arg);
