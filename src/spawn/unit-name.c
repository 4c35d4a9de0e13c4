/* SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/macro.h"
#include "spawn/unit-name.h"

static bool is_alnum_ascii(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

size_t unit_id_sanitize(const char *id, char buf[static SCOPE_ID_MAX + 1]) {
        size_t n = 0;
        bool pending_dash = false;

        for (const char *c = id ? id : ""; *c && n < SCOPE_ID_MAX; c++) {
                if (!is_alnum_ascii(*c)) {
                        /* Only between two kept characters: this trims both ends. */
                        pending_dash = n > 0;
                        continue;
                }
                if (pending_dash) {
                        if (n + 1 >= SCOPE_ID_MAX)
                                break;
                        buf[n++] = '-';
                        pending_dash = false;
                }
                buf[n++] = *c;
        }
        buf[n] = 0;
        return n;
}

/* The bytes of the character starting at `c`: a UTF-8 lead byte's
 * sequence (as far as its continuation bytes go), else one. */
static size_t char_length(const unsigned char *c) {
        size_t len = *c >= 0xf0 ? 4 : *c >= 0xe0 ? 3 : *c >= 0xc0 ? 2 : 1;
        for (size_t i = 1; i < len; i++)
                if ((c[i] & 0xc0) != 0x80)
                        return i;
        return len;
}

size_t unit_id_escape(const char *id, char *buf, size_t max) {
        static const char hex[] = "0123456789abcdef";
        const unsigned char *start = (const unsigned char *) (id ? id : "");
        size_t n = 0;
        for (const unsigned char *c = start; *c;) {
                bool keep = is_alnum_ascii((char) *c) || *c == ':' || *c == '_' || (*c == '.' && c != start);
                size_t len = keep ? 1 : char_length(c);
                if (n + (keep ? 1 : 4 * len) > max)
                        break;
                for (size_t i = 0; i < len; i++, c++) {
                        if (keep) {
                                buf[n++] = (char) *c;
                                continue;
                        }
                        buf[n++] = '\\';
                        buf[n++] = 'x';
                        buf[n++] = hex[*c >> 4];
                        buf[n++] = hex[*c & 15];
                }
        }
        buf[n] = 0;
        return n;
}

int unit_name_prefix(UnitNameStyle style, const char *id, char buf[static UNIT_NAME_MAX + 1]) {
        char part[UNIT_NAME_MAX + 1];
        if (style == UNIT_NAMES_XDG) {
                /* Room for the prefix, "-<pid>_<attempt>" and ".scope". */
                size_t room = UNIT_NAME_MAX - (sizeof(SCOPE_PREFIX_XDG) - 1) - 11 - 4 - (sizeof(SCOPE_SUFFIX) - 1);
                if (unit_id_escape(id, part, room) == 0)
                        snprintf(part, sizeof(part), "%s", SCOPE_ID_EMPTY);
        } else if (unit_id_sanitize(id, part) == 0)
                snprintf(part, sizeof(part), "%s", SCOPE_ID_EMPTY);

        int n = snprintf(buf, UNIT_NAME_MAX + 1, "%s%s-", style == UNIT_NAMES_XDG ? SCOPE_PREFIX_XDG : SCOPE_PREFIX,
                         part);
        return n > 0 && n <= UNIT_NAME_MAX ? 0 : -ENAMETOOLONG;
}

int unit_name_for_scope(UnitNameStyle style, const char *id, pid_t pid, unsigned attempt,
                        char buf[static UNIT_NAME_MAX + 1]) {
        assert_return(pid > 0, -EINVAL);
        assert_return(attempt < 1000, -EINVAL);

        int r = unit_name_prefix(style, id, buf);
        if (r < 0)
                return r;

        size_t len = strlen(buf);
        int n;
        if (attempt == 0)
                n = snprintf(buf + len, UNIT_NAME_MAX + 1 - len, "%d" SCOPE_SUFFIX, (int) pid);
        else
                n = snprintf(buf + len, UNIT_NAME_MAX + 1 - len, "%d%c%u" SCOPE_SUFFIX, (int) pid,
                             style == UNIT_NAMES_XDG ? 'r' : '-', attempt);
        return n > 0 && len + (size_t) n <= UNIT_NAME_MAX ? 0 : -ENAMETOOLONG;
}

int unit_name_for_service(UnitNameStyle style, const char *id, uint32_t n, char buf[static UNIT_NAME_MAX + 1]) {
        int r = unit_name_prefix(style, id, buf);
        if (r < 0)
                return r;
        size_t len = strlen(buf);
        /* The prefix ends in the dash before a scope's PID; a service of
         * the xdg form has '@' there. */
        if (style == UNIT_NAMES_XDG)
                buf[len - 1] = '@';
        int k = snprintf(buf + len, UNIT_NAME_MAX + 1 - len, "%" PRIu32 SERVICE_SUFFIX, n);
        return k > 0 && len + (size_t) k <= UNIT_NAME_MAX ? 0 : -ENAMETOOLONG;
}

static bool has_suffix(const char *s, const char *suffix) {
        size_t n = strlen(s), k = strlen(suffix);
        return n > k && strcmp(s + n - k, suffix) == 0;
}

static bool has_prefix(const char *s, const char *prefix) {
        return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool unit_name_is_service(const char *unit) {
        return unit && has_suffix(unit, SERVICE_SUFFIX) &&
               (has_prefix(unit, SCOPE_PREFIX) || has_prefix(unit, SCOPE_PREFIX_XDG));
}

bool unit_name_is_ours(const char *unit) {
        return unit_name_is_service(unit) || (unit && has_suffix(unit, SCOPE_SUFFIX) &&
                                              (has_prefix(unit, SCOPE_PREFIX) || has_prefix(unit, SCOPE_PREFIX_XDG)));
}

pid_t unit_name_pid(const char *unit) {
        if (!unit || !has_suffix(unit, SCOPE_SUFFIX))
                return 0;
        const char *end = unit + strlen(unit) - strlen(SCOPE_SUFFIX);
        const char *dash = end;
        while (dash > unit && dash[-1] != '-')
                dash--;
        long pid = strtol(dash, NULL, 10);
        return pid > 0 && pid < (1L << 22) ? (pid_t) pid : 0;
}

bool unit_name_is_for(const char *unit, const char *id) {
        char prefix[UNIT_NAME_MAX + 1];
        for (UnitNameStyle style = 0; unit && style < _UNIT_NAMES_MAX; style++) {
                if (unit_name_prefix(style, id, prefix) < 0)
                        continue;
                /* Up to the separator, which is '@' for a service of the xdg form. */
                size_t len = strlen(prefix) - 1;
                if (strncmp(unit, prefix, len) != 0 || (unit[len] != '-' && unit[len] != '@'))
                        continue;
                const char *rest = unit + len + 1;
                /* "_" too: the retry form of earlier versions, whose apps may run. */
                size_t digits = strspn(rest, "0123456789-r_");
                if (digits > 0 && (strcmp(rest + digits, SCOPE_SUFFIX) == 0 ||
                                   (strcmp(rest + digits, SERVICE_SUFFIX) == 0 &&
                                    unit[len] == (style == UNIT_NAMES_XDG ? '@' : '-'))))
                        return true;
        }
        return false;
}

int unit_name_patterns(const char *id, char patterns[static UNIT_NAME_PATTERNS][UNIT_NAME_PATTERN_MAX]) {
        for (UnitNameStyle style = 0; style < _UNIT_NAMES_MAX; style++) {
                char *scope = patterns[2 * style], *service = patterns[2 * style + 1];
                int r = unit_name_prefix(style, id, scope);
                if (r < 0)
                        return r;
                strcpy(service, scope);
                strcat(scope, "*" SCOPE_SUFFIX);
                if (style == UNIT_NAMES_XDG)
                        service[strlen(service) - 1] = '@';
                strcat(service, "*" SERVICE_SUFFIX);
        }
        return 0;
}

const char *const unit_name_all_patterns[UNIT_NAME_PATTERNS + 1] = {
        SCOPE_PREFIX "*" SCOPE_SUFFIX,     SCOPE_PREFIX "*" SERVICE_SUFFIX,
        SCOPE_PREFIX_XDG "*" SCOPE_SUFFIX, SCOPE_PREFIX_XDG "*" SERVICE_SUFFIX,
        NULL,
};

int unit_name_app_id(const char *unit, char *buf, size_t size) {
        assert_return(unit && buf && size > 0, -EINVAL);
        if (!has_prefix(unit, "app-"))
                return -EINVAL;
        const char *start = unit + strlen("app-"), *end;
        if (has_suffix(unit, SERVICE_SUFFIX)) {
                end = unit + strlen(unit) - strlen(SERVICE_SUFFIX);
                const char *at = memchr(start, '@', (size_t) (end - start));
                if (at)
                        end = at;
        } else if (has_suffix(unit, SCOPE_SUFFIX)) {
                /* The random part after the last '-'. */
                end = unit + strlen(unit) - strlen(SCOPE_SUFFIX);
                while (end > start && end[-1] != '-')
                        end--;
                if (end == start)
                        return -EINVAL;
                end--;
        } else
                return -EINVAL;
        /* The ID is the last '-'-separated part: escaped, it has none of its own. */
        const char *id = end;
        while (id > start && id[-1] != '-')
                id--;
        if (id == end)
                return -EINVAL;
        size_t n = 0;
        for (const char *p = id; p < end; p++) {
                char c = *p;
                unsigned v;
                if (p[0] == '\\' && end - p >= 4 && p[1] == 'x' && sscanf(p + 2, "%2x", &v) == 1 &&
                    isxdigit((unsigned char) p[2]) && isxdigit((unsigned char) p[3])) {
                        c = (char) v;
                        p += 3;
                }
                if (n + 1 >= size)
                        return -EINVAL;
                buf[n++] = c;
        }
        buf[n] = 0;
        return 0;
}
