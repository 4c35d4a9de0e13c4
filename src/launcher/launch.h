/* SPDX-License-Identifier: MIT */
#pragma once

#include "ipc/proto.h"
#include "launcher/state.h"

/* The Launch request, from its plan to its reply (launch.c). */
void launch_handle(Daemon *d, IpcConnection *c, const Request *req);
