/* SPDX-License-Identifier: MIT */
#pragma once

#include "launcher/state.h"

/* The configuration and the desktop entries follow their files: inotify on
 * the configuration's directory and on the applications trees, each
 * debounced (editors and package managers touch files in bursts), and
 * SIGHUP for both at once. A configuration that does not load leaves the
 * previous one in force. */

int reloader_new(Reloader **ret, Daemon *d);
Reloader *reloader_free(Reloader *r);

/* SIGHUP: the configuration, then the entries, now. */
void reload_all(Daemon *d);

/* The [Launcher] settings that live outside d->config: at start and after
 * every reload, so that each takes effect without a restart.
 * DefaultProfile=, Slice=, Terminal= and SecretTimeoutSec= are read from
 * d->config by each launch. */
void reload_apply(Daemon *d);
