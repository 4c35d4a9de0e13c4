/* SPDX-License-Identifier: MIT */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/strv.h"
#include "common/utf8.h"
#include "ipc/proto.h"

static const char *const method_names[_REQUEST_MAX] = {
        [REQUEST_LAUNCH] = "Launch",
        [REQUEST_ENTRIES] = "Entries",
        [REQUEST_STATUS] = "Status",
        [REQUEST_LIST] = "List",
        [REQUEST_STOP] = "Stop",
        [REQUEST_UNLOCK] = "Unlock",
        [REQUEST_SEARCH] = "Search",
        [REQUEST_HISTORY] = "History",
        [REQUEST_HISTORY_FORGET] = "HistoryForget",
        [REQUEST_HISTORY_CLEAR] = "HistoryClear",
        [REQUEST_OPEN] = "Open",
};

const char *request_method_name(RequestMethod m) {
        return m >= 0 && m < _REQUEST_MAX ? method_names[m] : NULL;
}

Request *request_free(Request *r) {
        if (!r)
                return NULL;
        free(r->entry_id);
        free(r->action);
        strv_free(r->command);
        free(r->entry_hint);
        free(r->profile);
        strv_free(r->tags);
        strv_free(r->args);
        free(r->activation_token);
        free(r->cwd);
        free(r->desktop);
        free(r->target);
        strv_free(r->profiles);
        free(r->query);
        strv_free(r->targets);
        strv_free(r->types);
        free(r);
        return NULL;
}

static int reason(char **ret, const char *fmt, const char *detail) {
        if (ret && asprintf(ret, fmt, detail) < 0)
                *ret = NULL;
        return -EBADMSG;
}

static int copy_string(const char *s, const char *field, char **out, char **ret_reason) {
        if (!s) {
                *out = NULL;
                return 0;
        }
        if (strlen(s) > REQUEST_STRING_MAX)
                return reason(ret_reason, "%s: longer than 4096 bytes", field);
        if (!(*out = strdup(s)))
                return -ENOMEM;
        return 0;
}

static int copy_strings(json_t *array, const char *field, size_t max, char ***out, char **ret_reason) {
        size_t n = json_array_size(array);
        if (n > max)
                return reason(ret_reason, "%s: too many items", field);
        char **l = calloc(n + 1, sizeof(char *));
        if (!l)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                json_t *v = json_array_get(array, i);
                if (!json_is_string(v)) {
                        strv_free(l);
                        return reason(ret_reason, "%s: every item must be a string", field);
                }
                int r = copy_string(json_string_value(v), field, &l[i], ret_reason);
                if (r < 0) {
                        strv_free(l);
                        return r;
                }
        }
        *out = l;
        return 0;
}

static int parse_launch(json_t *params, Request *req, char **ret_reason) {
        const char *entry_id = NULL, *action = NULL, *hint = NULL, *profile = NULL, *token = NULL, *cwd = NULL;
        json_t *tags = NULL, *args = NULL, *command = NULL;
        int dry_run = 0, recognize = 0, single = 0, wait_start = 0, service = 0;
        json_error_t error;
        /* "!": no field beyond these. */
        if (json_unpack_ex(params, &error, JSON_STRICT,
                           "{s?s, s?s, s?o, s?s, s?b, s?s, s?o, s?o, s?s, s?s, s?b, s?b, s?b, s?b !}", "entry_id", &entry_id,
                           "action", &action, "command", &command, "entry_hint", &hint, "recognize", &recognize,
                           "profile", &profile, "tags", &tags, "args", &args, "activation_token", &token, "cwd", &cwd,
                           "dry_run", &dry_run, "single", &single, "wait_start", &wait_start, "service", &service) < 0)
                return reason(ret_reason, "Launch: %s", error.text);
        if (!entry_id == !command)
                return reason(ret_reason, "Launch: %s", "exactly one of entry_id and command is required");
        if (command && (!json_is_array(command) || json_array_size(command) == 0))
                return reason(ret_reason, "Launch: %s must be a non-empty array of strings", "command");
        if (!command && (hint || recognize))
                return reason(ret_reason, "Launch: %s", "entry_hint and recognize go with command");
        if (command && args && json_array_size(args) > 0)
                return reason(ret_reason, "Launch: %s", "a command takes no args (put them in the command)");
        if (cwd && cwd[0] != '/')
                return reason(ret_reason, "Launch: %s must be an absolute path", "cwd");
        if (tags && !json_is_array(tags))
                return reason(ret_reason, "Launch: %s must be an array of strings", "tags");
        if (args && !json_is_array(args))
                return reason(ret_reason, "Launch: %s must be an array of strings", "args");
        if (entry_id && !*entry_id)
                return reason(ret_reason, "Launch: %s is empty", "entry_id");
        if (action && !*action)
                return reason(ret_reason, "Launch: %s is empty", "action");

        int r = copy_string(entry_id, "entry_id", &req->entry_id, ret_reason);
        if (r >= 0)
                r = copy_string(action, "action", &req->action, ret_reason);
        if (r >= 0)
                r = copy_string(hint, "entry_hint", &req->entry_hint, ret_reason);
        if (r >= 0 && command)
                r = copy_strings(command, "command", REQUEST_ARGS_MAX, &req->command, ret_reason);
        if (r >= 0)
                r = copy_string(profile, "profile", &req->profile, ret_reason);
        if (r >= 0)
                r = copy_string(token, "activation_token", &req->activation_token, ret_reason);
        if (r >= 0)
                r = copy_string(cwd, "cwd", &req->cwd, ret_reason);
        if (r >= 0)
                r = copy_strings(tags, "tags", REQUEST_TAGS_MAX, &req->tags, ret_reason);
        if (r >= 0)
                r = copy_strings(args, "args", REQUEST_ARGS_MAX, &req->args, ret_reason);
        req->dry_run = dry_run;
        req->recognize = recognize;
        req->single = single;
        req->wait_start = wait_start;
        req->service = service;
        return r;
}

static int parse_stop(json_t *params, Request *req, char **ret_reason) {
        const char *target = NULL;
        int signal = 0, all = 0;
        json_error_t error;
        if (!params)
                return reason(ret_reason, "Stop: %s is required", "params");
        if (json_unpack_ex(params, &error, JSON_STRICT, "{s:s, s?i, s?b !}", "target", &target, "signal", &signal,
                           "all", &all) < 0)
                return reason(ret_reason, "Stop: %s", error.text);
        if (!*target)
                return reason(ret_reason, "Stop: %s is empty", "target");
        if (signal < 0 || signal > 64)
                return reason(ret_reason, "Stop: %s is not a signal number", "signal");
        req->signal = signal;
        req->all = all;
        return copy_string(target, "target", &req->target, ret_reason);
}

static int parse_unlock(json_t *params, Request *req, char **ret_reason) {
        json_t *profiles = NULL;
        json_error_t error;
        if (!params)
                return reason(ret_reason, "Unlock: %s is required", "params");
        if (json_unpack_ex(params, &error, JSON_STRICT, "{s:o !}", "profiles", &profiles) < 0)
                return reason(ret_reason, "Unlock: %s", error.text);
        if (!json_is_array(profiles) || json_array_size(profiles) == 0)
                return reason(ret_reason, "Unlock: %s must be a non-empty array of strings", "profiles");
        return copy_strings(profiles, "profiles", REQUEST_TAGS_MAX, &req->profiles, ret_reason);
}

/* A page's `offset` and `limit` (0: to the end; at most `max`). */
static int page_bounds(const char *method, json_int_t offset, json_int_t limit, json_int_t max, Request *req,
                       char **ret_reason) {
        if (offset < 0 || offset > INT32_MAX)
                return reason(ret_reason, "%s: offset is not 0 to 2147483647", method);
        if (limit < 0 || limit > max) {
                if (ret_reason && asprintf(ret_reason, "%s: limit is not 0 (all) to %lld", method, (long long) max) < 0)
                        *ret_reason = NULL;
                return -EBADMSG;
        }
        req->offset = (size_t) offset;
        req->limit = (size_t) limit;
        return 0;
}

static int parse_entries(json_t *params, Request *req, char **ret_reason) {
        const char *desktop = NULL;
        int all = 0;
        json_int_t offset = 0, limit = 0;
        json_error_t error;
        if (params && json_unpack_ex(params, &error, JSON_STRICT, "{s?b, s?s, s?I, s?I !}", "all", &all, "desktop",
                                     &desktop, "offset", &offset, "limit", &limit) < 0)
                return reason(ret_reason, "Entries: %s", error.text);
        req->all = all;
        int r = page_bounds("Entries", offset, limit, REQUEST_ENTRIES_LIMIT_MAX, req, ret_reason);
        return r < 0 ? r : copy_string(desktop, "desktop", &req->desktop, ret_reason);
}

static int parse_search(json_t *params, Request *req, char **ret_reason) {
        const char *query = NULL, *desktop = NULL, *format = NULL;
        json_int_t limit = REQUEST_SEARCH_LIMIT_DEFAULT, offset = 0;
        int actions = 0;
        json_error_t error;
        if (!params)
                return reason(ret_reason, "Search: %s is required", "params");
        if (json_unpack_ex(params, &error, JSON_STRICT, "{s:s, s?I, s?I, s?b, s?s, s?s !}", "query", &query, "limit",
                           &limit, "offset", &offset, "actions", &actions, "desktop", &desktop, "format", &format) < 0)
                return reason(ret_reason, "Search: %s", error.text);
        if (format && strcmp(format, "full") != 0 && strcmp(format, "lines") != 0 && strcmp(format, "icon-lines") != 0)
                return reason(ret_reason, "Search: %s is not full, lines or icon-lines", "format");
        req->icons = format && strcmp(format, "icon-lines") == 0;
        req->lines = req->icons || (format && strcmp(format, "lines") == 0);
        int r = page_bounds("Search", offset, limit, REQUEST_SEARCH_LIMIT_MAX, req, ret_reason);
        if (r < 0)
                return r;
        req->actions = actions;
        r = copy_string(query, "query", &req->query, ret_reason);
        return r < 0 ? r : copy_string(desktop, "desktop", &req->desktop, ret_reason);
}

static int parse_history_forget(json_t *params, Request *req, char **ret_reason) {
        const char *entry_id = NULL;
        json_error_t error;
        if (!params)
                return reason(ret_reason, "HistoryForget: %s is required", "params");
        if (json_unpack_ex(params, &error, JSON_STRICT, "{s:s !}", "entry_id", &entry_id) < 0)
                return reason(ret_reason, "HistoryForget: %s", error.text);
        if (!*entry_id)
                return reason(ret_reason, "HistoryForget: %s is empty", "entry_id");
        return copy_string(entry_id, "entry_id", &req->entry_id, ret_reason);
}

static int parse_open(json_t *params, Request *req, char **ret_reason) {
        const char *entry_id = NULL, *action = NULL, *profile = NULL, *desktop = NULL;
        json_t *targets = NULL, *types = NULL, *tags = NULL;
        int ask = 0;
        json_error_t error;
        if (!params)
                return reason(ret_reason, "Open: %s is required", "params");
        if (json_unpack_ex(params, &error, JSON_STRICT, "{s:o, s:o, s?s, s?s, s?o, s?s, s?s, s?b !}", "targets",
                           &targets, "types", &types, "entry_id", &entry_id, "action", &action, "tags", &tags,
                           "profile", &profile, "desktop", &desktop, "ask", &ask) < 0)
                return reason(ret_reason, "Open: %s", error.text);
        if (!json_is_array(targets) || json_array_size(targets) == 0)
                return reason(ret_reason, "Open: %s must be a non-empty array of strings", "targets");
        if (!json_is_array(types) || json_array_size(types) != json_array_size(targets))
                return reason(ret_reason, "Open: %s must be an array of strings, one per target", "types");
        if (tags && !json_is_array(tags))
                return reason(ret_reason, "Open: %s must be an array of strings", "tags");
        if ((entry_id && !*entry_id) || (action && !*action))
                return reason(ret_reason, "Open: %s is empty", entry_id && !*entry_id ? "entry_id" : "action");
        int r = copy_strings(targets, "targets", REQUEST_ARGS_MAX, &req->targets, ret_reason);
        if (r >= 0)
                r = copy_strings(types, "types", REQUEST_ARGS_MAX, &req->types, ret_reason);
        if (r >= 0)
                r = copy_strings(tags, "tags", REQUEST_TAGS_MAX, &req->tags, ret_reason);
        if (r >= 0)
                r = copy_string(entry_id, "entry_id", &req->entry_id, ret_reason);
        if (r >= 0)
                r = copy_string(action, "action", &req->action, ret_reason);
        if (r >= 0)
                r = copy_string(profile, "profile", &req->profile, ret_reason);
        if (r >= 0)
                r = copy_string(desktop, "desktop", &req->desktop, ret_reason);
        for (char **t = req->types; r >= 0 && *t; t++) {
                size_t n = 1;
                for (const char *c = *t; *c; c++)
                        n += *c == ';';
                if (!strchr(*t, '/'))
                        r = reason(ret_reason, "Open: types: '%s' is not a MIME type", *t);
                /* A type's parents are a handful: each costs a lookup in every directory. */
                else if (n > REQUEST_OPEN_TYPES_MAX)
                        r = reason(ret_reason, "Open: types: %s", "more than 64 for one target");
        }
        req->ask = ask;
        return r;
}

/* How many JSON values the text holds, at least: one, and one more for
 * each ',' '[' '{' outside strings; counting stops past `max`. One pass,
 * no allocation: what jansson would build is bounded before it builds it. */
static size_t json_values(const char *json, size_t len, size_t max) {
        size_t n = 1;
        bool in_string = false;
        for (size_t i = 0; i < len && n <= max; i++) {
                char c = json[i];
                if (in_string) {
                        if (c == '\\')
                                i++;
                        else if (c == '"')
                                in_string = false;
                } else if (c == '"')
                        in_string = true;
                else if (c == ',' || c == '[' || c == '{')
                        n++;
        }
        return n;
}

int request_parse(const char *json, size_t len, Request **ret, char **ret_reason) {
        assert_return(json && ret, -EINVAL);
        if (ret_reason)
                *ret_reason = NULL;
        _Static_assert(REQUEST_VALUES_MAX == 16384, "the reason names it");
        if (json_values(json, len, REQUEST_VALUES_MAX) > REQUEST_VALUES_MAX)
                return reason(ret_reason, "%s", "more than 16384 JSON values");

        json_error_t error;
        /* No duplicate keys, no trailing data, no NUL in strings. */
        _cleanup_(json_decrefp) json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &error);
        if (!root)
                return reason(ret_reason, "not JSON: %s", error.text);

        const char *method = NULL;
        json_t *params = NULL;
        if (json_unpack_ex(root, &error, JSON_STRICT, "{s:s, s?o !}", "method", &method, "params", &params) < 0)
                return reason(ret_reason, "%s", error.text);
        if (params && !json_is_object(params))
                return reason(ret_reason, "%s must be an object", "params");

        int m = -1;
        for (int i = 0; i < _REQUEST_MAX && m < 0; i++)
                if (strcmp(method, method_names[i]) == 0)
                        m = i;
        if (m < 0) {
                if (ret_reason && asprintf(ret_reason, "unknown method '%.*s'", UTF8_AT_MOST(method, 64)) < 0)
                        *ret_reason = NULL;
                return -EBADMSG;
        }
        _cleanup_(request_freep) Request *req = calloc(1, sizeof(*req));
        if (!req)
                return -ENOMEM;
        req->method = (RequestMethod) m;
        int r;
        switch (req->method) {
        case REQUEST_LAUNCH:
                r = params ? parse_launch(params, req, ret_reason)
                           : reason(ret_reason, "Launch: %s is required", "params");
                break;
        case REQUEST_ENTRIES:
                r = parse_entries(params, req, ret_reason);
                break;
        case REQUEST_STOP:
                r = parse_stop(params, req, ret_reason);
                break;
        case REQUEST_UNLOCK:
                r = parse_unlock(params, req, ret_reason);
                break;
        case REQUEST_SEARCH:
                r = parse_search(params, req, ret_reason);
                break;
        case REQUEST_HISTORY_FORGET:
                r = parse_history_forget(params, req, ret_reason);
                break;
        case REQUEST_OPEN:
                r = parse_open(params, req, ret_reason);
                break;
        default: /* Status, List, History, HistoryClear */
                r = params && json_object_size(params) > 0 ? reason(ret_reason, "%s takes no parameters", method)
                                                           : 0;
                break;
        }
        if (r < 0)
                return r;
        *ret = TAKE_PTR(req);
        return 0;
}

json_t *json_strv(char *const *l) {
        json_t *a = json_array();
        for (char *const *i = l; a && i && *i; i++)
                if (json_array_append_new(a, json_string(*i)) < 0) {
                        json_decref(a);
                        return NULL;
                }
        return a;
}

char *request_format(const Request *r) {
        if (!r || !request_method_name(r->method))
                return NULL;
        json_t *o;
        if (r->method == REQUEST_LAUNCH) {
                json_t *params = json_pack("{s:o, s:o, s:b}", "tags", json_strv(r->tags), "args",
                                           json_strv(r->args), "dry_run", r->dry_run);
                if (params && r->command) {
                        json_object_set_new(params, "command", json_strv(r->command));
                        json_object_set_new(params, "recognize", json_boolean(r->recognize));
                } else if (params)
                        json_object_set_new(params, "entry_id", json_string(r->entry_id ? r->entry_id : ""));
                if (params && r->action)
                        json_object_set_new(params, "action", json_string(r->action));
                if (params && r->entry_hint)
                        json_object_set_new(params, "entry_hint", json_string(r->entry_hint));
                if (params && r->profile)
                        json_object_set_new(params, "profile", json_string(r->profile));
                if (params && r->activation_token)
                        json_object_set_new(params, "activation_token", json_string(r->activation_token));
                if (params && r->cwd)
                        json_object_set_new(params, "cwd", json_string(r->cwd));
                if (params && r->single)
                        json_object_set_new(params, "single", json_true());
                if (params && r->wait_start)
                        json_object_set_new(params, "wait_start", json_true());
                if (params && r->service)
                        json_object_set_new(params, "service", json_true());
                o = json_pack("{s:s, s:o}", "method", "Launch", "params", params);
        } else if (r->method == REQUEST_STOP)
                o = json_pack("{s:s, s:{s:s, s:i, s:b}}", "method", "Stop", "params", "target", r->target ? r->target : "",
                              "signal", r->signal, "all", r->all);
        else if (r->method == REQUEST_UNLOCK)
                o = json_pack("{s:s, s:{s:o}}", "method", "Unlock", "params", "profiles", json_strv(r->profiles));
        else if (r->method == REQUEST_SEARCH)
                o = json_pack("{s:s, s:{s:s, s:I, s:I, s:b, s:s*, s:s}}", "method", "Search", "params", "query",
                              r->query ?: "", "limit", (json_int_t) r->limit, "offset", (json_int_t) r->offset,
                              "actions", r->actions, "desktop", r->desktop, "format",
                              r->icons ? "icon-lines" : r->lines ? "lines" : "full");
        else if (r->method == REQUEST_OPEN)
                o = json_pack("{s:s, s:{s:o, s:o, s:o, s:s*, s:s*, s:s*, s:s*, s:b}}", "method", "Open", "params",
                              "targets", json_strv(r->targets), "types", json_strv(r->types), "tags",
                              json_strv(r->tags), "entry_id", r->entry_id, "action", r->action, "profile",
                              r->profile, "desktop", r->desktop, "ask", r->ask);
        else if (r->method == REQUEST_HISTORY_FORGET)
                o = json_pack("{s:s, s:{s:s}}", "method", "HistoryForget", "params", "entry_id", r->entry_id ?: "");
        else if (r->method == REQUEST_ENTRIES)
                o = json_pack("{s:s, s:{s:b, s:s*, s:I, s:I}}", "method", "Entries", "params", "all", r->all,
                              "desktop", r->desktop, "offset", (json_int_t) r->offset, "limit",
                              (json_int_t) r->limit);
        else
                o = json_pack("{s:s}", "method", request_method_name(r->method));
        char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
        json_decref(o);
        return s;
}

char *reply_invalid_request(const char *why) {
        /* jansson's error texts quote the request and are cut at a byte
         * count: made UTF-8 again before they go back. */
        _cleanup_free_ char *text = utf8_sanitize(why ? why : "invalid request");
        if (!text)
                return NULL;
        json_t *o = json_pack("{s:s, s:s}", "error", "InvalidRequest", "reason", text);
        char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
        json_decref(o);
        return s;
}
