/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"

/* The length of the valid character at p (at most `left` bytes), or 0. */
static size_t char_len(const unsigned char *p, size_t left) {
        unsigned char c = p[0];
        size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (c == 0 || n == 0 || n > left)
                return 0;
        uint32_t cp = n == 1 ? c : n == 2 ? c & 0x1f : n == 3 ? c & 0x0f : c & 0x07;
        for (size_t k = 1; k < n; k++) {
                if ((p[k] & 0xc0) != 0x80)
                        return 0;
                cp = cp << 6 | (p[k] & 0x3f);
        }
        if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
            (cp >= 0xd800 && cp <= 0xdfff))
                return 0;
        return n;
}

bool utf8_is_valid(const char *s, size_t len) {
        const unsigned char *p = (const unsigned char *) s;
        for (size_t i = 0; i < len;) {
                size_t n = char_len(p + i, len - i);
                if (n == 0)
                        return false;
                i += n;
        }
        return true;
}

size_t utf8_cut(const char *s, size_t len) {
        const unsigned char *p = (const unsigned char *) s;
        /* A character is at most 4 bytes: look back that far for the lead
         * byte of the last one. */
        size_t i = len;
        while (i > 0 && len - i < 4 && (p[i - 1] & 0xc0) == 0x80)
                i--;
        if (i == 0 || p[i - 1] < 0x80)
                return len;
        size_t lead = i - 1;
        return char_len(p + lead, len - lead) == len - lead ? len : lead;
}

int utf8_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap) {
        int n = vsnprintf(buf, size, fmt, ap);
        if (size > 0 && n >= (int) size)
                buf[utf8_cut(buf, size - 1)] = 0;
        return n;
}

int utf8_snprintf(char *buf, size_t size, const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        int n = utf8_vsnprintf(buf, size, fmt, ap);
        va_end(ap);
        return n;
}

char *utf8_sanitize(const char *s) {
        size_t len = strlen(s);
        /* Each bad byte grows to three. */
        char *out = malloc(3 * len + 1), *q = out;
        if (!out)
                return NULL;
        const unsigned char *p = (const unsigned char *) s;
        for (size_t i = 0; i < len;) {
                size_t n = char_len(p + i, len - i);
                if (n == 0) {
                        q = memcpy(q, "\xef\xbf\xbd", 3) + 3;
                        i++;
                        continue;
                }
                q = memcpy(q, p + i, n) + n;
                i += n;
        }
        *q = 0;
        return out;
}
