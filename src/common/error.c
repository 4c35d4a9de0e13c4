/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/error.h"
#include "common/utf8.h"

int error_setf(Error *e, int code, const char *fmt, ...) {
        if (code > 0)
                code = -code;
        if (!e)
                return code;

        e->code = code;
        va_list ap;
        va_start(ap, fmt);
        /* A message longer than the buffer ends where a character does:
         * it may go into a reply, which must be UTF-8. */
        utf8_vsnprintf(e->message, sizeof(e->message), fmt, ap);
        va_end(ap);
        return code;
}

const char *error_message(const Error *e) {
        if (!e)
                return "unknown error";
        if (e->message[0])
                return e->message;
        return strerror(e->code < 0 ? -e->code : e->code);
}
