/* SPDX-License-Identifier: MIT */
/* sesame-windows list | focus ID — the window backends that need a
 * library sesame itself does not load (libxcb for X11), run by sesame
 * (windows.c) when the session offers one of them:
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
        const char *display = getenv("DISPLAY");
        if (!display || !*display) {
                fprintf(stderr, "sesame-windows: no window backend in this session (no DISPLAY)\n");
                return 5;
        }
        Error e = {};
        int r = list ? x11_list(print_window, NULL, &e) : x11_focus(strtol(argv[2], NULL, 0), &e);
        if (r < 0) {
                fprintf(stderr, "sesame-windows: %s\n", error_message(&e));
                return r == -ENXIO ? 5 : 1;
        }
        return fflush(stdout) == 0 ? 0 : 1;
}
