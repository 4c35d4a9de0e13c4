/* SPDX-License-Identifier: MIT */
/* libFuzzer: field-code removal and the Exec tokenizer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "exec.h"
#include "strv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        char *s = malloc(size + 1);
        if (!s)
                return 0;
        memcpy(s, data, size);
        s[size] = 0; /* stops at the first NUL, as a C string does */

        char **argv = NULL;
        if (exec_to_argv(s, &argv, NULL) == 0) {
                /* Every argument is no longer than the command. */
                for (char **a = argv; *a; a++)
                        if (strlen(*a) > size)
                                abort();
                strv_free(argv);
        }
        free(s);
        return 0;
}
