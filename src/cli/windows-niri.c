/* SPDX-License-Identifier: MIT */
/* niri, written from its documented IPC (niri msg; the niri-ipc crate):
 * the socket $NIRI_SOCKET takes a request as one line of JSON and
 * answers one: "Windows" gives {"Ok":{"Windows":[...]}}, each window with
 * id, title, app_id, pid and is_focused; {"Action":{"FocusWindow":
 * {"id":N}}} focuses one. niri says nothing of the order windows had the
 * focus in: the focused one first, then as niri lists them. NOT TESTED:
 * niri is not in Debian 12. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/windows-internal.h"

int niri_list(window_add_t add, void *userdata, Error *e) {
        _cleanup_free_ char *answer = NULL;
        int r = ipc_request(getenv("NIRI_SOCKET"), "\"Windows\"\n", &answer, e);
        if (r < 0)
                return r;
        json_error_t error;
        json_t *reply = json_loads(answer, JSON_DISABLE_EOF_CHECK, &error);
        json_t *windows = json_object_get(json_object_get(reply, "Ok"), "Windows"), *w;
        if (!json_is_array(windows)) {
                json_decref(reply);
                return error_setf(e, -EBADMSG, "niri: unreadable answer to Windows");
        }
        size_t i;
        for (int focused = 1; focused >= 0; focused--)
                json_array_foreach(windows, i, w) {
                        if (r < 0 || json_is_true(json_object_get(w, "is_focused")) != focused)
                                continue;
                        r = add((long) json_integer_value(json_object_get(w, "id")),
                                (pid_t) json_integer_value(json_object_get(w, "pid")),
                                json_string_value(json_object_get(w, "app_id")),
                                json_string_value(json_object_get(w, "title")) ?: "", focused, userdata);
                }
        json_decref(reply);
        return r < 0 ? error_setf(e, r, "out of memory") : 0;
}

int niri_focus(long id, Error *e) {
        _cleanup_free_ char *answer = NULL;
        char request[96];
        snprintf(request, sizeof(request), "{\"Action\":{\"FocusWindow\":{\"id\":%ld}}}\n", id);
        int r = ipc_request(getenv("NIRI_SOCKET"), request, &answer, e);
        if (r >= 0 && !strstr(answer, "\"Ok\""))
                r = error_setf(e, -EIO, "niri did not focus the window: %s", answer);
        return r;
}
