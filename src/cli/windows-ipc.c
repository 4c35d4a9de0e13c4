/* SPDX-License-Identifier: MIT */
/* The compositors' IPC sockets: whole writes and reads (sway's framed
 * protocol), and the request-and-answer of those whose IPC is text
 * (Hyprland, niri): connect, send the request, close the sending side,
 * read the answer to its end. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "cli/windows-internal.h"

/* An answer larger than this is not a window list. */
#define IPC_ANSWER_MAX (64u << 20)

int ipc_write_all(int fd, const void *buf, size_t len) {
        const uint8_t *p = buf;
        while (len > 0) {
                ssize_t n = write(fd, p, len);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        return n < 0 ? -errno : -EPIPE;
                p += n;
                len -= (size_t) n;
        }
        return 0;
}

int ipc_read_all(int fd, void *buf, size_t len) {
        uint8_t *p = buf;
        while (len > 0) {
                ssize_t n = read(fd, p, len);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        return n < 0 ? -errno : -ECONNRESET;
                p += n;
                len -= (size_t) n;
        }
        return 0;
}

int ipc_request(const char *socket_path, const char *request, char **ret, Error *e) {
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        if (!socket_path || strlen(socket_path) >= sizeof(sa.sun_path))
                return error_setf(e, -EINVAL, "'%s' is not a socket path", socket_path ?: "");
        strcpy(sa.sun_path, socket_path);
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return error_setf(e, -errno, "cannot make a socket: %s", strerror(errno));
        size_t len = strlen(request), size = 0, cap = 0;
        char *answer = NULL;
        int r = connect(fd, (struct sockaddr *) &sa, sizeof(sa)) < 0 ? -errno : 0;
        if (r >= 0)
                r = ipc_write_all(fd, request, len);
        if (r >= 0 && shutdown(fd, SHUT_WR) < 0)
                r = -errno;
        while (r >= 0) {
                if (size + 4096 + 1 > cap) {
                        char *bigger = cap + 65536 <= IPC_ANSWER_MAX ? realloc(answer, cap += 65536) : NULL;
                        if (!bigger) {
                                r = -E2BIG;
                                break;
                        }
                        answer = bigger;
                }
                ssize_t n = read(fd, answer + size, cap - size - 1);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        r = -errno;
                else if (n == 0)
                        break;
                else
                        size += (size_t) n;
        }
        close(fd);
        if (r < 0) {
                free(answer);
                return error_setf(e, r, "the compositor at %s: %s", socket_path, strerror(-r));
        }
        if (!answer && !(answer = malloc(1)))
                return error_setf(e, -ENOMEM, "out of memory");
        answer[size] = 0;
        *ret = answer;
        return 0;
}
