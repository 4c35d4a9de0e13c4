/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "common/macro.h"

/* Requests and replies on the launcher's socket: one JSON object each
 * (docs/protocol.md). Requests are unpacked strictly: an unknown field, a
 * missing one or a wrong type is InvalidRequest, never a guess. */

typedef enum RequestMethod {
        REQUEST_LAUNCH,
        REQUEST_ENTRIES,
        REQUEST_STATUS,
        REQUEST_LIST,
        REQUEST_STOP,
        REQUEST_UNLOCK,
        REQUEST_SEARCH,
        REQUEST_HISTORY,
        REQUEST_HISTORY_FORGET,
        REQUEST_HISTORY_CLEAR,
        REQUEST_OPEN,
        _REQUEST_MAX,
} RequestMethod;

/* A request is at most this long: requests are small (a Launch with every
 * argument it may carry is far below), so a larger one is answered
 * InvalidRequest before it is read (docs/protocol.md). */
#define REQUEST_MAX (1024 * 1024)
/* And at most this many JSON values (a Launch with every argument it may
 * carry has about 4,200): counted before parsing, so that no request costs
 * the loop more than a few milliseconds (docs/protocol.md). */
#define REQUEST_VALUES_MAX 16384
/* Limits checked while unpacking. */
#define REQUEST_TAGS_MAX 64
#define REQUEST_ARGS_MAX 4096
#define REQUEST_STRING_MAX 4096
/* Open: a target's type and its parents, at most. */
#define REQUEST_OPEN_TYPES_MAX 64
#define REQUEST_SEARCH_LIMIT_DEFAULT 20
#define REQUEST_SEARCH_LIMIT_MAX 100000
/* Entries per Entries reply: about 2 MB of JSON, and a few tens of
 * milliseconds of the launcher's loop; more is asked for in pages. */
#define REQUEST_ENTRIES_LIMIT_MAX 5000
/* Search results per reply in the full format (objects, about 300 bytes
 * each); the lines format takes them all. */
#define REQUEST_SEARCH_FULL_MAX 5000

typedef struct Request {
        RequestMethod method;
        /* Launch: entry_id or command, exactly one */
        char *entry_id;         /* or NULL */
        char *action;           /* or NULL */
        char **command;         /* or NULL */
        char *entry_hint;       /* with command, or NULL */
        bool recognize;         /* with command */
        char *profile;          /* or NULL */
        char **tags;            /* never NULL for Launch */
        char **args;            /* never NULL for Launch */
        char *activation_token; /* or NULL */
        char *cwd;              /* the client's directory, for relative paths among args; or NULL */
        bool dry_run;
        bool single;            /* one instance of the entry at a time */
        bool wait_start;        /* answered after EarlyExitSec=: an app that died at once is ExitedAtOnce */
        bool service;           /* in a transient service rather than a scope */
        /* Unlock: the trust profiles whose vaults to unlock */
        char **profiles;
        /* Stop: an entry, a unit of ours or a PID */
        char *target;
        int signal;             /* 0: stop the unit; else KillUnit with it */
        bool all;               /* Stop every match; also Entries: every entry */
        /* Entries: every entry (all), or those shown in `desktop` (the
         * client's XDG_CURRENT_DESKTOP, or NULL); Search too */
        char *desktop;
        /* Search: the typed text, how many results (0: all), whether desktop
         * actions are results of their own. HistoryForget: entry_id. */
        char *query;
        size_t limit;           /* Entries too (0: to the end) */
        size_t offset;          /* Entries and Search: results skipped (a page's start) */
        bool actions;
        bool lines;             /* the results as ID<TAB>ACTION<TAB>NAME lines ("format":"lines") */
        bool icons;             /* with lines: a fourth field, the entry's Icon= ("format":"icon-lines") */
        /* Open: each target (a URL; a file as its file:// URI) with its type
         * and those it derives from, ';'-separated ("text/x-csrc;text/plain");
         * entry_id, action, tags, profile and desktop as above (NULL, empty:
         * the rules and the defaults decide) */
        char **targets;
        char **types;
        bool ask;               /* the apps for each target's type listed, to be picked from */
} Request;

const char *request_method_name(RequestMethod m);

/* 0 and a request, or -EBADMSG and a reason for InvalidRequest. */
int request_parse(const char *json, size_t len, Request **ret, char **ret_reason);
Request *request_free(Request *r);
DEFINE_TRIVIAL_CLEANUP_FUNC(Request *, request_free);

/* The JSON text of a request, for clients. */
char *request_format(const Request *r);

/* A JSON array of the strings (none for NULL); NULL when out of memory. */
typedef struct json_t json_t;
json_t *json_strv(char *const *l);

/* {"error":"InvalidRequest","reason":"..."}; a new string. */
char *reply_invalid_request(const char *reason);
