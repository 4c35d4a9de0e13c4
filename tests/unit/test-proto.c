/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/strv.h"
#include "ipc/proto.h"
#include "ipc/transport.h"

static Request *parse(const char *json) {
        Request *r = NULL;
        char *why = NULL;
        if (request_parse(json, strlen(json), &r, &why) < 0)
                fail_msg("%s: %s", json, why);
        return r;
}

static void invalid(const char *json, const char *words) {
        Request *r = NULL;
        char *why = NULL;
        assert_int_equal(request_parse(json, strlen(json), &r, &why), -EBADMSG);
        assert_null(r);
        assert_non_null(why);
        if (!strstr(why, words))
                fail_msg("%s: '%s' does not contain '%s'", json, why, words);
        free(why);
}

static void test_launch(void **state) {
        (void) state;
        _cleanup_(request_freep) Request *r = parse(
                "{\"method\":\"Launch\",\"params\":{\"entry_id\":\"firefox\",\"profile\":\"work\",\"tags\":[\"dev\","
                "\"work:corp\"],\"args\":[\"--new-window\",\"\"],\"activation_token\":\"tok\",\"dry_run\":true}}");
        assert_int_equal(r->method, REQUEST_LAUNCH);
        assert_string_equal(r->entry_id, "firefox");
        assert_string_equal(r->profile, "work");
        assert_int_equal(strv_length(r->tags), 2);
        assert_string_equal(r->tags[1], "work:corp");
        assert_int_equal(strv_length(r->args), 2);
        assert_string_equal(r->args[1], "");
        assert_string_equal(r->activation_token, "tok");
        assert_true(r->dry_run);

        _cleanup_(request_freep) Request *m = parse("{\"method\":\"Launch\",\"params\":{\"entry_id\":\"x\"}}");
        assert_null(m->profile);
        assert_non_null(m->tags);
        assert_null(m->tags[0]);
        assert_false(m->dry_run);

        /* What a client formats, the server parses back the same. */
        _cleanup_free_ char *text = request_format(r);
        _cleanup_(request_freep) Request *again = parse(text);
        assert_string_equal(again->entry_id, "firefox");
        assert_string_equal(again->tags[0], "dev");
        assert_string_equal(again->activation_token, "tok");

        /* A command (from a picker's launch hook), with what it exported. */
        _cleanup_(request_freep) Request *c = parse(
                "{\"method\":\"Launch\",\"params\":{\"command\":[\"foot\",\"-e\"],\"entry_hint\":\"foot.desktop\","
                "\"action\":\"server\",\"recognize\":true}}");
        assert_null(c->entry_id);
        assert_int_equal(strv_length(c->command), 2);
        assert_string_equal(c->entry_hint, "foot.desktop");
        assert_string_equal(c->action, "server");
        assert_true(c->recognize);
        _cleanup_free_ char *ctext = request_format(c);
        _cleanup_(request_freep) Request *cagain = parse(ctext);
        assert_string_equal(cagain->command[1], "-e");
        assert_string_equal(cagain->entry_hint, "foot.desktop");
        assert_string_equal(cagain->action, "server");
        assert_true(cagain->recognize);
        assert_null(cagain->entry_id);
}

static void test_others(void **state) {
        (void) state;
        _cleanup_(request_freep) Request *e = parse("{\"method\":\"Entries\"}");
        assert_int_equal(e->method, REQUEST_ENTRIES);
        assert_false(e->all);
        assert_null(e->desktop);
        _cleanup_(request_freep) Request *f = parse("{\"method\":\"Entries\",\"params\":{\"all\":true,\"desktop\":\"sway\"}}");
        assert_true(f->all);
        assert_string_equal(f->desktop, "sway");
        _cleanup_free_ char *ftext = request_format(f);
        _cleanup_(request_freep) Request *f2 = parse(ftext);
        assert_true(f2->all);
        assert_string_equal(f2->desktop, "sway");
        /* A page: offset and limit, kept through formatting. */
        _cleanup_(request_freep) Request *g = parse("{\"method\":\"Entries\",\"params\":{\"offset\":4000,\"limit\":2000}}");
        assert_int_equal(g->offset, 4000);
        assert_int_equal(g->limit, 2000);
        _cleanup_free_ char *gtext = request_format(g);
        _cleanup_(request_freep) Request *g2 = parse(gtext);
        assert_int_equal(g2->offset, 4000);
        assert_int_equal(g2->limit, 2000);
        _cleanup_(request_freep) Request *h = parse("{\"method\":\"Search\",\"params\":{\"query\":\"a\",\"offset\":5}}");
        assert_int_equal(h->offset, 5);
        _cleanup_(request_freep) Request *s = parse("{\"method\":\"Status\",\"params\":{}}");
        assert_int_equal(s->method, REQUEST_STATUS);
        _cleanup_free_ char *text = request_format(s);
        assert_string_equal(text, "{\"method\":\"Status\"}");
}

/* Open: targets with their types, kept through formatting; the two lists
 * of one length. */
static void test_open(void **state) {
        (void) state;
        _cleanup_(request_freep) Request *o = parse(
                "{\"method\":\"Open\",\"params\":{\"targets\":[\"https://example.org/\",\"file:///tmp/a.c\"],"
                "\"types\":[\"x-scheme-handler/https\",\"text/x-csrc;text/plain\"],\"tags\":[\"work\"],"
                "\"desktop\":\"sway\",\"ask\":true}}");
        assert_int_equal(o->method, REQUEST_OPEN);
        assert_string_equal(o->targets[1], "file:///tmp/a.c");
        assert_string_equal(o->types[1], "text/x-csrc;text/plain");
        assert_string_equal(o->tags[0], "work");
        assert_true(o->ask);
        _cleanup_free_ char *text = request_format(o);
        _cleanup_(request_freep) Request *o2 = parse(text);
        assert_string_equal(o2->targets[0], "https://example.org/");
        assert_string_equal(o2->types[0], "x-scheme-handler/https");
        assert_string_equal(o2->desktop, "sway");
        assert_true(o2->ask);
        invalid("{\"method\":\"Open\",\"params\":{\"targets\":[],\"types\":[]}}", "targets must be a non-empty");
        invalid("{\"method\":\"Open\",\"params\":{\"targets\":[\"a:b\"],\"types\":[]}}", "one per target");
        invalid("{\"method\":\"Open\",\"params\":{\"targets\":[\"a:b\"],\"types\":[\"plain\"]}}", "not a MIME type");
        invalid("{\"method\":\"Open\",\"params\":{\"targets\":[\"a:b\"],\"types\":[\"a/b\"],\"x\":1}}", "Open:");
        invalid("{\"method\":\"Open\"}", "params is required");
        char many[2048] = "{\"method\":\"Open\",\"params\":{\"targets\":[\"a:b\"],\"types\":[\"";
        for (int i = 0; i < 65; i++)
                strcat(many, i ? ";a/b" : "a/b");
        strcat(many, "\"]}}");
        invalid(many, "more than 64 for one target");
}

static void test_invalid(void **state) {
        (void) state;
        invalid("", "not JSON");
        invalid("{\"method\":\"Launch\"", "not JSON");
        invalid("[1,2]", "");
        invalid("{\"method\":\"Frobnicate\"}", "unknown method 'Frobnicate'");
        invalid("{\"method\":42}", "");
        invalid("{\"method\":\"Status\",\"extra\":1}", "");
        invalid("{\"method\":\"Status\",\"params\":{\"x\":1}}", "takes no parameters");
        invalid("{\"method\":\"Entries\",\"params\":{\"x\":1}}", "Entries:");
        invalid("{\"method\":\"Entries\",\"params\":{\"all\":\"yes\"}}", "Entries:");
        invalid("{\"method\":\"Entries\",\"params\":{\"offset\":-1}}", "Entries: offset is not 0 to 2147483647");
        invalid("{\"method\":\"Entries\",\"params\":{\"limit\":5001}}", "Entries: limit is not 0 (all) to 5000");
        invalid("{\"method\":\"Search\",\"params\":{\"query\":\"\",\"limit\":100001}}", "Search: limit is not 0 (all) to 100000");
        invalid("{\"method\":\"Search\",\"params\":{\"query\":\"\",\"offset\":3000000000}}", "Search: offset");
        invalid("{\"method\":\"Status\",\"params\":[]}", "params must be an object");
        invalid("{\"method\":\"Launch\"}", "params is required");
        invalid("{\"method\":\"Launch\",\"params\":{}}", "exactly one of entry_id and command");
        invalid("{\"method\":\"Launch\",\"params\":{\"entry_id\":\"x\",\"command\":[\"y\"]}}",
                "exactly one of entry_id and command");
        invalid("{\"method\":\"Launch\",\"params\":{\"command\":[]}}", "command must be a non-empty array");
        invalid("{\"method\":\"Launch\",\"params\":{\"command\":\"sh\"}}", "command must be a non-empty array");
        invalid("{\"method\":\"Launch\",\"params\":{\"command\":[1]}}", "every item must be a string");
        invalid("{\"method\":\"Launch\",\"params\":{\"command\":[\"a\"],\"args\":[\"b\"]}}", "a command takes no args");
        invalid("{\"method\":\"Launch\",\"params\":{\"entry_id\":\"x\",\"entry_hint\":\"y\"}}", "go with command");
        invalid("{\"method\":\"Launch\",\"params\":{\"entry_id\":\"x\",\"action\":\"\"}}", "action is empty");
        invalid("{\"method\":\"Launch\",\"params\":{\"entry_id\":\"\"}}", "entry_id is empty");
        invalid("{\"method\":\"Launch\",\"params\":{\"entry_id\":5}}", "");
        invalid("{\"method\":\"Launch\",\"params\":{\"entry_id\":\"x\",\"tags\":\"dev\"}}", "tags must be an array");
        invalid("{\"method\":\"Launch\",\"params\":{\"entry_id\":\"x\",\"tags\":[1]}}", "every item must be a string");
        invalid("{\"method\":\"Launch\",\"params\":{\"entry_id\":\"x\",\"args\":{}}}", "args must be an array");
        invalid("{\"method\":\"Launch\",\"params\":{\"entry_id\":\"x\",\"dry_run\":\"yes\"}}", "");
        invalid("{\"method\":\"Launch\",\"params\":{\"entry_id\":\"x\",\"bogus\":1}}", "");
        invalid("{\"method\":\"Status\",\"method\":\"Status\"}", "");
        invalid("{\"method\":\"Status\"} trailing", "not JSON");

        char tags[2048] = "{\"method\":\"Launch\",\"params\":{\"entry_id\":\"x\",\"tags\":[";
        for (int i = 0; i <= REQUEST_TAGS_MAX; i++)
                strcat(tags, i ? ",\"t\"" : "\"t\"");
        strcat(tags, "]}}");
        invalid(tags, "tags: too many items");

        char *big = malloc(REQUEST_STRING_MAX + 100);
        int n = snprintf(big, 100, "{\"method\":\"Launch\",\"params\":{\"entry_id\":\"");
        memset(big + n, 'a', REQUEST_STRING_MAX + 1);
        strcpy(big + n + REQUEST_STRING_MAX + 1, "\"}}");
        invalid(big, "longer than 4096");
        free(big);
}

/* Values are counted before anything is parsed: a request of more than
 * REQUEST_VALUES_MAX is refused without being built, while the largest a
 * client may send (4,096 arguments, 64 tags) is well under it, and commas
 * and brackets inside strings do not count. */
static void test_values_bounded(void **state) {
        (void) state;
        size_t size = 8 * REQUEST_VALUES_MAX + 100;
        char *text = malloc(size);
        int n = snprintf(text, size, "{\"method\":\"Status\",\"params\":[");
        for (int i = 0; i < REQUEST_VALUES_MAX; i++)
                n += snprintf(text + n, size - (size_t) n, "%s1", i ? "," : "");
        strcpy(text + n, "]}");
        invalid(text, "more than 16384 JSON values");

        n = snprintf(text, size, "{\"method\":\"Launch\",\"params\":{\"entry_id\":\"x\",\"args\":[");
        for (int i = 0; i < REQUEST_ARGS_MAX; i++)
                n += snprintf(text + n, size - (size_t) n, "%s\"a,[{\\\"\"", i ? "," : "");
        strcpy(text + n, "]}}");
        Request *r = NULL;
        char *why = NULL;
        assert_int_equal(request_parse(text, strlen(text), &r, &why), 0);
        assert_int_equal(strv_length(r->args), REQUEST_ARGS_MAX);
        assert_string_equal(r->args[0], "a,[{\"");
        request_free(r);
        free(text);
}

/* The example of docs/protocol.md, byte for byte, from either side. */
static void test_prologue(void **state) {
        (void) state;
        const uint8_t expected[] = { 's', 'e', 's', 'a', 'm', 'e', '-', 'l', 'a', 'u', 'n', 'c', 'h', 'e', 'r', '/',
                                     '1', 0,   0,   2,   0xdb, 0,  0,   3,   0xe8, 0,  0,   0x10, 0x92, 0, 0, 3, 0xe8 };
        uint8_t a[IPC_PROLOGUE_LEN], b[IPC_PROLOGUE_LEN];
        assert_int_equal(sizeof(expected), IPC_PROLOGUE_LEN);
        ipc_prologue(4242, 1000, 731, 1000, a); /* the client's view */
        ipc_prologue(731, 1000, 4242, 1000, b); /* the daemon's */
        assert_memory_equal(a, expected, sizeof(expected));
        assert_memory_equal(b, expected, sizeof(expected));
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_launch),
                cmocka_unit_test(test_others),
                cmocka_unit_test(test_invalid),
                cmocka_unit_test(test_open),
                cmocka_unit_test(test_values_bounded),
                cmocka_unit_test(test_prologue),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
