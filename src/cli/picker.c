/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/picker.h"
#include "common/path.h"
#include "config/launcher-conf.h"

static bool on_terminal(void) {
        return isatty(STDIN_FILENO) && isatty(STDERR_FILENO);
}

char *picker_choose(const char *given) {
        if (given)
                return strdup(given);
        _cleanup_free_ char *path = config_default_path();
        _cleanup_(config_freep) Config *config = NULL;
        if (path && config_load(path, true, &config) >= 0 && config->picker)
                return strdup(config->picker);
        bool wayland = getenv("WAYLAND_DISPLAY") && *getenv("WAYLAND_DISPLAY");
        bool x11 = getenv("DISPLAY") && *getenv("DISPLAY");
        static const struct {
                const char *program, *command;
                bool wayland, x11;
        } known[] = {
                { "fuzzel", "fuzzel --dmenu", true, false }, { "wofi", "wofi --dmenu", true, false },
                { "rofi", "rofi -dmenu", false, true },      { "bemenu", "bemenu", true, true },
                { "tofi", "tofi", true, false },
        };
        for (size_t i = 0; i < ELEMENTSOF(known); i++) {
                if (!((known[i].wayland && wayland) || (known[i].x11 && x11)))
                        continue;
                _cleanup_free_ char *exe = path_find_executable(known[i].program);
                if (exe)
                        return strdup(known[i].command);
        }
        _cleanup_free_ char *fzf = on_terminal() ? path_find_executable("fzf") : NULL;
        return fzf ? strdup("fzf") : NULL;
}

/* A picker prints one line; more than this is not a pick. */
#define PICK_MAX (64 * 1024)

/* A command line with nothing a shell would interpret: run as its words,
 * without starting /bin/sh first. */
static bool plain_words(const char *command) {
        return !strpbrk(command, "|&;<>()$`\\\"'\t\n*?[#~=%{}!");
}

/* The picker, started before the list is asked for: a picker takes longer
 * to start than the launcher takes to answer, and starts meanwhile. With
 * vfork: a fork's copy-on-write would make this process pay a page fault
 * for every page it writes while it waits for the list. (The child only
 * moves descriptors, resets SIGPIPE, which sesame ignores, and executes.) */
int picker_start(const char *command, Picker *ret) {
        int in[2], out[2];
        if (pipe2(in, O_CLOEXEC) < 0)
                return -errno;
        if (pipe2(out, O_CLOEXEC) < 0) {
                close(in[0]), close(in[1]);
                return -errno;
        }
        _cleanup_free_ char *copy = plain_words(command) ? strdup(command) : NULL;
        _cleanup_free_ char **words = copy ? calloc(strlen(copy) / 2 + 2, sizeof(char *)) : NULL;
        size_t n = 0;
        for (char *w = words ? strtok(copy, " ") : NULL; w; w = strtok(NULL, " "))
                words[n++] = w;
        char *sh[] = { "sh", "-c", (char *) command, NULL };
        char **argv = n > 0 ? words : sh;
        fflush(NULL);
        pid_t pid = vfork();
        if (pid == 0) {
                if (dup2(in[0], STDIN_FILENO) < 0 || dup2(out[1], STDOUT_FILENO) < 0)
                        _exit(127);
                signal(SIGPIPE, SIG_DFL);
                execvp(argv[0], argv);
                _exit(127);
        }
        int r = pid < 0 ? -errno : 0;
        close(in[0]);
        close(out[1]);
        if (r < 0) {
                close(in[1]);
                close(out[0]);
                return r;
        }
        (void) fcntl(in[1], F_SETFL, O_NONBLOCK);
        *ret = (Picker){ .pid = pid, .in = in[1], .out = out[0] };
        return 0;
}

/* Gives the picker `list` and reads its first output line into *ret (NULL:
 * none), writing and reading together: a picker may print before it has
 * read everything, or never read at all. Then waits for it. */
int picker_finish(Picker *p, const char *list, size_t len, char **ret, int *ret_status) {
        size_t written = 0, got = 0;
        char *buf = malloc(PICK_MAX + 1);
        int wfd = p->in;
        if (!len) {
                close(wfd);
                wfd = -1;
        }
        for (bool reading = buf != NULL; reading;) {
                struct pollfd fds[2] = { { .fd = p->out, .events = POLLIN }, { .fd = wfd, .events = POLLOUT } };
                if (poll(fds, wfd >= 0 ? 2 : 1, -1) < 0 && errno != EINTR)
                        break;
                if (wfd >= 0 && fds[1].revents) {
                        ssize_t k = write(wfd, list + written, len - written);
                        if (k > 0)
                                written += (size_t) k;
                        if ((k < 0 && errno != EAGAIN && errno != EINTR) || written == len) {
                                close(wfd); /* all of it, or the picker stopped reading */
                                wfd = -1;
                        }
                }
                if (fds[0].revents) {
                        ssize_t k = read(p->out, buf + got, PICK_MAX - got);
                        if (k > 0)
                                got += (size_t) k;
                        else if (k == 0 || (errno != EAGAIN && errno != EINTR))
                                reading = false;
                        if (got == PICK_MAX)
                                reading = false;
                }
        }
        if (wfd >= 0)
                close(wfd);
        close(p->out);
        int status = 0;
        while (waitpid(p->pid, &status, 0) < 0 && errno == EINTR)
                ;
        *ret_status = status;
        *ret = NULL;
        if (!buf)
                return -ENOMEM;
        buf[got] = 0;
        char *eol = strpbrk(buf, "\r\n");
        if (eol)
                *eol = 0;
        if (buf[0])
                *ret = buf;
        else
                free(buf);
        return 0;
}

/* A picker whose list could not be made: ended, not waited on longer. */
void picker_abandon(Picker *p) {
        close(p->in);
        close(p->out);
        kill(p->pid, SIGTERM);
        while (waitpid(p->pid, NULL, 0) < 0 && errno == EINTR)
                ;
}
