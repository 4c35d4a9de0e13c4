/* SPDX-License-Identifier: MIT */
#pragma once

#include "common/macro.h"

/* An error as a negative errno plus a sentence a person can act on. Functions
 * that can fail for reasons worth explaining take an optional Error* and
 * return the same negative errno that they store in it. */
typedef struct Error {
        int code;
        char message[512];
} Error;

int error_setf(Error *e, int code, const char *fmt, ...) _printf_(3, 4);

/* The message, or strerror of the code when no message was set. */
const char *error_message(const Error *e);
