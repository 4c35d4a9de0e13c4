/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "common/env-map.h"
#include "common/secure.h"
#include "common/utf8.h"
#include "common/wipe.h"

typedef struct EnvVar {
        char *assignment; /* "NAME=VALUE" */
        size_t name_len;
        size_t len;
        bool secret;      /* in a secure buffer of len + 1 bytes */
} EnvVar;

struct EnvMap {
        unsigned n_ref;
        EnvVar *vars;
        size_t n_vars;
        size_t n_allocated;
        char **envp; /* n_vars + 1 slots, rebuilt when stale */
        bool envp_stale;
        bool wiped;
};

int env_map_new(EnvMap **ret) {
        assert_return(ret, -EINVAL);

        EnvMap *m = calloc(1, sizeof(*m));
        if (!m)
                return -ENOMEM;
        m->n_ref = 1;
        m->envp_stale = true;
        *ret = m;
        return 0;
}

EnvMap *env_map_ref(EnvMap *m) {
        if (m)
                m->n_ref++;
        return m;
}

static void env_var_wipe(EnvVar *v) {
        wipe(v->assignment, v->len);
}

static void env_var_free(EnvVar *v) {
        if (v->secret)
                secure_free(v->assignment, v->len + 1);
        else {
                env_var_wipe(v);
                free(v->assignment);
        }
}

static void envp_wipe(EnvMap *m) {
        if (m->envp)
                wipe(m->envp, (m->n_vars + 1) * sizeof(char *));
        m->envp_stale = true;
}

void env_map_wipe(EnvMap *m) {
        if (!m)
                return;
        for (size_t i = 0; i < m->n_vars; i++)
                env_var_wipe(&m->vars[i]);
        envp_wipe(m);
        m->wiped = true;
}

EnvMap *env_map_unref(EnvMap *m) {
        if (!m || --m->n_ref > 0)
                return NULL;

        env_map_wipe(m);
        for (size_t i = 0; i < m->n_vars; i++)
                env_var_free(&m->vars[i]);
        free(m->vars);
        free(m->envp);
        free(m);
        return NULL;
}

/* POSIX: portable names are [A-Za-z_][A-Za-z0-9_]*. Programs accept more,
 * but a launcher that passes on names a shell cannot even refer to only
 * hides mistakes in configuration. */
bool env_name_is_valid(const char *name, size_t len) {
        if (!name || len == 0 || len > 255)
                return false;
        if (!(name[0] == '_' || (name[0] >= 'A' && name[0] <= 'Z') || (name[0] >= 'a' && name[0] <= 'z')))
                return false;
        for (size_t i = 1; i < len; i++) {
                char c = name[i];
                if (!(c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
                        return false;
        }
        return true;
}

static EnvVar *env_map_find(const EnvMap *m, const char *name, size_t name_len) {
        if (m->wiped)
                return NULL;
        for (size_t i = 0; i < m->n_vars; i++) {
                EnvVar *v = &m->vars[i];
                if (v->name_len == name_len && memcmp(v->assignment, name, name_len) == 0)
                        return v;
        }
        return NULL;
}

static int env_map_store(EnvMap *m, const char *name, size_t name_len, const char *value, bool secret, Error *e) {
        assert_return(!m->wiped, error_setf(e, -ESTALE, "environment already wiped"));
        if (!env_name_is_valid(name, name_len))
                return error_setf(e, -EINVAL, "invalid environment variable name '%.*s'",
                                  (int) utf8_cut(name, name_len > 64 ? 64 : name_len), name);

        size_t value_len = strlen(value);
        if (name_len + 1 + value_len > ENV_MAP_MAX_ASSIGNMENT)
                return error_setf(e, -E2BIG, "value of %.*s is longer than %d bytes", (int) name_len, name,
                                  ENV_MAP_MAX_ASSIGNMENT);

        EnvVar *existing = env_map_find(m, name, name_len);
        if (!existing && m->n_vars >= ENV_MAP_MAX_VARS)
                return error_setf(e, -E2BIG, "more than %d environment variables", ENV_MAP_MAX_VARS);

        size_t len = name_len + 1 + value_len;
        char *a = secret ? secure_alloc(len + 1) : malloc(len + 1);
        if (!a)
                return error_setf(e, -ENOMEM, "out of memory");
        EnvVar var = { .assignment = a, .name_len = name_len, .len = len, .secret = secret };
        memcpy(a, name, name_len);
        a[name_len] = '=';
        memcpy(a + name_len + 1, value, value_len + 1);

        if (existing) {
                env_var_free(existing);
                *existing = var;
                m->envp_stale = true;
                return 0;
        }

        if (GROW(m->vars, m->n_allocated, m->n_vars + 1, 32) < 0) {
                env_var_free(&var);
                return error_setf(e, -ENOMEM, "out of memory");
        }
        /* The old envp array holds pointers only, but it is sized to n_vars:
         * drop it rather than let it fall out of step. */
        envp_wipe(m);
        free(m->envp);
        m->envp = NULL;
        m->vars[m->n_vars++] = var;
        return 0;
}

int env_map_set(EnvMap *m, const char *name, const char *value, Error *e) {
        assert_return(m && name && value, error_setf(e, -EINVAL, "invalid argument"));
        return env_map_store(m, name, strlen(name), value, false, e);
}

int env_map_set_secret(EnvMap *m, const char *name, const char *value, Error *e) {
        assert_return(m && name && value, error_setf(e, -EINVAL, "invalid argument"));
        return env_map_store(m, name, strlen(name), value, true, e);
}

int env_map_put(EnvMap *m, const char *assignment, Error *e) {
        assert_return(m && assignment, error_setf(e, -EINVAL, "invalid argument"));

        const char *eq = strchr(assignment, '=');
        if (!eq)
                return error_setf(e, -EINVAL, "'%.*s' is not of the form NAME=VALUE",
                                   UTF8_AT_MOST(assignment, 64));
        return env_map_store(m, assignment, (size_t) (eq - assignment), eq + 1, false, e);
}

/* Whether `name` is one of `names`; one ending in '*' is a prefix. */
static bool name_in(const char *name, size_t len, char *const *names) {
        for (char *const *n = names; n && *n; n++) {
                size_t n_len = strlen(*n);
                if (n_len > 0 && (*n)[n_len - 1] == '*' ? len >= n_len - 1 && memcmp(*n, name, n_len - 1) == 0
                                                          : n_len == len && memcmp(*n, name, len) == 0)
                        return true;
        }
        return false;
}

int env_map_import(EnvMap *m, char *const *assignments) {
        return env_map_import_except(m, assignments, NULL);
}

int env_map_import_except(EnvMap *m, char *const *assignments, char *const *except) {
        assert_return(m, -EINVAL);

        for (char *const *a = assignments; a && *a; a++) {
                const char *eq = strchr(*a, '=');
                /* Skip what is not NAME=VALUE with a portable name: a process's
                 * environment may hold anything. */
                if (!eq || !env_name_is_valid(*a, (size_t) (eq - *a)) || name_in(*a, (size_t) (eq - *a), except))
                        continue;
                int r = env_map_store(m, *a, (size_t) (eq - *a), eq + 1, false, NULL);
                if (r < 0)
                        return r;
        }
        return 0;
}

const char *env_map_get(const EnvMap *m, const char *name) {
        if (!m || !name)
                return NULL;
        EnvVar *v = env_map_find(m, name, strlen(name));
        return v ? v->assignment + v->name_len + 1 : NULL;
}

size_t env_map_size(const EnvMap *m) {
        return m && !m->wiped ? m->n_vars : 0;
}

const char *env_map_entry(const EnvMap *m, size_t i) {
        if (!m || m->wiped || i >= m->n_vars)
                return NULL;
        return m->vars[i].assignment;
}

char **env_map_envp(EnvMap *m) {
        if (!m || m->wiped)
                return NULL;
        if (!m->envp) {
                m->envp = calloc(m->n_allocated + 1, sizeof(char *));
                if (!m->envp)
                        return NULL;
                m->envp_stale = true;
        }
        if (m->envp_stale) {
                for (size_t i = 0; i < m->n_vars; i++)
                        m->envp[i] = m->vars[i].assignment;
                m->envp[m->n_vars] = NULL;
                m->envp_stale = false;
        }
        return m->envp;
}
