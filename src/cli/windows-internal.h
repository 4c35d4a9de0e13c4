/* SPDX-License-Identifier: MIT */
#pragma once

/* The window backends, for windows.c only: each lists the windows most
 * recently focused first, handing each to `add`, and focuses one by its id. */

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "common/error.h"
#include "common/macro.h"

typedef int (*window_add_t)(long id, pid_t pid, const char *app_id, const char *title, bool focused,
                            void *userdata);

/* wlroots' zwlr_foreign_toplevel_manager_v1: $WAYLAND_DISPLAY; in
 * sesame-windows only (libwayland-client). No PIDs. */
int wlr_list(window_add_t add, void *userdata, Error *e);
int wlr_focus(long id, Error *e);

/* X11 (EWMH): $DISPLAY; in sesame-windows only (libxcb). */
int x11_list(window_add_t add, void *userdata, Error *e);
int x11_focus(long id, Error *e);

/* All of it written, or read: 0 or a negative errno. */
int ipc_write_all(int fd, const void *buf, size_t len);
int ipc_read_all(int fd, void *buf, size_t len);
/* One request on a socket, its whole answer (a new string). */
int ipc_request(const char *socket_path, const char *request, char **ret, Error *e);

/* Hyprland: $HYPRLAND_INSTANCE_SIGNATURE. Not tested (not in Debian 12). */
int hyprland_list(window_add_t add, void *userdata, Error *e);
int hyprland_focus(long id, Error *e);

/* niri: $NIRI_SOCKET. Not tested (not in Debian 12). */
int niri_list(window_add_t add, void *userdata, Error *e);
int niri_focus(long id, Error *e);

/* sway (and i3's IPC): $SWAYSOCK. */
int sway_list(window_add_t add, void *userdata, Error *e);
int sway_focus(long id, Error *e);
