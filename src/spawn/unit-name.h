/* SPDX-License-Identifier: MIT */
#pragma once

#include <stddef.h>
#include <sys/types.h>

/* systemd's limit on a unit name, without the terminating NUL. */
#define UNIT_NAME_MAX 255

#define SCOPE_PREFIX "app-open-sesame-"
#define SCOPE_SUFFIX ".scope"
/* Used for an entry ID with no alphanumeric character at all. */
#define SCOPE_ID_EMPTY "unknown"

/* The longest sanitized ID kept: room for the prefix, "-<pid>" (PIDs are at
 * most 2^22 on Linux, but leave room for ten digits), a "-<n>" suffix for
 * retries (up to three digits) and ".scope". */
#define SCOPE_ID_MAX (UNIT_NAME_MAX - (sizeof(SCOPE_PREFIX) - 1) - 11 - 4 - (sizeof(SCOPE_SUFFIX) - 1))

/* Every run of characters other than [A-Za-z0-9] becomes one '-', leading and
 * trailing dashes are dropped, the result is cut to SCOPE_ID_MAX (and any
 * dash the cut leaves at the end dropped too). Writes at most
 * SCOPE_ID_MAX+1 bytes to buf; returns the length. */
size_t unit_id_sanitize(const char *id, char buf[static SCOPE_ID_MAX + 1]);

/* "app-open-sesame-<sanitized id>-": everything of the name before the PID. */
int unit_name_prefix(const char *id, char buf[static UNIT_NAME_MAX + 1]);

/* "app-open-sesame-<sanitized id>-<pid>.scope", or with attempt > 0
 * "app-open-sesame-<sanitized id>-<pid>-<attempt>.scope" (attempt < 1000). */
int unit_name_for_scope(const char *id, pid_t pid, unsigned attempt, char buf[static UNIT_NAME_MAX + 1]);
