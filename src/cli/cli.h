/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "cli/call.h"

/* Exit statuses of the sesame command, after env(1) and the shells, so that
 * `sesame run --wait` can stand in for running the program itself. */
enum {
        EXIT_USAGE = 2,          /* bad command line */
        EXIT_NO_MATCH = 3,       /* nothing matched (search, menu's typed text, stop) */
        EXIT_AMBIGUOUS = 4,      /* stop: several match */
        EXIT_NO_PICKER = 4,      /* menu: no picker, or it cannot be run */
        EXIT_VAULTS_LOCKED = 15, /* a vault is locked (sesame launch, sesame unlock) */
        EXIT_BUSY = 23,          /* the launcher refused the connection for now */
        EXIT_NO_ANSWER = 24,     /* the launcher ended after the request, before its answer */
        EXIT_NOT_INSTALLED = 26, /* no launcher listens, and its units are not installed */
        EXIT_NOT_STARTED = 27,   /* no launcher listens: its socket is not started (or no manager) */
        EXIT_SERVICE_FAILED = 28, /* its service or socket failed, or it cannot serve */
        EXIT_KEY_MISMATCH = 29,  /* the launcher cannot read this client's handshake */
        EXIT_NO_KEY = 30,        /* this client has no key, or knows no key of the launcher */
        EXIT_NO_HANDLER = 32,    /* open: no application opens a target's type */
        EXIT_NO_TARGET = 33,     /* open: a file that is not there */
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

typedef enum NotifyWhen {
        NOTIFY_AUTO,   /* when stderr is not a terminal: a key binding, a picker */
        NOTIFY_ALWAYS,
        NOTIFY_NEVER,
} NotifyWhen;

/* How sesame launch reports (and sesame menu, which launches as it does). */
typedef struct LaunchOptions {
        bool json;
        NotifyWhen notify;
        int unlock; /* -1: as UnlockOnLaunch= says */
        bool raise; /* --raise: a window of the entry focused instead of a launch */
        const char *who; /* the command said to fail ("sesame open"); NULL: "sesame launch" */
        bool more;  /* more launches follow: a notification is shown by a child, not in our stead */
} LaunchOptions;
#define LAUNCH_OPTIONS_DEFAULT ((LaunchOptions){ .notify = NOTIFY_AUTO, .unlock = -1 })

/* One Launch request as sesame launch makes it (cmd-launch.c): sent (once
 * more after unlocking locked vaults), its reply reported; the exit
 * status. */
typedef struct Request Request;
int launch_run(const LaunchOptions *o, const Request *req);
/* Says `sentence` as a desktop notification when `o` asks for one (for
 * the request's entry, or its command); returns `status`. */
int launch_notify(const LaunchOptions *o, const Request *req, int status, const char *sentence);
/* "label:       a b c" (the label padded to `width`), or "(none)" for an
 * empty list: never a bare label. A line of a plan (launch and open --dry-run). */
void print_words(const char *label, int width, json_t *words);
/* --notify auto|always|never into *ret: 0, or -EINVAL after saying so as `who`. */
int launch_parse_notify(const char *who, const char *value, NotifyWhen *ret);
/* The activation token a launch passes on: ours, or NULL. */
const char *launch_activation_token(void);

int cmd_config(int argc, char *argv[]);
int cmd_entries(int argc, char *argv[]);
int cmd_keys(int argc, char *argv[]);
int cmd_launch(int argc, char *argv[]);
int cmd_open(int argc, char *argv[]);
/* sesame open --set-default (or, `set` false, --unset-default) TYPE...:
 * sesame's handler first in each type's defaults of the user's
 * mimeapps.list, the ones before kept after it (cmd-open-default.c). */
int open_set_default(char **types, bool set);
int cmd_status(int argc, char *argv[]); /* cmd-status.c */
int cmd_ps(int argc, char *argv[]);
/* sesame unlock through the running launcher; DAEMON_ABSENT when none runs
 * (then sesame-dbus unlocks on its own). */
int cmd_unlock_front(int argc, char *argv[]);
/* The Unlock request for these profiles: 0, or an exit status after saying
 * why (as `who`); DAEMON_ABSENT with `absent_ok` when no launcher runs. */
int unlock_through_daemon(char **profiles, bool absent_ok, const char *who);
int cmd_stop(int argc, char *argv[]);
int cmd_restart(int argc, char *argv[]);
int cmd_windows(int argc, char *argv[]);
int cmd_focus(int argc, char *argv[]);
int cmd_search(int argc, char *argv[]);
int cmd_history(int argc, char *argv[]);
int cmd_menu(int argc, char *argv[]);
/* One Search request (cmd-search.c): its reply with "results" (or with
 * `lines`, "lines"), or NULL after saying why as `who`, with the exit status
 * in *status. */
json_t *search_call(const char *who, const char *query, size_t limit, bool actions, bool lines, bool icons,
                    int *status);
/* In sesame-dbus, which links libsystemd and libgcrypt: */
int cmd_run(int argc, char *argv[]);
int cmd_secret(int argc, char *argv[]);
int cmd_unlock(int argc, char *argv[]);
int cmd_notify(int argc, char *argv[]); /* sesame launch's failure path, not a command of sesame */
int cmd_doctor(int argc, char *argv[]);
int cmd_logs(int argc, char *argv[]);
