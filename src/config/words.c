/* SPDX-License-Identifier: MIT */
/* systemd.exec(5) words, for Environment=, Secret= and Terminal=. */
#include <stdlib.h>
#include <string.h>

#include "common/hex.h"
#include "common/strv.h"
#include "config/launcher-conf.h"

/* One C escape after a backslash at *p; advances *p past it. */
static int unescape_one(const char **p, char *out, Error *e) {
        char c = **p;
        (*p)++;
        switch (c) {
        case 'a': *out = '\a'; return 0;
        case 'b': *out = '\b'; return 0;
        case 'f': *out = '\f'; return 0;
        case 'n': *out = '\n'; return 0;
        case 'r': *out = '\r'; return 0;
        case 't': *out = '\t'; return 0;
        case 'v': *out = '\v'; return 0;
        case 's': *out = ' '; return 0;
        case '\\': case '"': case '\'': *out = c; return 0;
        case 'x': {
                int hi = unhexchar((*p)[0]), lo = hi >= 0 ? unhexchar((*p)[1]) : -1;
                if (lo < 0 || (hi == 0 && lo == 0))
                        return error_setf(e, -EINVAL, "invalid \\x escape");
                *out = (char) (hi << 4 | lo);
                *p += 2;
                return 0;
        }
        default:
                return error_setf(e, -EINVAL, "invalid escape '\\%c'", c ? c : ' ');
        }
}

int config_split_words(const char *value, char ***ret, Error *e) {
        assert_return(value && ret, error_setf(e, -EINVAL, "invalid argument"));

        size_t n = strlen(value);
        _cleanup_free_ char *word = malloc(n + 1);
        _cleanup_(strv_freep) char **words = calloc(n / 2 + 2, sizeof(char *));
        if (!word || !words)
                return error_setf(e, -ENOMEM, "out of memory");

        size_t k = 0;
        const char *p = value;
        for (;;) {
                while (*p == ' ' || *p == '\t')
                        p++;
                if (!*p)
                        break;
                char *w = word;
                char quote = 0;
                while (*p && (quote || (*p != ' ' && *p != '\t'))) {
                        char c = *p++;
                        if (quote && c == quote) {
                                quote = 0;
                                continue;
                        }
                        if (!quote && (c == '"' || c == '\'')) {
                                quote = c;
                                continue;
                        }
                        if (c == '\\') {
                                if (!*p)
                                        return error_setf(e, -EINVAL, "trailing backslash");
                                int r = unescape_one(&p, w++, e);
                                if (r < 0)
                                        return r;
                                continue;
                        }
                        *w++ = c;
                }
                if (quote)
                        return error_setf(e, -EINVAL, "unterminated quote");
                *w = 0;
                if (!(words[k++] = strdup(word)))
                        return error_setf(e, -ENOMEM, "out of memory");
        }
        *ret = TAKE_PTR(words);
        return 0;
}
