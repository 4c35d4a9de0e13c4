/* SPDX-License-Identifier: MIT */
#pragma once

/* The server's state, for its own files only: server.c (connections and
 * accepting) on evict.c (which handshake goes when too many are in
 * progress). */

#include "common/list.h"
#include "ipc/frame.h"
#include "ipc/server.h"

typedef enum ConnectionState {
        CONN_HANDSHAKE,
        CONN_READY,
        CONN_CLOSING, /* flushing what is queued (a refusal), then closed */
        CONN_CLOSED,
} ConnectionState;

struct IpcConnection {
        unsigned n_ref;
        IpcServer *server;
        ConnectionState state;
        int fd;
        sd_event_source *io;
        sd_event_source *timer; /* HANDSHAKE: its limit; READY and idle: the idle limit */
        IpcPeer peer;
        char *client_name;

        NoiseHandshake *hs;
        bool heard;             /* any byte received: a handshake that has begun */
        NoiseCipher send, receive;
        MessageAssembler assembler;
        size_t in_counted;      /* of a request of several chunks, in the server's in_total */

        /* One request at a time: from its last frame until its reply has
         * left entirely, nothing more is read. */
        bool busy;
        uint8_t *out;
        size_t out_len, out_sent;
        LIST_FIELDS(IpcConnection, connections);

        /* Last: its 64 KiB body is neither zeroed nor touched until frames
         * fill it (connections come by the thousand in a flood). */
        FrameReader reader;
};

struct IpcServer {
        sd_event *event;
        int listen_fd;
        /* Who the client sees at our end (SO_PEERCRED of the socket that
         * listens): us when we bound it, the user manager when it was passed
         * by socket activation. The prologue must use the same. */
        pid_t listen_pid;
        uid_t listen_uid;
        sd_event_source *accept_source;
        sd_event_source *accept_retry;
        bool accepting;       /* not stopped for good */
        bool out_of_fds;      /* said once per shortage */
        NoiseKeypair key;
        char *registry_path;
        bool allow_ephemeral;
        uint64_t handshake_timeout_usec, idle_timeout_usec;
        unsigned max_handshakes, max_connections;
        ipc_request_t handler;
        ipc_accepted_t accepted;
        void *userdata;
        IpcConnection *connections;
        size_t n_connections, n_handshakes;
        size_t out_total; /* bytes queued on all connections */
        size_t in_total;  /* bytes of requests of several chunks being received */
        uint64_t evicted, evicted_said_usec; /* handshakes evicted since said so, and when */
};

/* ---- evict.c */
/* The handshake to go when max_handshakes are in progress and another
 * client connects: a client with a key sends its first message at once, so
 * the oldest that has sent nothing (*ret_silent); else (all have begun,
 * slowly: a flood) the oldest of the peer with the most handshakes in
 * progress. NULL when none is in progress. */
IpcConnection *handshake_victim(const IpcServer *s, bool *ret_silent);
