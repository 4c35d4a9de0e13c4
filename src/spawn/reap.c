/* SPDX-License-Identifier: MIT */
/* Children: tracked from their fork until they are reaped and their exit
 * delivered, after their launch's outcome. A service's main process is
 * tracked the same way, its exit told by the manager instead of waitid(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "common/log.h"
#include "spawn/spawn-internal.h"

Child *child_free(Child *c) {
        if (!c)
                return NULL;
        if (c == c->spawner->spare)
                spare_forget(c->spawner);
        LIST_REMOVE(children, c->spawner->children, c);
        if (!c->unit_path)
                c->spawner->n_children--;
        sd_event_source_disable_unref(c->source);
        free(c->unit_path);
        free(c->entry_id);
        free(c);
        return NULL;
}

/* A child in a call for a scope (PIDs=[pid]) is not reaped until the
 * manager has answered, even if it died: as an unreaped zombie its PID
 * cannot be given to another process, which the manager would then move
 * into the scope. */
void child_reap_when_dead(Child *c, bool reap) {
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
void child_detach(Child *c, bool keep_callback) {
        if (!c)
                return;
        c->launch = NULL;
        child_reap_when_dead(c, true);
        if (!keep_callback)
                c->exited = NULL;
        if (c->reaped)
                child_deliver(c);
}

void child_exited(Child *c, const siginfo_t *si) {
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
        (void) sd_event_source_set_enabled(c->source, SD_EVENT_OFF);
        Spawner *s = c->spawner;
        pid_t exited = c->pid;
        siginfo_t info = *si;
        if (!c->launch)
                child_deliver(c); /* may free c */
        if (s->exit_hook)
                s->exit_hook(exited, &info, s->exit_hook_userdata);
}

static int on_child_exit(sd_event_source *source, const siginfo_t *si, void *userdata) {
        child_exited(userdata, si);
        return 0;
}

/* A child of ours (`unit` NULL: reaped here), or a service's main process
 * (its exit the manager's to tell, of that unit). */
static int child_make(Spawner *s, pid_t pid, const char *entry_id, const char *unit, Child **ret) {
        Child *c = calloc(1, sizeof(*c));
        if (!c)
                return -ENOMEM;
        *c = (Child){ .spawner = s, .pid = pid };
        c->entry_id = strdup(entry_id);
        int r = !c->entry_id ? -ENOMEM
                : unit       ? sd_bus_path_encode("/org/freedesktop/systemd1/unit", unit, &c->unit_path)
                             : sd_event_add_child(s->event, &c->source, pid, WEXITED, on_child_exit, c);
        if (r < 0) {
                free(c->entry_id);
                free(c);
                return r;
        }
        LIST_PREPEND(children, s->children, c);
        if (!unit)
                s->n_children++;
        *ret = c;
        return 0;
}

int child_new(Spawner *s, pid_t pid, const char *entry_id, Child **ret) {
        return child_make(s, pid, entry_id, NULL, ret);
}

void child_adopt(Launch *l, Child *c) {
        c->launch = l;
        c->exited = l->exited;
        c->userdata = l->userdata;
        l->child = c;
}

int child_watch_service(Launch *l, pid_t pid) {
        Child *c;
        int r = child_make(l->spawner, pid, l->entry_id, l->unit, &c);
        if (r < 0)
                return r;
        child_adopt(l, c);
        return 0;
}

void children_forget_services(Spawner *s) {
        Child *c, *n;
        LIST_FOREACH_SAFE(children, c, n, s->children)
                if (c->unit_path && !c->launch)
                        child_free(c);
}

int child_track(Launch *l, pid_t pid) {
        Child *c;
        int r = child_new(l->spawner, pid, l->entry_id, &c);
        if (r < 0)
                return r;
        child_adopt(l, c);
        return 0;
}
