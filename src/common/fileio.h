/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "common/error.h"

/* Replaces `path` with `text` so that a crash leaves either the old file or
 * the new one: a temporary file beside it (created 0600, then given
 * `mode`), fsync, rename, fsync of the directory. */
int write_file_atomic(const char *path, const char *text, mode_t mode, Error *e);

typedef enum ReadFileFlags {
        /* The buffer is a secure one (secure.h), for key files: free it with
         * secure_free(buf, *ret_size + 1). */
        READ_FILE_SECURE = 1 << 0,
        /* What it says decides what runs (launcher.conf, clients.conf):
         * the file and its directory must be ours and writable by nobody
         * else (path_check_trusted()), or -EPERM with the fix. */
        READ_FILE_TRUSTED = 1 << 1,
} ReadFileFlags;

/* Reads a whole file of at most `max` bytes into a new NUL-terminated
 * buffer (*ret_size excludes the NUL). Every file the launcher reads comes
 * through here: it is opened non-blocking, so a FIFO or a device at the
 * path cannot hang the reader; anything but a regular file is refused
 * (-EINVAL), and the size is checked before a byte is read (-EFBIG).
 * Errors say "PATH: why". */
int read_file(const char *path, size_t max, ReadFileFlags flags, char **ret, size_t *ret_size, Error *e);

/* A file of /proc or /sys/fs/cgroup, which report no size (read_file()
 * reads what the size says): its first `size` - 1 bytes, NUL-terminated. */
bool read_pseudo_file(const char *path, char *buf, size_t size);
/* The "0::PATH" of a process's /proc/PID/cgroup (cgroup v2), into buf. */
bool process_cgroup(pid_t pid, char *buf, size_t size);
/* Whether a cgroup path is the unit's own: its last component. */
bool cgroup_is_unit(const char *cgroup, const char *unit);
