/* SPDX-License-Identifier: MIT */
/* sesame-exec [--hold] [--ready] -- PROGRAM ARGV0 [ARGS...]
 *
 * The last link of a launch that cannot exec the program straight away.
 * The launcher's child execs this (directly, or through systemd-run) with
 * the report pipe on fd 3 and, with --hold, the hold pipe on fd 4:
 *
 *   --hold   wait for the release byte on fd 4 before going on: the launcher
 *            puts this process in its scope meanwhile. End-of-file instead
 *            means the launcher died: exit without running anything.
 *   --ready  first write a SCOPE_READY record: reaching here through
 *            systemd-run means the scope exists. Without it, the launcher
 *            could not tell "systemd-run failed before the program" from
 *            "the program runs".
 *
 * Then it executes PROGRAM (looked up in this environment's PATH, which is
 * the composed one) with ARGV0 and ARGS as its argv and both pipes closed,
 * or reports why it could not.
 * Built static where possible: it runs on every held launch, and a process
 * without a dynamic loader starts in a fraction of the time. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "child.h"

extern char **environ;

static bool is_pipe(int fd) {
        struct stat st;
        return fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode);
}

int main(int argc, char *argv[]) {
        bool hold = false, ready = false;
        int i = 1;
        for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
                if (strcmp(argv[i], "--hold") == 0)
                        hold = true;
                else if (strcmp(argv[i], "--ready") == 0)
                        ready = true;
                else
                        break;
        }
        if (i + 2 >= argc || strcmp(argv[i], "--") != 0) {
                fprintf(stderr, "usage: sesame-exec [--hold] [--ready] -- PROGRAM ARGV0 [ARGS...]\n");
                return CHILD_EXIT_FAILED;
        }
        const char *program = argv[i + 1];
        char **program_argv = argv + i + 2;

        /* Run by hand, without the launcher's pipes, it simply executes. */
        int report = is_pipe(CHILD_REPORT_FD) ? CHILD_REPORT_FD : -1;

        if (hold) {
                char c = 0;
                ssize_t n;
                do
                        n = read(CHILD_HOLD_FD, &c, 1);
                while (n < 0 && errno == EINTR);
                if (n != 1 || c != CHILD_RELEASE_BYTE)
                        return CHILD_EXIT_ABANDONED;
                (void) close(CHILD_HOLD_FD);
        }
        if (report >= 0) {
                if (ready)
                        child_report(report, CHILD_STAGE_SCOPE_READY, 0);
                /* The program must not inherit it: only fds 0-2. */
                (void) fcntl(report, F_SETFD, FD_CLOEXEC);
        }

        int error = exec_search(program, program_argv, environ);
        if (report >= 0)
                child_report(report, CHILD_STAGE_EXEC, error);
        else
                fprintf(stderr, "sesame-exec: cannot execute '%s': %s\n", program, strerror(error));
        return CHILD_EXIT_FAILED;
}
