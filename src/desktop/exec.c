/* SPDX-License-Identifier: MIT */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/hex.h"
#include "common/strv.h"
#include "desktop/exec.h"

#define CODES "fFuUdDnNickvm%"

static bool is_blank(char c) {
        return c == ' ' || c == '\t' || c == '\n';
}

/* One word at *p, as g_shell_parse_argv() reads it, into `word` (large
 * enough for the rest of the command); *p moves past it. */
static int read_word(const char **p, char *word, Error *e) {
        const char *s = *p;
        char *w = word;
        while (*s && !is_blank(*s)) {
                char c = *s++;
                if (c == '\'') {
                        while (*s && *s != '\'')
                                *w++ = *s++;
                        if (!*s)
                                return error_setf(e, -EINVAL, "unterminated quote in Exec");
                        s++;
                } else if (c == '"') {
                        for (;; s++) {
                                if (!*s)
                                        return error_setf(e, -EINVAL, "unterminated quote in Exec");
                                if (*s == '"')
                                        break;
                                if (*s == '\\' && s[1] && strchr("\"\\`$\n", s[1])) {
                                        s++;
                                        if (*s == '\n')
                                                continue; /* a continued line */
                                }
                                *w++ = *s;
                        }
                        s++;
                } else if (c == '\\') {
                        if (!*s)
                                return error_setf(e, -EINVAL, "Exec ends in a backslash");
                        if (*s != '\n')
                                *w++ = *s;
                        s++;
                } else
                        *w++ = c;
        }
        *w = 0;
        *p = s;
        return 0;
}

static int check_codes(const char *word, Error *e) {
        for (const char *c = strchr(word, '%'); c; c = strchr(c + 2, '%')) {
                if (!c[1])
                        return error_setf(e, -EINVAL, "Exec ends in a lone '%%'");
                if (!strchr(CODES, c[1]))
                        return error_setf(e, -EINVAL, "unknown field code '%%%c' in Exec", c[1]);
        }
        return 0;
}

int exec_parse(const char *exec, char ***ret_words, Error *e) {
        assert_return(exec && ret_words, error_setf(e, -EINVAL, "invalid argument"));
        _cleanup_free_ char *word = malloc(strlen(exec) + 1);
        _cleanup_(strv_freep) char **words = calloc(1, sizeof(char *));
        if (!word || !words)
                return error_setf(e, -ENOMEM, "out of memory");

        size_t n = 0;
        for (const char *p = exec;;) {
                while (is_blank(*p))
                        p++;
                if (!*p)
                        break;
                if (*p == '#') {
                        /* A comment, to the end of the line. */
                        p += strcspn(p, "\n");
                        continue;
                }
                if (n >= EXEC_MAX_ARGS)
                        return error_setf(e, -E2BIG, "more than %d arguments in Exec", EXEC_MAX_ARGS);
                int r = read_word(&p, word, e);
                if (r < 0 || (r = check_codes(word, e)) < 0)
                        return r;
                if (strv_push(&words, strdup(word)) < 0)
                        return error_setf(e, -ENOMEM, "out of memory");
                n++;
        }
        if (n == 0)
                return error_setf(e, -EINVAL, "Exec has no program");
        *ret_words = TAKE_PTR(words);
        return 0;
}

ExecTakes exec_takes(char *const *words) {
        for (char *const *w = words; w && *w; w++)
                for (const char *c = strchr(*w, '%'); c && c[1]; c = strchr(c + 2, '%'))
                        switch (c[1]) {
                        case 'f':
                                return EXEC_TAKES_FILE;
                        case 'F':
                                return EXEC_TAKES_FILES;
                        case 'u':
                                return EXEC_TAKES_URL;
                        case 'U':
                                return EXEC_TAKES_URLS;
                        }
        return EXEC_TAKES_NOTHING;
}

/* ---- paths and URIs */

int exec_is_uri(const char *arg) {
        /* scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" */
        if (!arg || !((arg[0] >= 'a' && arg[0] <= 'z') || (arg[0] >= 'A' && arg[0] <= 'Z')))
                return 0;
        size_t n = 1 + strspn(arg + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.");
        return arg[n] == ':';
}

char *exec_path_to_uri(const char *path) {
        /* What g_filename_to_uri() leaves as it is in a path. */
        static const char keep[] = "!$&'()*+,=:@~-._/";
        size_t n = strlen(path);
        char *uri = malloc(strlen("file://") + 3 * n + 1), *q = uri;
        if (!uri)
                return NULL;
        q = stpcpy(q, "file://");
        for (const unsigned char *p = (const unsigned char *) path; *p; p++) {
                if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                    strchr(keep, *p))
                        *q++ = (char) *p;
                else
                        q += sprintf(q, "%%%02X", *p);
        }
        *q = 0;
        return uri;
}

int exec_uri_to_path(const char *uri, char **ret, Error *e) {
        const char *p = uri + strlen("file:");
        if (strncmp(p, "//", 2) == 0) {
                p += 2;
                size_t host = strcspn(p, "/");
                if (host > 0 && !(host == strlen("localhost") && strncmp(p, "localhost", host) == 0))
                        return error_setf(e, -EINVAL, "'%s' is a file on another host", uri);
                p += host;
        }
        if (*p != '/')
                return error_setf(e, -EINVAL, "'%s' is not a file URI with an absolute path", uri);
        char *path = malloc(strlen(p) + 1), *q = path;
        if (!path)
                return error_setf(e, -ENOMEM, "out of memory");
        for (; *p && *p != '?' && *p != '#'; p++) {
                int hi, lo;
                if (*p == '%' && (hi = unhexchar(p[1])) >= 0 && (lo = unhexchar(p[2])) >= 0 && (hi || lo)) {
                        *q++ = (char) (hi << 4 | lo);
                        p += 2;
                } else if (*p == '%') {
                        free(path);
                        return error_setf(e, -EINVAL, "'%s' is not a valid file URI", uri);
                } else
                        *q++ = *p;
        }
        *q = 0;
        *ret = path;
        return 0;
}

static int absolute_path(const char *arg, const char *cwd, char **ret, Error *e) {
        if (arg[0] == '/')
                return (*ret = strdup(arg)) ? 0 : error_setf(e, -ENOMEM, "out of memory");
        if (!cwd || cwd[0] != '/')
                return error_setf(e, -EINVAL, "'%s' is a relative path, and no directory was given to take it from",
                                  arg);
        return asprintf(ret, "%s%s%s", cwd, cwd[strlen(cwd) - 1] == '/' ? "" : "/", arg) < 0
                       ? error_setf(e, -ENOMEM, "out of memory")
                       : 0;
}

/* An argument as %f and %F take it: a local path. */
static int arg_to_path(const char *arg, const char *cwd, char **ret, Error *e) {
        if (strncmp(arg, "file:", 5) == 0)
                return exec_uri_to_path(arg, ret, e);
        if (exec_is_uri(arg))
                return error_setf(e, -EINVAL, "'%s' is a URL, and this application opens files only", arg);
        return absolute_path(arg, cwd, ret, e);
}

/* An argument as %u and %U take it, as GLib gives it (it hands an app a
 * local file by its path, for its FUSE mounts of remote ones): a local
 * file's path, or with `local_as_uri` a path made a file:// URI; a URL
 * as it is (a file:// URI with a #fragment, or of another host, too). */
static int arg_to_url(const char *arg, const char *cwd, bool local_as_uri, char **ret, Error *e) {
        if (!exec_is_uri(arg)) {
                _cleanup_free_ char *path = NULL;
                int r = absolute_path(arg, cwd, &path, e);
                if (r < 0 || !local_as_uri)
                        return r < 0 ? r : (*ret = TAKE_PTR(path), 0);
                return (*ret = exec_path_to_uri(path)) ? 0 : error_setf(e, -ENOMEM, "out of memory");
        }
        if (!local_as_uri && strncmp(arg, "file:", 5) == 0 && !strchr(arg, '#')) {
                Error not_local = {};
                int r = exec_uri_to_path(arg, ret, &not_local);
                if (r >= 0 || r == -ENOMEM)
                        return r < 0 ? error_setf(e, r, "out of memory") : 0;
        }
        return (*ret = strdup(arg)) ? 0 : error_setf(e, -ENOMEM, "out of memory");
}

static int convert_args(char *const *args, const ExecContext *ctx, bool url, char ***ret, Error *e) {
        _cleanup_(strv_freep) char **l = calloc(strv_length(args) + 1, sizeof(char *));
        if (!l)
                return error_setf(e, -ENOMEM, "out of memory");
        for (size_t i = 0; args && args[i]; i++) {
                int r = url ? arg_to_url(args[i], ctx->cwd, ctx->local_as_uri, &l[i], e)
                            : arg_to_path(args[i], ctx->cwd, &l[i], e);
                if (r < 0)
                        return r;
        }
        *ret = TAKE_PTR(l);
        return 0;
}

/* ---- expansion */

typedef struct Text {
        char *s;
        size_t len, size;
} Text;

static int text_add(Text *t, const char *s, size_t n) {
        if (t->len + n + 1 > t->size) {
                size_t size = (t->len + n + 1) * 2;
                char *p = realloc(t->s, size);
                if (!p)
                        return -ENOMEM;
                t->s = p;
                t->size = size;
        }
        memcpy(t->s + t->len, s, n);
        t->len += n;
        t->s[t->len] = 0;
        return 0;
}

static int text_add_all(Text *t, char *const *l) {
        for (size_t i = 0; l && l[i]; i++)
                if ((i > 0 && text_add(t, " ", 1) < 0) || text_add(t, l[i], strlen(l[i])) < 0)
                        return -ENOMEM;
        return 0;
}

typedef struct Instance {
        const ExecContext *ctx;
        char **paths, **urls; /* every argument, as %F and %U take them */
        const char *path, *url; /* this instance's, for %f and %u; NULL: none */
} Instance;

static int push(char ***argv, const char *s) {
        return strv_push(argv, strdup(s));
}

/* One word of the template into the argv of one instance. */
static int expand_word(const char *word, const Instance *in, char ***argv) {
        const ExecContext *ctx = in->ctx;
        bool icon = ctx->icon && *ctx->icon;
        /* The codes that stand as words of their own: as many words as they
         * have values. */
        if (strcmp(word, "%F") == 0 || strcmp(word, "%U") == 0) {
                for (char **i = word[1] == 'F' ? in->paths : in->urls; i && *i; i++)
                        if (push(argv, *i) < 0)
                                return -ENOMEM;
                return 0;
        }
        if (strcmp(word, "%i") == 0)
                return icon && (push(argv, "--icon") < 0 || push(argv, ctx->icon) < 0) ? -ENOMEM : 0;

        Text t = {};
        bool had_code = false;
        int r = text_add(&t, "", 0);
        for (const char *p = word; r >= 0 && *p; p++) {
                const char *c = strchr(p, '%');
                if (!c) {
                        r = text_add(&t, p, strlen(p));
                        break;
                }
                r = text_add(&t, p, (size_t) (c - p));
                p = c + 1;
                had_code = had_code || *p != '%';
                const char *v = NULL;
                switch (r < 0 ? 0 : *p) {
                case '%':
                        v = "%";
                        break;
                case 'f':
                        v = in->path;
                        break;
                case 'u':
                        v = in->url;
                        break;
                case 'F':
                        r = text_add_all(&t, in->paths);
                        break;
                case 'U':
                        r = text_add_all(&t, in->urls);
                        break;
                case 'i':
                        if (icon && (r = text_add(&t, "--icon ", 7)) >= 0)
                                v = ctx->icon;
                        break;
                case 'c':
                        v = ctx->name;
                        break;
                case 'k':
                        v = ctx->file;
                        break;
                }
                if (r >= 0 && v)
                        r = text_add(&t, v, strlen(v));
        }
        /* A word that was codes only and came to nothing goes: "app %f"
         * with no file is "app". */
        if (r >= 0 && !(had_code && t.len == 0))
                r = strv_push(argv, TAKE_PTR(t.s));
        free(t.s);
        return r;
}

char ***exec_argvs_free(char ***argvs) {
        for (char ***a = argvs; a && *a; a++)
                strv_free(*a);
        free(argvs);
        return NULL;
}

size_t exec_argvs_count(char ***argvs) {
        size_t n = 0;
        while (argvs && argvs[n])
                n++;
        return n;
}

static bool has_code(char *const *words, const char *codes) {
        for (char *const *w = words; w && *w; w++)
                for (const char *c = strchr(*w, '%'); c && c[1]; c = strchr(c + 2, '%'))
                        if (strchr(codes, c[1]))
                                return true;
        return false;
}

int exec_expand(char *const *words, const ExecContext *ctx, char *const *args, char ****ret_argvs, Error *e) {
        assert_return(words && ctx && ret_argvs, error_setf(e, -EINVAL, "invalid argument"));
        size_t n_args = strv_length(args);
        ExecTakes takes = exec_takes(words);

        _cleanup_(strv_freep) char **paths = NULL, **urls = NULL;
        int r = 0;
        if (has_code(words, "fF"))
                r = convert_args(args, ctx, false, &paths, e);
        if (r >= 0 && has_code(words, "uU"))
                r = convert_args(args, ctx, true, &urls, e);
        if (r < 0)
                return r;

        /* %f and %u take one argument: one instance per argument. */
        bool single = has_code(words, "fu");
        size_t n = single && n_args > 1 ? n_args : 1;
        _cleanup_(exec_argvs_freep) char ***argvs = calloc(n + 1, sizeof(char **));
        if (!argvs)
                return error_setf(e, -ENOMEM, "out of memory");
        for (size_t k = 0; k < n; k++) {
                Instance in = {
                        .ctx = ctx,
                        .paths = paths,
                        .urls = urls,
                        .path = paths && k < n_args ? paths[k] : NULL,
                        .url = urls && k < n_args ? urls[k] : NULL,
                };
                if (!(argvs[k] = calloc(1, sizeof(char *))))
                        return error_setf(e, -ENOMEM, "out of memory");
                for (char *const *w = words; r >= 0 && *w; w++)
                        r = expand_word(*w, &in, &argvs[k]);
                /* With no code to take them, the arguments go at the end. */
                for (size_t i = 0; r >= 0 && takes == EXEC_TAKES_NOTHING && i < n_args; i++)
                        r = push(&argvs[k], args[i]);
                if (r < 0)
                        return error_setf(e, r, "out of memory");
                if (!argvs[k][0])
                        return error_setf(e, -EINVAL, "Exec has no program");
                if (strv_length(argvs[k]) > EXEC_MAX_ARGS + n_args)
                        return error_setf(e, -E2BIG, "more than %zu arguments", (size_t) EXEC_MAX_ARGS + n_args);
        }
        *ret_argvs = TAKE_PTR(argvs);
        return 0;
}

/* Whether `arg` is `word` with its field codes removed (%% is a '%'). */
static bool word_matches(const char *word, const char *arg) {
        for (const char *w = word; *w; w++) {
                if (*w == '%' && w[1] != '%') {
                        w++; /* a code: exec_parse() made sure one follows */
                        continue;
                }
                if (*w == '%')
                        w++;
                if (*arg++ != *w)
                        return false;
        }
        return *arg == 0;
}

/* A word of codes only ("%U") that comes to nothing; an empty word ('') is
 * an argument. */
static bool word_vanishes(const char *word) {
        if (!*word)
                return false;
        for (const char *w = word; *w; w += 2)
                if (w[0] != '%' || w[1] == '%')
                        return false;
        return true;
}

bool exec_matches(char *const *words, char *const *argv) {
        char *const *a = argv;
        for (char *const *w = words; w && *w; w++) {
                if (word_vanishes(*w))
                        continue;
                if (!*a || !word_matches(*w, *a))
                        return false;
                a++;
        }
        return a != argv && !*a;
}

int exec_to_argv(const char *exec, const ExecContext *ctx, char ***ret_argv, Error *e) {
        _cleanup_(strv_freep) char **words = NULL;
        int r = exec_parse(exec, &words, e);
        if (r < 0)
                return r;
        _cleanup_(exec_argvs_freep) char ***argvs = NULL;
        if ((r = exec_expand(words, ctx, NULL, &argvs, e)) < 0)
                return r;
        *ret_argv = TAKE_PTR(argvs[0]);
        return 0;
}
