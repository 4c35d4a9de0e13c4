/* SPDX-License-Identifier: MIT */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "exec.h"
#include "strv.h"

static bool is_removed_code(char c) {
        return c && strchr("fFuUdDnNickvm", c);
}

int exec_remove_field_codes(const char *exec, char **ret, Error *e) {
        assert_return(exec && ret, error_setf(e, -EINVAL, "invalid argument"));

        size_t n = strlen(exec);
        char *out = malloc(n + 1), *q = out;
        if (!out)
                return error_setf(e, -ENOMEM, "out of memory");

        for (const char *p = exec; *p; p++) {
                if (*p != '%') {
                        *q++ = *p;
                        continue;
                }
                p++;
                if (*p == '%') {
                        *q++ = '%';
                        continue;
                }
                if (!is_removed_code(*p)) {
                        free(out);
                        if (!*p)
                                return error_setf(e, -EINVAL, "Exec ends in a lone '%%'");
                        return error_setf(e, -EINVAL, "unknown field code '%%%c' in Exec", *p);
                }
                /* A removed code between two spaces leaves one space. */
                if (q > out && q[-1] == ' ' && p[1] == ' ')
                        p++;
        }
        /* Nor a space at either end. */
        while (q > out && q[-1] == ' ')
                q--;
        *q = 0;
        char *start = out;
        while (*start == ' ')
                start++;
        memmove(out, start, strlen(start) + 1);
        *ret = out;
        return 0;
}

int exec_split(const char *command, char ***ret_argv, Error *e) {
        assert_return(command && ret_argv, error_setf(e, -EINVAL, "invalid argument"));

        size_t n = strlen(command);
        /* Every argument fits in a buffer the size of the command. */
        _cleanup_free_ char *word = malloc(n + 1);
        _cleanup_(strv_freep) char **argv = calloc(n / 2 + 2, sizeof(char *));
        if (!word || !argv)
                return error_setf(e, -ENOMEM, "out of memory");

        size_t n_args = 0;
        const char *p = command;
        for (;;) {
                while (*p == ' ' || *p == '\t')
                        p++;
                if (!*p)
                        break;
                if (n_args >= EXEC_MAX_ARGS)
                        return error_setf(e, -E2BIG, "more than %d arguments in Exec", EXEC_MAX_ARGS);

                char *w = word;
                while (*p && *p != ' ' && *p != '\t') {
                        if (*p != '"') {
                                *w++ = *p++;
                                continue;
                        }
                        for (p++;; p++) {
                                if (!*p)
                                        return error_setf(e, -EINVAL, "unterminated quote in Exec");
                                if (*p == '"')
                                        break;
                                if (*p == '\\') {
                                        p++;
                                        if (!*p || !strchr("\"`$\\", *p))
                                                return error_setf(e, -EINVAL,
                                                                  "invalid escape '\\%c' in a quoted Exec argument",
                                                                  *p ? *p : ' ');
                                }
                                *w++ = *p;
                        }
                        p++; /* the closing quote */
                }
                *w = 0;
                if (!(argv[n_args++] = strdup(word)))
                        return error_setf(e, -ENOMEM, "out of memory");
        }
        if (n_args == 0)
                return error_setf(e, -EINVAL, "Exec has no program");
        *ret_argv = TAKE_PTR(argv);
        return 0;
}

int exec_to_argv(const char *exec, char ***ret_argv, Error *e) {
        _cleanup_free_ char *command = NULL;
        int r = exec_remove_field_codes(exec, &command, e);
        if (r < 0)
                return r;
        return exec_split(command, ret_argv, e);
}
