/* SPDX-License-Identifier: MIT */
#pragma once

#include "ipc/proto.h"
#include "launcher/state.h"

/* The Open request (docs/protocol.md): which app opens each target, with
 * which launch profiles — a rule of launcher.conf, else the type's default
 * application; replied, nothing started. */
void open_handle(Daemon *d, IpcConnection *c, const Request *req);
