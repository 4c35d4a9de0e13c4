/* SPDX-License-Identifier: MIT */
/* Forking a launch's child: the pipes, vfork(), what the child left in the
 * report pipe before exec, the helper's path and command lines. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "common/path.h"
#include "common/strv.h"
#include "spawn/spawn-internal.h"

const char *spawner_exec_helper(Spawner *s) {
        if (!s->exec_helper)
                s->exec_helper = path_helper("sesame-exec");
        return s->exec_helper;
}

/* The pipes and the vfork() of every child. vfork(): no page tables to
 * copy, no copy-on-write faults afterwards, which makes it several times
 * cheaper than fork() (docs/benchmarks.md). The report pipe (and with
 * `hold`, the hold pipe) is made here and put in `spec`; the parent's ends
 * come back in *ret_report and *ret_hold (-1 without hold). When vfork()
 * returns, the child has either executed or failed and left a record in
 * the report pipe (report_pending()). */
pid_t fork_child(ChildSpec *spec, bool hold, int *ret_report, int *ret_hold, Error *e) {
        int report[2] = { -1, -1 }, holdp[2] = { -1, -1 };
        /* Our end of the report pipe is read on the event loop and must
         * never block it (a child whose exec hangs on a dead network
         * file system keeps its end open); the child's end takes one
         * record of 8 bytes, which a fresh pipe holds. */
        if (pipe2(report, O_CLOEXEC | O_NONBLOCK) < 0)
                return error_setf(e, negative_errno(), "cannot create a pipe: %s", strerror(errno));
        if (hold && pipe2(holdp, O_CLOEXEC) < 0) {
                int r = error_setf(e, negative_errno(), "cannot create a pipe: %s", strerror(errno));
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
bool report_pending(int report_fd) {
        int pending = 0;
        return ioctl(report_fd, FIONREAD, &pending) < 0 || pending > 0;
}

/* Starts the child for this launch (fork_child()). `helper`: `program` is
 * sesame-exec, or systemd-run ending in it, which needs the report pipe
 * (and with `hold`, the hold pipe) across exec. launch_watch() follows, at
 * once or (dbus mode) right after the call that asks for the scope. */
int launch_fork(Launch *l, const char *program, char *const *argv, bool helper, bool hold, char *pid_slot,
                       const char *pid_slot_suffix, Error *e) {
        char **envp = env_map_envp(l->env);
        if (!envp)
                return error_setf(e, -ENOMEM, "out of memory");
        /* The child writes its PID into the placeholder: into a copy of
         * this fork's own, so that the map keeps the placeholder for a
         * fallback's fork. */
        char **pid_entry = (char **) child_pid_entry(envp), *placeholder = pid_entry ? *pid_entry : NULL;
        _cleanup_free_ char *pid_assignment = placeholder ? strdup(placeholder) : NULL;
        if (placeholder && !pid_assignment)
                return error_setf(e, -ENOMEM, "out of memory");
        if (pid_entry)
                *pid_entry = pid_assignment;

        ChildSpec spec = {
                .program = program,
                .argv = argv,
                .envp = envp,
                .cwd = l->cwd,
                .helper = helper,
                .pid_slot = pid_slot,
                .pid_slot_suffix = pid_slot_suffix,
                .journal = l->journal,
                .output = l->output,
        };
        int report_fd, hold_fd;
        pid_t pid = fork_child(&spec, hold, &report_fd, &hold_fd, e);
        if (pid_entry)
                *pid_entry = placeholder;
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

/* `prefix` (a wrapper's command line, ending in sesame-exec's options and
 * "--"), then the program and its whole argv, as sesame-exec takes them.
 * The strings are borrowed. */
char **launch_helper_argv(Launch *l, const char *const *prefix) {
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
