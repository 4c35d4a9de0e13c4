/* SPDX-License-Identifier: MIT */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "sesame-build.h"
#include "list.h"
#include "log.h"
#include "path.h"
#include "secure.h"
#include "spawn.h"
#include "strv.h"
#include "systemd-bus.h"
#include "unit-name.h"
#include "utf8.h"
#include "wipe.h"

/* Attempts at a free unit name before giving up on the scope. */
#define UNIT_EXISTS_RETRIES 16

typedef struct Launch Launch;

/* A forked process, tracked until it is reaped and its exit delivered. An
 * exit that overtakes the launch's outcome is held back until the launch is
 * done: callers always see `done` first, and a systemd-run wrapper that
 * failed (and was replaced by a direct spawn) is never reported as the app. */
typedef struct Child Child;
struct Child {
        Spawner *spawner;
        Launch *launch; /* while the launch is pending */
        pid_t pid;
        char *entry_id;
        sd_event_source *source;
        bool reaped;
        siginfo_t status;
        spawn_exit_t exited;
        void *userdata;
        LIST_FIELDS(Child, children);
};

/* One launch, from spawner_launch() to its `done` callback:
 *
 *   dbus:         HELD --(job done | call failed | scope limit)--> RUNNING --(report EOF)--> done
 *                 HELD --(sesame-exec not executable)--> RUNNING (direct) --> done
 *                 HELD --(the child died)--> HELD, dead --(the manager answers | scope limit)--> done (failed)
 *   systemd-run:  RUNNING --(report EOF | scope limit, no SCOPE_READY)--> RUNNING (direct) --> done
 *   none:         RUNNING (direct) --(report EOF)--> done
 *   RUNNING --(exec limit)--> the child is killed --> done (failed)
 *
 * HELD: the child is sesame-exec --hold, waiting on the hold pipe while
 * systemd puts it in its scope. RUNNING: the child was released (or never
 * held) and the report pipe will tell whether the program was executed.
 *
 * Two limits, one after the other (spawn.h): the scope limit for systemd
 * to make the scope, after which the program starts without one; then the
 * exec limit for the program to be executed, after which the child is
 * killed. So a launch reported as failed never leaves the app running. */
typedef enum LaunchState {
        LAUNCH_HELD,
        LAUNCH_RUNNING,
} LaunchState;

struct Launch {
        Spawner *spawner;
        LaunchState state;
        ScopeMode mode;

        char *entry_id;
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

        /* dbus mode */
        sd_bus_slot *call_slot;
        unsigned attempt;
        char *job;                 /* from the StartTransientUnit reply */
        char *early_job, *early_result; /* a JobRemoved that overtook the reply */
        bool release_failed;
        bool died_held;            /* the held child died; the manager has yet to answer */

        /* the child runs the program itself: no helper, nothing to fall back from */
        bool direct;
        bool timer_exec; /* the timer is the exec limit (else the scope limit) */
        uint64_t started_usec;

        char unit[UNIT_NAME_MAX + 1];
        bool in_scope;
        bool have_failure;
        ChildReport failure;

        spawn_done_t done;
        spawn_exit_t exited;
        void *userdata;
        LIST_FIELDS(Launch, launches);
};

struct Spawner {
        sd_event *event;
        sd_bus *bus;
        sd_bus_slot *jobs_slot;
        uint64_t scope_timeout_usec;
        UnitNameStyle unit_names;
        void (*exit_hook)(pid_t pid, void *userdata);
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

void spawn_save_rlimits(void) {
        child_save_rlimits();
}

int spawn_check_cwd(const char *cwd, Error *e) {
        if (!cwd)
                return 0;
        if (cwd[0] != '/')
                return error_setf(e, -EINVAL, "working directory '%s' is not an absolute path", cwd);

        struct stat st;
        if (stat(cwd, &st) < 0)
                return error_setf(e, negative_errno(), "working directory '%s': %s", cwd, strerror(errno));
        if (!S_ISDIR(st.st_mode))
                return error_setf(e, -ENOTDIR, "working directory '%s' is not a directory", cwd);
        return 0;
}

/* ---- children and reaping */

static void spare_forget(Spawner *s);
static void spare_schedule(Spawner *s);

static Child *child_free(Child *c) {
        if (!c)
                return NULL;
        if (c == c->spawner->spare)
                spare_forget(c->spawner);
        LIST_REMOVE(children, c->spawner->children, c);
        c->spawner->n_children--;
        sd_event_source_disable_unref(c->source);
        free(c->entry_id);
        free(c);
        return NULL;
}

/* A child in a call for a scope (PIDs=[pid]) is not reaped until the
 * manager has answered, even if it died: as an unreaped zombie its PID
 * cannot be given to another process, which the manager would then move
 * into the scope. */
static void child_reap_when_dead(Child *c, bool reap) {
        if (c && !c->reaped)
                (void) sd_event_source_set_enabled(c->source, reap ? SD_EVENT_ONESHOT : SD_EVENT_OFF);
}

static void child_deliver(Child *c) {
        if (c->exited)
                c->exited(c->pid, &c->status, c->userdata);
        child_free(c);
}

/* The launch is over for this child: deliver a held-back exit, now or when
 * it comes. `keep_callback` false: the caller never learned of this process. */
static void child_detach(Child *c, bool keep_callback) {
        if (!c)
                return;
        c->launch = NULL;
        child_reap_when_dead(c, true);
        if (!keep_callback)
                c->exited = NULL;
        if (c->reaped)
                child_deliver(c);
}

static int on_child_exit(sd_event_source *source, const siginfo_t *si, void *userdata) {
        Child *c = userdata;

        char pid[16], status[32];
        snprintf(pid, sizeof(pid), "%d", (int) c->pid);
        LogField fields[] = {
                { "entry_id", c->entry_id },
                { "pid", pid },
                { si->si_code == CLD_EXITED ? "exit_status" : "signal", status },
        };
        if (si->si_code == CLD_EXITED)
                snprintf(status, sizeof(status), "%d", si->si_status);
        else
                snprintf(status, sizeof(status), "%s", sigabbrev_np(si->si_status) ?: "?");
        log_fields(LOG_INFO, fields, ELEMENTSOF(fields), "%s (pid %s) exited", c->entry_id, pid);

        c->reaped = true;
        c->status = *si;
        sd_event_source_set_enabled(source, SD_EVENT_OFF);
        Spawner *s = c->spawner;
        pid_t exited = c->pid;
        if (!c->launch)
                child_deliver(c); /* may free c */
        if (s->exit_hook)
                s->exit_hook(exited, s->exit_hook_userdata);
        return 0;
}

static int child_new(Spawner *s, pid_t pid, const char *entry_id, Child **ret) {
        Child *c = calloc(1, sizeof(*c));
        if (!c)
                return -ENOMEM;
        *c = (Child){ .spawner = s, .pid = pid };
        c->entry_id = strdup(entry_id);
        int r = c->entry_id ? sd_event_add_child(s->event, &c->source, pid, WEXITED, on_child_exit, c) : -ENOMEM;
        if (r < 0) {
                free(c->entry_id);
                free(c);
                return r;
        }
        LIST_PREPEND(children, s->children, c);
        s->n_children++;
        *ret = c;
        return 0;
}

static int child_track(Launch *l, pid_t pid) {
        Child *c;
        int r = child_new(l->spawner, pid, l->entry_id, &c);
        if (r < 0)
                return r;
        c->launch = l;
        c->exited = l->exited;
        c->userdata = l->userdata;
        l->child = c;
        return 0;
}

/* ---- launches */

static Launch *launch_free(Launch *l) {
        if (!l)
                return NULL;
        LIST_REMOVE(launches, l->spawner->launches, l);
        l->spawner->n_launches--;
        child_detach(l->child, false);

        /* An unreleased child sees end-of-file and exits without running. */
        safe_close(l->hold_fd);
        safe_close(l->report_fd);
        sd_event_source_disable_unref(l->report_source);
        sd_event_source_disable_unref(l->timer);
        sd_bus_slot_unref(l->call_slot);
        env_map_unref(l->env);
        free(l->job);
        free(l->early_job);
        free(l->early_result);
        free(l->entry_id);
        free(l->description);
        free(l->slice);
        unit_properties_free(l->properties, l->n_properties);
        free(l->program);
        free(l->cwd);
        strv_free(l->argv);
        strv_free(l->log_fields);
        free(l);
        return NULL;
}

/* Failures are the caller's to report: it knows who asked, and the error
 * goes back to it anyway. */
static void launch_log(Launch *l, const SpawnResult *r) {
        char pid[16], env_count[16], spawn_ms[32];
        snprintf(pid, sizeof(pid), "%d", (int) r->pid);
        snprintf(env_count, sizeof(env_count), "%zu", l->env_count);
        uint64_t now = 0;
        (void) sd_event_now(l->spawner->event, CLOCK_MONOTONIC, &now);
        snprintf(spawn_ms, sizeof(spawn_ms), "%.1f", (double) (now - l->started_usec) / 1000);

        LogField fields[16] = {
                { "entry_id", l->entry_id },
                { "pid", pid },
                { "unit", r->unit ? r->unit : "-" },
                { "via_scope", r->via_scope ? "true" : "false" },
                { "env_count", env_count },
        };
        size_t n = 5;
        for (char **f = l->log_fields; f && f[0] && f[1] && n < ELEMENTSOF(fields) - 1; f += 2)
                fields[n++] = (LogField){ f[0], f[1] };
        /* From spawner_launch() to the program executed. */
        if (n < ELEMENTSOF(fields))
                fields[n++] = (LogField){ "spawn_ms", spawn_ms };
        log_fields(LOG_INFO, fields, n, "launched %s", l->entry_id);
}

/* The one exit of every launch that got past spawner_launch(). */
static void launch_finish(Launch *l, int error, const char *message) {
        env_map_wipe(l->env);
        spare_schedule(l->spawner);

        /* The result outlives the launch, which goes before the callback runs
         * (the callback may well start the next launch or free the spawner). */
        char unit[sizeof(l->unit)];
        memcpy(unit, l->unit, sizeof(unit));

        SpawnResult r = {
                .error = error,
                .message = error < 0 ? message : NULL,
                .exec_failed = error < 0 && l->have_failure && l->failure.stage == CHILD_STAGE_EXEC,
                .pid = error < 0 ? 0 : l->pid,
                .unit = error == 0 && l->in_scope ? unit : NULL,
                .via_scope = error == 0 && l->in_scope,
        };
        if (error == 0)
                launch_log(l, &r);

        spawn_done_t done = l->done;
        void *userdata = l->userdata;
        Child *c = TAKE_PTR(l->child);
        if (c)
                c->launch = NULL; /* held until after `done` */
        launch_free(l);
        done(&r, userdata);
        child_detach(c, error == 0);
}

static void launch_finish_report(Launch *l) {
        char message[512];
        const ChildReport *f = &l->failure;

        if (f->stage == CHILD_STAGE_EXEC)
                utf8_snprintf(message, sizeof(message), "cannot execute '%s': %s", l->program, strerror(f->error));
        else if (f->stage == CHILD_STAGE_CHDIR)
                utf8_snprintf(message, sizeof(message), "cannot change to working directory '%s' for '%s': %s",
                         l->cwd, l->program, strerror(f->error));
        else
                utf8_snprintf(message, sizeof(message), "'%s' not started: %s failed: %s", l->program,
                         child_stage_to_string((ChildStage) f->stage), strerror(f->error));
        launch_finish(l, -f->error, message);
}

static int on_report(sd_event_source *source, int fd, uint32_t revents, void *userdata);
static int launch_start_direct(Launch *l, Error *e);

/* The pipes and the vfork() of every child. vfork(): no page tables to
 * copy, no copy-on-write faults afterwards, which makes it several times
 * cheaper than fork() (docs/benchmarks.md). The report pipe (and with
 * `hold`, the hold pipe) is made here and put in `spec`; the parent's ends
 * come back in *ret_report and *ret_hold (-1 without hold). When vfork()
 * returns, the child has either executed or failed and left a record in
 * the report pipe (report_pending()). */
static pid_t fork_child(ChildSpec *spec, bool hold, int *ret_report, int *ret_hold, Error *e) {
        int report[2] = { -1, -1 }, holdp[2] = { -1, -1 };
        /* Our end of the report pipe is read on the event loop and must
         * never block it (a child whose exec hangs on a dead network
         * file system keeps its end open); the child's end takes one
         * record of 8 bytes, which a fresh pipe holds. */
        if (pipe2(report, O_CLOEXEC | O_NONBLOCK) < 0)
                return error_setf(e, negative_errno(), "cannot create a pipe: %m");
        if (hold && pipe2(holdp, O_CLOEXEC) < 0) {
                int r = error_setf(e, negative_errno(), "cannot create a pipe: %m");
                safe_close(report[0]);
                safe_close(report[1]);
                return r;
        }
        spec->report_fd = report[1];
        spec->hold_fd = holdp[0];

        pid_t pid = vfork();
        if (pid == 0)
                child_exec(spec);

        int fork_errno = errno;
        safe_close(report[1]);
        safe_close(holdp[0]);
        if (pid < 0) {
                safe_close(report[0]);
                safe_close(holdp[1]);
                return error_setf(e, -fork_errno, "cannot fork: %s", strerror(fork_errno));
        }
        *ret_report = report[0];
        *ret_hold = holdp[1];
        return pid;
}

/* Whether a child just forked left a failure record, i.e. did not get as
 * far as exec. Exact, because vfork() returned only after exec or exit. */
static bool report_pending(int report_fd) {
        int pending = 0;
        return ioctl(report_fd, FIONREAD, &pending) < 0 || pending > 0;
}

/* Starts the child for this launch (fork_child()). `helper`: `program` is
 * sesame-exec, or systemd-run ending in it, which needs the report pipe
 * (and with `hold`, the hold pipe) across exec. launch_watch() follows, at
 * once or (dbus mode) right after the call that asks for the scope. */
static int launch_fork(Launch *l, const char *program, char *const *argv, bool helper, bool hold, char *pid_slot,
                       const char *pid_slot_suffix, Error *e) {
        char **envp = env_map_envp(l->env);
        if (!envp)
                return error_setf(e, -ENOMEM, "out of memory");

        ChildSpec spec = {
                .program = program,
                .argv = argv,
                .envp = envp,
                .cwd = l->cwd,
                .helper = helper,
                .pid_slot = pid_slot,
                .pid_slot_suffix = pid_slot_suffix,
        };
        int report_fd, hold_fd;
        pid_t pid = fork_child(&spec, hold, &report_fd, &hold_fd, e);
        if (pid < 0)
                return pid;

        /* A fallback replaces the helper that failed, and its pipes. */
        child_detach(TAKE_PTR(l->child), false);
        sd_event_source_disable_unref(l->report_source);
        l->report_source = NULL;
        safe_close(l->report_fd);
        safe_close(l->hold_fd);
        l->report_fd = report_fd;
        l->hold_fd = hold_fd;
        l->pid = pid;
        return 0;
}

/* After launch_fork(): reap the child when it exits, and read its report. */
static int launch_watch(Launch *l, Error *e) {
        Spawner *s = l->spawner;
        pid_t pid = l->pid;
        int r = child_track(l, pid);
        if (r < 0) {
                /* Cannot watch it, so it must not run: it is ours and held or
                 * just started, so this wait is immediate. */
                kill(pid, SIGKILL);
                (void) waitpid(pid, NULL, 0);
                return error_setf(e, r, "cannot watch the child: %s", strerror(-r));
        }

        r = sd_event_add_io(s->event, &l->report_source, l->report_fd, EPOLLIN, on_report, l);
        if (r < 0)
                /* The child is tracked and will be reaped; killing it is enough. */
                return kill(pid, SIGKILL), error_setf(e, r, "cannot watch the child: %s", strerror(-r));
        return 0;
}

/* From now on the exec limit runs: the program is to be executed. */
static void launch_arm_exec_timer(Launch *l) {
        l->timer_exec = true;
        (void) sd_event_source_set_time_relative(l->timer, SPAWN_EXEC_TIMEOUT_USEC);
        (void) sd_event_source_set_enabled(l->timer, SD_EVENT_ONESHOT);
}

static void launch_finish_died_held(Launch *l) {
        char message[512];
        utf8_snprintf(message, sizeof(message), "'%s' not started: its process died before it was released",
                      l->program);
        launch_finish(l, -ESRCH, message);
}

/* dbus mode: the manager has answered (or the scope limit passed): let the
 * held child go, in its scope or not, and give it the exec limit. */
static void launch_release(Launch *l, bool in_scope) {
        l->state = LAUNCH_RUNNING;
        l->in_scope = in_scope;
        l->call_slot = sd_bus_slot_unref(l->call_slot);
        /* Whatever the manager did with its PID is done. */
        child_reap_when_dead(l->child, true);

        char go = CHILD_RELEASE_BYTE;
        if (write(l->hold_fd, &go, 1) != 1)
                /* It died while held; the report pipe tells the rest. */
                l->release_failed = true;
        l->hold_fd = safe_close(l->hold_fd);
        if (l->died_held)
                /* Its end-of-file came while the call was out. */
                return launch_finish_died_held(l);
        launch_arm_exec_timer(l);
}

static void launch_release_direct(Launch *l, const char *why) {
        log_warning("%s: not placed in a scope (%s); starting it directly", l->entry_id, why);
        launch_release(l, false);
}

/* The helper that was to put the program in its scope failed before the
 * program: systemd-run exited without reaching sesame-exec, or sesame-exec
 * (or systemd-run) could not be executed at all. */
static bool launch_helper_failed(Launch *l) {
        if (l->direct)
                return false;
        if (l->have_failure)
                return l->failure.stage == CHILD_STAGE_HELPER;
        return l->mode == SCOPE_MODE_SYSTEMD_RUN && !l->in_scope;
}

static void launch_fall_back(Launch *l) {
        if (l->have_failure)
                log_warning("%s: cannot execute the launch helper (%s); starting it directly", l->entry_id,
                            strerror(l->failure.error));
        else
                log_warning("%s: systemd-run failed before starting the program; starting it directly",
                            l->entry_id);

        l->have_failure = false;
        l->in_scope = false;
        l->state = LAUNCH_RUNNING;
        l->call_slot = sd_bus_slot_unref(l->call_slot);

        Error e = {};
        int r = launch_start_direct(l, &e);
        if (r < 0)
                launch_finish(l, r, error_message(&e));
}

/* The report pipe reached end-of-file: the child exec'd, or failed first. */
static void launch_report_done(Launch *l) {
        if (launch_helper_failed(l))
                return launch_fall_back(l);

        if (l->have_failure)
                return launch_finish_report(l);

        if (l->state == LAUNCH_HELD) {
                /* Its PID is in the call for the scope: answered when the
                 * manager has answered, the child unreaped till then. */
                l->died_held = true;
                (void) sd_event_source_set_enabled(l->report_source, SD_EVENT_OFF);
                return;
        }
        if (l->release_failed)
                return launch_finish_died_held(l);
        launch_finish(l, 0, NULL);
}

static int on_report(sd_event_source *source, int fd, uint32_t revents, void *userdata) {
        (void) source;
        (void) revents;
        Launch *l = userdata;

        for (;;) {
                ChildReport report;
                ssize_t n = read(fd, &report, sizeof(report));
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0 && errno == EAGAIN)
                        return 0;
                if (n == (ssize_t) sizeof(report)) {
                        if (report.stage == CHILD_STAGE_SCOPE_READY && l->mode == SCOPE_MODE_SYSTEMD_RUN &&
                            !l->direct) {
                                l->in_scope = true;
                                launch_arm_exec_timer(l);
                        }
                        else if (!l->have_failure && report.stage != CHILD_STAGE_SCOPE_READY) {
                                l->failure = report;
                                l->have_failure = true;
                        }
                        continue;
                }
                /* End-of-file, or a torn record no child of ours writes. */
                launch_report_done(l);
                return 0;
        }
}

static int on_timeout(sd_event_source *source, uint64_t usec, void *userdata) {
        (void) source;
        (void) usec;
        Launch *l = userdata;
        char message[512];

        if (!l->timer_exec) {
                /* The scope limit: the program starts without a scope. */
                utf8_snprintf(message, sizeof(message), "systemd did not make the scope within %llu ms",
                              (unsigned long long) (l->spawner->scope_timeout_usec / 1000));
                if (l->state == LAUNCH_HELD) {
                        launch_release_direct(l, message);
                        return 0;
                }
                /* systemd-run waits for the scope itself: it goes (its PID
                 * is ours, unreaped until now), the program starts anew. */
                log_warning("%s: %s; starting it directly", l->entry_id, message);
                (void) kill(l->pid, SIGKILL);
                l->in_scope = l->have_failure = false;
                Error e = {};
                int r = launch_start_direct(l, &e);
                if (r < 0)
                        launch_finish(l, r, error_message(&e));
                return 0;
        }

        /* The exec limit: the child goes, so that a launch reported as
         * failed never turns into an app that runs after all. */
        (void) kill(l->pid, SIGKILL);
        utf8_snprintf(message, sizeof(message), "'%s' did not start within %llu ms; stopped it", l->program,
                      (unsigned long long) (SPAWN_EXEC_TIMEOUT_USEC / 1000));
        launch_finish(l, -ETIMEDOUT, message);
        return 0;
}

/* ---- the spare */

#define SPARE_DELAY_USEC (10 * 1000)

static const char *spawner_exec_helper(Spawner *s) {
        if (!s->exec_helper)
                s->exec_helper = path_helper("sesame-exec");
        return s->exec_helper;
}

static void spare_forget(Spawner *s) {
        s->spare = NULL;
        s->spare_hold_fd = safe_close(s->spare_hold_fd);
        s->spare_report_fd = safe_close(s->spare_report_fd);
}

/* Forks and executes sesame-exec --spare: held on its hold pipe, with no
 * program and an empty environment yet. -ENOEXEC when sesame-exec cannot
 * be executed (launches then report that themselves). */
static int spare_create(Spawner *s) {
        const char *helper = spawner_exec_helper(s);
        if (!helper)
                return -ENOMEM;
        char *argv[] = { (char *) helper, (char *) "--spare", NULL }, *envp[] = { NULL };
        ChildSpec spec = { .program = helper, .argv = argv, .envp = envp, .helper = true };
        int report_fd, hold_fd;
        Error ignored = {};
        pid_t pid = fork_child(&spec, true, &report_fd, &hold_fd, &ignored);
        if (pid < 0)
                return pid;
        Child *c = NULL;
        int r = 0;
        if (report_pending(report_fd)) {
                /* Reaped here: it has exited already. */
                (void) waitpid(pid, NULL, 0);
                r = -ENOEXEC;
        } else if ((r = child_new(s, pid, "sesame-exec --spare", &c)) < 0) {
                kill(pid, SIGKILL);
                (void) waitpid(pid, NULL, 0);
        } else if (fcntl(hold_fd, F_SETFL, O_NONBLOCK) < 0) {
                /* A launch writes to it once, and must never block on it.
                 * Tracked: its exit is reaped as any child's. */
                r = negative_errno();
                kill(pid, SIGKILL);
        }
        if (r < 0) {
                safe_close(report_fd);
                safe_close(hold_fd);
                return r;
        }
        s->spare = c;
        s->spare_hold_fd = hold_fd;
        s->spare_report_fd = report_fd;
        return 0;
}

static int on_spare_due(sd_event_source *source, uint64_t usec, void *userdata) {
        Spawner *s = userdata;
        s->spare_due = sd_event_source_disable_unref(s->spare_due);
        if (!s->use_spare || s->spare)
                return 0;
        int r = spare_create(s);
        if (r == -ENOEXEC) {
                log_warning("cannot execute %s; launches go without a spare", spawner_exec_helper(s));
                s->use_spare = false;
        } else if (r < 0)
                log_debug("no spare for the next launch: %s", strerror(-r));
        return 0;
}

/* A new spare SPARE_DELAY_USEC after the launch that took the last one:
 * never on a launch's path, and not while the client that launched, the
 * app just started and the manager finishing its scope all want the CPU
 * (made right after the reply, it slowed back-to-back launches by more
 * than it saved, docs/benchmarks.md). A spare that died is replaced after
 * the next launch, so a helper that keeps failing costs one fork per
 * launch, not a loop. */
static void spare_schedule(Spawner *s) {
        if (!s->use_spare || !s->bus || s->spare || s->spare_due)
                return;
        (void) sd_event_add_time_relative(s->event, &s->spare_due, CLOCK_MONOTONIC, SPARE_DELAY_USEC,
                                          SPARE_DELAY_USEC / 10, on_spare_due, s);
}

/* The spare becomes this launch's child: the launch goes to it through the
 * hold pipe, where the environment leaves our memory. 1: taken; 0: none
 * to take (or it could not be given the launch, and is gone); <0: the
 * launch fails. */
static int launch_take_spare(Launch *l, Error *e) {
        Spawner *s = l->spawner;
        /* (A spare that exited was forgotten when it was reaped.) */
        Child *c = s->spare;
        if (!c)
                return 0;
        char **envp = env_map_envp(l->env);
        size_t len = envp ? child_launch_size(l->program, l->cwd, l->argv, envp) : 0;
        /* It holds the environment, secrets and all: a secure buffer. */
        uint8_t *data = len > 0 ? secure_alloc(len) : NULL;
        if (!data)
                return 0;
        child_launch_encode(data, len, l->program, l->cwd, l->argv, envp);
        /* Into an empty pipe at least as large: written whole or not at all. */
        bool sent = (len <= 65536 || fcntl(s->spare_hold_fd, F_SETPIPE_SZ, (int) len) >= (int) len) &&
                    write(s->spare_hold_fd, data, len) == (ssize_t) len;
        secure_free(data, len);
        if (!sent) {
                /* It may hold part of a launch: not for any other. Its exit
                 * is reaped as any child's. */
                kill(c->pid, SIGKILL);
                spare_forget(s);
                return 0;
        }

        l->pid = c->pid;
        l->hold_fd = TAKE_FD(s->spare_hold_fd);
        l->report_fd = TAKE_FD(s->spare_report_fd);
        s->spare = NULL;
        char *id = strdup(l->entry_id);
        if (id) {
                free(c->entry_id);
                c->entry_id = id;
        }
        c->launch = l;
        c->exited = l->exited;
        c->userdata = l->userdata;
        l->child = c;
        int r = sd_event_add_io(s->event, &l->report_source, l->report_fd, EPOLLIN, on_report, l);
        if (r < 0)
                return kill(l->pid, SIGKILL), error_setf(e, r, "cannot watch the child: %s", strerror(-r));
        return 1;
}

/* ---- dbus mode */

static void launch_job_done(Launch *l, const char *result) {
        if (strcmp(result, "done") == 0)
                launch_release(l, true);
        else {
                char why[128];
                snprintf(why, sizeof(why), "scope job %s", result);
                launch_release_direct(l, why);
        }
}

static int launch_request_scope(Launch *l);

/* Strict unit settings the manager refused: the held child is let go
 * unreleased (it exits on its pipe's end) and the launch fails. */
static int launch_refuse(Launch *l, const char *why) {
        char message[512];
        utf8_snprintf(message, sizeof(message), "the user manager refused the unit settings, which this launch's "
                      "profile makes strict (Strict=yes): %s", why);
        l->call_slot = sd_bus_slot_unref(l->call_slot);
        child_reap_when_dead(l->child, true);
        l->hold_fd = safe_close(l->hold_fd);
        launch_finish(l, -EPERM, message);
        return 0;
}

static int on_start_reply(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        (void) ret_error;
        Launch *l = userdata;

        l->call_slot = sd_bus_slot_unref(l->call_slot);

        const sd_bus_error *error = sd_bus_message_get_error(m);
        if (error) {
                const char *why = error->message ? error->message : error->name;
                if (sd_bus_error_has_name(error, SYSTEMD_ERROR_UNIT_EXISTS) && l->attempt < UNIT_EXISTS_RETRIES) {
                        log_debug("%s: unit %s exists, retrying with a suffix", l->entry_id, l->unit);
                        l->attempt++;
                        if (launch_request_scope(l) >= 0)
                                return 0;
                } else if (l->n_properties > 0) {
                        /* Most likely one of the unit settings: the app is
                         * not to be lost for it, unless the profile says so. */
                        if (l->strict_properties)
                                return launch_refuse(l, why);
                        log_warning("%s: the user manager refused the unit settings (%s); the scope is made without "
                                    "them",
                                    l->entry_id, why);
                        unit_properties_free(l->properties, l->n_properties);
                        l->properties = NULL;
                        l->n_properties = 0;
                        if (launch_request_scope(l) >= 0)
                                return 0;
                }
                launch_release_direct(l, why);
                return 0;
        }

        const char *job;
        int r = sd_bus_message_read(m, "o", &job);
        if (r < 0 || !(l->job = strdup(job))) {
                launch_release_direct(l, "unreadable reply from systemd");
                return 0;
        }
        if (l->early_job && strcmp(l->early_job, l->job) == 0)
                launch_job_done(l, l->early_result);
        return 0;
}

static int on_job_removed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        (void) ret_error;
        Spawner *s = userdata;

        uint32_t id;
        const char *job, *unit, *result;
        if (sd_bus_message_read(m, "uoss", &id, &job, &unit, &result) < 0)
                return 0;

        Launch *l, *n;
        LIST_FOREACH_SAFE(launches, l, n, s->launches) {
                if (l->state != LAUNCH_HELD || strcmp(l->unit, unit) != 0)
                        continue;
                if (l->job) {
                        if (strcmp(l->job, job) == 0)
                                launch_job_done(l, result);
                } else {
                        /* Ahead of the reply that names our job: keep it for then. */
                        free(l->early_job);
                        free(l->early_result);
                        l->early_job = strdup(job);
                        l->early_result = strdup(result);
                }
                break;
        }
        return 0;
}

static int launch_request_scope(Launch *l) {
        int r = unit_name_for_scope(l->spawner->unit_names, l->entry_id, l->pid, l->attempt, l->unit);
        if (r < 0)
                return r;
        free(l->job);
        free(l->early_job);
        free(l->early_result);
        l->job = l->early_job = l->early_result = NULL;
        return systemd_start_scope_async(l->spawner->bus, &l->call_slot, l->unit, l->pid, l->description, l->slice,
                                         l->properties, l->n_properties, l->spawner->scope_timeout_usec,
                                         on_start_reply, l);
}

/* `prefix` (a wrapper's command line, ending in sesame-exec's options and
 * "--"), then the program and its whole argv, as sesame-exec takes them.
 * The strings are borrowed. */
static char **launch_helper_argv(Launch *l, const char *const *prefix) {
        size_t n_prefix = strv_length((char *const *) prefix), n_args = strv_length(l->argv);
        char **argv = calloc(n_prefix + 1 + n_args + 1, sizeof(char *));
        if (!argv)
                return NULL;
        size_t k = 0;
        for (size_t i = 0; i < n_prefix; i++)
                argv[k++] = (char *) prefix[i];
        argv[k++] = l->program;
        for (size_t i = 0; i < n_args; i++)
                argv[k++] = l->argv[i];
        return argv;
}

/* After the call for the scope went out: the held child has its copy of the
 * launch, so ours goes; a call that could not be made releases the child
 * without a scope. */
static void launch_held(Launch *l, int call) {
        env_map_wipe(l->env);
        if (call < 0) {
                char why[128];
                snprintf(why, sizeof(why), "cannot call systemd: %s", strerror(-call));
                launch_release_direct(l, why);
        }
}

static int launch_start_dbus(Launch *l, Error *e) {
        if (!l->spawner->bus) {
                log_warning("%s: no systemd user manager; starting it directly", l->entry_id);
                return launch_start_direct(l, e);
        }

        int r = launch_take_spare(l, e);
        if (r < 0)
                return r;
        if (r > 0) {
                /* The spare has the launch, in its pipe. */
                l->state = LAUNCH_HELD;
                child_reap_when_dead(l->child, false);
                launch_held(l, launch_request_scope(l));
                return 0;
        }

        /* The child execs sesame-exec, which waits on the hold pipe while
         * systemd moves it into the scope, then execs the program. */
        const char *helper = spawner_exec_helper(l->spawner);
        _cleanup_free_ char **argv = helper ? launch_helper_argv(l, (const char *[]){ helper, "--hold", "--", NULL })
                                            : NULL;
        if (!argv)
                return error_setf(e, -ENOMEM, "out of memory");
        r = launch_fork(l, helper, argv, true, true, NULL, NULL, e);
        if (r < 0)
                return r;
        l->state = LAUNCH_HELD;
        if (report_pending(l->report_fd))
                /* No helper: the report pipe takes it from here, to a direct
                 * start that needs the environment once more. */
                return launch_watch(l, e);

        /* The call first: systemd makes the scope while we set up the rest. */
        int call = launch_request_scope(l);
        r = launch_watch(l, e);
        if (r < 0)
                return r;
        child_reap_when_dead(l->child, false);
        /* sesame-exec has its copy; a fallback from here releases it. */
        launch_held(l, call);
        return 0;
}

/* ---- systemd-run mode */

static int launch_start_systemd_run(Launch *l, Error *e) {
        Spawner *s = l->spawner;

        _cleanup_free_ char *systemd_run = path_find_executable("systemd-run");
        if (!systemd_run) {
                log_warning("%s: systemd-run not found in PATH; starting it directly", l->entry_id);
                return launch_start_direct(l, e);
        }
        const char *helper = spawner_exec_helper(s);
        if (!helper)
                return error_setf(e, -ENOMEM, "out of memory");

        /* --unit=app-open-sesame-<id>-<pid>.scope: the child writes its own
         * PID into the slot after fork, which is also the app's PID, since
         * systemd-run and sesame-exec exec in place. */
        char prefix[UNIT_NAME_MAX + 1];
        int r = unit_name_prefix(s->unit_names, l->entry_id, prefix);
        if (r < 0)
                return error_setf(e, r, "unit name too long");
        char unit_arg[sizeof("--unit=") + UNIT_NAME_MAX + 1];
        int prefix_len = snprintf(unit_arg, sizeof(unit_arg), "--unit=%s", prefix);
        if (prefix_len < 0 || (size_t) prefix_len + 10 + sizeof(SCOPE_SUFFIX) > sizeof(unit_arg))
                return error_setf(e, -ENAMETOOLONG, "unit name too long");

        _cleanup_free_ char *slice_arg = NULL, *description_arg = NULL;
        if (asprintf(&slice_arg, "--slice=%s", l->slice ? l->slice : "app.slice") < 0 ||
            asprintf(&description_arg, "--description=%s", l->description) < 0)
                return error_setf(e, -ENOMEM, "out of memory");

        /* The unit settings as systemd-run's -p NAME=VALUE, in systemd's own
         * syntax, as they were written. */
        _cleanup_(strv_freep) char **settings = calloc(l->n_properties + 1, sizeof(char *));
        const char *prefix_argv[16 + 2 * UNIT_PROPERTIES_MAX];
        size_t n = 0;
        if (!settings || l->n_properties > UNIT_PROPERTIES_MAX)
                return error_setf(e, -ENOMEM, "out of memory");
        const char *const head[] = { systemd_run, "--user", "--scope", "--quiet", "--collect", unit_arg, slice_arg,
                                     description_arg };
        for (size_t i = 0; i < ELEMENTSOF(head); i++)
                prefix_argv[n++] = head[i];
        for (size_t i = 0; i < l->n_properties; i++) {
                if (asprintf(&settings[i], "%s=%s", l->properties[i].setting, l->properties[i].text) < 0) {
                        settings[i] = NULL;
                        return error_setf(e, -ENOMEM, "out of memory");
                }
                prefix_argv[n++] = "-p";
                prefix_argv[n++] = settings[i];
        }
        /* sesame-exec --ready tells us systemd-run got as far as the scope. */
        const char *const tail[] = { "--", helper, "--ready", "--", NULL };
        for (size_t i = 0; i < ELEMENTSOF(tail); i++)
                prefix_argv[n++] = tail[i];
        _cleanup_free_ char **wrapper = launch_helper_argv(l, prefix_argv);
        if (!wrapper)
                return error_setf(e, -ENOMEM, "out of memory");

        r = launch_fork(l, systemd_run, wrapper, true, false, unit_arg + prefix_len, SCOPE_SUFFIX, e);
        if (r >= 0)
                r = launch_watch(l, e);
        if (r < 0)
                return r;
        /* The parent's copy of the name, with the same PID. */
        return unit_name_for_scope(s->unit_names, l->entry_id, l->pid, 0, l->unit);
}

/* ---- none mode, and every fallback before a fork */

static int launch_start_direct(Launch *l, Error *e) {
        /* No helper: no fallback can need the environment again. */
        l->direct = true;
        if (l->n_properties > 0)
                log_warning("%s: started without a scope: its unit settings (%s=%s%s) are not applied", l->entry_id,
                            l->properties[0].setting, l->properties[0].text, l->n_properties > 1 ? ", ..." : "");
        int r = launch_fork(l, l->program, l->argv, false, false, NULL, NULL, e);
        if (r >= 0)
                r = launch_watch(l, e);
        env_map_wipe(l->env);
        if (r >= 0)
                launch_arm_exec_timer(l);
        return r;
}

/* ---- API */

/* The caller's log fields as key, value, key, value...: they outlive its call. */
static int log_fields_flatten(const LogField *fields, size_t n, char ***ret) {
        *ret = NULL;
        if (n == 0)
                return 0;
        char **l = calloc(2 * n + 1, sizeof(char *));
        if (!l)
                return -ENOMEM;
        *ret = l;
        for (size_t i = 0; i < n; i++)
                if (!(l[2 * i] = strdup(fields[i].key)) || !(l[2 * i + 1] = strdup(fields[i].value)))
                        return -ENOMEM; /* the copy so far is freed with the launch */
        return 0;
}

static int launch_new(Spawner *s, const SpawnRequest *req, Launch **ret) {
        Launch *l = calloc(1, sizeof(*l));
        if (!l)
                return -ENOMEM;
        l->spawner = s;
        l->hold_fd = l->report_fd = -1;
        l->state = LAUNCH_RUNNING;
        l->mode = req->mode;
        l->env = req->env;
        l->env_count = env_map_size(req->env);
        LIST_PREPEND(launches, s->launches, l);
        s->n_launches++;

        l->entry_id = strdup(req->entry_id);
        l->program = strdup(req->program);
        l->argv = strv_copy(req->argv);
        l->cwd = req->cwd ? strdup(req->cwd) : NULL;
        l->slice = req->slice ? strdup(req->slice) : NULL;
        /* D-Bus strings are UTF-8: a Description that is not would fail
         * the call for the scope, so it is made so. */
        l->description = utf8_sanitize(req->description ? req->description : req->entry_id);
        int r = log_fields_flatten(req->log_fields, req->n_log_fields, &l->log_fields);
        l->strict_properties = req->strict_properties;
        for (size_t i = 0; r >= 0 && i < req->n_unit_properties; i++)
                r = unit_properties_put(&l->properties, &l->n_properties, &req->unit_properties[i]);
        if (r < 0 || !l->entry_id || !l->program || !l->argv || (req->cwd && !l->cwd) || (req->slice && !l->slice) ||
            !l->description) {
                launch_free(l);
                return -ENOMEM;
        }
        *ret = l;
        return 0;
}

int spawner_launch(Spawner *s, const SpawnRequest *req, spawn_done_t done, spawn_exit_t exited, void *userdata,
                   Error *e) {
        /* The env reference is ours from here on, whatever happens. */
        _cleanup_(env_map_unrefp) EnvMap *env = req ? req->env : NULL;

        int r = 0;
        if (!s || !req || !done || !req->env)
                r = error_setf(e, -EINVAL, "invalid launch request");
        else if (!req->program || !req->program[0] || !req->argv || !req->argv[0])
                r = error_setf(e, -EINVAL, "no program to launch");
        else if (!req->entry_id)
                r = error_setf(e, -EINVAL, "launch request without an entry ID");
        else if (req->mode < 0 || req->mode >= _SCOPE_MODE_MAX)
                r = error_setf(e, -EINVAL, "invalid scope mode");
        else
                r = spawn_check_cwd(req->cwd, e);
        if (r < 0) {
                env_map_wipe(env);
                return r;
        }

        Launch *l;
        r = launch_new(s, req, &l);
        if (r < 0) {
                env_map_wipe(env);
                return error_setf(e, r, "out of memory");
        }
        TAKE_PTR(env); /* now the launch's */
        (void) sd_event_now(s->event, CLOCK_MONOTONIC, &l->started_usec);
        l->done = done;
        l->exited = exited;
        l->userdata = userdata;

        /* The scope limit first; a direct start makes it the exec limit. */
        r = sd_event_add_time_relative(s->event, &l->timer, CLOCK_MONOTONIC, s->scope_timeout_usec, 0, on_timeout, l);
        if (r < 0) {
                launch_free(l);
                return error_setf(e, r, "cannot arm a timer: %s", strerror(-r));
        }

        switch (l->mode) {
        case SCOPE_MODE_DBUS:
                r = launch_start_dbus(l, e);
                break;
        case SCOPE_MODE_SYSTEMD_RUN:
                r = launch_start_systemd_run(l, e);
                break;
        default:
                r = launch_start_direct(l, e);
                break;
        }
        if (r < 0) {
                launch_free(l);
                return r;
        }
        return 0;
}

int spawner_new(Spawner **ret, sd_event *event, sd_bus *bus) {
        assert_return(ret && event, -EINVAL);

        /* sd-event's child sources need SIGCHLD blocked; children get an
         * empty mask back before exec. */
        sigset_t mask;
        sigemptyset(&mask);
        sigaddset(&mask, SIGCHLD);
        if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
                return negative_errno();

        child_save_rlimits();

        Spawner *s = calloc(1, sizeof(*s));
        if (!s)
                return -ENOMEM;
        s->event = sd_event_ref(event);
        s->scope_timeout_usec = SPAWN_SCOPE_TIMEOUT_USEC;
        s->spare_hold_fd = s->spare_report_fd = -1;

        int r = spawner_set_bus(s, bus);
        if (r < 0) {
                spawner_free(s);
                return r;
        }
        *ret = s;
        return 0;
}

int spawner_set_bus(Spawner *s, sd_bus *bus) {
        assert_return(s, -EINVAL);
        if (!bus || s->jobs_slot)
                return 0;
        int r = systemd_watch_jobs(bus, &s->jobs_slot, on_job_removed, s);
        if (r < 0)
                return r;
        sd_bus_unref(s->bus);
        s->bus = sd_bus_ref(bus);
        spare_schedule(s);
        return 0;
}

Spawner *spawner_free(Spawner *s) {
        if (!s)
                return NULL;
        while (s->launches)
                launch_free(s->launches);
        if (s->spare) {
                /* Ours alone, and never given a launch: it goes. */
                pid_t pid = s->spare->pid;
                spare_forget(s);
                kill(pid, SIGKILL);
                (void) waitpid(pid, NULL, 0);
        }
        sd_event_source_disable_unref(s->spare_due);
        /* Children keep running; we only stop watching them. */
        while (s->children)
                child_free(s->children);
        sd_bus_slot_unref(s->jobs_slot);
        sd_bus_unref(s->bus);
        sd_event_unref(s->event);
        free(s->exec_helper);
        free(s);
        return NULL;
}

void spawner_set_exit_hook(Spawner *s, void (*hook)(pid_t pid, void *userdata), void *userdata) {
        if (!s)
                return;
        s->exit_hook = hook;
        s->exit_hook_userdata = userdata;
}

void spawner_set_unit_names(Spawner *s, UnitNameStyle style) {
        if (s && style >= 0 && style < _UNIT_NAMES_MAX)
                s->unit_names = style;
}

void spawner_set_scope_timeout(Spawner *s, uint64_t usec) {
        if (s && usec > 0)
                s->scope_timeout_usec = usec;
}

uint64_t spawner_timeout(const Spawner *s) {
        return (s ? s->scope_timeout_usec : SPAWN_SCOPE_TIMEOUT_USEC) + SPAWN_EXEC_TIMEOUT_USEC;
}

int spawner_set_exec_helper(Spawner *s, const char *path) {
        assert_return(s && path && path[0] == '/', -EINVAL);
        char *p = strdup(path);
        if (!p)
                return -ENOMEM;
        free(s->exec_helper);
        s->exec_helper = p;
        return 0;
}

void spawner_set_spare(Spawner *s, bool enabled) {
        if (!s)
                return;
        s->use_spare = enabled;
        spare_schedule(s);
}

size_t spawner_children(const Spawner *s) {
        return s ? s->n_children - (s->spare ? 1 : 0) : 0;
}

size_t spawner_launches(const Spawner *s) {
        return s ? s->n_launches : 0;
}
