/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/macro.h"
#include "common/path.h"
#include "sesame-build.h"

static int is_executable_file(const char *p) {
        struct stat st;
        return access(p, X_OK) == 0 && stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

char *path_find_executable(const char *name) {
        if (!name || !*name)
                return NULL;
        if (strchr(name, '/'))
                return is_executable_file(name) ? strdup(name) : NULL;

        const char *path = getenv("PATH");
        if (!path || !*path)
                path = "/usr/local/bin:/usr/bin:/bin";
        for (const char *p = path; *p;) {
                size_t len = strcspn(p, ":");
                char candidate[PATH_MAX];
                if (len > 0 &&
                    snprintf(candidate, sizeof(candidate), "%.*s/%s", (int) len, p, name) < (int) sizeof(candidate) &&
                    is_executable_file(candidate))
                        return strdup(candidate);
                p += len;
                if (*p == ':')
                        p++;
        }
        return NULL;
}

char *path_helper(const char *name) {
        char self[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
        if (n > 0) {
                self[n] = 0;
                char *slash = strrchr(self, '/');
                char candidate[PATH_MAX + 64];
                if (slash && snprintf(candidate, sizeof(candidate), "%.*s/%s", (int) (slash - self), self, name) <
                                     (int) sizeof(candidate) &&
                    access(candidate, X_OK) == 0)
                        return strdup(candidate);
        }
        char *installed;
        return asprintf(&installed, "%s/%s", SESAME_LIBEXECDIR, name) < 0 ? NULL : installed;
}

int path_check_trusted(const char *path, const struct stat *st, Error *e) {
        if (st->st_uid != geteuid() && st->st_uid != 0)
                return error_setf(e, -EPERM, "%s belongs to uid %u, not to you: another user could change it; fix: "
                                  "remove it, or chown %u %s", path, (unsigned) st->st_uid, (unsigned) geteuid(), path);
        if ((st->st_mode & (S_IWGRP | S_IWOTH)) && !(S_ISDIR(st->st_mode) && (st->st_mode & S_ISVTX)))
                return error_setf(e, -EPERM, "%s is writable by other users (mode %04o): they could change it; fix: "
                                  "chmod go-w %s", path, (unsigned) (st->st_mode & 07777), path);
        return 0;
}

int dir_open_private(const char *dir, Error *e) {
        int r = mkdir_parents(dir, e);
        if (r < 0)
                return r;
        int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        struct stat st;
        /* (A link is ELOOP, or ENOTDIR with O_DIRECTORY.) */
        if (fd < 0 && (errno == ELOOP || errno == ENOTDIR) && lstat(dir, &st) == 0 && S_ISLNK(st.st_mode))
                return error_setf(e, -ELOOP, "%s is a symbolic link: the launcher keeps its files only in a "
                                  "directory of its own; fix: remove it", dir);
        if (fd < 0)
                return error_setf(e, negative_errno(), "%s: %s", dir, strerror(errno));
        if (fstat(fd, &st) < 0)
                r = error_setf(e, negative_errno(), "%s: %s", dir, strerror(errno));
        else
                r = path_check_trusted(dir, &st, e);
        if (r < 0) {
                close(fd);
                return r;
        }
        return fd;
}

int mkdir_parents(const char *dir, Error *e) {
        char path[PATH_MAX];
        if (snprintf(path, sizeof(path), "%s", dir) >= (int) sizeof(path))
                return error_setf(e, -ENAMETOOLONG, "%s: path too long", dir);
        for (char *p = path + 1;; p++) {
                if (*p != '/' && *p)
                        continue;
                char c = *p;
                *p = 0;
                if (mkdir(path, 0700) < 0 && errno != EEXIST)
                        return error_setf(e, negative_errno(), "cannot create %s: %s", path, strerror(errno));
                *p = c;
                if (!c)
                        break;
        }
        return 0;
}
