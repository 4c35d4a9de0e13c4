/* SPDX-License-Identifier: MIT */
/* The spawn engine's API: the spawner and its settings, and
 * spawner_launch(), which starts a launch in its scope mode
 * (spawn-internal.h). */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/log.h"
#include "common/path.h"
#include "common/strv.h"
#include "common/utf8.h"
#include "spawn/spawn-internal.h"
#include "spawn/systemd-bus.h"

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

/* ---- the manager's news */

static int on_job_removed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        Spawner *s = userdata;
        uint32_t id;
        const char *job, *unit, *result;
        if (sd_bus_message_read(m, "uoss", &id, &job, &unit, &result) < 0)
                return 0;

        Launch *l, *n;
        LIST_FOREACH_SAFE(launches, l, n, s->launches) {
                if (!launch_awaits_manager(l) || strcmp(l->unit, unit) != 0)
                        continue;
                if (launch_job_is_ours(l, job, result)) {
                        if (l->service)
                                service_job_done(l, result);
                        else
                                scope_job_done(l, result);
                }
                break;
        }
        return 0;
}

/* A service's main process ended: its Child's exit, as if reaped. */
static int on_unit_properties(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        Spawner *s = userdata;
        const char *path = sd_bus_message_get_path(m), *interface;
        Child *c = NULL, *i, *n;
        LIST_FOREACH_SAFE(children, i, n, s->children)
                if (i->unit_path && path && strcmp(i->unit_path, path) == 0 && !i->reaped) {
                        c = i;
                        break;
                }
        int32_t code = 0, status = 0;
        if (!c || sd_bus_message_read(m, "s", &interface) < 0 ||
            strcmp(interface, "org.freedesktop.systemd1.Service") != 0 ||
            systemd_read_main_exit(m, &code, &status) <= 0 || code < CLD_EXITED || code > CLD_DUMPED)
                return 0;
        /* Assigned, not initialized: si_pid and si_status are members of
         * different structs in one union, and a designated initializer of
         * the one zeroes the other. */
        siginfo_t si = {};
        si.si_signo = SIGCHLD;
        si.si_code = code;
        si.si_pid = c->pid;
        si.si_status = status;
        child_exited(c, &si);
        return 0;
}

/* Every launch waiting on the manager (its call or its job) goes on
 * without it, saying `why`. */
static void launches_release_waiting(Spawner *s, const char *why) {
        Launch *l, *n;
        LIST_FOREACH_SAFE(launches, l, n, s->launches) {
                if (!launch_awaits_manager(l))
                        continue;
                if (l->state == LAUNCH_STARTING)
                        launch_restart_direct(l, why);
                else
                        launch_release_direct(l, why);
        }
}

/* ---- API */

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
        if (r >= 0 && req->pid_variable)
                r = env_map_set(env, req->pid_variable, CHILD_PID_PLACEHOLDER, e);
        if (r < 0) {
                env_map_wipe(env);
                return r;
        }

        Launch *l;
        TAKE_PTR(env); /* the launch's, whatever happens */
        r = launch_new(s, req, done, exited, userdata, &l, e);
        if (r < 0)
                return r;

        switch (l->mode) {
        case SCOPE_MODE_DBUS:
                /* (Without a manager, launch_start_dbus() says so and starts it directly.) */
                if (l->service && s->bus && !s->properties_slot &&
                    systemd_watch_properties(s->bus, &s->properties_slot, on_unit_properties, s) < 0)
                        log_warning("%s: cannot follow the service's unit: its exit will not be seen", l->entry_id);
                r = l->service && s->bus ? launch_start_service(l, e) : launch_start_dbus(l, e);
                break;
        case SCOPE_MODE_SYSTEMD_RUN:
                if (l->service)
                        log_warning("%s: a service needs Scope=dbus; started in a scope through systemd-run",
                                    l->entry_id);
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
        if (s->bus == bus)
                return 0;
        if (s->bus) {
                /* The manager is gone: nothing it was asked will come. */
                s->jobs_slot = sd_bus_slot_unref(s->jobs_slot);
                s->properties_slot = sd_bus_slot_unref(s->properties_slot);
                s->bus = sd_bus_unref(s->bus);
                children_forget_services(s);
                s->manager_lost = true;
                /* A spare waits on: launches go directly, until a bus again. */
                launches_release_waiting(s, "the systemd user manager is gone");
        }
        if (!bus)
                return 0;
        int r = systemd_watch_jobs(bus, &s->jobs_slot, on_job_removed, s);
        if (r < 0)
                return r;
        s->bus = sd_bus_ref(bus);
        s->manager_lost = false;
        spare_schedule(s);
        return 0;
}

Spawner *spawner_free(Spawner *s) {
        if (!s)
                return NULL;
        while (s->launches)
                launch_free(s->launches);
        spare_kill(s);
        sd_event_source_disable_unref(s->spare_due);
        /* Children keep running; we only stop watching them. */
        while (s->children)
                child_free(s->children);
        sd_bus_slot_unref(s->jobs_slot);
        sd_bus_slot_unref(s->properties_slot);
        sd_bus_unref(s->bus);
        sd_event_unref(s->event);
        free(s->exec_helper);
        free(s);
        return NULL;
}

void spawner_set_exit_hook(Spawner *s, spawn_exit_t hook, void *userdata) {
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
