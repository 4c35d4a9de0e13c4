/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xdgmime.h>

#include "common/macro.h"
#include "common/strv.h"
#include "desktop/mime-type.h"

/* GIO never reads more than this of a file, whatever the magic asks. */
#define SNIFF_MAX 4096
/* xdgmime gives at most this many types for a name. */
#define NAME_TYPES_MAX 10
/* A magic match this sure wins over the name (GIO's threshold). */
#define SURE_MAGIC 80

/* As GIO: control characters other than \t \n \f \r and \b mean binary
 * (bytes from 0x80 are not ASCII controls, so UTF-8 is text). */
static bool looks_like_text(const unsigned char *data, size_t size) {
        for (size_t i = 0; i < size; i++) {
                unsigned char c = data[i];
                bool control = c < 0x20 || c == 0x7f;
                if (control && c != '\t' && c != '\n' && c != '\f' && c != '\r' && c != '\b')
                        return false;
        }
        return true;
}

static const char *sniff(const char *name, const void *data, size_t size, int *ret_priority) {
        const char *type = xdg_mime_get_mime_type_for_data(data, size, ret_priority);
        if (type == XDG_MIME_TYPE_UNKNOWN && looks_like_text(data, size))
                type = "text/plain";
        /* A desktop file runs programs: one whose name does not say so is
         * never taken for one by its content. */
        if (name && strcmp(type, "application/x-desktop") == 0)
                type = "text/plain";
        return type;
}

/* The type of a name and, optionally, of data (NULL: none), as
 * g_content_type_guess() gives it. */
static char *mime_type_guess(const char *name, const void *data, size_t size, bool *ret_uncertain) {
        const char *by_name[NAME_TYPES_MAX];
        int n = 0;
        bool uncertain = false;
        if (name) {
                const char *slash = strrchr(name, '/');
                n = xdg_mime_get_mime_types_from_file_name(slash ? slash + 1 : name, by_name, NAME_TYPES_MAX);
        }

        const char *type = NULL;
        if (n == 1)
                type = by_name[0];
        else {
                int priority = 0;
                const char *sniffed = data ? sniff(name, data, size, &priority) : XDG_MIME_TYPE_UNKNOWN;
                if (n == 0) {
                        type = sniffed;
                        uncertain = sniffed == XDG_MIME_TYPE_UNKNOWN;
                } else if (sniffed != XDG_MIME_TYPE_UNKNOWN) {
                        if (priority >= SURE_MAGIC)
                                type = sniffed;
                        /* Names that disagree: the one the content derives from. */
                        for (int i = 0; !type && i < n; i++)
                                if (xdg_mime_mime_type_subclass(by_name[i], sniffed))
                                        type = by_name[i];
                }
                if (!type) {
                        type = by_name[0];
                        uncertain = true;
                }
        }
        if (ret_uncertain)
                *ret_uncertain = uncertain;
        return strdup(type);
}

static const char *inode_type(const struct stat *st) {
        switch (st->st_mode & S_IFMT) {
        case S_IFDIR:
                return "inode/directory";
        case S_IFCHR:
                return "inode/chardevice";
        case S_IFBLK:
                return "inode/blockdevice";
        case S_IFIFO:
                return "inode/fifo";
        case S_IFSOCK:
                return "inode/socket";
        case S_IFREG:
                /* Not read: files in /proc and /sys look empty. An empty
                 * file a person just made is text to edit. */
                return st->st_size == 0 ? "text/plain" : NULL;
        }
        return NULL;
}

static ssize_t read_start(const char *path, unsigned char *buf, size_t size) {
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOATIME);
        if (fd < 0 && errno == EPERM) /* O_NOATIME on a file of another user */
                fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return -errno;
        ssize_t n = read(fd, buf, size);
        return n < 0 ? -errno : n;
}

int mime_type_of_file(const char *path, char **ret, Error *e) {
        assert_return(path && ret, -EINVAL);

        struct stat st;
        if (stat(path, &st) < 0) {
                int r = -errno;
                struct stat lst;
                if (r == -ENOENT && lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
                        return (*ret = strdup("inode/symlink")) ? 0 : -ENOMEM;
                return error_setf(e, r, "%s: %s", path, strerror(-r));
        }
        const char *inode = inode_type(&st);
        if (inode)
                return (*ret = strdup(inode)) ? 0 : -ENOMEM;

        bool uncertain;
        _cleanup_free_ char *type = mime_type_guess(path, NULL, 0, &uncertain);
        if (!type)
                return -ENOMEM;
        if (uncertain && S_ISREG(st.st_mode)) {
                unsigned char buf[SNIFF_MAX];
                int want = xdg_mime_get_max_buffer_extents();
                ssize_t n = read_start(path, buf, want > 0 && want <= SNIFF_MAX ? (size_t) want : SNIFF_MAX);
                /* Unreadable: the name's guess stands, as with GIO. */
                if (n >= 0) {
                        free(type);
                        if (!(type = mime_type_guess(path, buf, (size_t) n, NULL)))
                                return -ENOMEM;
                }
        }
        *ret = TAKE_PTR(type);
        return 0;
}

char *mime_type_unalias(const char *type) {
        return strdup(xdg_mime_unalias_mime_type(type));
}

char **mime_type_fallbacks(const char *type) {
        _cleanup_(strv_freep) char **list = NULL;
        if (strv_push(&list, strdup(xdg_mime_unalias_mime_type(type))) < 0)
                return NULL;
        /* The list grows as it is walked: each type's parents join its end. */
        for (size_t i = 0; list[i]; i++) {
                char **parents = xdg_mime_list_mime_parents(list[i]);
                for (size_t j = 0; parents && parents[j]; j++) {
                        if (!strv_contains(list, parents[j]) && strv_push(&list, strdup(parents[j])) < 0) {
                                free(parents);
                                return NULL;
                        }
                }
                free(parents);
        }
        return TAKE_PTR(list);
}

void mime_type_release(void) {
        xdg_mime_shutdown();
}
