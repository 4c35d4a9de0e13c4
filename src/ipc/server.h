/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <systemd/sd-event.h>

#include "error.h"
#include "noise.h"
#include "proto.h"
#include "registry.h"

/* The launcher's side of the socket, on sd-event. Each connection is a
 * small state machine:
 *
 *   (accept) --SO_PEERCRED: other UID--> closed, nothing read
 *            --> HANDSHAKE --(IK message 1, key authorized)--> READY
 *                          --(unknown key)--> "Unauthorized" in message 2, closed
 *                          --(bad message, 5 s pass)--> closed
 *   READY --(request)--> handler --(reply)--> READY ... --(EOF, bad frame)--> closed
 *
 * Nothing blocks: a stalled client only holds its own connection. */

typedef struct IpcServer IpcServer;
typedef struct IpcConnection IpcConnection;

typedef struct IpcPeer {
        pid_t pid;
        uid_t uid;
        const char *client_name; /* from the registry, or "ephemeral" */
        Clearance clearance;
        uint8_t public_key[NOISE_DHLEN];
        uint64_t connected_usec; /* CLOCK_MONOTONIC, when accepted */
} IpcPeer;

/* One request: reply with ipc_connection_reply(), now or later (holding a
 * reference with ipc_connection_ref() meanwhile). */
typedef void (*ipc_request_t)(IpcConnection *c, const Request *req, void *userdata);
/* A connection of our user was accepted; its handshake follows. */
typedef void (*ipc_accepted_t)(void *userdata);

typedef struct IpcServerOptions {
        const NoiseKeypair *key;       /* the launcher's static key */
        const char *registry_path;     /* clients.conf, read at every connection */
        bool allow_ephemeral;          /* unknown keys get CLEARANCE_LAUNCH */
        uint64_t handshake_timeout_usec; /* 0: 5 s */
        unsigned max_connections;      /* 0: 64 */
        ipc_accepted_t accepted;       /* or NULL; called with the handler's userdata */
} IpcServerOptions;

int ipc_server_new(IpcServer **ret, sd_event *event, int listen_fd, const IpcServerOptions *options,
                   ipc_request_t handler, void *userdata);
IpcServer *ipc_server_free(IpcServer *s);
DEFINE_TRIVIAL_CLEANUP_FUNC(IpcServer *, ipc_server_free);
size_t ipc_server_connections(const IpcServer *s);
/* Stops accepting; connections already open carry on. */
void ipc_server_stop_accepting(IpcServer *s);

int ipc_connection_reply(IpcConnection *c, const char *json);
const IpcPeer *ipc_connection_peer(const IpcConnection *c);
IpcConnection *ipc_connection_ref(IpcConnection *c);
IpcConnection *ipc_connection_unref(IpcConnection *c);
/* Whether the peer is still there (a reply to a closed one is dropped). */
bool ipc_connection_is_open(const IpcConnection *c);

/* Creates $dir 0700, removes a stale socket, binds `path`, 0600, listens. */
int ipc_listen(const char *path, int *ret_fd, Error *e);
