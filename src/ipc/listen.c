/* SPDX-License-Identifier: MIT */
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/path.h"
#include "ipc/server.h"

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
