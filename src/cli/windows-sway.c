/* SPDX-License-Identifier: MIT */
/* sway's IPC (i3's protocol): "i3-ipc", a 32-bit length and a 32-bit
 * type in the machine's order, then the payload. GET_TREE gives every
 * container as JSON; a view (a window) has a pid, an app_id (Wayland) or
 * window_properties.class (Xwayland) and a name (its title). Each
 * container's "focus" lists its children most recently focused first:
 * walking the tree in that order meets the windows in the order they
 * last had the focus. RUN_COMMAND "[con_id=N] focus" focuses one. */
#include <errno.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "cli/windows-internal.h"

#define IPC_MAGIC "i3-ipc"
#define IPC_RUN_COMMAND 0
#define IPC_GET_TREE 4
/* A tree of thousands of windows is a few MB; more is not sway's. */
#define IPC_REPLY_MAX (64u << 20)

/* One request, its reply as JSON. */
static int sway_call(const char *socket_path, uint32_t type, const char *payload, json_t **ret, Error *e) {
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        if (!socket_path || strlen(socket_path) >= sizeof(sa.sun_path))
                return error_setf(e, -EINVAL, "SWAYSOCK is not a socket path");
        strcpy(sa.sun_path, socket_path);
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return error_setf(e, -errno, "cannot make a socket: %s", strerror(errno));
        if (connect(fd, (struct sockaddr *) &sa, sizeof(sa)) < 0) {
                int r = error_setf(e, -errno, "cannot reach sway at %s: %s", socket_path, strerror(errno));
                close(fd);
                return r;
        }
        uint8_t header[14];
        uint32_t words[2] = { (uint32_t) strlen(payload), type };
        memcpy(header, IPC_MAGIC, 6);
        memcpy(header + 6, words, sizeof(words));
        char *text = NULL;
        int r = ipc_write_all(fd, header, sizeof(header));
        if (r >= 0)
                r = ipc_write_all(fd, payload, words[0]);
        if (r >= 0)
                r = ipc_read_all(fd, header, sizeof(header));
        if (r >= 0) {
                memcpy(words, header + 6, sizeof(words));
                if (memcmp(header, IPC_MAGIC, 6) != 0 || words[1] != type || words[0] > IPC_REPLY_MAX)
                        r = -EBADMSG;
                else if (!(text = malloc(words[0] + 1)))
                        r = -ENOMEM;
                else
                        r = ipc_read_all(fd, text, words[0]);
        }
        close(fd);
        if (r < 0) {
                free(text);
                return error_setf(e, r, "sway's IPC at %s: %s", socket_path, strerror(-r));
        }
        json_error_t error;
        *ret = json_loadb(text, words[0], 0, &error);
        free(text);
        return *ret ? 0 : error_setf(e, -EBADMSG, "sway's IPC: unreadable reply: %s", error.text);
}

static const char *string_of(json_t *o, const char *key) {
        return json_string_value(json_object_get(o, key));
}

/* The node's children (tiled and floating), in the order of its focus
 * list, those not in it after. */
static size_t children_in_focus_order(json_t *node, json_t **out, size_t max) {
        size_t n = 0, i, j;
        json_t *id, *child;
        json_t *lists[2] = { json_object_get(node, "nodes"), json_object_get(node, "floating_nodes") };
        json_array_foreach(json_object_get(node, "focus"), i, id)
                for (int k = 0; k < 2; k++)
                        json_array_foreach(lists[k], j, child)
                                if (n < max && json_equal(json_object_get(child, "id"), id))
                                        out[n++] = child;
        for (int k = 0; k < 2; k++)
                json_array_foreach(lists[k], j, child) {
                        bool listed = false;
                        for (size_t m = 0; m < n && !listed; m++)
                                listed = out[m] == child;
                        if (!listed && n < max)
                                out[n++] = child;
                }
        return n;
}

static int walk(json_t *node, unsigned depth, window_add_t add, void *userdata) {
        json_t *pid = json_object_get(node, "pid");
        const char *type = string_of(node, "type");
        if (json_is_integer(pid) && type && (strcmp(type, "con") == 0 || strcmp(type, "floating_con") == 0)) {
                const char *app_id = string_of(node, "app_id");
                if (!app_id)
                        app_id = string_of(json_object_get(node, "window_properties"), "class");
                return add(json_integer_value(json_object_get(node, "id")), (pid_t) json_integer_value(pid), app_id,
                           string_of(node, "name"), json_is_true(json_object_get(node, "focused")), userdata);
        }
        size_t n = json_array_size(json_object_get(node, "nodes")) +
                   json_array_size(json_object_get(node, "floating_nodes"));
        if (n == 0 || depth > 64)
                return 0;
        json_t **children = calloc(n, sizeof(json_t *));
        if (!children)
                return -ENOMEM;
        n = children_in_focus_order(node, children, n);
        int r = 0;
        for (size_t i = 0; r >= 0 && i < n; i++)
                r = walk(children[i], depth + 1, add, userdata);
        free(children);
        return r;
}

int sway_list(window_add_t add, void *userdata, Error *e) {
        json_t *tree = NULL;
        int r = sway_call(getenv("SWAYSOCK"), IPC_GET_TREE, "", &tree, e);
        if (r < 0)
                return r;
        r = walk(tree, 0, add, userdata);
        json_decref(tree);
        return r < 0 ? error_setf(e, r, "out of memory") : 0;
}

int sway_focus(long id, Error *e) {
        char command[64];
        snprintf(command, sizeof(command), "[con_id=%ld] focus", id);
        json_t *reply = NULL;
        int r = sway_call(getenv("SWAYSOCK"), IPC_RUN_COMMAND, command, &reply, e);
        if (r < 0)
                return r;
        json_t *first = json_array_get(reply, 0);
        bool ok = json_is_true(json_object_get(first, "success"));
        r = ok ? 0 : error_setf(e, -EIO, "sway did not focus window %ld: %s", id, string_of(first, "error") ?: "?");
        json_decref(reply);
        return r;
}
