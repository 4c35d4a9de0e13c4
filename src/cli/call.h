/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stddef.h>

typedef struct json_t json_t;

/* The client side of the launcher's socket, for every command of sesame:
 * connect with this client's key to the launcher's published key, send
 * one request, parse its reply. Errors are said on stderr as `who`
 * ("sesame launch"), and every way out is an exit status: one table turns
 * the launcher's error replies into them. */

/* call_daemon() with `absent_ok`: this client has no key, or no launcher
 * listens; nothing was said. */
#define DAEMON_ABSENT (-1)

/* 0 and the reply (error replies too), or the exit status after saying
 * why; DAEMON_ABSENT as above. */
int call_daemon(const char *who, const char *request, json_t **ret, bool absent_ok);

/* A request whose reply must not be an error: 0 and the reply, or the exit
 * status after saying why (an error reply: call_error()). */
int call_checked(const char *who, const char *request, json_t **ret);

/* The sentence the last failure of call_daemon() to get a reply was said
 * with (no launcher, no key, ...), for a notification; or NULL. */
const char *call_failure(void);
/* Failures to reach the launcher are not said on stderr (sesame doctor
 * reports them its own way); call_failure() still has them. */
void call_quiet(bool quiet);

/* The entry ID `target` names ("firefox", an ID, a file), as a launch
 * resolves it (a dry run); NULL when none does, with the exit status in
 * *ret_status after saying why (EntryNotFound, with its suggestions). */
char *call_resolve_entry(const char *who, const char *target, int *ret_status);

/* An app of sesame's as commands name it (stop, restart, focus): by a
 * PID of one of its processes, by its unit, or by its entry. One is set. */
typedef struct AppTarget {
        int pid;              /* a pid_t; 0: not this way */
        const char *unit;
        const char *entry_id; /* resolved as a launch resolves it */
} AppTarget;
/* ENTRY|UNIT|PID read into *ret (an entry's resolved ID is new, in
 * *ret_entry, for the caller to free): 0, or the exit status after saying
 * why no entry matches. */
int call_parse_target(const char *who, const char *target, AppTarget *ret, char **ret_entry);

/* The command line of a command whose one option is --json (with --help)
 * and that takes no argument (ps, windows, doctor): 0 and *ret_json, -1
 * after printing the help, or EXIT_USAGE after saying why as `who`. */
int call_parse_json_only(const char *who, int argc, char *argv[], void (*help)(void), bool *ret_json);

/* Runs one of our helpers (beside us, else in libexecdir/sesame) with
 * `argv`, its standard output into `buf` (NUL-terminated, cut at size - 1):
 * its exit status (128 + N for signal N), or a negative errno when it could
 * not be run. */
int helper_output(const char *name, char *const argv[], char *buf, size_t size);

/* The error name of a reply ("EntryNotFound"), or NULL. */
const char *reply_error_name(json_t *reply);
/* The sentence an error reply is reported with, on stderr and in a
 * notification: its message and name, or for VaultsLocked the profiles and
 * the command that unlocks them. */
void reply_error_sentence(json_t *reply, char *buf, size_t size);
/* An error reply said on stderr as `who`; its exit status. */
int call_error(const char *who, json_t *reply);
/* The reply as it came, on one line of standard output (--json). */
void print_json(json_t *reply);
/* The exit status of an error reply (sesame(1), EXIT STATUS); 1 for one
 * the table does not name. */
int exit_status_for_error(const char *error);
