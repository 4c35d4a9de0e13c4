/* SPDX-License-Identifier: MIT */
/* sesame-windows list | focus ID — the window backends that need a
 * library sesame itself does not load (libwayland-client for wlroots'
 * foreign-toplevel protocol, libxcb for X11), run by sesame (windows.c)
 * when the session offers one of them: $WAYLAND_DISPLAY first (a
 * compositor without the protocol: X11 next), then $DISPLAY;
 * SESAME_WINDOWS_BACKEND=wlr|x11 forces one.
 *   list      one line per window, most recently focused first:
 *             ID, PID (0: unknown), 1 if focused else 0, APP_ID, TITLE,
 *             separated by tabs (tabs and newlines in a title become spaces)
 *   focus ID  focuses that window
 * Exit status: 0; 1 the backend failed (said on stderr); 5 no backend. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/windows-internal.h"

static void print_field(const char *s) {
        for (; s && *s; s++)
                putchar(*s == '\t' || *s == '\n' ? ' ' : *s);
}

static int print_window(long id, pid_t pid, const char *app_id, const char *title, bool focused, void *userdata) {
        printf("%ld\t%d\t%d\t", id, (int) pid, focused ? 1 : 0);
        print_field(app_id);
        putchar('\t');
        print_field(title);
        putchar('\n');
        return 0;
}

int main(int argc, char *argv[]) {
        bool list = argc == 2 && strcmp(argv[1], "list") == 0;
        bool focus = argc == 3 && strcmp(argv[1], "focus") == 0;
        if (!list && !focus) {
                fprintf(stderr, "usage: sesame-windows list | focus ID\n");
                return 2;
        }
        const char *forced = getenv("SESAME_WINDOWS_BACKEND"), *wayland = getenv("WAYLAND_DISPLAY"),
                   *display = getenv("DISPLAY");
        bool wlr = forced ? strcmp(forced, "wlr") == 0 : wayland && *wayland;
        bool x11 = forced ? strcmp(forced, "x11") == 0 : display && *display;
        if (!wlr && !x11) {
                fprintf(stderr, "sesame-windows: no window backend in this session (neither WAYLAND_DISPLAY nor "
                        "DISPLAY%s)\n", forced ? ", or SESAME_WINDOWS_BACKEND is not wlr or x11" : "");
                return 5;
        }
        Error e = {};
        long id = focus ? strtol(argv[2], NULL, 0) : 0;
        int r = -ENXIO;
        if (wlr)
                r = list ? wlr_list(print_window, NULL, &e) : wlr_focus(id, &e);
        if (r == -ENXIO && x11) {
                e = (Error){};
                r = list ? x11_list(print_window, NULL, &e) : x11_focus(id, &e);
        }
        if (r < 0) {
                fprintf(stderr, "sesame-windows: %s\n", error_message(&e));
                return r == -ENXIO ? 5 : 1;
        }
        return fflush(stdout) == 0 ? 0 : 1;
}
