/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <systemd/sd-bus.h>

/* The launcher's user units as the user manager sees them, and what that
 * means for a client that found no launcher listening: read by sesame-dbus
 * (sesame does not speak D-Bus) for `sesame launcher-state` and `sesame
 * doctor`. */

#define LAUNCHER_SOCKET_UNIT "sesame-launcher.socket"
#define LAUNCHER_SERVICE_UNIT "sesame-launcher.service"

typedef struct UnitState {
        char *load_state;      /* loaded, not-found, masked, ... */
        char *active_state;    /* active, inactive, failed, activating, ... */
        char *sub_state;       /* running, listening, auto-restart, ... */
        char *unit_file_state; /* enabled, disabled, static, ... */
        char *result;          /* success, exit-code, start-limit-hit, service-start-limit-hit, ... */
} UnitState;

typedef struct LauncherUnits {
        UnitState socket, service;
} LauncherUnits;

/* Reads both units: 0, or a negative errno (no manager). */
int launcher_units_read(sd_bus *bus, LauncherUnits *ret);
void launcher_units_done(LauncherUnits *u);

/* Why no launcher answers, from the units' state (NULL: no manager
 * answered): the exit status (sesame(1)) and a sentence that ends with
 * what to run. */
int launcher_units_diagnose(const LauncherUnits *u, char *sentence, size_t size);

/* `sesame-dbus launcher-state`: connects to the user manager and prints
 * "STATUS<TAB>SENTENCE" for sesame's failure path. */
int cmd_launcher_state(int argc, char *argv[]);
