/* SPDX-License-Identifier: MIT */
#pragma once

/* The spawn engine's parts, for its own files only: spawn.c (the API),
 * launch-state.c (a launch's states, its report, limits and exit), fork.c
 * (the pipes and vfork), reap.c (children and their exits), spare.c (the
 * held sesame-exec forked ahead), scope-dbus.c (the scope asked for over
 * D-Bus), service-dbus.c (the transient service and its hand-over),
 * scope-run.c (systemd-run). */

#include "common/list.h"
#include "spawn/child.h"
#include "spawn/spawn.h"

typedef struct Launch Launch;
typedef struct Child Child;

/* A forked process, tracked until it is reaped and its exit delivered. An
 * exit that overtakes the launch's outcome is held back until the launch is
 * done: callers always see `done` first, and a systemd-run wrapper that
 * failed (and was replaced by a direct spawn) is never reported as the app. */
struct Child {
        Spawner *spawner;
        Launch *launch; /* while the launch is pending */
        pid_t pid;
        char *entry_id;
        sd_event_source *source;
        /* A service's main process, not ours to reap: its exit is what the
         * manager says of its unit (this object path's ExecMainCode=) */
        char *unit_path;
        bool reaped;
        siginfo_t status;
        spawn_exit_t exited;
        void *userdata;
        LIST_FIELDS(Child, children);
};

/* One launch, from spawner_launch() to its `done` callback:
 *
 *   dbus:        HELD --(job done)--> SCOPED --(report EOF)--> done
 *                HELD --(call failed | job failed | scope limit)--> UNSCOPED --(report EOF)--> done
 *                HELD --(sesame-exec not executable)--> DIRECT --(report EOF)--> done
 *                HELD --(report EOF: the child died)--> HELD_DEAD --(the manager answers | scope limit)--> done (failed)
 *                HELD --(the manager answers; the release finds it dead)--> RELEASED_DEAD --(report EOF)--> done (failed)
 *   systemd-run: WRAPPED --(SCOPE_READY)--> SCOPED --(report EOF)--> done
 *                WRAPPED --(report EOF without SCOPE_READY | scope limit)--> DIRECT --> done
 *   service:     STARTING --(its process says hello, in the unit's cgroup)--> HANDING_OVER
 *                HANDING_OVER --(the launch written)--> IN_SERVICE --(report EOF)--> done
 *                STARTING --(call failed | job failed | scope limit | manager gone)--> DIRECT --> done
 *   none:        DIRECT --(report EOF)--> done
 *   SCOPED, UNSCOPED, DIRECT, HANDING_OVER, IN_SERVICE --(exec limit)--> the child is killed --> done (failed)
 *
 * Two limits, one after the other (spawn.h): the scope limit while the
 * child is HELD or WRAPPED, after which the program starts without a
 * scope; then the exec limit for the program to be executed, after which
 * the child is killed. So a launch reported as failed never leaves the app
 * running. */
typedef enum LaunchState {
        LAUNCH_HELD,      /* sesame-exec --hold waits on the hold pipe while systemd makes the scope */
        LAUNCH_HELD_DEAD, /* the held child died (its report ended); the manager has yet to answer, and
                           * the child is not reaped till then */
        LAUNCH_RELEASED_DEAD, /* the manager answered, but the held child had died: its report's end is to come */
        LAUNCH_WRAPPED,   /* systemd-run runs and has not reached the scope (no SCOPE_READY yet) */
        LAUNCH_SCOPED,    /* in its scope, the program being executed */
        LAUNCH_UNSCOPED,  /* released without a scope, through sesame-exec */
        LAUNCH_DIRECT,    /* the child executes the program itself: nothing to fall back from */
        LAUNCH_STARTING,  /* service: the manager is asked to start it; its process is to say hello */
        LAUNCH_HANDING_OVER, /* service: the launch being written to its process */
        LAUNCH_IN_SERVICE, /* service: its process has the launch, the program being executed */
} LaunchState;

/* Which limit the launch's timer is. */
typedef enum LaunchLimit {
        LIMIT_SCOPE,
        LIMIT_EXEC,
} LaunchLimit;

struct Launch {
        Spawner *spawner;
        LaunchState state;
        LaunchLimit limit;
        ScopeMode mode;

        char *entry_id;
        char *journal;          /* SpawnRequest.journal, or NULL */
        uint32_t output;        /* CHILD_OUTPUT_*, from the request */
        char *description;
        char *slice;
        UnitProperty *properties; /* the scope's unit settings */
        size_t n_properties;
        bool strict_properties;
        char *program;
        char **argv;
        char *cwd;
        EnvMap *env;
        size_t env_count;
        char **log_fields; /* the caller's: key, value, key, value... */

        pid_t pid;
        Child *child;
        int hold_fd;   /* write end; closing it unreleased makes the child give up */
        int report_fd; /* read end */
        sd_event_source *report_source;
        sd_event_source *timer;
        ChildReport failure; /* the first failure the child reported; stage 0: none */
        uint64_t started_usec;

        /* dbus mode: the call for the scope */
        sd_bus_slot *call_slot;
        unsigned attempt;
        char *job;                      /* from the StartTransientUnit reply */
        char *early_job, *early_result; /* a JobRemoved that overtook the reply */

        char unit[UNIT_NAME_MAX + 1];

        /* service: the socket whose other end is the service's stdin, and
         * the launch being written to it (a secure buffer) */
        bool service;
        char *source_path;
        int channel_fd;
        sd_event_source *channel_source;
        uint8_t *handover;
        size_t handover_size, handover_sent;

        spawn_done_t done;
        spawn_exit_t exited;
        void *userdata;
        LIST_FIELDS(Launch, launches);
};

struct Spawner {
        sd_event *event;
        sd_bus *bus;
        sd_bus_slot *jobs_slot;
        /* services' units: their main process's exit; from the first
         * service launch on (a launcher of scopes only is not woken by
         * every unit's PropertiesChanged) */
        sd_bus_slot *properties_slot;
        bool manager_lost;   /* had a bus, and the manager went: launches go directly, quietly */
        uint64_t scope_timeout_usec;
        UnitNameStyle unit_names;
        spawn_exit_t exit_hook;
        void *exit_hook_userdata;
        char *exec_helper;
        /* A held sesame-exec --spare, forked while nothing else happens, for
         * the next dbus-mode launch (spawner_set_spare): tracked as a child
         * of no launch; NULL when there is none. */
        bool use_spare;
        Child *spare;
        int spare_hold_fd, spare_report_fd;
        sd_event_source *spare_due;
        Launch *launches;
        size_t n_launches;
        Child *children;
        size_t n_children;
};

/* Forgets the spare (reaped, or taken apart): its pipes are closed. */
static inline void spare_forget(Spawner *s) {
        s->spare = NULL;
        s->spare_hold_fd = safe_close(s->spare_hold_fd);
        s->spare_report_fd = safe_close(s->spare_report_fd);
}

/* The files, each calling only those below it: spawn.c (the API) on
 * scope-dbus.c, service-dbus.c and scope-run.c, on launch-state.c, on spare.c, on fork.c
 * and reap.c. */

/* ---- launch-state.c */
/* A launch of the request, its `done` and `exited`, and the scope limit
 * armed; it takes req->env's reference whatever happens. */
int launch_new(Spawner *s, const SpawnRequest *req, spawn_done_t done, spawn_exit_t exited, void *userdata,
               Launch **ret, Error *e);
Launch *launch_free(Launch *l);
/* Reap the child when it exits, and read its report (after launch_fork()). */
int launch_watch(Launch *l, Error *e);
/* Read the report of a child already tracked (the spare). */
int launch_watch_report(Launch *l, Error *e);
int launch_start_direct(Launch *l, Error *e);
/* The exec limit runs from now: the program is to be executed. */
void launch_arm_exec_timer(Launch *l);
/* dbus mode: let the held child go, in its scope or not. */
void launch_release(Launch *l, bool in_scope);
void launch_release_direct(Launch *l, const char *why);
/* The one exit of every launch that got past spawner_launch(). */
void launch_finish(Launch *l, int error, const char *message);
/* The helper that was to put the program in its unit is gone, or the
 * service never came: the program starts anew, directly. */
void launch_restart_direct(Launch *l, const char *why);
/* The manager refused the unit's settings (`why`): the app is not to be
 * lost for them, unless the profile makes them strict. True: they are
 * dropped (logged), call again; false: strict, the launch failed (and is
 * gone). */
bool launch_drop_properties(Launch *l, const char *why);
/* Closes a service's channel and wipes what was still to be written. */
void launch_close_channel(Launch *l);
/* Whether the manager is yet to say how the launch's unit went. */
bool launch_awaits_manager(const Launch *l);
/* A new call for the unit: the last one's job, and one that overtook its
 * reply, are no longer waited for. */
void launch_forget_job(Launch *l);
/* JobRemoved for the launch's unit: true when it is the launch's job (its
 * call answered); one that overtook the reply is kept for it. */
bool launch_job_is_ours(Launch *l, const char *job, const char *result);

/* ---- spare.c */
void spare_schedule(Spawner *s);
/* Whether the spare took the launch (through its hold pipe). */
bool spare_take(Launch *l);
void spare_kill(Spawner *s);

/* ---- fork.c */
const char *spawner_exec_helper(Spawner *s);
/* The pipes and the vfork() of every child (the report pipe, and with
 * `hold` the hold pipe). The PID, or a negative errno. */
pid_t fork_child(ChildSpec *spec, bool hold, int *ret_report, int *ret_hold, Error *e);
/* Whether a child just forked left a failure record: it did not get as far
 * as exec. */
bool report_pending(int report_fd);
/* The launch's child, replacing a helper that failed (and its pipes). */
int launch_fork(Launch *l, const char *program, char *const *argv, bool helper, bool hold, char *pid_slot,
                const char *pid_slot_suffix, Error *e);
char **launch_helper_argv(Launch *l, const char *const *prefix);

/* ---- reap.c */
int child_new(Spawner *s, pid_t pid, const char *entry_id, Child **ret);
/* The launch's service's main process, from now on: its exit comes from
 * child_exited(). Not counted among the children. */
int child_watch_service(Launch *l, pid_t pid);
/* The child exited (si_code CLD_*): delivered now, or after its launch. */
void child_exited(Child *c, const siginfo_t *si);
/* The manager is gone: what it was to say of services will not come. */
void children_forget_services(Spawner *s);
Child *child_free(Child *c);
/* The launch's child from now on: its exit goes to the launch's caller. */
void child_adopt(Launch *l, Child *c);
int child_track(Launch *l, pid_t pid);
/* Whether the child is reaped once it dies (not while a call names it). */
void child_reap_when_dead(Child *c, bool reap);
void child_detach(Child *c, bool keep_callback);

/* ---- scope-dbus.c */
int launch_start_dbus(Launch *l, Error *e);
/* The scope's job ended with `result`. */
void scope_job_done(Launch *l, const char *result);

/* ---- service-dbus.c */
int launch_start_service(Launch *l, Error *e);
void service_job_done(Launch *l, const char *result);

/* ---- scope-run.c */
int launch_start_systemd_run(Launch *l, Error *e);
