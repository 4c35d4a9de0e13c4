/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include "common/error.h"
#include "spawn/unit-property.h"

/* Talking to the user's systemd manager: the connection and the two calls
 * the spawn engine needs. Nothing here waits; replies arrive on the event
 * loop the bus is attached to. */

/* Connects to the user manager: over its private socket,
 * $XDG_RUNTIME_DIR/systemd/private, as systemctl --user does, else over the
 * user bus. The private socket first (it used to be the other way round)
 * because it closes when the manager goes, so the launcher knows at once;
 * on the user bus a call to a manager that went waits 25 s for an
 * activation that never comes, and the broker outlives the manager. The
 * price: the manager sends every signal of every unit to every private
 * connection, a wake-up of the launcher per change in the session (a few
 * microseconds each); both are equally fast for a launch
 * (docs/benchmarks.md). The connection is attached to the event loop and
 * still authenticating when this returns: calls queue up behind it.
 * `private_only`: the socket or nothing (a manager that comes back: the
 * user bus may be one a manager that went left behind). */
int systemd_bus_open(sd_bus **ret, sd_event *event, bool private_only, Error *e);

/* Manager.StartTransientUnit for a scope holding one PID, mode "fail",
 * with the unit settings given (typed as the manager wants them). The
 * reply carries the job's object path; the job is done when JobRemoved for
 * the unit arrives. */
int systemd_start_scope_async(sd_bus *bus, sd_bus_slot **ret_slot, const char *unit, pid_t pid,
                              const char *description, const char *slice, const UnitProperty *properties,
                              size_t n_properties, uint64_t timeout_usec, sd_bus_message_handler_t callback,
                              void *userdata);

/* Where a service's output goes: the journal under `identifier`
 * (StandardError=journal, stdout too with `stdout_journal`, else null),
 * nowhere (`null`), or the file descriptor `stderr_fd`. */
typedef struct ServiceOutput {
        const char *identifier;
        bool stdout_journal;
        bool null;
        int stderr_fd;
} ServiceOutput;

/* Manager.StartTransientUnit for a service (Type=exec, ExitType=cgroup,
 * collected when it ends) running `argv` with the socket `stdin_fd` as its
 * standard input, which the message carries (the caller keeps its own
 * copy). No Environment= and no WorkingDirectory=: what the transient unit
 * holds, the manager writes to a file. */
int systemd_start_service_async(sd_bus *bus, sd_bus_slot **ret_slot, const char *unit, char *const *argv,
                                int stdin_fd, const ServiceOutput *output, const char *description,
                                const char *slice, const char *source_path, const UnitProperty *properties,
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

/* Subscribes to PropertiesChanged of every object of the manager (its
 * units'). */
int systemd_watch_properties(sd_bus *bus, sd_bus_slot **ret_slot, sd_bus_message_handler_t callback,
                             void *userdata);
/* From a PropertiesChanged of a service (interface read already): its
 * main process's end, ExecMainCode= (CLD_EXITED, CLD_KILLED, CLD_DUMPED;
 * 0 while it runs) and ExecMainStatus=. 1 when both were in it, else 0. */
int systemd_read_main_exit(sd_bus_message *m, int32_t *ret_code, int32_t *ret_status);

/* Subscribes to Manager.JobRemoved(u id, o job, s unit, s result). */
int systemd_watch_jobs(sd_bus *bus, sd_bus_slot **ret_slot, sd_bus_message_handler_t callback, void *userdata);

#define SYSTEMD_ERROR_UNIT_EXISTS "org.freedesktop.systemd1.UnitExists"
