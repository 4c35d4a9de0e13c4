/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "common/env-map.h"
#include "helpers.h"

static void test_set_get_replace(void **state) {
        (void) state;
        _cleanup_(env_map_unrefp) EnvMap *m = NULL;
        assert_int_equal(env_map_new(&m), 0);

        assert_int_equal(env_map_set(m, "A", "1", NULL), 0);
        assert_int_equal(env_map_put(m, "B=two=2", NULL), 0);
        assert_int_equal(env_map_set(m, "C", "", NULL), 0);
        assert_int_equal(env_map_set(m, "A", "again", NULL), 0);

        assert_int_equal(env_map_size(m), 3);
        assert_string_equal(env_map_get(m, "A"), "again");
        assert_string_equal(env_map_get(m, "B"), "two=2");
        assert_string_equal(env_map_get(m, "C"), "");
        assert_null(env_map_get(m, "D"));
        /* A replaced variable keeps its place. */
        assert_string_equal(env_map_entry(m, 0), "A=again");

        char **envp = env_map_envp(m);
        assert_non_null(envp);
        assert_string_equal(envp[0], "A=again");
        assert_string_equal(envp[1], "B=two=2");
        assert_string_equal(envp[2], "C=");
        assert_null(envp[3]);

        /* A new variable after envp was handed out: a fresh, longer array. */
        assert_int_equal(env_map_set(m, "D", "4", NULL), 0);
        envp = env_map_envp(m);
        assert_string_equal(envp[3], "D=4");
        assert_null(envp[4]);
}

static void test_invalid(void **state) {
        (void) state;
        _cleanup_(env_map_unrefp) EnvMap *m = NULL;
        Error e = {};
        assert_int_equal(env_map_new(&m), 0);

        assert_int_equal(env_map_put(m, "NOEQUALS", &e), -EINVAL);
        assert_non_null(strstr(e.message, "NAME=VALUE"));
        assert_int_equal(env_map_put(m, "=x", NULL), -EINVAL);
        assert_int_equal(env_map_put(m, "1A=x", NULL), -EINVAL);
        assert_int_equal(env_map_set(m, "A-B", "x", &e), -EINVAL);
        assert_non_null(strstr(e.message, "A-B"));
        assert_int_equal(env_map_size(m), 0);

        char *env[] = { "GOOD=1", "bad name=2", "NOEQ", "_ok2=3", NULL };
        assert_int_equal(env_map_import(m, env), 0);
        assert_int_equal(env_map_size(m), 2);
        assert_string_equal(env_map_get(m, "_ok2"), "3");
}

static void test_import_except(void **state) {
        (void) state;
        _cleanup_(env_map_unrefp) EnvMap *m = NULL;
        assert_int_equal(env_map_new(&m), 0);
        char *env[] = { "KEEP=1", "DROP=2", "PRE_A=3", "PRE_=4", "PREFIX=5", "DROPPED=6", NULL };
        char *except[] = { "DROP", "PRE_*", NULL };
        assert_int_equal(env_map_import_except(m, env, except), 0);
        /* An exact name is exact; NAME_* is every name starting so. */
        assert_int_equal(env_map_size(m), 3);
        assert_string_equal(env_map_get(m, "KEEP"), "1");
        assert_string_equal(env_map_get(m, "PREFIX"), "5");
        assert_string_equal(env_map_get(m, "DROPPED"), "6");
        assert_null(env_map_get(m, "PRE_A"));
        assert_null(env_map_get(m, "PRE_"));
}

static void test_limits(void **state) {
        (void) state;
        _cleanup_(env_map_unrefp) EnvMap *m = NULL;
        assert_int_equal(env_map_new(&m), 0);

        char name[16];
        for (int i = 0; i < ENV_MAP_MAX_VARS; i++) {
                snprintf(name, sizeof(name), "V%d", i);
                assert_int_equal(env_map_set(m, name, "x", NULL), 0);
        }
        assert_int_equal(env_map_set(m, "ONE_TOO_MANY", "x", NULL), -E2BIG);
        /* Replacing is still fine at the limit. */
        assert_int_equal(env_map_set(m, "V0", "y", NULL), 0);

        char *big = malloc(ENV_MAP_MAX_ASSIGNMENT + 1);
        assert_non_null(big);
        memset(big, 'x', ENV_MAP_MAX_ASSIGNMENT);
        big[ENV_MAP_MAX_ASSIGNMENT] = 0;
        assert_int_equal(env_map_set(m, "V1", big, NULL), -E2BIG);
        free(big);
}

/* The wipe is checked on the very bytes that held the values, through a
 * second reference that keeps the allocation alive. */
static void test_wipe(void **state) {
        (void) state;
        EnvMap *m = NULL;
        assert_int_equal(env_map_new(&m), 0);
        assert_int_equal(env_map_set(m, "SECRET", "hunter2-hunter2", NULL), 0);
        assert_int_equal(env_map_set(m, "OTHER", "value", NULL), 0);
        assert_int_equal(env_map_set(m, "OTHER", "replaced", NULL), 0);

        const char *secret = env_map_entry(m, 0);
        size_t secret_len = strlen(secret);
        char **envp = env_map_envp(m);
        assert_ptr_equal(envp[0], secret);

        EnvMap *keep = env_map_ref(m);
        env_map_unref(m); /* not the last reference: nothing freed yet */
        env_map_wipe(keep);

        assert_true(memory_is_zero(secret, secret_len));
        assert_null(envp[0]);
        assert_null(envp[1]);
        assert_int_equal(env_map_size(keep), 0);
        assert_null(env_map_get(keep, "SECRET"));
        assert_null(env_map_envp(keep));
        assert_int_equal(env_map_set(keep, "X", "y", NULL), -ESTALE);
        env_map_unref(keep);
}

/* The kB the kernel reports locked for the mapping that holds p. */
_unused_ static long locked_kib(const void *p) {
        FILE *f = fopen("/proc/self/smaps", "re");
        char line[512];
        bool inside = false;
        long kib = -1;
        uintptr_t a = (uintptr_t) p;
        while (f && fgets(line, sizeof(line), f)) {
                unsigned long lo, hi;
                if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2)
                        inside = a >= lo && a < hi;
                else if (inside && sscanf(line, "Locked: %ld kB", &kib) == 1)
                        break;
        }
        if (f)
                fclose(f);
        return kib;
}

/* A secret's value is kept in locked pages of its own, wiped like the
 * rest, and replaced like the rest. */
static void test_secret(void **state) {
        (void) state;
        _cleanup_(env_map_unrefp) EnvMap *m = NULL;
        Error e = {};
        assert_int_equal(env_map_new(&m), 0);
        assert_int_equal(env_map_set(m, "PLAIN", "p", &e), 0);
        assert_int_equal(env_map_set_secret(m, "TOKEN", "s3cret", &e), 0);
        const char *v = env_map_get(m, "TOKEN");
        assert_string_equal(v, "s3cret");
        /* (AddressSanitizer's mlock() locks nothing: its shadow memory
         * would make that impossible.) */
#ifndef __SANITIZE_ADDRESS__
        struct rlimit lim;
        if (getrlimit(RLIMIT_MEMLOCK, &lim) == 0 && lim.rlim_cur >= 65536)
                assert_true(locked_kib(v) > 0);
#endif
        char *const *envp = env_map_envp(m);
        assert_string_equal(envp[1], "TOKEN=s3cret");
        const char *held = v - strlen("TOKEN=");
        env_map_wipe(m);
        assert_true(memory_is_zero(held, strlen("TOKEN=s3cret")));

        _cleanup_(env_map_unrefp) EnvMap *n = NULL;
        assert_int_equal(env_map_new(&n), 0);
        assert_int_equal(env_map_set_secret(n, "TOKEN", "one", &e), 0);
        assert_int_equal(env_map_set_secret(n, "TOKEN", "two", &e), 0);
        assert_string_equal(env_map_get(n, "TOKEN"), "two");
        assert_int_equal(env_map_size(n), 1);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_set_get_replace),
                cmocka_unit_test(test_invalid),
                cmocka_unit_test(test_import_except),
                cmocka_unit_test(test_limits),
                cmocka_unit_test(test_wipe),
                cmocka_unit_test(test_secret),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
