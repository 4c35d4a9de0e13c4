/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "macro.h"
#include "unit-name.h"

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

int unit_name_prefix(const char *id, char buf[static UNIT_NAME_MAX + 1]) {
        char sanitized[SCOPE_ID_MAX + 1];
        if (unit_id_sanitize(id, sanitized) == 0)
                snprintf(sanitized, sizeof(sanitized), "%s", SCOPE_ID_EMPTY);

        int n = snprintf(buf, UNIT_NAME_MAX + 1, SCOPE_PREFIX "%s-", sanitized);
        return n > 0 && n <= UNIT_NAME_MAX ? 0 : -ENAMETOOLONG;
}

int unit_name_for_scope(const char *id, pid_t pid, unsigned attempt, char buf[static UNIT_NAME_MAX + 1]) {
        assert_return(pid > 0, -EINVAL);
        assert_return(attempt < 1000, -EINVAL);

        int r = unit_name_prefix(id, buf);
        if (r < 0)
                return r;

        size_t len = strlen(buf);
        int n;
        if (attempt == 0)
                n = snprintf(buf + len, UNIT_NAME_MAX + 1 - len, "%d" SCOPE_SUFFIX, (int) pid);
        else
                n = snprintf(buf + len, UNIT_NAME_MAX + 1 - len, "%d-%u" SCOPE_SUFFIX, (int) pid, attempt);
        return n > 0 && len + (size_t) n <= UNIT_NAME_MAX ? 0 : -ENAMETOOLONG;
}
