/* SPDX-License-Identifier: MIT */
#pragma once

/* The window backends, for windows.c only: each lists the windows most
 * recently focused first, handing each to `add`, and focuses one by its id. */

#include <stdbool.h>
#include <sys/types.h>

#include "common/error.h"

typedef int (*window_add_t)(long id, pid_t pid, const char *app_id, const char *title, bool focused,
                            void *userdata);

/* wlroots' zwlr_foreign_toplevel_manager_v1: $WAYLAND_DISPLAY; in
 * sesame-windows only (libwayland-client). No PIDs. */
int wlr_list(window_add_t add, void *userdata, Error *e);
int wlr_focus(long id, Error *e);

/* X11 (EWMH): $DISPLAY; in sesame-windows only (libxcb). */
int x11_list(window_add_t add, void *userdata, Error *e);
int x11_focus(long id, Error *e);

/* sway (and i3's IPC): $SWAYSOCK. */
int sway_list(const char *socket_path, window_add_t add, void *userdata, Error *e);
int sway_focus(const char *socket_path, long id, Error *e);
