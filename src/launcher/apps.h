/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include "common/error.h"
#include "common/launch-identity.h"
#include "common/macro.h"

/* The apps the launcher started and that still run: `sesame ps`, `sesame
 * stop`, and one instance on request (--single).
 *
 * The user manager is the truth for apps in a scope: its units matching our
 * names (ListUnitsByPatterns), so the list is whole after a restart of the
 * launcher too. What the manager cannot say (entry, action, trust profile,
 * tags) is recorded per unit in $XDG_RUNTIME_DIR/sesame/apps/UNIT, written
 * after the launch's reply; records of units gone are removed when the
 * list is next made. Apps started without a scope are in a table of this
 * daemon only (their PID and the start time /proc gives it, so a reused
 * PID is not taken for the app). */

typedef struct App {
        char *unit;          /* NULL: started without a scope */
        pid_t pid;           /* the app's own PID (our unit names carry it) */
        char *entry_id;      /* NULL when no record says it */
        char *action;        /* or NULL */
        char *profile;       /* or NULL */
        char **tags;         /* or NULL */
        uint64_t started_usec;   /* CLOCK_REALTIME; 0: unknown */
        uint64_t memory_bytes;   /* MemoryCurrent; UINT64_MAX: unknown (no memory controller) */
        uint64_t cpu_nsec;       /* CPUUsageNSec; UINT64_MAX: unknown */
} App;

typedef struct Apps Apps;

/* `records_dir` is made, or must be ours and private (dir_open_private()). */
int apps_new(Apps **ret, sd_event *event, const char *records_dir, Error *e);
Apps *apps_free(Apps *a);
DEFINE_TRIVIAL_CLEANUP_FUNC(Apps *, apps_free);

/* The manager's connection (NULL: none; only the table is listed). */
void apps_set_bus(Apps *a, sd_bus *bus);

/* A launch succeeded: `unit` NULL for one without a scope. Never fails the
 * launch: a record that cannot be written is logged. */
void apps_record(Apps *a, const char *unit, pid_t pid, const LaunchIdentity *launch);

/* An app's process has exited: a little later (once a burst of them is
 * over), the manager is asked which units remain, and the records and what
 * is known of the others go; apps without a scope that are gone leave the
 * table. So nothing piles up between listings. */
void apps_process_exited(Apps *a, pid_t pid);

/* `done` gets the apps (borrowed for the call), or a negative errno and a
 * reason when the manager could not be asked. `unit_patterns` narrows the
 * manager's side (NULL: all of ours, and the records of units the manager no
 * longer has are removed); the apps without a scope are always all listed. */
typedef void (*apps_listed_t)(const App *apps, size_t n, int error, const char *reason, void *userdata);
int apps_list(Apps *a, char *const *unit_patterns, apps_listed_t done, void *userdata);

/* The scope a running process is in, if it is one of ours: from
 * /proc/PID/cgroup. A new string, or NULL. */
char *apps_unit_of_pid(pid_t pid);
/* The entry ID of the app a process is part of: the record of our unit
 * it is in, else the ID a unit named as the desktop-integration
 * specification says carries (an app another launcher started). A new
 * string, or NULL. */
char *apps_entry_of_pid(Apps *a, pid_t pid);
/* Whether `app` is of the entry: its record says so, or (without one) its
 * unit is one of our names for the entry (unit_name_is_for). */
bool app_is_of(const App *app, const char *entry_id);

/* Stops a unit through the manager (StopUnit, or KillUnit with `signal`
 * > 0), or an app without a scope by signal. `done` gets 0 or a negative
 * errno and the manager's reason. */
typedef void (*apps_stopped_t)(int error, const char *reason, void *userdata);
int apps_stop(Apps *a, const App *app, int signal, apps_stopped_t done, void *userdata);
