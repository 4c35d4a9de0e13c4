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
