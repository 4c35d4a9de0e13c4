/* SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include "common/log.h"

static const char *log_ident = "sesame";
static LogJournalSend log_journal; /* NULL: readable lines on stderr */
static bool log_verbose;

/* systemd sets JOURNAL_STREAM=<dev>:<inode> for a service whose stderr is
 * connected to the journal; it is only true if our fd 2 is still that stream. */
static bool stderr_is_journal(void) {
        const char *e = getenv("JOURNAL_STREAM");
        if (!e)
                return false;

        uintmax_t dev, ino;
        if (sscanf(e, "%ju:%ju", &dev, &ino) != 2)
                return false;

        struct stat st;
        if (fstat(STDERR_FILENO, &st) < 0)
                return false;
        return (uintmax_t) st.st_dev == dev && (uintmax_t) st.st_ino == ino;
}

void log_setup(const char *ident, LogTarget target, bool verbose, LogJournalSend journal_send) {
        if (ident)
                log_ident = ident;
        log_verbose = verbose;
        bool journal = target == LOG_TARGET_JOURNAL || (target == LOG_TARGET_AUTO && stderr_is_journal());
        log_journal = journal ? journal_send : NULL;
}

static void log_write(int priority, const LogField *fields, size_t n, const char *fmt, va_list ap) {
        if (priority == LOG_DEBUG && !log_verbose)
                return;

        char message[2048];
        vsnprintf(message, sizeof(message), fmt, ap);

        if (log_journal) {
                /* MESSAGE, PRIORITY, SYSLOG_IDENTIFIER, then one field per key. */
                struct iovec iov[3 + 16];
                char message_field[sizeof("MESSAGE=") + sizeof(message)];
                char buf[3 + 16][640];
                size_t k = 0;

                snprintf(message_field, sizeof(message_field), "MESSAGE=%s", message);
                k++;
                snprintf(buf[k], sizeof(buf[k]), "PRIORITY=%d", priority);
                k++;
                snprintf(buf[k], sizeof(buf[k]), "SYSLOG_IDENTIFIER=%s", log_ident);
                k++;
                for (size_t i = 0; i < n && k < ELEMENTSOF(buf); i++) {
                        int len = snprintf(buf[k], sizeof(buf[k]), "SESAME_");
                        for (const char *c = fields[i].key; *c && len < 128; c++)
                                buf[k][len++] = (char) toupper((unsigned char) *c);
                        snprintf(buf[k] + len, sizeof(buf[k]) - (size_t) len, "=%s",
                                 fields[i].value ? fields[i].value : "");
                        k++;
                }
                iov[0] = (struct iovec){ .iov_base = message_field, .iov_len = strlen(message_field) };
                for (size_t i = 1; i < k; i++)
                        iov[i] = (struct iovec){ .iov_base = buf[i], .iov_len = strlen(buf[i]) };
                if (log_journal(iov, (int) k) >= 0)
                        return;
                /* The journal went away: fall through to stderr, losing nothing. */
        }

        /* One write per line, so that lines from concurrent processes sharing
         * the stream do not interleave. */
        char line[4096];
        int len = snprintf(line, sizeof(line), "%s: %s", log_ident, message);
        for (size_t i = 0; i < n && len > 0 && (size_t) len < sizeof(line); i++) {
                const char *v = fields[i].value ? fields[i].value : "";
                bool quote = v[0] == 0 || strpbrk(v, " \t\"") != NULL;
                len += snprintf(line + len, sizeof(line) - (size_t) len, quote ? " %s=\"%s\"" : " %s=%s",
                                fields[i].key, v);
        }
        if (len < 0)
                return;
        if ((size_t) len >= sizeof(line) - 1)
                len = (int) sizeof(line) - 2;
        line[len++] = '\n';
        (void) !write(STDERR_FILENO, line, (size_t) len);
}

void log_full(int priority, const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        log_write(priority, NULL, 0, fmt, ap);
        va_end(ap);
}

void log_fields(int priority, const LogField *fields, size_t n, const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        log_write(priority, fields, n, fmt, ap);
        va_end(ap);
}
