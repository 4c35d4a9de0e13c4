/* SPDX-License-Identifier: MIT */
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"

int write_file_atomic(const char *path, const char *text, mode_t mode, Error *e) {
        char tmp[PATH_MAX];
        if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int) sizeof(tmp))
                return error_setf(e, -ENAMETOOLONG, "%s: path too long", path);
        int fd = mkostemp(tmp, O_CLOEXEC);
        if (fd < 0)
                return error_setf(e, negative_errno(), "cannot create a file beside %s: %m", path);
        size_t len = strlen(text);
        int r = 0;
        if (write(fd, text, len) != (ssize_t) len || fchmod(fd, mode) < 0 || fsync(fd) < 0)
                r = error_setf(e, negative_errno(), "cannot write %s: %m", tmp);
        close(fd);
        if (r >= 0 && rename(tmp, path) < 0)
                r = error_setf(e, negative_errno(), "cannot rename %s to %s: %m", tmp, path);
        if (r < 0) {
                unlink(tmp);
                return r;
        }
        char dir[PATH_MAX];
        snprintf(dir, sizeof(dir), "%s", path);
        int dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
                (void) fsync(dfd);
                close(dfd);
        }
        return 0;
}
