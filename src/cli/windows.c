/* SPDX-License-Identifier: MIT */
/* The session's windows through the backend the session offers, each with
 * the unit its process is in: a window belongs to whatever app's scope or
 * service holds the process that made it, whoever asked for the window. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/call.h"
#include "cli/windows-internal.h"
#include "cli/windows.h"
#include "common/fileio.h"

void window_list_done(WindowList *l) {
        for (size_t i = 0; l && i < l->n; i++) {
                free(l->windows[i].app_id);
                free(l->windows[i].title);
                free(l->windows[i].unit);
        }
        if (l)
                free(l->windows);
}

/* The last part of the process's cgroup: its scope or service. */
static char *unit_of(pid_t pid) {
        char cgroup[4096];
        if (pid <= 0 || !process_cgroup(pid, cgroup, sizeof(cgroup)))
                return NULL;
        const char *slash = strrchr(cgroup, '/');
        return strdup(slash ? slash + 1 : cgroup);
}

static int add_window(long id, pid_t pid, const char *app_id, const char *title, bool focused, void *userdata) {
        WindowList *l = userdata;
        Window *w = realloc(l->windows, (l->n + 1) * sizeof(Window));
        if (!w)
                return -ENOMEM;
        l->windows = w;
        w = &l->windows[l->n];
        *w = (Window){ .id = id, .pid = pid, .focused = focused };
        w->app_id = app_id ? strdup(app_id) : NULL;
        w->title = strdup(title ? title : "");
        w->unit = unit_of(pid);
        l->n++;
        return (app_id && !w->app_id) || !w->title ? -ENOMEM : 0;
}

/* What sesame-windows said: a negative errno, with the sentence. */
static int helper_failed(int status, Error *e) {
        if (status == 5)
                return error_setf(e, -ENXIO, "no window backend in this session");
        return error_setf(e, status < 0 ? status : -EIO, "sesame-windows failed (%s)",
                          status < 0 ? strerror(-status) : "see above");
}

/* sesame-windows list: its lines, each a window. */
static int helper_list(window_add_t add, void *userdata, Error *e) {
        enum { OUTPUT_MAX = 4 << 20 };
        _cleanup_free_ char *text = malloc(OUTPUT_MAX);
        if (!text)
                return error_setf(e, -ENOMEM, "out of memory");
        char *argv[] = { (char *) "sesame-windows", (char *) "list", NULL };
        int status = helper_output("sesame-windows", argv, text, OUTPUT_MAX);
        if (status != 0)
                return helper_failed(status, e);
        char *save = NULL;
        for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                char *f[5] = { line };
                for (int i = 1; i < 5 && f[i - 1]; i++)
                        if ((f[i] = strchr(f[i - 1], '\t')))
                                *f[i]++ = 0;
                if (!f[4])
                        continue;
                int r = add(strtol(f[0], NULL, 10), (pid_t) atoi(f[1]), *f[3] ? f[3] : NULL, f[4],
                            strcmp(f[2], "1") == 0, userdata);
                if (r < 0)
                        return error_setf(e, r, "out of memory");
        }
        return 0;
}

/* The backends, the first whose variable the session has; the helper's
 * last: it takes WAYLAND_DISPLAY (wlroots' protocol), then DISPLAY. */
static const struct {
        const char *name, *variable;
        int (*list)(window_add_t add, void *userdata, Error *e);
        int (*focus)(long id, Error *e);
} backends[] = {
        { "sway", "SWAYSOCK", sway_list, sway_focus },
        { "hyprland", "HYPRLAND_INSTANCE_SIGNATURE", hyprland_list, hyprland_focus },
        { "niri", "NIRI_SOCKET", niri_list, niri_focus },
        { "wlr", "WAYLAND_DISPLAY", helper_list, NULL },
        { "x11", "DISPLAY", helper_list, NULL },
};

int windows_list(WindowList *ret, Error *e) {
        *ret = (WindowList){};
        /* SESAME_WINDOWS_BACKEND=NAME: that one, whatever the session has. */
        const char *forced = getenv("SESAME_WINDOWS_BACKEND");
        for (size_t i = 0; i < ELEMENTSOF(backends); i++) {
                const char *v = getenv(backends[i].variable);
                if (forced ? strcmp(forced, backends[i].name) != 0 : !v || !*v)
                        continue;
                ret->backend = backends[i].name;
                int r = backends[i].list(add_window, ret, e);
                if (r < 0)
                        window_list_done(ret);
                return r;
        }
        if (forced)
                return error_setf(e, -ENXIO, "SESAME_WINDOWS_BACKEND=%s: not sway, hyprland, niri, wlr or x11",
                                  forced);
        return error_setf(e, -ENXIO, "no window backend in this session: none of SWAYSOCK (sway), "
                          "HYPRLAND_INSTANCE_SIGNATURE, NIRI_SOCKET, WAYLAND_DISPLAY (wlroots) and DISPLAY (X11) "
                          "is set");
}

int windows_focus(const WindowList *l, const Window *w, Error *e) {
        for (size_t i = 0; i < ELEMENTSOF(backends); i++)
                if (l->backend && strcmp(l->backend, backends[i].name) == 0 && backends[i].focus)
                        return backends[i].focus(w->id, e);
        char id[32], buf[256];
        snprintf(id, sizeof(id), "%ld", w->id);
        char *argv[] = { (char *) "sesame-windows", (char *) "focus", id, NULL };
        int status = helper_output("sesame-windows", argv, buf, sizeof(buf));
        return status == 0 ? 0 : helper_failed(status, e);
}

/* ---- windows of sesame's apps */

const char *window_entry(const Window *w, json_t *apps) {
        size_t i;
        json_t *app;
        json_array_foreach(apps, i, app) {
                const char *unit = json_string_value(json_object_get(app, "unit"));
                const char *entry = json_string_value(json_object_get(app, "entry_id"));
                const char *wm_class = json_string_value(json_object_get(app, "wm_class"));
                /* By its process's unit; where the compositor gives no PID
                 * (wlroots' protocol), by its app_id: a running app's entry
                 * ID, or the StartupWMClass= of its entry. */
                if (w->unit ? unit && strcmp(unit, w->unit) == 0
                            : w->pid == 0 && w->app_id &&
                                      ((entry && strcasecmp(w->app_id, entry) == 0) ||
                                       (wm_class && strcmp(w->app_id, wm_class) == 0)))
                        return entry;
        }
        return NULL;
}

static bool window_matches(const Window *w, const AppTarget *t, json_t *apps, const char *pid_unit) {
        if (t->unit)
                return w->unit && strcmp(w->unit, t->unit) == 0;
        if (t->pid > 0)
                return w->pid == t->pid || (pid_unit && w->unit && strcmp(w->unit, pid_unit) == 0);
        const char *entry = window_entry(w, apps);
        return entry && t->entry_id && strcmp(entry, t->entry_id) == 0;
}

int windows_focus_target(const char *who, const AppTarget *t, bool quiet) {
        Error e = {};
        WindowList l;
        int r = windows_list(&l, &e);
        if (r < 0) {
                if (!quiet)
                        fprintf(stderr, "%s: %s\n", who, error_message(&e));
                return r == -ENXIO ? WINDOWS_NO_BACKEND : 1;
        }
        json_t *reply = NULL;
        if (!t->unit && t->pid <= 0 && (r = call_checked(who, "{\"method\":\"List\"}", &reply)) != 0) {
                window_list_done(&l);
                return r;
        }
        _cleanup_free_ char *pid_unit = t->pid > 0 ? unit_of(t->pid) : NULL;
        const Window *w = NULL;
        for (size_t i = 0; i < l.n && !w; i++)
                if (window_matches(&l.windows[i], t, json_object_get(reply, "apps"), pid_unit))
                        w = &l.windows[i];
        if (!w) {
                if (!quiet)
                        fprintf(stderr, "%s: no window of %s\n", who,
                                t->unit ?: t->entry_id ?: "that process's app");
                r = WINDOWS_NONE;
        } else if ((r = windows_focus(&l, w, &e)) < 0) {
                fprintf(stderr, "%s: %s\n", who, error_message(&e));
                r = 1;
        } else
                printf("focused: %s (pid %d, %s)\n", w->title, (int) w->pid, w->unit ?: "-");
        json_decref(reply);
        window_list_done(&l);
        return r;
}
