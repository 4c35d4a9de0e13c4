/* SPDX-License-Identifier: MIT */
#pragma once

#include "common/error.h"

/* `name` itself if it holds a '/', else the first executable
 * "<dir>/<name>" along our own PATH (default /usr/local/bin:/usr/bin:/bin);
 * a new string, or NULL when there is none. For the launcher's own tools
 * and TryExec; a child's program is looked up in its own PATH instead
 * (exec_search). */
char *path_find_executable(const char *name);

/* One of our own programs, `name` ("sesame-exec"): beside our own
 * executable when it is there (the build tree, or a prefix that keeps them
 * together), else in the installed libexec directory. A new string, or
 * NULL when out of memory. */
char *path_helper(const char *name);

/* `dir` and every missing directory above it, each made 0700 (as the XDG
 * Base Directory Specification asks of the directories it names). */
int mkdir_parents(const char *dir, Error *e);

struct stat;
/* Whether a file or directory about to be trusted is: owned by us (or by
 * root) and writable by nobody else (a sticky directory aside, where others
 * cannot replace what is ours). 0, or -EPERM and a sentence with the fix,
 * as ssh says it of ~/.ssh. */
int path_check_trusted(const char *path, const struct stat *st, Error *e);
/* `dir`, made 0700 with its parents when missing, opened as a directory
 * the launcher may keep its files in: never through a symbolic link, ours,
 * writable by nobody else. A file descriptor, or a negative errno and the
 * fix. */
int dir_open_private(const char *dir, Error *e);
