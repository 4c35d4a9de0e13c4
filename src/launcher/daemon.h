/* SPDX-License-Identifier: MIT */
#pragma once

#include "common/error.h"
#include "common/macro.h"
#include "launcher/state.h"

/* Everything up to serving: the configuration (`config_path`, NULL for the
 * default), the key, the entries, the socket, the spawner, the server. A
 * negative errno and the reason in `e`; each configuration error is logged
 * on its own line first. */
int daemon_new(Daemon **ret, const char *config_path, Error *e);
/* Writes the history's last rows; launched apps keep running. */
Daemon *daemon_free(Daemon *d);
DEFINE_TRIVIAL_CLEANUP_FUNC(Daemon *, daemon_free);
/* READY=1, then the loop, until a signal ends it (and the launches in
 * flight are answered). 0 or a negative errno. */
int daemon_run(Daemon *d);
