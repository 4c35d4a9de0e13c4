/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* UTF-8 as JSON, D-Bus and the Desktop Entry Specification take it: no
 * overlong forms, no surrogates, nothing past U+10FFFF, and no NUL. Every
 * text that leaves the launcher in a reply, an error or a D-Bus string
 * passes one of these. */

bool utf8_is_valid(const char *s, size_t len);
static inline bool utf8_is_valid_string(const char *s) {
        return s && utf8_is_valid(s, strlen(s));
}

/* The length of the longest prefix of s[0..len) that does not end inside a
 * character: where to cut a valid text that must fit in `len` bytes. */
size_t utf8_cut(const char *s, size_t len);
/* For "%.*s": at most `max` bytes of s, ending where a character does. */
#define UTF8_AT_MOST(s, max) (int) utf8_cut((s), strnlen((s), (max))), (s)

/* snprintf() that, when the text does not fit, cuts it where a character
 * ends rather than in the middle of one. Returns what snprintf returns. */
int utf8_snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int utf8_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap) __attribute__((format(printf, 3, 0)));

/* A copy with every byte that is not part of a valid character replaced by
 * U+FFFD; NULL when out of memory. */
char *utf8_sanitize(const char *s);
