/* SPDX-License-Identifier: MIT */
/* libFuzzer: the Exec tokenizer and field-code expansion, with and without
 * arguments, and the match of an argv against the words. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/strv.h"
#include "desktop/exec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        char *s = malloc(size + 1);
        if (!s)
                return 0;
        memcpy(s, data, size);
        s[size] = 0; /* stops at the first NUL, as a C string does */

        static const ExecContext ctx = { .name = "Name", .icon = "icon", .file = "/f.desktop", .cwd = "/cwd" };
        char **words = NULL;
        if (exec_parse(s, &words, NULL) == 0) {
                /* Every word is no longer than the command. */
                for (char **w = words; *w; w++)
                        if (strlen(*w) > size)
                                abort();
                char *args[] = { (char *) "rel path", (char *) "file:///a%20b", (char *) "https://x/", NULL };
                char ***argvs = NULL;
                for (int with = 0; with < 2; with++)
                        if (exec_expand(words, &ctx, with ? args : NULL, &argvs, NULL) == 0) {
                                if (!argvs[0] || !argvs[0][0])
                                        abort();
                                /* What a picker hands over: never longer
                                 * than the words, so never a match then. */
                                if (exec_matches(words, argvs[0]) && strv_length(argvs[0]) > strv_length(words))
                                        abort();
                                argvs = exec_argvs_free(argvs);
                        }
                /* The words match themselves exactly when none has a code. */
                if (!strchr(s, '%') && !exec_matches(words, words) && words[0])
                        abort();
                strv_free(words);
        }
        free(s);
        return 0;
}
