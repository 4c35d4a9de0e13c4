/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "spawn/child.h"

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
        case CHILD_STAGE_HELPER:
                return "executing the launch helper";
        }
        return "unknown stage";
}

static size_t strings_size(char *const *l, uint32_t *ret_count) {
        size_t n = 0;
        uint32_t count = 0;
        for (char *const *i = l; i && *i; i++, count++)
                n += strlen(*i) + 1;
        *ret_count = count;
        return n;
}

static uint8_t *put_string(uint8_t *p, const char *str) {
        size_t n = strlen(str) + 1;
        memcpy(p, str, n);
        return p + n;
}

size_t child_launch_size(const ChildLaunch *l) {
        uint32_t argc, envc;
        size_t strings = strlen(l->program) + 1 + (l->cwd ? strlen(l->cwd) : 0) + 1 +
                         (l->journal ? strlen(l->journal) : 0) + 1 + strings_size(l->argv, &argc) +
                         strings_size(l->envp, &envc);
        size_t body = 3 * sizeof(uint32_t) + strings;
        return body > CHILD_LAUNCH_MAX ? 0 : sizeof(uint32_t) + body;
}

void child_launch_encode(uint8_t *buf, size_t len, const ChildLaunch *l) {
        uint32_t argc, envc;
        (void) strings_size(l->argv, &argc);
        (void) strings_size(l->envp, &envc);
        uint32_t words[4] = { (uint32_t) (len - sizeof(uint32_t)), argc, envc, l->output };
        memcpy(buf, words, sizeof(words));
        uint8_t *p = put_string(buf + sizeof(words), l->program);
        p = put_string(p, l->cwd ? l->cwd : "");
        p = put_string(p, l->journal ? l->journal : "");
        for (char *const *i = l->argv; i && *i; i++)
                p = put_string(p, *i);
        for (char *const *i = l->envp; i && *i; i++)
                p = put_string(p, *i);
}

/* The next string at *p, NUL-terminated before end; NULL when there is none. */
static char *take_string(uint8_t **p, const uint8_t *end) {
        uint8_t *nul = *p < end ? memchr(*p, 0, (size_t) (end - *p)) : NULL;
        if (!nul)
                return NULL;
        char *str = (char *) *p;
        *p = nul + 1;
        return str;
}

static char **take_strings(uint8_t **p, const uint8_t *end, uint32_t count) {
        /* Every string takes at least its NUL: a count beyond the bytes left
         * is malformed, and is refused before any allocation. */
        if (count > (size_t) (end - *p))
                return NULL;
        char **l = calloc((size_t) count + 1, sizeof(char *));
        for (uint32_t i = 0; l && i < count; i++)
                if (!(l[i] = take_string(p, end))) {
                        free(l);
                        return NULL;
                }
        return l;
}

int child_launch_decode(uint8_t *buf, size_t len, ChildLaunch *ret) {
        uint32_t counts[3]; /* argc, envc, output */
        if (len < sizeof(counts))
                return -EBADMSG;
        memcpy(counts, buf, sizeof(counts));
        uint8_t *p = buf + sizeof(counts), *end = buf + len;
        ChildLaunch l = {};
        l.program = take_string(&p, end);
        l.cwd = take_string(&p, end);
        l.journal = take_string(&p, end);
        if (!l.program || !*l.program || !l.cwd || !l.journal || !(l.argv = take_strings(&p, end, counts[0])))
                return -EBADMSG;
        if (!l.argv[0] || !(l.envp = take_strings(&p, end, counts[1])) || p != end) {
                free(l.argv);
                free(l.envp);
                return -EBADMSG;
        }
        l.output = counts[2];
        *ret = l;
        return 0;
}

/* ---- Below here: runs in the vfork()ed child, or in sesame-exec.
 * Async-signal-safe calls only, no allocation, no writes to memory the
 * parent owns. */

int child_journal_stream(const char *identifier, bool stdout_too) {
        /* The header journald reads first: identifier, unit (none), the
         * priority of lines without a prefix (6, info), whether <N>
         * prefixes are read (1), forwarding to syslog, kmsg and the
         * console (0). */
        char header[256];
        size_t n = 0, len = strnlen(identifier, 128);
        for (size_t i = 0; i < len; i++)
                header[n++] = identifier[i] == '\n' ? ' ' : identifier[i];
        static const char rest[] = "\n\n6\n1\n0\n0\n0\n";
        memcpy(header + n, rest, sizeof(rest) - 1);
        n += sizeof(rest) - 1;

        struct sockaddr_un sa = { .sun_family = AF_UNIX, .sun_path = CHILD_JOURNAL_SOCKET };
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return -1;
        if (connect(fd, (struct sockaddr *) &sa, sizeof(sa)) < 0 || shutdown(fd, SHUT_RD) < 0 ||
            write(fd, header, n) != (ssize_t) n || dup2(fd, STDERR_FILENO) < 0 ||
            (stdout_too && dup2(fd, STDOUT_FILENO) < 0)) {
                close(fd);
                return -1;
        }
        close(fd);
        return 0;
}

void child_setup_output(const char *journal, uint32_t output) {
        if (journal && *journal)
                (void) child_journal_stream(journal, output & CHILD_OUTPUT_STDOUT_JOURNAL);
        if (output & CHILD_OUTPUT_STDERR_NULL) {
                int null = open("/dev/null", O_WRONLY | O_CLOEXEC | O_NOCTTY);
                if (null >= 0) {
                        (void) dup2(null, STDERR_FILENO);
                        close(null);
                }
        }
}

void child_report(int fd, ChildStage stage, int error) {
        ChildReport report = { .stage = stage, .error = error };
        (void) !write(fd, &report, sizeof(report));
}

static const char *envp_get(char *const envp[], const char *name, size_t len) {
        for (char *const *e = envp; e && *e; e++)
                if (strncmp(*e, name, len) == 0 && (*e)[len] == '=')
                        return *e + len + 1;
        return NULL;
}

int exec_search(const char *program, char *const argv[], char *const envp[]) {
        if (!program || !*program)
                return ENOENT;
        if (strchr(program, '/')) {
                execve(program, argv, envp);
                return errno;
        }

        const char *path = envp_get(envp, "PATH", 4);
        if (!path)
                path = "/usr/local/bin:/usr/bin:/bin";

        size_t plen = strlen(program);
        bool denied = false;
        for (const char *p = path; *p;) {
                size_t len = strcspn(p, ":");
                char candidate[PATH_MAX];
                if (len > 0 && len + 1 + plen < sizeof(candidate)) {
                        memcpy(candidate, p, len);
                        candidate[len] = '/';
                        memcpy(candidate + len + 1, program, plen + 1);
                        execve(candidate, argv, envp);
                        switch (errno) {
                        case EACCES:
                                denied = true;
                                break;
                        case ENOENT:
                        case ENOTDIR:
                        case ESTALE:
                        case ENODEV:
                        case ETIMEDOUT:
                                break;
                        default:
                                /* Found, and it cannot run: say why. */
                                return errno;
                        }
                }
                p += len;
                if (*p == ':')
                        p++;
        }
        return denied ? EACCES : ENOENT;
}

_noreturn_ static void child_fail_on(int report_fd, ChildStage stage, int error) {
        child_report(report_fd, stage, error);
        _exit(CHILD_EXIT_FAILED);
}

_noreturn_ static void child_fail(ChildStage stage, int error) {
        child_fail_on(CHILD_REPORT_FD, stage, error);
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

/* Places fds 0-4. *report follows the report pipe as it moves, so that a
 * failure here is reported too: the parent counts a child that ended
 * without a record as one that executed its program. */
static int setup_fds(const ChildSpec *s, int *report_now) {
        int report = move_high(s->report_fd);
        if (report < 0)
                return -1;
        *report_now = report;
        int hold = s->hold_fd >= 0 ? move_high(s->hold_fd) : -1;
        int null = open("/dev/null", O_RDWR | O_CLOEXEC | O_NOCTTY);
        if ((s->hold_fd >= 0 && hold < 0) || null < 0)
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

        /* sesame-exec needs its pipes after exec; it closes them itself. */
        int keep = s->helper ? 0 : O_CLOEXEC;
        if (dup3(report, CHILD_REPORT_FD, keep) < 0)
                return -1;
        *report_now = CHILD_REPORT_FD;
        if (hold >= 0 && dup3(hold, CHILD_HOLD_FD, keep) < 0)
                return -1;

        /* Only 0-2 (and our pipes) survive. */
        int first = hold >= 0 ? CHILD_HOLD_FD + 1 : CHILD_REPORT_FD + 1;
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

char *const *child_pid_entry(char *const envp[]) {
        for (char *const *e = envp; e && *e; e++) {
                const char *eq = strchr(*e, '=');
                if (eq && strcmp(eq + 1, CHILD_PID_PLACEHOLDER) == 0)
                        return e;
        }
        return NULL;
}

void child_fill_pid(char *const envp[]) {
        char *const *entry = child_pid_entry(envp);
        if (entry)
                write_pid_slot(strchr(*entry, '=') + 1, "");
}

_noreturn_ void child_exec(const ChildSpec *s) {
        reset_signals();

        /* Every failure is reported, wherever the pipe is at the time (a
         * low RLIMIT_NOFILE makes any of these steps fail). */
        int report = s->report_fd;
        if (setup_fds(s, &report) < 0)
                child_fail_on(report, CHILD_STAGE_SETUP, errno);

        if (setsid() < 0)
                child_fail(CHILD_STAGE_SETUP, errno);
        (void) prctl(PR_SET_PDEATHSIG, 0);

        if (rlimits_saved)
                for (int i = 0; i < RLIM_NLIMITS; i++)
                        if (setrlimit(i, &saved_rlimits[i]) < 0)
                                child_fail(CHILD_STAGE_RLIMIT, errno);

        if (s->cwd && chdir(s->cwd) < 0)
                child_fail(CHILD_STAGE_CHDIR, errno);

        if (s->pid_slot)
                write_pid_slot(s->pid_slot, s->pid_slot_suffix);
        child_fill_pid(s->envp);
        child_setup_output(s->journal, s->output);

        int error = exec_search(s->program, s->argv, s->envp);
        child_fail(s->helper ? CHILD_STAGE_HELPER : CHILD_STAGE_EXEC, error);
}
