/* SPDX-License-Identifier: MIT */
/* A launch's states (spawn-internal.h), from its start to `done`: the
 * report pipe, the two limits, the release of a held child, the direct
 * start every fallback ends in, and the one exit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/log.h"
#include "common/secure.h"
#include "common/strv.h"
#include "common/utf8.h"
#include "spawn/spawn-internal.h"

static int on_report(sd_event_source *source, int fd, uint32_t revents, void *userdata);
static int on_timeout(sd_event_source *source, uint64_t usec, void *userdata);

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

int launch_new(Spawner *s, const SpawnRequest *req, spawn_done_t done, spawn_exit_t exited, void *userdata,
               Launch **ret, Error *e) {
        Launch *l = calloc(1, sizeof(*l));
        if (!l) {
                env_map_wipe(req->env);
                env_map_unref(req->env);
                return error_setf(e, -ENOMEM, "out of memory");
        }
        *l = (Launch){ .spawner = s, .hold_fd = -1, .report_fd = -1, .channel_fd = -1, .limit = LIMIT_SCOPE, .mode = req->mode,
                       .env = req->env, .env_count = env_map_size(req->env), .done = done, .exited = exited,
                       .userdata = userdata, .strict_properties = req->strict_properties };
        /* (Each mode's start sets the state.) */
        LIST_PREPEND(launches, s->launches, l);
        s->n_launches++;
        (void) sd_event_now(s->event, CLOCK_MONOTONIC, &l->started_usec);

        l->entry_id = strdup(req->entry_id);
        l->program = strdup(req->program);
        l->argv = strv_copy(req->argv);
        l->cwd = req->cwd ? strdup(req->cwd) : NULL;
        l->journal = req->journal ? strdup(req->journal) : NULL;
        l->output = (req->stderr_null ? CHILD_OUTPUT_STDERR_NULL : 0) |
                    (req->stdout_journal ? CHILD_OUTPUT_STDOUT_JOURNAL : 0);
        l->slice = req->slice ? strdup(req->slice) : NULL;
        l->service = req->service;
        l->source_path = req->source_path ? strdup(req->source_path) : NULL;
        /* D-Bus strings are UTF-8: a Description that is not would fail
         * the call for the scope, so it is made so. */
        l->description = utf8_sanitize(req->description ? req->description : req->entry_id);
        int r = log_fields_flatten(req->log_fields, req->n_log_fields, &l->log_fields);
        for (size_t i = 0; r >= 0 && i < req->n_unit_properties; i++)
                r = unit_properties_put(&l->properties, &l->n_properties, &req->unit_properties[i]);
        if (r < 0 || !l->entry_id || !l->program || !l->argv || (req->cwd && !l->cwd) || (req->slice && !l->slice) ||
            (req->journal && !l->journal) || (req->source_path && !l->source_path) ||
            !l->description)
                r = error_setf(e, -ENOMEM, "out of memory");
        /* The scope limit first; a direct start makes it the exec limit. */
        else if ((r = sd_event_add_time_relative(s->event, &l->timer, CLOCK_MONOTONIC, s->scope_timeout_usec, 0,
                                                 on_timeout, l)) < 0)
                r = error_setf(e, r, "cannot arm a timer: %s", strerror(-r));
        if (r < 0) {
                env_map_wipe(l->env);
                launch_free(l);
                return r;
        }
        *ret = l;
        return 0;
}

bool launch_awaits_manager(const Launch *l) {
        return l->state == LAUNCH_HELD || l->state == LAUNCH_HELD_DEAD || l->state == LAUNCH_STARTING;
}

void launch_forget_job(Launch *l) {
        free(l->job);
        free(l->early_job);
        free(l->early_result);
        l->job = l->early_job = l->early_result = NULL;
}

bool launch_job_is_ours(Launch *l, const char *job, const char *result) {
        if (l->job)
                return strcmp(l->job, job) == 0;
        /* Ahead of the reply that names our job: kept for then. */
        free(l->early_job);
        free(l->early_result);
        l->early_job = strdup(job);
        l->early_result = strdup(result);
        return false;
}

bool launch_drop_properties(Launch *l, const char *why) {
        if (l->strict_properties) {
                char message[512];
                utf8_snprintf(message, sizeof(message), "the user manager refused the unit settings, which this "
                              "launch's profile makes strict (Strict=yes): %s", why);
                l->call_slot = sd_bus_slot_unref(l->call_slot);
                /* A held child is let go unreleased: it exits on its pipe's end. */
                child_reap_when_dead(l->child, true);
                l->hold_fd = safe_close(l->hold_fd);
                launch_finish(l, -EPERM, message);
                return false;
        }
        log_warning("%s: the user manager refused the unit settings (%s); the %s is made without them", l->entry_id,
                    why, l->service ? "service" : "scope");
        unit_properties_free(l->properties, l->n_properties);
        l->properties = NULL;
        l->n_properties = 0;
        return true;
}

/* ---- the end of a launch */

void launch_close_channel(Launch *l) {
        l->channel_source = sd_event_source_disable_unref(l->channel_source);
        l->channel_fd = safe_close(l->channel_fd);
        if (l->handover)
                secure_free(l->handover, l->handover_size);
        l->handover = NULL;
        l->handover_size = l->handover_sent = 0;
}

Launch *launch_free(Launch *l) {
        if (!l)
                return NULL;
        LIST_REMOVE(launches, l->spawner->launches, l);
        l->spawner->n_launches--;
        child_detach(l->child, false);

        /* An unreleased child sees end-of-file and exits without running. */
        safe_close(l->hold_fd);
        safe_close(l->report_fd);
        launch_close_channel(l);
        free(l->source_path);
        sd_event_source_disable_unref(l->report_source);
        sd_event_source_disable_unref(l->timer);
        sd_bus_slot_unref(l->call_slot);
        env_map_unref(l->env);
        launch_forget_job(l);
        free(l->entry_id);
        free(l->description);
        free(l->slice);
        unit_properties_free(l->properties, l->n_properties);
        free(l->program);
        free(l->cwd);
        free(l->journal);
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
void launch_finish(Launch *l, int error, const char *message) {
        env_map_wipe(l->env);
        spare_schedule(l->spawner);

        /* The result outlives the launch, which goes before the callback runs
         * (the callback may well start the next launch or free the spawner). */
        char unit[sizeof(l->unit)];
        memcpy(unit, l->unit, sizeof(unit));
        bool in_scope = l->state == LAUNCH_SCOPED || l->state == LAUNCH_IN_SERVICE;

        SpawnResult r = {
                .error = error,
                .message = error < 0 ? message : NULL,
                .exec_failed = error < 0 && l->failure.stage == CHILD_STAGE_EXEC,
                .pid = error < 0 ? 0 : l->pid,
                .unit = error == 0 && in_scope ? unit : NULL,
                .via_scope = error == 0 && in_scope,
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

        if (f->stage == CHILD_STAGE_EXEC && f->error == ENOENT && !strchr(l->program, '/'))
                utf8_snprintf(message, sizeof(message),
                              "cannot execute '%s': it is not installed (not found in the app's PATH)", l->program);
        else if (f->stage == CHILD_STAGE_EXEC)
                utf8_snprintf(message, sizeof(message), "cannot execute '%s': %s", l->program, strerror(f->error));
        else if (f->stage == CHILD_STAGE_CHDIR)
                utf8_snprintf(message, sizeof(message), "cannot change to working directory '%s' for '%s': %s",
                         l->cwd, l->program, strerror(f->error));
        else
                utf8_snprintf(message, sizeof(message), "'%s' not started: %s failed: %s", l->program,
                         child_stage_to_string((ChildStage) f->stage), strerror(f->error));
        launch_finish(l, -f->error, message);
}

static void launch_finish_died_held(Launch *l) {
        char message[512];
        utf8_snprintf(message, sizeof(message), "'%s' not started: its process died before it was released",
                      l->program);
        launch_finish(l, -ESRCH, message);
}

/* Read the launch's child's report. The child is tracked, and will be
 * reaped: on failure killing it is enough. */
int launch_watch_report(Launch *l, Error *e) {
        int r = sd_event_add_io(l->spawner->event, &l->report_source, l->report_fd, EPOLLIN, on_report, l);
        if (r < 0) {
                kill(l->pid, SIGKILL);
                return error_setf(e, r, "cannot watch the child: %s", strerror(-r));
        }
        return 0;
}

/* After launch_fork(): reap the child when it exits, and read its report. */
int launch_watch(Launch *l, Error *e) {
        pid_t pid = l->pid;
        int r = child_track(l, pid);
        if (r < 0) {
                /* Cannot watch it, so it must not run: it is ours and held or
                 * just started, so this wait is immediate. */
                kill(pid, SIGKILL);
                (void) waitpid(pid, NULL, 0);
                return error_setf(e, r, "cannot watch the child: %s", strerror(-r));
        }
        return launch_watch_report(l, e);
}

/* ---- the direct start: none mode, and every fallback */

void launch_arm_exec_timer(Launch *l) {
        l->limit = LIMIT_EXEC;
        (void) sd_event_source_set_time_relative(l->timer, SPAWN_EXEC_TIMEOUT_USEC);
        (void) sd_event_source_set_enabled(l->timer, SD_EVENT_ONESHOT);
}

int launch_start_direct(Launch *l, Error *e) {
        /* No helper: no fallback can need the environment again. */
        l->state = LAUNCH_DIRECT;
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

/* The helper that was to put the program in its scope is gone — it could
 * not be executed, systemd-run exited without reaching sesame-exec, or
 * passed the scope limit (and was killed) — so the program starts anew,
 * directly. */
void launch_restart_direct(Launch *l, const char *why) {
        log_warning("%s: %s; starting it directly", l->entry_id, why);
        l->failure = (ChildReport){};
        l->call_slot = sd_bus_slot_unref(l->call_slot);
        launch_close_channel(l);
        Error e = {};
        int r = launch_start_direct(l, &e);
        if (r < 0)
                launch_finish(l, r, error_message(&e));
}

/* ---- dbus mode's release */

void launch_release(Launch *l, bool in_scope) {
        bool died = l->state == LAUNCH_HELD_DEAD;
        l->call_slot = sd_bus_slot_unref(l->call_slot);
        /* Whatever the manager did with its PID is done. */
        child_reap_when_dead(l->child, true);

        char go = CHILD_RELEASE_BYTE;
        if (write(l->hold_fd, &go, 1) != 1)
                /* It died while held; the report pipe tells the rest. */
                l->state = LAUNCH_RELEASED_DEAD;
        else
                l->state = in_scope ? LAUNCH_SCOPED : LAUNCH_UNSCOPED;
        l->hold_fd = safe_close(l->hold_fd);
        if (died)
                /* Its end-of-file came while the call was out. */
                return launch_finish_died_held(l);
        launch_arm_exec_timer(l);
}

void launch_release_direct(Launch *l, const char *why) {
        log_warning("%s: not placed in a scope (%s); starting it directly", l->entry_id, why);
        launch_release(l, false);
}

/* ---- the report and the limits */

/* Whether the helper that was to put the program in its scope failed
 * before the program: systemd-run exited without reaching sesame-exec, or
 * sesame-exec (or systemd-run) could not be executed at all. */
static bool launch_helper_failed(const Launch *l) {
        if (l->state == LAUNCH_DIRECT)
                return false;
        if (l->failure.stage != 0)
                return l->failure.stage == CHILD_STAGE_HELPER;
        return l->state == LAUNCH_WRAPPED;
}

/* The report pipe reached end-of-file: the child exec'd, or failed first. */
static void launch_report_done(Launch *l) {
        if (launch_helper_failed(l)) {
                char why[160];
                if (l->failure.stage != 0)
                        snprintf(why, sizeof(why), "cannot execute the launch helper (%s)",
                                 strerror(l->failure.error));
                else
                        snprintf(why, sizeof(why), "systemd-run failed before starting the program");
                return launch_restart_direct(l, why);
        }
        if (l->failure.stage != 0)
                return launch_finish_report(l);

        switch (l->state) {
        case LAUNCH_HELD:
                /* Its PID is in the call for the scope: answered when the
                 * manager has answered, the child unreaped till then. */
                l->state = LAUNCH_HELD_DEAD;
                (void) sd_event_source_set_enabled(l->report_source, SD_EVENT_OFF);
                return;
        case LAUNCH_RELEASED_DEAD:
                return launch_finish_died_held(l);
        case LAUNCH_HANDING_OVER:
                return launch_finish(l, -ESRCH, "the service's process ended before it had the whole launch");
        default:
                return launch_finish(l, 0, NULL);
        }
}

static void launch_reported(Launch *l, const ChildReport *report) {
        if (report->stage == CHILD_STAGE_SCOPE_READY) {
                if (l->state == LAUNCH_WRAPPED) {
                        l->state = LAUNCH_SCOPED;
                        launch_arm_exec_timer(l);
                }
        } else if (l->failure.stage == 0)
                l->failure = *report;
}

static int on_report(sd_event_source *source, int fd, uint32_t revents, void *userdata) {
        Launch *l = userdata;
        for (;;) {
                ChildReport report;
                ssize_t n = read(fd, &report, sizeof(report));
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0 && errno == EAGAIN)
                        return 0;
                if (n == (ssize_t) sizeof(report)) {
                        launch_reported(l, &report);
                        continue;
                }
                /* End-of-file, or a torn record no child of ours writes. */
                launch_report_done(l);
                return 0;
        }
}

static int on_timeout(sd_event_source *source, uint64_t usec, void *userdata) {
        Launch *l = userdata;
        char message[512];

        if (l->limit == LIMIT_EXEC) {
                /* The child goes, so that a launch reported as failed never
                 * turns into an app that runs after all. */
                (void) kill(l->pid, SIGKILL);
                utf8_snprintf(message, sizeof(message), "'%s' did not start within %llu ms; stopped it", l->program,
                              (unsigned long long) (SPAWN_EXEC_TIMEOUT_USEC / 1000));
                launch_finish(l, -ETIMEDOUT, message);
                return 0;
        }

        /* The scope limit: the program starts without a scope. */
        utf8_snprintf(message, sizeof(message), "systemd did not make the %s within %llu ms",
                      l->state == LAUNCH_STARTING ? "service" : "scope",
                      (unsigned long long) (l->spawner->scope_timeout_usec / 1000));
        if (l->state == LAUNCH_STARTING)
                /* Its process, should it come, finds the channel closed and
                 * exits without running anything. */
                launch_restart_direct(l, message);
        else if (l->state == LAUNCH_WRAPPED) {
                /* systemd-run waits for the scope itself: it goes (its PID is
                 * ours, unreaped until now), the program starts anew. */
                (void) kill(l->pid, SIGKILL);
                launch_restart_direct(l, message);
        } else
                launch_release_direct(l, message);
        return 0;
}

