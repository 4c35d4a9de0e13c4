/* SPDX-License-Identifier: MIT */
/* sesame-exec [--hold] [--ready] -- PROGRAM ARGV0 [ARGS...]
 * sesame-exec --spare
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
 *
 *   --spare  forked by the launcher before any launch asks for it: read the
 *            launch (program, working directory, argv, environment; see
 *            ChildLaunch) from fd 4, then the release byte, then change
 *            directory and execute as above. A launch that finds a spare
 *            waiting skips a fork and an exec.
 *   --service the command of a transient service the launcher asked the
 *            user manager for, with a socket as standard input whose other
 *            end is the launcher's: say hello (the kernel tells the
 *            launcher our PID, which it checks is in the service's cgroup),
 *            receive the report pipe and the launch over it, put /dev/null
 *            in its place, then change directory and execute as above. The
 *            launch never enters the unit's settings.
 * Built static where possible: it runs on every held launch, and a process
 * without a dynamic loader starts in a fraction of the time. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spawn/child.h"

extern char **environ;

static bool is_pipe(int fd) {
        struct stat st;
        return fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode);
}

/* Reads exactly len bytes; false at end-of-file or an error. */
static bool read_full(int fd, void *buf, size_t len) {
        uint8_t *p = buf;
        while (len > 0) {
                ssize_t n = read(fd, p, len);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        return false;
                p += n;
                len -= (size_t) n;
        }
        return true;
}

static bool wait_release(void) {
        char c = 0;
        return read_full(CHILD_HOLD_FD, &c, 1) && c == CHILD_RELEASE_BYTE;
}

static int run_spare(int report) {
        uint32_t len = 0;
        if (!read_full(CHILD_HOLD_FD, &len, sizeof(len)) || len > CHILD_LAUNCH_MAX)
                return CHILD_EXIT_ABANDONED;
        uint8_t *buf = malloc(len ? len : 1);
        ChildLaunch l;
        if (!buf || !read_full(CHILD_HOLD_FD, buf, len) || child_launch_decode(buf, len, &l) < 0)
                return CHILD_EXIT_ABANDONED;
        if (!wait_release()) {
                /* Let go unreleased (the launch failed): the environment it
                 * holds goes first. */
                explicit_bzero(buf, len);
                free(buf);
                free(l.argv);
                free(l.envp);
                return CHILD_EXIT_ABANDONED;
        }
        (void) close(CHILD_HOLD_FD);
        (void) fcntl(report, F_SETFD, FD_CLOEXEC);
        if (*l.cwd && chdir(l.cwd) < 0) {
                child_report(report, CHILD_STAGE_CHDIR, errno);
                return CHILD_EXIT_FAILED;
        }
        child_fill_pid(l.envp);
        child_setup_output(l.journal, l.output);
        child_report(report, CHILD_STAGE_EXEC, exec_search(l.program, l.argv, l.envp));
        return CHILD_EXIT_FAILED;
}

/* The length word of the launch, with the report pipe's write end. */
static bool receive_header(uint32_t *ret_len, int *ret_report) {
        union {
                struct cmsghdr align;
                char buf[CMSG_SPACE(sizeof(int))];
        } control = {};
        struct iovec iov = { .iov_base = ret_len, .iov_len = sizeof(*ret_len) };
        struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = &control,
                              .msg_controllen = sizeof(control) };
        ssize_t n;
        do
                n = recvmsg(STDIN_FILENO, &msg, MSG_CMSG_CLOEXEC | MSG_WAITALL);
        while (n < 0 && errno == EINTR);
        struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
        if (n != (ssize_t) sizeof(*ret_len) || !c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS ||
            c->cmsg_len != CMSG_LEN(sizeof(int)))
                return false;
        memcpy(ret_report, CMSG_DATA(c), sizeof(int));
        return *ret_len <= CHILD_LAUNCH_MAX && is_pipe(*ret_report);
}

static int run_service(void) {
        /* Nobody reads the launch out of this process while it is here
         * (/proc/PID/mem, ptrace); exec makes the program dumpable again. */
        (void) prctl(PR_SET_DUMPABLE, 0);
        char hello = 'H';
        uint32_t len = 0;
        int report = -1;
        /* A launcher that gave up on us (its limit passed) closed its end:
         * then nothing runs, and no SIGPIPE says otherwise. */
        if (send(STDIN_FILENO, &hello, 1, MSG_NOSIGNAL) != 1 || !receive_header(&len, &report))
                return CHILD_EXIT_ABANDONED;
        uint8_t *buf = malloc(len ? len : 1);
        ChildLaunch l;
        if (!buf || !read_full(STDIN_FILENO, buf, len) || child_launch_decode(buf, len, &l) < 0)
                return CHILD_EXIT_ABANDONED;
        /* The program's standard input: nothing, as for every launch. */
        int null = open("/dev/null", O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (null < 0 || dup2(null, STDIN_FILENO) < 0) {
                child_report(report, CHILD_STAGE_SETUP, errno);
                return CHILD_EXIT_FAILED;
        }
        close(null);
        if (*l.cwd && chdir(l.cwd) < 0) {
                child_report(report, CHILD_STAGE_CHDIR, errno);
                return CHILD_EXIT_FAILED;
        }
        child_fill_pid(l.envp);
        child_report(report, CHILD_STAGE_EXEC, exec_search(l.program, l.argv, l.envp));
        explicit_bzero(buf, len);
        return CHILD_EXIT_FAILED;
}

static bool is_socket(int fd) {
        struct stat st;
        return fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode);
}

int main(int argc, char *argv[]) {
        if (argc == 2 && strcmp(argv[1], "--service") == 0) {
                if (!is_socket(STDIN_FILENO)) {
                        fprintf(stderr, "sesame-exec --service: started by the launcher's service only\n");
                        return CHILD_EXIT_FAILED;
                }
                return run_service();
        }
        if (argc == 2 && strcmp(argv[1], "--spare") == 0) {
                if (!is_pipe(CHILD_REPORT_FD) || !is_pipe(CHILD_HOLD_FD)) {
                        fprintf(stderr, "sesame-exec --spare: run by the launcher only\n");
                        return CHILD_EXIT_FAILED;
                }
                return run_spare(CHILD_REPORT_FD);
        }
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
                if (!wait_release())
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
