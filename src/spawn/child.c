/* SPDX-License-Identifier: MIT */
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "child.h"

extern char **environ;

static struct rlimit saved_rlimits[RLIM_NLIMITS];
static bool rlimits_saved;

void child_save_rlimits(void) {
        if (rlimits_saved)
                return;
        for (int i = 0; i < RLIM_NLIMITS; i++)
                if (getrlimit(i, &saved_rlimits[i]) < 0)
                        saved_rlimits[i].rlim_cur = saved_rlimits[i].rlim_max = RLIM_INFINITY;
        rlimits_saved = true;
}

const char *child_stage_to_string(ChildStage stage) {
        switch (stage) {
        case CHILD_STAGE_SETUP:
                return "setting up the child process";
        case CHILD_STAGE_RLIMIT:
                return "restoring resource limits";
        case CHILD_STAGE_CHDIR:
                return "changing to the working directory";
        case CHILD_STAGE_EXEC:
                return "executing the program";
        case CHILD_STAGE_SCOPE_READY:
                return "scope ready";
        }
        return "unknown stage";
}

/* ---- Below here: runs in the forked child. Async-signal-safe calls only. */

_noreturn_ static void child_fail(ChildStage stage, int error) {
        ChildReport report = { .stage = stage, .error = error };
        (void) !write(CHILD_REPORT_FD, &report, sizeof(report));
        _exit(CHILD_EXIT_FAILED);
}

static void reset_signals(void) {
        /* The raw call, because libc's sigaction() refuses the signals it
         * reserves for itself (32 and 33 in glibc), and an ignored one of
         * those would be inherited too. An all-zero kernel sigaction is
         * SIG_DFL with no flags and an empty mask on every architecture. */
        static const unsigned long dfl[8] = {};
        for (int sig = 1; sig < _NSIG; sig++)
                if (sig != SIGKILL && sig != SIGSTOP)
                        (void) syscall(SYS_rt_sigaction, sig, dfl, NULL, (size_t) (_NSIG / 8));

        sigset_t empty;
        sigemptyset(&empty);
        (void) sigprocmask(SIG_SETMASK, &empty, NULL);
}

/* Returns fd moved to a number >= 5, so that placing 0..4 cannot clobber it. */
static int move_high(int fd) {
        if (fd >= 5)
                return fd;
        return fcntl(fd, F_DUPFD_CLOEXEC, 5);
}

static int setup_fds(const ChildSpec *s) {
        int report = move_high(s->report_fd);
        int hold = s->hold_fd >= 0 ? move_high(s->hold_fd) : -1;
        int null = open("/dev/null", O_RDWR | O_CLOEXEC | O_NOCTTY);
        if (report < 0 || (s->hold_fd >= 0 && hold < 0) || null < 0)
                return -1;
        null = move_high(null);
        if (null < 0)
                return -1;

        if (dup2(null, STDIN_FILENO) < 0 || dup2(null, STDOUT_FILENO) < 0)
                return -1;
        /* stderr stays the parent's, so the app's errors reach its journal;
         * if the parent has none, the app must not find fd 2 free for a file
         * it opens to become its "stderr". */
        if (fcntl(STDERR_FILENO, F_GETFD) < 0 && dup2(null, STDERR_FILENO) < 0)
                return -1;

        if (dup3(report, CHILD_REPORT_FD, s->report_across_exec ? 0 : O_CLOEXEC) < 0)
                return -1;
        if (hold >= 0 && dup3(hold, CHILD_REPORT_FD + 1, O_CLOEXEC) < 0)
                return -1;

        /* Only 0-2 (and our pipes, closed on exec) survive. */
        int first = hold >= 0 ? CHILD_REPORT_FD + 2 : CHILD_REPORT_FD + 1;
        if (close_range((unsigned) first, ~0U, 0) < 0) {
                /* Kernels before 5.9. */
                long max = sysconf(_SC_OPEN_MAX);
                for (long fd = first; fd < (max > 0 && max < 65536 ? max : 65536); fd++)
                        (void) close((int) fd);
        }
        return 0;
}

static void write_pid_slot(char *slot, const char *suffix) {
        char digits[16];
        int n = 0;
        for (unsigned long pid = (unsigned long) getpid(); pid > 0 || n == 0; pid /= 10)
                digits[n++] = (char) ('0' + pid % 10);
        while (n > 0)
                *slot++ = digits[--n];
        do
                *slot++ = *suffix;
        while (*suffix++);
}

_noreturn_ void child_exec(const ChildSpec *s) {
        reset_signals();

        /* Until the report pipe sits on CHILD_REPORT_FD, failures cannot be
         * reported; the parent then sees end-of-file with no record and an
         * exit status of CHILD_EXIT_FAILED. */
        if (setup_fds(s) < 0)
                _exit(CHILD_EXIT_FAILED);

        if (setsid() < 0)
                child_fail(CHILD_STAGE_SETUP, errno);
        (void) prctl(PR_SET_PDEATHSIG, 0);

        if (rlimits_saved)
                for (int i = 0; i < RLIM_NLIMITS; i++)
                        if (setrlimit(i, &saved_rlimits[i]) < 0)
                                child_fail(CHILD_STAGE_RLIMIT, errno);

        if (s->cwd && chdir(s->cwd) < 0)
                child_fail(CHILD_STAGE_CHDIR, errno);

        if (s->hold_fd >= 0) {
                char c = 0;
                ssize_t n;
                do
                        n = read(CHILD_REPORT_FD + 1, &c, 1);
                while (n < 0 && errno == EINTR);
                /* End-of-file: the parent died without releasing us. Do not
                 * run the program outside the scope it was meant for. */
                if (n != 1 || c != CHILD_RELEASE_BYTE)
                        _exit(CHILD_EXIT_ABANDONED);
                (void) close(CHILD_REPORT_FD + 1);
        }

        if (s->pid_slot)
                write_pid_slot(s->pid_slot, s->pid_slot_suffix);

        /* execvp looks the program up in getenv("PATH"): make that the
         * composed environment's PATH, not the launcher's. */
        static char *empty_env[] = { NULL };
        environ = s->envp ? s->envp : empty_env;
        execvp(s->program, s->argv);
        child_fail(CHILD_STAGE_EXEC, errno);
}
