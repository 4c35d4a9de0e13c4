/* SPDX-License-Identifier: MIT */
#pragma once

#include "ipc/proto.h"
#include "launcher/state.h"

/* Each request to its handler by one table {method, clearance, handler}:
 * a method the client's clearance does not reach is Forbidden before its
 * handler runs. The server's ipc_request_t; `userdata` is the Daemon. */
void handlers_dispatch(IpcConnection *c, const Request *req, void *userdata);
