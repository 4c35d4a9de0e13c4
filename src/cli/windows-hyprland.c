/* SPDX-License-Identifier: MIT */
/* Hyprland, written from its documented IPC (wiki.hypr.land/IPC): the
 * request socket $XDG_RUNTIME_DIR/hypr/$HYPRLAND_INSTANCE_SIGNATURE/
 * .socket.sock takes one request per connection; "j/clients" answers the
 * windows as JSON (address, pid, class, title, focusHistoryID: 0 for the
 * focused one, then in the order they last had the focus), and
 * "dispatch focuswindow address:ADDRESS" focuses one ("ok"). NOT TESTED:
 * Hyprland is not in Debian 12. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/windows-internal.h"

static char *socket_path(void) {
        const char *runtime = getenv("XDG_RUNTIME_DIR"), *signature = getenv("HYPRLAND_INSTANCE_SIGNATURE");
        char *path = NULL;
        if (runtime && signature && asprintf(&path, "%s/hypr/%s/.socket.sock", runtime, signature) < 0)
                path = NULL;
        return path;
}

static int by_focus_history(const void *a, const void *b) {
        json_int_t x = json_integer_value(json_object_get(*(json_t *const *) a, "focusHistoryID"));
        json_int_t y = json_integer_value(json_object_get(*(json_t *const *) b, "focusHistoryID"));
        return (x > y) - (x < y);
}

int hyprland_list(window_add_t add, void *userdata, Error *e) {
        _cleanup_free_ char *path = socket_path(), *answer = NULL;
        int r = ipc_request(path, "j/clients", &answer, e);
        if (r < 0)
                return r;
        json_error_t error;
        json_t *clients = json_loads(answer, 0, &error);
        if (!json_is_array(clients)) {
                json_decref(clients);
                return error_setf(e, -EBADMSG, "Hyprland: unreadable answer to j/clients");
        }
        size_t n = json_array_size(clients), i;
        json_t **sorted = calloc(n ? n : 1, sizeof(json_t *)), *c;
        json_array_foreach(clients, i, c) if (sorted) sorted[i] = c;
        if (sorted)
                qsort(sorted, n, sizeof(json_t *), by_focus_history);
        for (i = 0; sorted && r >= 0 && i < n; i++) {
                c = sorted[i];
                /* The address is the window's id: "0x" and hexadecimal digits. */
                const char *address = json_string_value(json_object_get(c, "address"));
                r = add(address ? strtol(address, NULL, 16) : 0, (pid_t) json_integer_value(json_object_get(c, "pid")),
                        json_string_value(json_object_get(c, "class")),
                        json_string_value(json_object_get(c, "title")) ?: "",
                        json_integer_value(json_object_get(c, "focusHistoryID")) == 0, userdata);
        }
        r = !sorted ? error_setf(e, -ENOMEM, "out of memory") : r < 0 ? error_setf(e, r, "out of memory") : 0;
        free(sorted);
        json_decref(clients);
        return r;
}

int hyprland_focus(long id, Error *e) {
        _cleanup_free_ char *path = socket_path(), *answer = NULL;
        char request[64];
        snprintf(request, sizeof(request), "dispatch focuswindow address:0x%lx", id);
        int r = ipc_request(path, request, &answer, e);
        if (r >= 0 && strncmp(answer, "ok", 2) != 0)
                r = error_setf(e, -EIO, "Hyprland did not focus the window: %s", answer);
        return r;
}
