/* SPDX-License-Identifier: MIT */
#pragma once

#include "launcher/state.h"

/* The launcher's link to the systemd user manager (Scope=dbus), followed:
 * when the manager goes (its connection closes), the launches waiting on it
 * are released without a scope, later ones start directly, and this is
 * logged once; the link is tried again every second, and once a manager
 * answers, apps get their scopes again (logged once). */

/* Opens the link when there is none: at start, and on a reload that turns
 * on dbus mode. Without a manager, apps start without scopes (logged) and
 * the link is tried again as after a loss. */
void manager_connect(Daemon *d);
/* At exit. */
void manager_disconnect(Daemon *d);
