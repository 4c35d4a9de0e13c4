/* SPDX-License-Identifier: MIT */
/* The spare: a held sesame-exec --spare, forked ahead of any launch while
 * nothing else happens, so that a dbus-mode launch skips a fork and an
 * exec. The launch writes itself into the spare's hold pipe. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/log.h"
#include "common/secure.h"
#include "spawn/spawn-internal.h"

#define SPARE_DELAY_USEC (10 * 1000)

/* Ours alone, and never given a launch: it goes, reaped here. */
void spare_kill(Spawner *s) {
        if (!s->spare)
                return;
        pid_t pid = s->spare->pid;
        spare_forget(s);
        kill(pid, SIGKILL);
        (void) waitpid(pid, NULL, 0);
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
        pid_t pid = fork_child(&spec, true, &report_fd, &hold_fd, NULL);
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
void spare_schedule(Spawner *s) {
        if (!s->use_spare || !s->bus || s->spare || s->spare_due)
                return;
        (void) sd_event_add_time_relative(s->event, &s->spare_due, CLOCK_MONOTONIC, SPARE_DELAY_USEC,
                                          SPARE_DELAY_USEC / 10, on_spare_due, s);
}

/* The launch into the spare's hold pipe, where the environment leaves our
 * memory: written whole or not at all. */
static bool spare_send(Spawner *s, Launch *l) {
        char **envp = env_map_envp(l->env);
        ChildLaunch cl = { .program = l->program, .cwd = l->cwd, .journal = l->journal, .argv = l->argv, .envp = envp,
                           .output = l->output };
        size_t len = envp ? child_launch_size(&cl) : 0;
        /* It holds the environment, secrets and all: a secure buffer. */
        uint8_t *data = len > 0 ? secure_alloc(len) : NULL;
        if (!data)
                return false;
        child_launch_encode(data, len, &cl);
        /* Into an empty pipe at least as large. */
        bool sent = (len <= 65536 || fcntl(s->spare_hold_fd, F_SETPIPE_SZ, (int) len) >= (int) len) &&
                    write(s->spare_hold_fd, data, len) == (ssize_t) len;
        secure_free(data, len);
        return sent;
}

bool spare_take(Launch *l) {
        Spawner *s = l->spawner;
        /* (A spare that exited was forgotten when it was reaped.) */
        Child *c = s->spare;
        if (!c)
                return false;
        if (!spare_send(s, l)) {
                /* It may hold part of a launch: not for any other. Its exit
                 * is reaped as any child's. */
                kill(c->pid, SIGKILL);
                spare_forget(s);
                return false;
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
        child_adopt(l, c);
        return true;
}
