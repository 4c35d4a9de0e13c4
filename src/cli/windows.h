/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "cli/call.h"
#include "common/error.h"
#include "common/macro.h"

/* The session's windows, as its compositor tells them, and focusing one.
 * One interface; the backend is chosen by what the session offers: sway
 * ($SWAYSOCK), Hyprland, niri (their IPC sockets; not tested), else
 * wlroots' foreign-toplevel protocol ($WAYLAND_DISPLAY) or X11 through
 * EWMH ($DISPLAY), both in the sesame-windows helper, which links
 * libwayland-client and libxcb so that sesame need not. The client does
 * this, not the launcher: it runs in the session and has its variables. */

typedef struct Window {
        long id;        /* the compositor's own (sway: the con_id) */
        pid_t pid;      /* of the client that made it; 0 when not known */
        char *app_id;   /* Wayland app_id, or X11 WM_CLASS; NULL when none */
        char *title;
        bool focused;
        char *unit;     /* the unit the process is in (its cgroup's last part), or NULL */
} Window;

/* Most recently focused first. */
typedef struct WindowList {
        Window *windows;
        size_t n;
        const char *backend; /* "sway", "hyprland", "niri", or "wlr"/"x11" (through sesame-windows) */
} WindowList;

void window_list_done(WindowList *l);

/* The windows, each with the unit its process is in. -ENXIO when the
 * session offers no backend (the sentence says what is missing). */
int windows_list(WindowList *ret, Error *e);
/* Focuses it (raises it, switching workspace if need be). */
int windows_focus(const WindowList *l, const Window *w, Error *e);

/* ---- windows of sesame's apps */

typedef struct json_t json_t;

/* The entry of the app of sesame's whose unit holds the window's process
 * (`apps`: a List reply's array), or NULL: not sesame's. */
const char *window_entry(const Window *w, json_t *apps);


#define WINDOWS_NONE 3       /* exit status: no window of it */
#define WINDOWS_NO_BACKEND 5 /* exit status: the session offers no window backend */

/* Focuses the target's (an entry's windows, a unit's, or those of a PID's
 * unit: any process of the app) most recently focused window, saying so on stdout
 * ("focused: TITLE (pid N, UNIT)"): 0, WINDOWS_NONE, WINDOWS_NO_BACKEND
 * or 1, each said on stderr as `who` unless `quiet`. */
int windows_focus_target(const char *who, const AppTarget *t, bool quiet);
