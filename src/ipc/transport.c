/* SPDX-License-Identifier: MIT */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ipc/transport.h"

static void put_u32(uint8_t *p, uint32_t v) {
        p[0] = (uint8_t) (v >> 24);
        p[1] = (uint8_t) (v >> 16);
        p[2] = (uint8_t) (v >> 8);
        p[3] = (uint8_t) v;
}

void ipc_prologue(pid_t a_pid, uid_t a_uid, pid_t b_pid, uid_t b_uid, uint8_t out[IPC_PROLOGUE_LEN]) {
        size_t tag = sizeof(IPC_PROLOGUE_TAG) - 1;
        memcpy(out, IPC_PROLOGUE_TAG, tag);
        bool a_first = a_pid <= b_pid;
        put_u32(out + tag, (uint32_t) (a_first ? a_pid : b_pid));
        put_u32(out + tag + 4, (uint32_t) (a_first ? a_uid : b_uid));
        put_u32(out + tag + 8, (uint32_t) (a_first ? b_pid : a_pid));
        put_u32(out + tag + 12, (uint32_t) (a_first ? b_uid : a_uid));
}

int ipc_runtime_dir(char **ret, Error *e) {
        const char *runtime = getenv("XDG_RUNTIME_DIR");
        if (!runtime || runtime[0] != '/')
                return error_setf(e, -ENXIO,
                                  "XDG_RUNTIME_DIR is not set (or not absolute): the launcher's socket lives there; "
                                  "is this a login session?");
        if (asprintf(ret, "%s/sesame", runtime) < 0)
                return error_setf(e, -ENOMEM, "out of memory");
        return 0;
}

static int runtime_file(const char *name, char **ret, Error *e) {
        char *dir = NULL;
        int r = ipc_runtime_dir(&dir, e);
        if (r < 0)
                return r;
        r = asprintf(ret, "%s/%s", dir, name);
        free(dir);
        return r < 0 ? error_setf(e, -ENOMEM, "out of memory") : 0;
}

int ipc_socket_path(char **ret, Error *e) {
        return runtime_file("launcher.sock", ret, e);
}

int ipc_public_key_path(char **ret, Error *e) {
        return runtime_file("launcher.pub", ret, e);
}

int ipc_config_dir(char **ret, Error *e) {
        const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
        int r;
        if (xdg && xdg[0] == '/')
                r = asprintf(ret, "%s/sesame", xdg);
        else if (home && home[0] == '/')
                r = asprintf(ret, "%s/.config/sesame", home);
        else
                return error_setf(e, -ENXIO, "neither XDG_CONFIG_HOME nor HOME is set");
        return r < 0 ? error_setf(e, -ENOMEM, "out of memory") : 0;
}

int ipc_peer_credentials(int fd, pid_t *ret_pid, uid_t *ret_uid) {
        struct ucred cred;
        socklen_t len = sizeof(cred);
        if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
                return negative_errno();
        if (len != sizeof(cred) || cred.pid <= 0)
                return -EIO;
        *ret_pid = cred.pid;
        *ret_uid = cred.uid;
        return 0;
}
