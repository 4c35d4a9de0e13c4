/* SPDX-License-Identifier: MIT */
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/fileio.h"
#include "common/path.h"
#include "common/secure.h"

int write_file_atomic(const char *path, const char *text, mode_t mode, Error *e) {
        char tmp[PATH_MAX];
        if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int) sizeof(tmp))
                return error_setf(e, -ENAMETOOLONG, "%s: path too long", path);
        int fd = mkostemp(tmp, O_CLOEXEC);
        if (fd < 0)
                return error_setf(e, negative_errno(), "cannot create a file beside %s: %s", path, strerror(errno));
        size_t len = strlen(text);
        int r = 0;
        if (write(fd, text, len) != (ssize_t) len || fchmod(fd, mode) < 0 || fsync(fd) < 0)
                r = error_setf(e, negative_errno(), "cannot write %s: %s", tmp, strerror(errno));
        close(fd);
        if (r >= 0 && rename(tmp, path) < 0)
                r = error_setf(e, negative_errno(), "cannot rename %s to %s: %s", tmp, path, strerror(errno));
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

/* The file, and the directory it is in (whoever may write there may
 * replace it). */
static int check_trusted(const char *path, const struct stat *st, Error *e) {
        int r = path_check_trusted(path, st, e);
        if (r < 0)
                return r;
        char dir[PATH_MAX];
        snprintf(dir, sizeof(dir), "%s", path);
        struct stat ds;
        if (stat(dirname(dir), &ds) < 0)
                return error_setf(e, negative_errno(), "%s: %s", dir, strerror(errno));
        return path_check_trusted(dir, &ds, e);
}

int read_file(const char *path, size_t max, ReadFileFlags flags, char **ret, size_t *ret_size, Error *e) {
        assert_return(path && ret && ret_size, error_setf(e, -EINVAL, "invalid argument"));
        int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
                return error_setf(e, negative_errno(), "%s: %s", path, strerror(errno));
        struct stat st;
        int r = 0;
        if (fstat(fd, &st) < 0)
                r = error_setf(e, negative_errno(), "%s: %s", path, strerror(errno));
        else if (!S_ISREG(st.st_mode))
                r = error_setf(e, -EINVAL, "%s: not a regular file", path);
        else if ((uintmax_t) st.st_size > max)
                r = error_setf(e, -EFBIG, "%s: larger than %zu bytes", path, max);
        else if (flags & READ_FILE_TRUSTED)
                r = check_trusted(path, &st, e);
        if (r < 0) {
                close(fd);
                return r;
        }

        size_t size = (size_t) st.st_size;
        bool secure = flags & READ_FILE_SECURE;
        char *buf = secure ? secure_alloc(size + 1) : malloc(size + 1);
        if (!buf) {
                close(fd);
                return error_setf(e, -ENOMEM, "out of memory");
        }
        size_t got = 0;
        while (got < size) {
                ssize_t n = read(fd, buf + got, size - got);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0) {
                        r = error_setf(e, negative_errno(), "%s: %s", path, strerror(errno));
                        break;
                }
                if (n == 0)
                        break; /* shrank under us: what is there */
                got += (size_t) n;
        }
        close(fd);
        if (r >= 0 && secure && got != size)
                /* Freed with its own size below; a key file being rewritten
                 * is read again later. */
                r = error_setf(e, -EAGAIN, "%s: changed while being read", path);
        if (r < 0) {
                if (secure)
                        secure_free(buf, size + 1);
                else
                        free(buf);
                return r;
        }
        buf[got] = 0;
        *ret = buf;
        *ret_size = got;
        return 0;
}

bool read_pseudo_file(const char *path, char *buf, size_t size) {
        int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return false;
        ssize_t n = read(fd, buf, size - 1);
        close(fd);
        if (n <= 0)
                return false;
        buf[n] = 0;
        return true;
}

bool process_cgroup(pid_t pid, char *buf, size_t size) {
        char path[64], text[4096];
        snprintf(path, sizeof(path), "/proc/%d/cgroup", (int) pid);
        if (!read_pseudo_file(path, text, sizeof(text)))
                return false;
        const char *line = strstr(text, "0::");
        if (!line)
                return false;
        size_t len = strcspn(line + 3, "\n");
        if (len == 0 || len >= size)
                return false;
        memcpy(buf, line + 3, len);
        buf[len] = 0;
        return true;
}

bool cgroup_is_unit(const char *cgroup, const char *unit) {
        size_t len = strlen(cgroup), ulen = strlen(unit);
        return len > ulen && cgroup[len - ulen - 1] == '/' && strcmp(cgroup + len - ulen, unit) == 0;
}
