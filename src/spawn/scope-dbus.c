/* SPDX-License-Identifier: MIT */
/* dbus mode: the child is held (sesame-exec --hold, or the spare) while
 * systemd is asked over D-Bus for a scope with the child's PID
 * (StartTransientUnit); it is released once the scope's job is done, or
 * without a scope when that cannot be had. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/utf8.h"
#include "spawn/spawn-internal.h"
#include "spawn/systemd-bus.h"

/* Attempts at a free unit name before giving up on the scope. */
#define UNIT_EXISTS_RETRIES 16

void scope_job_done(Launch *l, const char *result) {
        if (strcmp(result, "done") == 0)
                return launch_release(l, true);
        char why[128];
        snprintf(why, sizeof(why), "scope job %s", result);
        launch_release_direct(l, why);
}

static int on_start_reply(sd_bus_message *m, void *userdata, sd_bus_error *ret_error);

static int launch_request_scope(Launch *l) {
        int r = unit_name_for_scope(l->spawner->unit_names, l->entry_id, l->pid, l->attempt, l->unit);
        if (r < 0)
                return r;
        launch_forget_job(l);
        return systemd_start_scope_async(l->spawner->bus, &l->call_slot, l->unit, l->pid, l->description, l->slice,
                                         l->properties, l->n_properties, l->spawner->scope_timeout_usec,
                                         on_start_reply, l);
}

/* The manager refused the call: another name when this one exists, the
 * scope without the unit settings (unless they are strict), else no scope. */
static void launch_call_refused(Launch *l, const sd_bus_error *error) {
        const char *why = error->message ? error->message : error->name;
        if (sd_bus_error_has_name(error, SYSTEMD_ERROR_UNIT_EXISTS) && l->attempt < UNIT_EXISTS_RETRIES) {
                log_debug("%s: unit %s exists, retrying with a suffix", l->entry_id, l->unit);
                l->attempt++;
                if (launch_request_scope(l) >= 0)
                        return;
        } else if (l->n_properties > 0) {
                /* Most likely one of the unit settings. */
                if (!launch_drop_properties(l, why))
                        return;
                if (launch_request_scope(l) >= 0)
                        return;
        }
        launch_release_direct(l, why);
}

static int on_start_reply(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        Launch *l = userdata;
        l->call_slot = sd_bus_slot_unref(l->call_slot);

        const sd_bus_error *error = sd_bus_message_get_error(m);
        if (error) {
                launch_call_refused(l, error);
                return 0;
        }
        const char *job;
        if (sd_bus_message_read(m, "o", &job) < 0 || !(l->job = strdup(job))) {
                launch_release_direct(l, "unreadable reply from systemd");
                return 0;
        }
        if (l->early_job && strcmp(l->early_job, l->job) == 0)
                scope_job_done(l, l->early_result);
        return 0;
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

int launch_start_dbus(Launch *l, Error *e) {
        if (!l->spawner->bus) {
                /* Gone after it was there: said once, by whoever saw it go. */
                if (l->spawner->manager_lost)
                        log_debug("%s: the systemd user manager is gone; starting it directly", l->entry_id);
                else
                        log_warning("%s: no systemd user manager; starting it directly", l->entry_id);
                return launch_start_direct(l, e);
        }

        int r;
        if (spare_take(l)) {
                /* The spare has the launch, in its pipe. */
                if ((r = launch_watch_report(l, e)) < 0)
                        return r;
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
