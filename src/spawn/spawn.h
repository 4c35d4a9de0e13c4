/* SPDX-License-Identifier: MIT */
#pragma once

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include "common/env-map.h"
#include "common/error.h"
#include "common/log.h"
#include "spawn/scope-mode.h"
#include "spawn/unit-name.h"
#include "spawn/unit-property.h"

/* The spawn engine: starts one program in its own transient systemd scope
 * (or directly, when that cannot be had), reports the outcome once the
 * program has been executed, wipes the environment it was given and reaps
 * the child when it exits. Everything runs on the caller's sd-event loop;
 * nothing blocks. */


typedef struct SpawnRequest {
        const char *program;    /* looked up in the environment's PATH */
        char *const *argv;      /* argv[0] included; NULL-terminated */
        EnvMap *env;            /* the engine takes this reference and wipes the values */
        const char *cwd;        /* absolute, existing directory; NULL: inherit */
        const char *entry_id;   /* names the scope and the log lines */
        const char *description; /* unit Description=; the entry ID when NULL */
        const char *slice;      /* app.slice when NULL */
        ScopeMode mode;
        /* Unit settings for the scope (MemoryMax=, CPUWeight=, ...): in dbus
         * mode properties of the call, in systemd-run mode -p options, in
         * none mode not applied (logged). A setting the manager refuses:
         * the scope is made without any, with a warning naming the
         * manager's reason; with `strict_properties` the launch fails. */
        const UnitProperty *unit_properties;
        size_t n_unit_properties;
        bool strict_properties;
        /* A variable to set to the app's own PID, as GLib sets
         * GIO_LAUNCHED_DESKTOP_FILE_PID; NULL for none. */
        const char *pid_variable;
        /* The program's stderr: a journal stream of its own under this
         * SYSLOG_IDENTIFIER (child_journal_stream()), or NULL: ours. */
        const char *journal;
        bool stdout_journal;    /* with `journal`: stdout there too (else /dev/null) */
        bool stderr_null;       /* stderr to /dev/null */
        /* A transient service rather than a scope (dbus mode, with a
         * manager; a scope through systemd-run in that mode, direct in none
         * or without a manager). The manager starts sesame-exec --service,
         * which receives the launch over a socket only it holds (its
         * standard input), so that no variable is written into the unit.
         * Its output: `journal` is the unit's SyslogIdentifier= with
         * StandardError=journal; `stderr_null` StandardError=null; neither
         * our own stderr. */
        bool service;
        const char *source_path; /* the service's SourcePath= (the desktop file), or NULL */
        /* More fields for the launch's log line (never a secret value):
         * copied; may be NULL. */
        const LogField *log_fields;
        size_t n_log_fields;
} SpawnRequest;

typedef struct SpawnResult {
        int error;              /* 0, or negative errno: the program is not running */
        const char *message;    /* what went wrong, naming the program; NULL on success */
        bool exec_failed;       /* the error is exec's own: program missing, not executable */
        pid_t pid;
        const char *unit;       /* the scope or service, or NULL when in neither */
        bool via_scope;         /* in a unit of its own: a scope, or a service */
} SpawnResult;

typedef void (*spawn_done_t)(const SpawnResult *result, void *userdata);
/* si->si_code is CLD_EXITED, CLD_KILLED or CLD_DUMPED. */
typedef void (*spawn_exit_t)(pid_t pid, const siginfo_t *si, void *userdata);

typedef struct Spawner Spawner;

/* bus: a connection to the user manager (systemd_bus_open()), or NULL when
 * there is none; every launch then falls back to a direct spawn. Blocks
 * SIGCHLD in the calling thread, which child sources require. */
int spawner_new(Spawner **ret, sd_event *event, sd_bus *bus);
Spawner *spawner_free(Spawner *s);
/* Gives the spawner its connection to the user manager: at first (a
 * reload that turns on dbus mode), or again after the manager was gone.
 * NULL: the manager is gone; the launches waiting on it are released
 * without a scope at once, and later ones start directly (logged at debug
 * level: the caller says once that the manager is gone). */
int spawner_set_bus(Spawner *s, sd_bus *bus);
DEFINE_TRIVIAL_CLEANUP_FUNC(Spawner *, spawner_free);

/* Two limits, one after the other, so that a launch never ends as a
 * failure while its app goes on to run:
 *   - the scope limit (ScopeTimeoutSec=): for systemd to make the scope;
 *     past it the program starts without one (via_scope=false, logged);
 *   - the exec limit: for the program to be executed once released; past
 *     it the child is killed and the launch fails.
 * Neither a hung manager nor a hung exec leaves a launch unanswered. */
#define SPAWN_SCOPE_TIMEOUT_USEC (5 * 1000000ULL)
#define SPAWN_EXEC_TIMEOUT_USEC (5 * 1000000ULL)
void spawner_set_scope_timeout(Spawner *s, uint64_t usec);
/* The longest a launch can take: both limits. */
uint64_t spawner_timeout(const Spawner *s);

/* Path of sesame-exec, the systemd-run mode's last link (default: beside
 * the running executable, else the installed one). */
int spawner_set_exec_helper(Spawner *s, const char *path);

/* Starts a launch. Errors found before anything is forked (bad cwd, bad
 * arguments) are returned here, with the request's env wiped; otherwise
 * `done` is called exactly once from the event loop. `exited`, if set, is
 * called after `done`, when the program of a successful launch exits (the
 * process systemd-run became, in that mode; a service's main process, as
 * the manager tells it: ExecMainCode= and ExecMainStatus= of its unit). Neither callback may free the
 * Spawner. */
int spawner_launch(Spawner *s, const SpawnRequest *req, spawn_done_t done, spawn_exit_t exited, void *userdata,
                   Error *e);

/* Called after any child the spawner started has been reaped (an app, a
 * spare): for what outlives a launch's callbacks (the daemon's table of
 * apps). */
void spawner_set_exit_hook(Spawner *s, spawn_exit_t hook, void *userdata);

/* How scopes are named from the next launch on (default: seed). */
void spawner_set_unit_names(Spawner *s, UnitNameStyle style);

/* Children forked and not yet reaped. */
/* Keep a held sesame-exec forked ahead (in dbus mode, with a bus), so that a
 * launch skips a fork and an exec: for a resident launcher. Off by default. */
void spawner_set_spare(Spawner *s, bool enabled);

size_t spawner_children(const Spawner *s);
/* Launches between spawner_launch() and their `done`. */
size_t spawner_launches(const Spawner *s);

/* Records the resource limits children get back: first thing in main,
 * before anything changes them (spawner_new() does it too, later). */
void spawn_save_rlimits(void);

/* Checks the working directory rule: absolute and an existing directory. */
int spawn_check_cwd(const char *cwd, Error *e);
