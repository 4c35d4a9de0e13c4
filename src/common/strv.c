/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/strv.h"

size_t strv_length(char *const *l) {
        size_t n = 0;
        while (l && l[n])
                n++;
        return n;
}

char **strv_free(char **l) {
        for (char **i = l; i && *i; i++)
                free(*i);
        free(l);
        return NULL;
}

char **strv_copy(char *const *l) {
        size_t n = strv_length(l);
        char **c = calloc(n + 1, sizeof(char *));
        if (!c)
                return NULL;
        for (size_t i = 0; i < n; i++) {
                c[i] = strdup(l[i]);
                if (!c[i])
                        return strv_free(c);
        }
        return c;
}

bool strv_contains(char *const *l, const char *s) {
        for (char *const *i = l; i && *i; i++)
                if (strcmp(*i, s) == 0)
                        return true;
        return false;
}

int strv_push(char ***l, char *s) {
        size_t n = strv_length(*l);
        char **nl = s ? realloc(*l, (n + 2) * sizeof(char *)) : NULL;
        if (!nl) {
                free(s);
                return -ENOMEM;
        }
        nl[n] = s;
        nl[n + 1] = NULL;
        *l = nl;
        return 0;
}

char *strv_join(char *const *l, const char *separator) {
        size_t len = 1, sep = strlen(separator);
        for (char *const *i = l; i && *i; i++)
                len += strlen(*i) + sep;
        char *s = malloc(len), *p = s;
        if (!s)
                return NULL;
        for (char *const *i = l; i && *i; i++) {
                if (i != l)
                        p = stpcpy(p, separator);
                p = stpcpy(p, *i);
        }
        *p = 0;
        return s;
}

bool strv_env_has(char *const *env, const char *name) {
        size_t len = strlen(name);
        const char *value = NULL;
        for (char *const *e = env; e && *e; e++)
                if (strncmp(*e, name, len) == 0 && (*e)[len] == '=')
                        value = *e + len + 1;
        return value && *value;
}
