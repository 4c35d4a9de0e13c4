/* SPDX-License-Identifier: MIT */
#pragma once

/* How a program gets its scope; apart from the engine, so that the
 * configuration can name a mode without linking the engine (and sd-bus). */
typedef enum ScopeMode {
        SCOPE_MODE_DBUS,        /* StartTransientUnit with the held child's PID */
        SCOPE_MODE_SYSTEMD_RUN, /* systemd-run --user --scope as a wrapper */
        SCOPE_MODE_NONE,        /* direct spawn */
        _SCOPE_MODE_MAX,
} ScopeMode;

int scope_mode_from_string(const char *s); /* ScopeMode or -EINVAL */
