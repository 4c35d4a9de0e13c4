/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdint.h>
#include <sys/types.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include "common/error.h"
#include "spawn/unit-property.h"

/* Talking to the user's systemd manager: the connection and the two calls
 * the spawn engine needs. Nothing here waits; replies arrive on the event
 * loop the bus is attached to. */

/* Connects to the user manager: over the user bus, else (no bus broker in
 * the session) over the manager's private socket,
 * $XDG_RUNTIME_DIR/systemd/private. The bus comes first although both are
 * equally fast for a launch (docs/benchmarks.md): on the private socket the
 * manager sends every signal of every unit to every connection, which would
 * wake a resident daemon at each change in the session; through the broker
 * only the JobRemoved signals we match arrive. The connection is attached to
 * the event loop and still authenticating when this returns: calls queue up
 * behind it. */
int systemd_bus_open(sd_bus **ret, sd_event *event, Error *e);

/* Manager.StartTransientUnit for a scope holding one PID, mode "fail",
 * with the unit settings given (typed as the manager wants them). The
 * reply carries the job's object path; the job is done when JobRemoved for
 * the unit arrives. */
int systemd_start_scope_async(sd_bus *bus, sd_bus_slot **ret_slot, const char *unit, pid_t pid,
                              const char *description, const char *slice, const UnitProperty *properties,
                              size_t n_properties, uint64_t timeout_usec, sd_bus_message_handler_t callback,
                              void *userdata);

/* The manager's Environment property (the session's environment, which
 * `systemctl --user set-environment` and compositors update; the manager
 * sends no change signal for it, so it is read when needed). */
int systemd_get_environment_async(sd_bus *bus, sd_bus_slot **ret_slot, uint64_t timeout_usec,
                                  sd_bus_message_handler_t callback, void *userdata);
/* From that call's reply: a new NULL-terminated list of NAME=value, or a
 * negative errno (the error's, for an error reply). */
int systemd_read_environment(sd_bus_message *reply, char ***ret);

/* Subscribes to Manager.JobRemoved(u id, o job, s unit, s result). */
int systemd_watch_jobs(sd_bus *bus, sd_bus_slot **ret_slot, sd_bus_message_handler_t callback, void *userdata);

#define SYSTEMD_ERROR_UNIT_EXISTS "org.freedesktop.systemd1.UnitExists"
