/* SPDX-License-Identifier: MIT */
#include "ipc/server-internal.h"

static size_t handshakes_of(const IpcServer *s, pid_t pid) {
        size_t n = 0;
        for (const IpcConnection *i = s->connections; i; i = i->connections_next)
                n += i->state == CONN_HANDSHAKE && i->peer.pid == pid;
        return n;
}

/* The list holds the newest first: the last match is the oldest. */
IpcConnection *handshake_victim(const IpcServer *s, bool *ret_silent) {
        IpcConnection *silent = NULL, *victim = NULL;
        for (IpcConnection *i = s->connections; i; i = i->connections_next)
                if (i->state == CONN_HANDSHAKE && !i->heard)
                        silent = i;
        *ret_silent = silent != NULL;
        if (silent)
                return silent;
        size_t most = 0;
        for (IpcConnection *i = s->connections; i; i = i->connections_next) {
                size_t n = i->state == CONN_HANDSHAKE ? handshakes_of(s, i->peer.pid) : 0;
                if (n > 0 && n >= most) {
                        most = n;
                        victim = i;
                }
        }
        return victim;
}
