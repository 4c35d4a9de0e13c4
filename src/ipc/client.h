/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdint.h>

#include "common/error.h"
#include "ipc/noise.h"

/* The client's side of the socket: connect, Noise IK with the launcher's
 * published key, then request/reply in turn. Blocking, with a time limit on
 * every wait: a CLI has nothing else to do meanwhile. */
typedef struct IpcClient IpcClient;

/* -ECONNREFUSED/-ENOENT when no daemon listens; -EACCES with the server's
 * reason when it refuses our key; -EBUSY when it is too busy to take us
 * (its "Busy" refusal, or a listen backlog full for timeout_ms): worth
 * another try; -EPROTO when it ends the handshake, which it does when our
 * idea of its key is wrong; -EHOSTDOWN when it cannot start (the message is
 * its IPC_CANNOT_SERVE answer); -ECONNRESET when it ended meanwhile. */
int ipc_client_connect(IpcClient **ret, const char *socket_path, const NoiseKeypair *key,
                       const uint8_t server_public_key[NOISE_DHLEN], int timeout_ms, Error *e);
/* Sends one request and waits for its reply (a new string). */
int ipc_client_call(IpcClient *c, const char *request, char **ret_reply, int timeout_ms, Error *e);
/* The two halves of a call, for clients that do more than one at a time
 * (tests that pipeline): the launcher answers requests in order. */
int ipc_client_send(IpcClient *c, const char *request, Error *e);
int ipc_client_receive(IpcClient *c, char **ret_reply, int timeout_ms, Error *e);
/* For tests of the launcher's limits: the header of a message of `total`
 * bytes (zeros) and as much of it as the socket takes without blocking, up
 * to `bytes`: how many of its bytes went out, or a negative errno. */
ssize_t ipc_client_send_partial(IpcClient *c, size_t total, size_t bytes, Error *e);
/* The connected socket, e.g. to shut down its sending side. */
int ipc_client_fd(const IpcClient *c);
IpcClient *ipc_client_free(IpcClient *c);
DEFINE_TRIVIAL_CLEANUP_FUNC(IpcClient *, ipc_client_free);
