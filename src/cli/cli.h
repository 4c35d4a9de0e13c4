/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* Exit statuses of the sesame command, after env(1) and the shells, so that
 * `sesame run --wait` can stand in for running the program itself. */
enum {
        EXIT_USAGE = 2,       /* bad command line */
        EXIT_VAULTS_LOCKED = 15, /* a vault is locked (sesame launch, sesame unlock) */
        EXIT_BUSY = 23,          /* the launcher refused the connection for now */
        EXIT_NOT_LAUNCHED = 125, /* sesame failed before the program ran */
        EXIT_CANNOT_EXEC = 126,  /* the program exists but cannot be executed */
        EXIT_NOT_FOUND = 127,    /* the program was not found */
};

/* run is NULL for the commands that sesame-dbus carries (see sesame.c). */
typedef struct Command {
        const char *name;
        int (*run)(int argc, char *argv[]);
        const char *summary;
} Command;

/* One request to the running launcher and its reply, parsed (cmd-launch.c):
 * 0, or the exit status to return after saying why on stderr; with
 * `absent_ok`, DAEMON_ABSENT when this client has no keys or no launcher
 * is listening, silently. */
#define DAEMON_ABSENT (-1)
typedef struct json_t json_t;
int call_daemon(const char *who, const char *request, json_t **ret, bool absent_ok);

int cmd_config(int argc, char *argv[]);
int cmd_entries(int argc, char *argv[]);
int cmd_keys(int argc, char *argv[]);
int cmd_launch(int argc, char *argv[]);
int cmd_status(int argc, char *argv[]);
int cmd_ps(int argc, char *argv[]);
/* sesame unlock through the running launcher; DAEMON_ABSENT when none runs
 * (then sesame-dbus unlocks on its own). */
int cmd_unlock_front(int argc, char *argv[]);
/* The Unlock request for these profiles: 0, or an exit status after saying
 * why (as `who`); DAEMON_ABSENT with `absent_ok` when no launcher runs. */
int unlock_through_daemon(char **profiles, bool absent_ok, const char *who);
int cmd_stop(int argc, char *argv[]);
int cmd_search(int argc, char *argv[]);
int cmd_history(int argc, char *argv[]);
int cmd_menu(int argc, char *argv[]);
/* One Search request (cmd-search.c): its reply with "results" (or with
 * `lines`, "lines"), or NULL after saying why as `who`, with the exit status
 * in *status. */
json_t *search_call(const char *who, const char *query, size_t limit, bool actions, bool lines, int *status);
/* In sesame-dbus, which links libsystemd and libcrypto: */
int cmd_run(int argc, char *argv[]);
int cmd_secret(int argc, char *argv[]);
int cmd_unlock(int argc, char *argv[]);
int cmd_notify(int argc, char *argv[]); /* sesame launch's failure path, not a command of sesame */
