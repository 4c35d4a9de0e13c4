/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <systemd/sd-event.h>

#include "common/error.h"
#include "ipc/noise.h"
#include "ipc/proto.h"
#include "ipc/registry.h"

/* The launcher's side of the socket, on sd-event. Each connection is a
 * small state machine:
 *
 *   (accept) --SO_PEERCRED: other UID, or unreadable--> closed, nothing read
 *            --> HANDSHAKE --(IK message 1, key authorized)--> READY
 *                          --(unknown key; too many connections)--> "Unauthorized" or
 *                                         "Busy" in message 2, CLOSING --> closed
 *                          --(bad message, handshake limit passes)--> closed
 *                          --(evicted: max_handshakes in progress and another arrives)--> closed
 *   READY --(request)--> busy --(reply, flushed)--> READY ... --(EOF, bad frame, idle limit)--> closed
 *   READY --(a request over REQUEST_MAX announced)--> busy, "InvalidRequest" --> READY, its chunks
 *                                                    read and dropped
 *
 * One request at a time per connection, and the next one is read only when
 * the reply to the last has left and all connections together queue less
 * than IPC_OUTPUT_TOTAL_MAX: a client that sends without reading is held
 * up by its own socket, not by the launcher's memory. Likewise requests
 * being received hold at most REQUEST_MAX each and IPC_INPUT_TOTAL_MAX
 * together (those of one chunk aside). A handshake needs no key to start,
 * so no handshake may keep a client with a key waiting: when
 * max_handshakes are in progress and another client connects, the one to
 * go is the oldest that has sent nothing, else the oldest of the peer
 * (PID) with the most handshakes in progress; accepting never waits for a
 * handshake, only for a free file descriptor. Nothing blocks: a stalled
 * client only holds its own connection. */

/* The listen backlog: a burst of clients waits here, not refused. The
 * socket unit says the same (Backlog=). */
#define IPC_LISTEN_BACKLOG 1024
/* All replies queued on all connections together. */
#define IPC_OUTPUT_TOTAL_MAX (32 * 1024 * 1024)
/* All requests of several chunks being received, together: past it, a
 * connection in the middle of one reads no more until others are done
 * (requests of one chunk always go on: they are bounded per connection). */
#define IPC_INPUT_TOTAL_MAX (16 * 1024 * 1024)

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
/* A connection of our user has begun its handshake (its first bytes came). */
typedef void (*ipc_accepted_t)(void *userdata);

typedef struct IpcServerOptions {
        const NoiseKeypair *key;       /* the launcher's static key */
        const char *registry_path;     /* clients.conf, read at every connection */
        bool allow_ephemeral;          /* unknown keys get CLEARANCE_LAUNCH */
        uint64_t handshake_timeout_usec; /* 0: 5 s from accept to the end of the handshake */
        uint64_t idle_timeout_usec;    /* 0: 60 s without a request closes a connection */
        unsigned max_handshakes;       /* 0: 128 in progress; another evicts one (above) */
        unsigned max_connections;      /* 0: 512 established; more are answered "Busy" */
        ipc_accepted_t accepted;       /* or NULL; called with the handler's userdata */
} IpcServerOptions;

int ipc_server_new(IpcServer **ret, sd_event *event, int listen_fd, const IpcServerOptions *options,
                   ipc_request_t handler, void *userdata);
IpcServer *ipc_server_free(IpcServer *s);
DEFINE_TRIVIAL_CLEANUP_FUNC(IpcServer *, ipc_server_free);
size_t ipc_server_connections(const IpcServer *s);
/* Stops accepting; connections already open carry on. */
void ipc_server_stop_accepting(IpcServer *s);
/* Whether unknown keys get CLEARANCE_LAUNCH, from the next handshake on. */
void ipc_server_set_allow_ephemeral(IpcServer *s, bool allow);

/* Sends the reply and makes the connection ready for the next request.
 * -EMSGSIZE: over FRAME_MESSAGE_MAX, nothing sent, the request still
 * awaits a reply; -ENOTCONN: not ready; other errors close it. */
int ipc_connection_reply(IpcConnection *c, const char *json);
const IpcPeer *ipc_connection_peer(const IpcConnection *c);
IpcConnection *ipc_connection_ref(IpcConnection *c);
IpcConnection *ipc_connection_unref(IpcConnection *c);
/* Whether the peer is still there (a reply to a closed one is dropped). */
bool ipc_connection_is_open(const IpcConnection *c);

/* Creates $dir 0700, removes a stale socket, binds `path`, 0600, listens. */
int ipc_listen(const char *path, int *ret_fd, Error *e);
/* A launcher that cannot start: every connection waiting on `listen_fd`
 * is answered IPC_CANNOT_SERVE and `reason` (transport.h), then closed. */
void ipc_refuse_pending(int listen_fd, const char *reason);
