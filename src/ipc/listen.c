/* SPDX-License-Identifier: MIT */
#include <fcntl.h>
#include <libgen.h>
#include <poll.h>
#include <stdlib.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/path.h"
#include "ipc/frame.h"
#include "ipc/server.h"
#include "ipc/transport.h"

int ipc_listen(const char *path, int *ret_fd, Error *e) {
        assert_return(path && ret_fd, error_setf(e, -EINVAL, "invalid argument"));
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        if (strlen(path) >= sizeof(sa.sun_path))
                return error_setf(e, -ENAMETOOLONG, "%s: too long for a socket path", path);
        strcpy(sa.sun_path, path);

        char dir[PATH_MAX];
        snprintf(dir, sizeof(dir), "%s", path);
        /* Only we may even reach the socket: the directory is ours (never
         * reached through a link) and then 0700. */
        int dfd = dir_open_private(dirname(dir), e);
        if (dfd < 0)
                return dfd;
        int r = fchmod(dfd, 0700) < 0 ? error_setf(e, negative_errno(), "cannot make %s private: %s", dir,
                                                   strerror(errno))
                                      : 0;
        close(dfd);
        if (r < 0)
                return r;

        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
                return error_setf(e, negative_errno(), "cannot create a socket: %s", strerror(errno));
        (void) unlink(path); /* a stale socket of an earlier run */
        if (bind(fd, (struct sockaddr *) &sa, sizeof(sa)) < 0 || chmod(path, 0600) < 0 ||
            listen(fd, IPC_LISTEN_BACKLOG) < 0) {
                r = error_setf(e, negative_errno(), "cannot listen on %s: %s", path, strerror(errno));
                close(fd);
                return r;
        }
        *ret_fd = fd;
        return 0;
}

/* How many waiting connections a launcher that cannot start answers, and
 * how long each gets to send its first message: a bound on the time the
 * failure takes, whatever waits. */
#define REFUSE_MAX 64
#define REFUSE_WAIT_MS 200

void ipc_refuse_pending(int listen_fd, const char *reason) {
        char text[512];
        int n = snprintf(text, sizeof(text), "%s%s", IPC_CANNOT_SERVE, reason);
        uint8_t *frame = NULL;
        size_t len = 0;
        int flags = fcntl(listen_fd, F_GETFL);
        if (n < 0 || flags < 0 || fcntl(listen_fd, F_SETFL, flags | O_NONBLOCK) < 0 ||
            frame_encode((const uint8_t *) text, strnlen(text, sizeof(text)), &frame, &len) < 0)
                return;
        for (unsigned i = 0; i < REFUSE_MAX; i++) {
                int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
                if (fd < 0)
                        break;
                /* Its handshake read first: a close with unread data is a
                 * reset, which the client would take for a restart. */
                struct pollfd p = { .fd = fd, .events = POLLIN };
                uint8_t discard[4096];
                if (poll(&p, 1, REFUSE_WAIT_MS) > 0)
                        (void) !recv(fd, discard, sizeof(discard), MSG_DONTWAIT);
                (void) !send(fd, frame, len, MSG_NOSIGNAL | MSG_DONTWAIT);
                close(fd);
        }
        free(frame);
}
