/* SPDX-License-Identifier: MIT */
#include <errno.h>
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
