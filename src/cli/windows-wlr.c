/* SPDX-License-Identifier: MIT */
/* wlroots compositors through zwlr_foreign_toplevel_manager_v1
 * (protocols/): each toplevel's title, app_id and state (activated), and
 * activation on a seat. The protocol gives no PID: sesame attributes such
 * windows by app_id (windows.c). Nor does it say which window had the
 * focus before: the activated one is listed first, then the others newest
 * first. A window's id is its place in the compositor's announcement order,
 * which `focus` finds again in a new connection (a window opened or closed
 * between the two moves it). Only in sesame-windows: sesame itself links
 * no libwayland. */
#include <stdlib.h>
#include <string.h>
#include <wayland-client.h>

#include "cli/windows-internal.h"
#include "wlr-foreign-toplevel-management-unstable-v1-client-protocol.h"

#define MAX_TOPLEVELS 4096

typedef struct Toplevel {
        struct zwlr_foreign_toplevel_handle_v1 *handle;
        char *title, *app_id;
        bool activated, closed;
} Toplevel;

typedef struct Wlr {
        struct wl_display *display;
        struct wl_registry *registry;
        struct wl_seat *seat;
        struct zwlr_foreign_toplevel_manager_v1 *manager;
        Toplevel toplevels[MAX_TOPLEVELS];
        size_t n;
} Wlr;

static void replace(char **field, const char *value) {
        free(*field);
        *field = value ? strdup(value) : NULL;
}

static void on_title(void *data, struct zwlr_foreign_toplevel_handle_v1 *h, const char *title) {
        replace(&((Toplevel *) data)->title, title);
}

static void on_app_id(void *data, struct zwlr_foreign_toplevel_handle_v1 *h, const char *app_id) {
        replace(&((Toplevel *) data)->app_id, app_id);
}

static void on_output(void *data, struct zwlr_foreign_toplevel_handle_v1 *h, struct wl_output *o) {
}

static void on_state(void *data, struct zwlr_foreign_toplevel_handle_v1 *h, struct wl_array *state) {
        Toplevel *t = data;
        t->activated = false;
        uint32_t *s;
        wl_array_for_each(s, state) if (*s == ZWLR_FOREIGN_TOPLEVEL_HANDLE_V1_STATE_ACTIVATED) t->activated = true;
}

static void on_done(void *data, struct zwlr_foreign_toplevel_handle_v1 *h) {
}

static void on_closed(void *data, struct zwlr_foreign_toplevel_handle_v1 *h) {
        ((Toplevel *) data)->closed = true;
}

static void on_parent(void *data, struct zwlr_foreign_toplevel_handle_v1 *h,
                      struct zwlr_foreign_toplevel_handle_v1 *parent) {
}

static const struct zwlr_foreign_toplevel_handle_v1_listener toplevel_listener = {
        .title = on_title,
        .app_id = on_app_id,
        .output_enter = on_output,
        .output_leave = on_output,
        .state = on_state,
        .done = on_done,
        .closed = on_closed,
        .parent = on_parent,
};

static void on_toplevel(void *data, struct zwlr_foreign_toplevel_manager_v1 *m,
                        struct zwlr_foreign_toplevel_handle_v1 *handle) {
        Wlr *w = data;
        if (w->n == MAX_TOPLEVELS) {
                zwlr_foreign_toplevel_handle_v1_destroy(handle);
                return;
        }
        Toplevel *t = &w->toplevels[w->n++];
        *t = (Toplevel){ .handle = handle };
        zwlr_foreign_toplevel_handle_v1_add_listener(handle, &toplevel_listener, t);
}

static void on_finished(void *data, struct zwlr_foreign_toplevel_manager_v1 *m) {
}

static const struct zwlr_foreign_toplevel_manager_v1_listener manager_listener = {
        .toplevel = on_toplevel,
        .finished = on_finished,
};

static void on_global(void *data, struct wl_registry *r, uint32_t name, const char *interface, uint32_t version) {
        Wlr *w = data;
        if (strcmp(interface, zwlr_foreign_toplevel_manager_v1_interface.name) == 0 && !w->manager) {
                w->manager = wl_registry_bind(r, name, &zwlr_foreign_toplevel_manager_v1_interface,
                                              version < 3 ? version : 3);
                zwlr_foreign_toplevel_manager_v1_add_listener(w->manager, &manager_listener, w);
        } else if (strcmp(interface, wl_seat_interface.name) == 0 && !w->seat)
                w->seat = wl_registry_bind(r, name, &wl_seat_interface, 1);
}

static void on_global_remove(void *data, struct wl_registry *r, uint32_t name) {
}

static const struct wl_registry_listener registry_listener = {
        .global = on_global,
        .global_remove = on_global_remove,
};

static void wlr_close(Wlr *w) {
        for (size_t i = 0; i < w->n; i++) {
                free(w->toplevels[i].title);
                free(w->toplevels[i].app_id);
                zwlr_foreign_toplevel_handle_v1_destroy(w->toplevels[i].handle);
        }
        /* The proxies are ours to free: disconnecting frees none. */
        if (w->manager)
                zwlr_foreign_toplevel_manager_v1_destroy(w->manager);
        if (w->seat)
                wl_seat_destroy(w->seat);
        if (w->registry)
                wl_registry_destroy(w->registry);
        if (w->display)
                wl_display_disconnect(w->display);
        free(w);
}

/* Connected, every toplevel known with its title, app_id and state. */
static int wlr_open(Wlr **ret, Error *e) {
        Wlr *w = calloc(1, sizeof(*w));
        if (!w)
                return error_setf(e, -ENOMEM, "out of memory");
        if (!(w->display = wl_display_connect(NULL))) {
                free(w);
                return error_setf(e, -ECONNREFUSED, "cannot reach the Wayland compositor at WAYLAND_DISPLAY=%s",
                                  getenv("WAYLAND_DISPLAY") ?: "");
        }
        w->registry = wl_display_get_registry(w->display);
        wl_registry_add_listener(w->registry, &registry_listener, w);
        /* The globals; the toplevels; their properties. */
        for (int i = 0; i < 3; i++)
                if (wl_display_roundtrip(w->display) < 0) {
                        wlr_close(w);
                        return error_setf(e, -EIO, "the Wayland connection failed");
                }
        if (!w->manager) {
                wlr_close(w);
                return error_setf(e, -ENXIO, "the compositor offers no zwlr_foreign_toplevel_manager_v1");
        }
        *ret = w;
        return 0;
}

int wlr_list(window_add_t add, void *userdata, Error *e) {
        Wlr *w;
        int r = wlr_open(&w, e);
        if (r < 0)
                return r;
        /* The active one first, then newest first. */
        for (size_t i = 0; r >= 0 && i < w->n; i++)
                if (w->toplevels[i].activated && !w->toplevels[i].closed)
                        r = add((long) i + 1, 0, w->toplevels[i].app_id, w->toplevels[i].title ?: "", true, userdata);
        for (size_t i = w->n; r >= 0 && i > 0; i--) {
                const Toplevel *t = &w->toplevels[i - 1];
                if (!t->activated && !t->closed)
                        r = add((long) i, 0, t->app_id, t->title ?: "", false, userdata);
        }
        wlr_close(w);
        return r < 0 ? error_setf(e, r, "out of memory") : 0;
}

int wlr_focus(long id, Error *e) {
        Wlr *w;
        int r = wlr_open(&w, e);
        if (r < 0)
                return r;
        if (id < 1 || (size_t) id > w->n || w->toplevels[id - 1].closed)
                r = error_setf(e, -ENOENT, "window %ld is gone", id);
        else if (!w->seat)
                r = error_setf(e, -ENXIO, "the compositor offers no seat to activate a window on");
        else {
                zwlr_foreign_toplevel_handle_v1_activate(w->toplevels[id - 1].handle, w->seat);
                if (wl_display_roundtrip(w->display) < 0)
                        r = error_setf(e, -EIO, "the Wayland connection failed");
        }
        wlr_close(w);
        return r;
}
