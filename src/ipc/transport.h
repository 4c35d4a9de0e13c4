/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdint.h>
#include <sys/types.h>

#include "common/error.h"

/* What client and server agree on before a byte is sent (docs/protocol.md). */
#define IPC_PROTOCOL "Noise_IK_25519_ChaChaPoly_BLAKE2s"
#define IPC_PROLOGUE_TAG "sesame-launcher/1"
#define IPC_PROLOGUE_LEN (sizeof(IPC_PROLOGUE_TAG) - 1 + 16)
/* A launcher that cannot start (no key it can read, no socket) answers the
 * handshakes waiting on the socket with one plain frame, this and why,
 * then ends: a client names the cause, and the socket is left with nothing
 * pending that would start the service again and again. */
#define IPC_CANNOT_SERVE "the launcher cannot serve: "

/* The tag, then (pid, uid) of the process with the lower PID and then of
 * the other, each as two big-endian u32: both ends compute the same bytes
 * from their own credentials and SO_PEERCRED's, so a connection whose
 * credentials the two sides see differently fails the handshake. */
void ipc_prologue(pid_t a_pid, uid_t a_uid, pid_t b_pid, uid_t b_uid, uint8_t out[IPC_PROLOGUE_LEN]);

/* $XDG_RUNTIME_DIR/sesame (-ENXIO with a clear message when unset). */
int ipc_runtime_dir(char **ret, Error *e);
/* $XDG_RUNTIME_DIR/sesame/launcher.sock and .../launcher.pub */
int ipc_socket_path(char **ret, Error *e);
int ipc_public_key_path(char **ret, Error *e);

/* $XDG_CONFIG_HOME/sesame (or ~/.config/sesame): keys and clients.conf. */
int ipc_config_dir(char **ret, Error *e);

/* The SO_PEERCRED of a connected Unix socket. */
int ipc_peer_credentials(int fd, pid_t *ret_pid, uid_t *ret_uid);
