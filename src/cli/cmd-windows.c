/* SPDX-License-Identifier: MIT */
/* sesame windows: the session's windows and whose they are; sesame focus:
 * the most recently focused window of an app. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/call.h"
#include "cli/cli.h"
#include "cli/windows.h"

static void windows_help(void) {
        printf("Usage: sesame windows [--json]\n"
               "\n"
               "List the session's windows, most recently focused first, with the app\n"
               "each belongs to: the app of sesame's whose scope or service holds the\n"
               "process that made the window (so a window a single-instance app opens\n"
               "for a later launch is the first instance's), or - for one sesame did not\n"
               "start. Asks the launcher, and the compositor through the first backend\n"
               "the session offers: sway ($SWAYSOCK), Hyprland, niri, wlroots' foreign-\n"
               "toplevel protocol ($WAYLAND_DISPLAY), X11 with EWMH ($DISPLAY);\n"
               "SESAME_WINDOWS_BACKEND=sway|hyprland|niri|wlr|x11 forces one.\n"
               "\n"
               "Options:\n"
               "      --json      one JSON object per window: id, pid, app_id, title,\n"
               "                  focused, unit, entry_id\n"
               "  -h, --help      show this help\n"
               "\n"
               "Exit status: 0 listed; 1 the compositor or the launcher failed; 5 the\n"
               "session offers no window backend.\n");
}

static void focus_help(void) {
        printf("Usage: sesame focus ENTRY|UNIT|PID\n"
               "\n"
               "Focus the most recently focused window of an app sesame started: ENTRY as\n"
               "sesame launch takes it (firefox), a unit of sesame's, or the PID of any\n"
               "process of the app. Prints 'focused: TITLE (pid N, UNIT)'.\n"
               "\n"
               "Exit status: 0 focused; 1 the compositor or the launcher failed; 3 no\n"
               "window of it; 5 the session offers no window backend (see sesame\n"
               "windows --help).\n");
}

static int list_windows(bool json) {
        Error e = {};
        WindowList l;
        int r = windows_list(&l, &e);
        if (r < 0) {
                fprintf(stderr, "sesame windows: %s\n", error_message(&e));
                return r == -ENXIO ? WINDOWS_NO_BACKEND : 1;
        }
        json_t *reply = NULL;
        if ((r = call_checked("sesame windows", "{\"method\":\"List\"}", &reply)) != 0) {
                window_list_done(&l);
                return r;
        }
        json_t *apps = json_object_get(reply, "apps");
        if (!json)
                printf("%-8s %7s %-24s %s\n", "ID", "PID", "ENTRY", "TITLE");
        for (size_t i = 0; i < l.n; i++) {
                const Window *w = &l.windows[i];
                const char *entry = window_entry(w, apps);
                if (json) {
                        json_t *o = json_pack("{s:I,s:i,s:s?,s:s,s:b,s:s?,s:s?}", "id", (json_int_t) w->id, "pid",
                                              (int) w->pid, "app_id", w->app_id, "title", w->title, "focused",
                                              w->focused, "unit", w->unit, "entry_id", entry);
                        print_json(o);
                        json_decref(o);
                } else
                        printf("%-8ld %7d %-24s %s%s\n", w->id, (int) w->pid, entry ?: "-", w->title,
                               w->focused ? "  (focused)" : "");
        }
        json_decref(reply);
        window_list_done(&l);
        return 0;
}

int cmd_windows(int argc, char *argv[]) {
        bool json;
        int r = call_parse_json_only("sesame windows", argc, argv, windows_help, &json);
        if (r != 0)
                return r < 0 ? 0 : r;
        return list_windows(json);
}

int cmd_focus(int argc, char *argv[]) {
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                {},
        };
        int c;
        while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0) {
                if (c == 'h') {
                        focus_help();
                        return 0;
                }
                fprintf(stderr, "sesame focus: see 'sesame focus --help'\n");
                return EXIT_USAGE;
        }
        if (optind + 1 != argc) {
                fprintf(stderr, "sesame focus: name one ENTRY, UNIT or PID (see 'sesame focus --help')\n");
                return EXIT_USAGE;
        }
        AppTarget t;
        _cleanup_free_ char *entry_id = NULL;
        int r = call_parse_target("sesame focus", argv[optind], &t, &entry_id);
        return r != 0 ? r : windows_focus_target("sesame focus", &t, false);
}
