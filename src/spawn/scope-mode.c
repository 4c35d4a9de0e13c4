/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <string.h>

#include "spawn/scope-mode.h"

static const char *const scope_mode_table[_SCOPE_MODE_MAX] = {
        [SCOPE_MODE_DBUS] = "dbus",
        [SCOPE_MODE_SYSTEMD_RUN] = "systemd-run",
        [SCOPE_MODE_NONE] = "none",
};

int scope_mode_from_string(const char *s) {
        for (int i = 0; s && i < _SCOPE_MODE_MAX; i++)
                if (strcmp(s, scope_mode_table[i]) == 0)
                        return i;
        return -EINVAL;
}
