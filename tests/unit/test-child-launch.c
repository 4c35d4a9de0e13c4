/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "spawn/child.h"

static uint8_t *encode(const char *program, const char *cwd, char *const *argv, char *const *envp, size_t *ret_len) {
        ChildLaunch l = { .program = program, .cwd = cwd, .journal = cwd ? "org.example.App" : NULL,
                          .argv = (char **) argv, .envp = (char **) envp,
                          .output = cwd ? CHILD_OUTPUT_STDOUT_JOURNAL : CHILD_OUTPUT_STDERR_NULL };
        size_t len = child_launch_size(&l);
        uint8_t *buf = len > 0 ? malloc(len) : NULL;
        if (buf)
                child_launch_encode(buf, len, &l);
        *ret_len = len;
        return buf;
}

/* What the launcher sends a spare, and what the spare reads back. */
static void test_round_trip(void **state) {
        (void) state;
        char *argv[] = { (char *) "sleeper", (char *) "", (char *) "two words", NULL };
        char *envp[] = { (char *) "A=1", (char *) "EMPTY=", NULL };
        size_t len = 0;
        uint8_t *buf = encode("/bin/sleep", "/tmp", argv, envp, &len);
        assert_non_null(buf);
        uint32_t body;
        memcpy(&body, buf, sizeof(body));
        assert_int_equal(body + sizeof(body), len);

        ChildLaunch l;
        assert_int_equal(child_launch_decode(buf + sizeof(body), body, &l), 0);
        assert_string_equal(l.program, "/bin/sleep");
        assert_string_equal(l.cwd, "/tmp");
        assert_string_equal(l.journal, "org.example.App");
        assert_int_equal(l.output, CHILD_OUTPUT_STDOUT_JOURNAL);
        assert_string_equal(l.argv[0], "sleeper");
        assert_string_equal(l.argv[1], "");
        assert_string_equal(l.argv[2], "two words");
        assert_null(l.argv[3]);
        assert_string_equal(l.envp[0], "A=1");
        assert_string_equal(l.envp[1], "EMPTY=");
        assert_null(l.envp[2]);
        free(l.argv);
        free(l.envp);

        /* No working directory: an empty string, kept as the spare's own. */
        free(buf);
        buf = encode("true", NULL, argv, NULL, &len);
        memcpy(&body, buf, sizeof(body));
        assert_int_equal(child_launch_decode(buf + sizeof(body), body, &l), 0);
        assert_string_equal(l.cwd, "");
        assert_string_equal(l.journal, "");
        assert_int_equal(l.output, CHILD_OUTPUT_STDERR_NULL);
        assert_null(l.envp[0]);
        free(l.argv);
        free(l.envp);
        free(buf);
}

static void test_malformed(void **state) {
        (void) state;
        char *argv[] = { (char *) "a", NULL };
        size_t len = 0;
        uint8_t *buf = encode("/bin/a", "", argv, argv, &len);
        uint8_t *body = buf + sizeof(uint32_t);
        size_t body_len = len - sizeof(uint32_t);
        ChildLaunch l;
        /* Cut short anywhere, it is refused. */
        for (size_t n = 0; n < body_len; n++)
                assert_int_equal(child_launch_decode(body, n, &l), -EBADMSG);
        /* Counts beyond what is there, and bytes left over, too. */
        uint32_t huge = 0x7fffffff;
        memcpy(body, &huge, sizeof(huge));
        assert_int_equal(child_launch_decode(body, body_len, &l), -EBADMSG);
        uint32_t none = 0;
        memcpy(body, &none, sizeof(none));
        assert_int_equal(child_launch_decode(body, body_len, &l), -EBADMSG);
        free(buf);
        /* Nothing above the limit is encoded. */
        char *big = malloc(CHILD_LAUNCH_MAX + 1);
        memset(big, 'x', CHILD_LAUNCH_MAX);
        big[CHILD_LAUNCH_MAX] = 0;
        char *envp[] = { big, NULL };
        assert_null(encode("/bin/a", NULL, argv, envp, &len));
        free(big);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_round_trip),
                cmocka_unit_test(test_malformed),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
