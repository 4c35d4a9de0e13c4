/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <syslog.h>

#include "common/macro.h"

struct iovec;

typedef enum LogTarget {
        LOG_TARGET_AUTO,    /* journal when JOURNAL_STREAM says stderr is it */
        LOG_TARGET_CONSOLE, /* readable lines on stderr */
        LOG_TARGET_JOURNAL, /* structured fields through journal_send */
} LogTarget;

/* sd_journal_sendv, passed in by the programs that link libsystemd anyway:
 * the lean client does not, and logs to stderr only. */
typedef int (*LogJournalSend)(const struct iovec *iov, int n);

void log_setup(const char *ident, LogTarget target, bool verbose, LogJournalSend journal_send);

void log_full(int priority, const char *fmt, ...) _printf_(2, 3);

#define log_debug(...) log_full(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_full(LOG_INFO, __VA_ARGS__)
#define log_notice(...) log_full(LOG_NOTICE, __VA_ARGS__)
#define log_warning(...) log_full(LOG_WARNING, __VA_ARGS__)
#define log_error(...) log_full(LOG_ERR, __VA_ARGS__)

/* One event with named fields. Keys are lower-case words ("entry_id"); on the
 * console they follow the message as key=value, in the journal they become
 * SESAME_ENTRY_ID=value fields. Never pass a secret value here. */
typedef struct LogField {
        const char *key;
        const char *value;
} LogField;

void log_fields(int priority, const LogField *fields, size_t n, const char *fmt, ...) _printf_(4, 5);
