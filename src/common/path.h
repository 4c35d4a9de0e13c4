/* SPDX-License-Identifier: MIT */
#pragma once

/* `name` itself if it holds a '/', else the first executable
 * "<dir>/<name>" along our own PATH (default /usr/local/bin:/usr/bin:/bin);
 * a new string, or NULL when there is none. For the launcher's own tools
 * and TryExec; a child's program is looked up in its own PATH instead
 * (exec_search). */
char *path_find_executable(const char *name);
