/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* systemd's limit on a unit name, without the terminating NUL. */
#define UNIT_NAME_MAX 255

/* How units are named ([Launcher] UnitNames=). */
typedef enum UnitNameStyle {
        UNIT_NAMES_SEED, /* app-open-sesame-<sanitized ID>-<PID>.scope, app-open-sesame-<sanitized ID>-<N>.service */
        UNIT_NAMES_XDG,  /* app-sesame-<escaped ID>-<PID>.scope, app-sesame-<escaped ID>@<N>.service: systemd's
                          * desktop environment integration form, from which a desktop reads the app ID back */
        _UNIT_NAMES_MAX,
} UnitNameStyle;

#define SCOPE_PREFIX "app-open-sesame-"
#define SCOPE_PREFIX_XDG "app-sesame-"
#define SCOPE_SUFFIX ".scope"
#define SERVICE_SUFFIX ".service"
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

/* The ID as systemd-escape(1) escapes it: [A-Za-z0-9:_.] kept (a leading
 * '.' escaped), every other byte \xNN — so a '-' is \x2d and the dashes of
 * the name stay separators. Cut so that the name fits, before the first
 * character that does not fit whole: never inside an escape, nor between
 * the escapes of one UTF-8 character, so that the cut ID unescapes to
 * text. `max` is the room in buf without the NUL. Returns the length. */
size_t unit_id_escape(const char *id, char *buf, size_t max);

/* Everything of the name before the PID: "app-open-sesame-<sanitized
 * id>-" or "app-sesame-<escaped id>-". */
int unit_name_prefix(UnitNameStyle style, const char *id, char buf[static UNIT_NAME_MAX + 1]);

/* "<prefix><pid>.scope", or with attempt > 0 (attempt < 1000)
 * "<prefix><pid>-<attempt>.scope" (seed) or "<prefix><pid>r<attempt>.scope"
 * (xdg: what follows the last dash is the random part, letters and digits
 * only, as xdg-desktop-portal's parser asks). */
int unit_name_for_scope(UnitNameStyle style, const char *id, pid_t pid, unsigned attempt,
                        char buf[static UNIT_NAME_MAX + 1]);

/* A transient service's name: "<prefix><n>.service" (seed), or
 * "app-sesame-<escaped id>@<n>.service" (xdg, the spec's form for a
 * service). Its process is not known before the manager starts it, so
 * `n` is a number the caller picks (a clash is UnitExists: pick another). */
int unit_name_for_service(UnitNameStyle style, const char *id, uint32_t n, char buf[static UNIT_NAME_MAX + 1]);

/* The application ID a unit named as the systemd desktop-integration
 * specification says carries: "app[-<launcher>]-<ID>-<RANDOM>.scope" or
 * "app[-<launcher>]-<ID>[@<RANDOM>].service", the ID unescaped ("\\x2d" is
 * '-'). Into `buf`; 0, or -EINVAL for a unit of another form. Our seed
 * names, whose IDs were made unreadable, are not read back here. */
int unit_name_app_id(const char *unit, char *buf, size_t size);

/* Whether `unit` has one of our names (either style, scope or service). */
bool unit_name_is_ours(const char *unit);
/* Whether it is one of our services. */
bool unit_name_is_service(const char *unit);
/* The PID in one of our scope names ("...-<PID>.scope", "...-<PID>-<n>.scope",
 * "...-<PID>r<n>.scope"), or 0 (a service's name has none). */
pid_t unit_name_pid(const char *unit);
/* Whether `unit` is one of our names for the entry `id`, in either style:
 * its prefix, then nothing but the PID or number (and a retry's suffix). */
bool unit_name_is_for(const char *unit, const char *id);
/* The ListUnitsByPatterns patterns of the entry's units: its scopes and its
 * services, in each style. */
#define UNIT_NAME_PATTERNS (2 * _UNIT_NAMES_MAX)
#define UNIT_NAME_PATTERN_MAX (UNIT_NAME_MAX + sizeof("*" SERVICE_SUFFIX))
int unit_name_patterns(const char *id, char patterns[static UNIT_NAME_PATTERNS][UNIT_NAME_PATTERN_MAX]);
/* Every unit of ours, the same way. */
extern const char *const unit_name_all_patterns[UNIT_NAME_PATTERNS + 1];
