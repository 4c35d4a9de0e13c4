/* SPDX-License-Identifier: MIT */
/* X11 through EWMH (the window manager's properties on the root window):
 * _NET_CLIENT_LIST_STACKING, bottom to top (a click-to-focus manager
 * raises what it focuses: the top is the most recently focused), else
 * _NET_CLIENT_LIST; per window _NET_WM_PID, WM_CLASS and _NET_WM_NAME
 * (else WM_NAME); _NET_ACTIVE_WINDOW is the focused one, and a client
 * message of that name to the root window, as a pager sends it, focuses
 * one. Only in sesame-windows: sesame itself links no libxcb. */
#include <stdlib.h>
#include <string.h>
#include <xcb/xcb.h>

#include "cli/windows-internal.h"

enum { NET_CLIENT_LIST_STACKING, NET_CLIENT_LIST, NET_ACTIVE_WINDOW, NET_WM_PID, NET_WM_NAME, UTF8_STRING, _ATOM_MAX };
static const char *const atom_names[_ATOM_MAX] = {
        "_NET_CLIENT_LIST_STACKING", "_NET_CLIENT_LIST", "_NET_ACTIVE_WINDOW", "_NET_WM_PID", "_NET_WM_NAME",
        "UTF8_STRING",
};

typedef struct X11 {
        xcb_connection_t *c;
        xcb_window_t root;
        xcb_atom_t atoms[_ATOM_MAX];
} X11;

static int x11_open(X11 *x, Error *e) {
        int screen_number = 0;
        x->c = xcb_connect(NULL, &screen_number);
        if (!x->c || xcb_connection_has_error(x->c)) {
                if (x->c)
                        xcb_disconnect(x->c);
                return error_setf(e, -ECONNREFUSED, "cannot reach the X server at DISPLAY=%s",
                                  getenv("DISPLAY") ?: "");
        }
        xcb_screen_iterator_t it = xcb_setup_roots_iterator(xcb_get_setup(x->c));
        for (int i = 0; i < screen_number && it.rem; i++)
                xcb_screen_next(&it);
        x->root = it.data->root;
        xcb_intern_atom_cookie_t cookies[_ATOM_MAX];
        for (int i = 0; i < _ATOM_MAX; i++)
                cookies[i] = xcb_intern_atom(x->c, 0, (uint16_t) strlen(atom_names[i]), atom_names[i]);
        for (int i = 0; i < _ATOM_MAX; i++) {
                xcb_intern_atom_reply_t *r = xcb_intern_atom_reply(x->c, cookies[i], NULL);
                x->atoms[i] = r ? r->atom : XCB_ATOM_NONE;
                free(r);
        }
        return 0;
}

/* A property's value, or NULL; *ret_len in bytes. */
static void *property(X11 *x, xcb_window_t w, xcb_atom_t name, xcb_atom_t type, size_t *ret_len) {
        xcb_get_property_reply_t *r =
                xcb_get_property_reply(x->c, xcb_get_property(x->c, 0, w, name, type, 0, 1 << 20), NULL);
        if (!r)
                return NULL;
        size_t len = (size_t) xcb_get_property_value_length(r);
        void *value = len ? malloc(len + 1) : NULL;
        if (value) {
                memcpy(value, xcb_get_property_value(r), len);
                ((char *) value)[len] = 0;
        }
        free(r);
        *ret_len = value ? len : 0;
        return value;
}

static int add_x11_window(X11 *x, xcb_window_t w, xcb_window_t active, window_add_t add, void *userdata) {
        size_t len = 0;
        uint32_t *pid = property(x, w, x->atoms[NET_WM_PID], XCB_ATOM_CARDINAL, &len);
        pid_t p = pid && len >= 4 ? (pid_t) *pid : 0;
        free(pid);
        /* WM_CLASS: instance, NUL, class, NUL. */
        char *class = property(x, w, XCB_ATOM_WM_CLASS, XCB_ATOM_STRING, &len);
        const char *name = class && strlen(class) + 1 < len ? class + strlen(class) + 1 : class;
        char *title = property(x, w, x->atoms[NET_WM_NAME], x->atoms[UTF8_STRING], &len);
        if (!title)
                title = property(x, w, XCB_ATOM_WM_NAME, XCB_ATOM_STRING, &len);
        int r = add((long) w, p, name, title ? title : "", w == active, userdata);
        free(class);
        free(title);
        return r;
}

int x11_list(window_add_t add, void *userdata, Error *e) {
        X11 x;
        int r = x11_open(&x, e);
        if (r < 0)
                return r;
        size_t len = 0;
        xcb_window_t *list = property(&x, x.root, x.atoms[NET_CLIENT_LIST_STACKING], XCB_ATOM_WINDOW, &len);
        if (!list)
                list = property(&x, x.root, x.atoms[NET_CLIENT_LIST], XCB_ATOM_WINDOW, &len);
        size_t n = len / sizeof(xcb_window_t);
        xcb_window_t *active = property(&x, x.root, x.atoms[NET_ACTIVE_WINDOW], XCB_ATOM_WINDOW, &len);
        xcb_window_t focused = active && len >= sizeof(xcb_window_t) ? *active : XCB_WINDOW_NONE;
        free(active);
        if (!list && x.atoms[NET_CLIENT_LIST] == XCB_ATOM_NONE)
                r = error_setf(e, -ENXIO, "the X window manager keeps no _NET_CLIENT_LIST (not EWMH)");
        /* Top first. */
        for (size_t i = n; r >= 0 && i > 0; i--)
                r = add_x11_window(&x, list[i - 1], focused, add, userdata);
        free(list);
        xcb_disconnect(x.c);
        return r;
}

int x11_focus(long id, Error *e) {
        X11 x;
        int r = x11_open(&x, e);
        if (r < 0)
                return r;
        xcb_client_message_event_t event = {
                .response_type = XCB_CLIENT_MESSAGE,
                .format = 32,
                .window = (xcb_window_t) id,
                .type = x.atoms[NET_ACTIVE_WINDOW],
                /* Source 2: a pager (a user's request, honoured as one). */
                .data.data32 = { 2, XCB_CURRENT_TIME, 0, 0, 0 },
        };
        xcb_void_cookie_t cookie = xcb_send_event_checked(
                x.c, 0, x.root, XCB_EVENT_MASK_SUBSTRUCTURE_REDIRECT | XCB_EVENT_MASK_SUBSTRUCTURE_NOTIFY,
                (const char *) &event);
        xcb_generic_error_t *error = xcb_request_check(x.c, cookie);
        if (error)
                r = error_setf(e, -EIO, "the X server refused to focus window 0x%lx (error %d)", id,
                               error->error_code);
        free(error);
        xcb_disconnect(x.c);
        return r;
}
