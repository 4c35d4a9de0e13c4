/* SPDX-License-Identifier: MIT */
#pragma once

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <systemd/sd-event.h>

#include "common/macro.h"

/* Apps that die at once. Each app the launcher starts is watched for a
 * short window (EarlyExitSec=, default 1 s); one that exits within it with
 * a failure (a non-zero status, or a signal) is logged with the last lines
 * it wrote to its journal stream — "foot exited at once (status 1): failed
 * to connect to wayland" — and a client that waits for the window
 * (sesame launch --wait-start) gets that as its answer. Without a window
 * the app is never watched. */

typedef struct EarlyExits EarlyExits;

#define EARLY_EXIT_LINES 3

typedef struct EarlyExit {
        pid_t pid;
        const char *name;   /* the entry ID, or the command's program */
        bool exited;        /* within the window; false: it outlived it */
        bool failed;        /* exited with a failure */
        int status;         /* CLD_EXITED: its exit status; else -1 */
        int signal;         /* killed: the signal; else 0 */
        char **lines;       /* its last lines on stderr (at most EARLY_EXIT_LINES), oldest first; may be empty */
} EarlyExit;

/* Called once per watch: when the window passes, or when the app exits in
 * it (for a failure, once its last lines were read). */
typedef void (*early_exit_done_t)(const EarlyExit *e, void *userdata);

int early_exits_new(EarlyExits **ret, sd_event *event);
/* Watches still open are called as if their window had passed. */
EarlyExits *early_exits_free(EarlyExits *x);
DEFINE_TRIVIAL_CLEANUP_FUNC(EarlyExits *, early_exits_free);

/* `journal`: the SYSLOG_IDENTIFIER of the app's stderr, or NULL (no lines
 * to read). `done` may be NULL: logged only. */
int early_exits_watch(EarlyExits *x, pid_t pid, const char *name, const char *journal, uint64_t window_usec,
                      early_exit_done_t done, void *userdata);

/* A process the spawner reaped (its exit hook). */
void early_exits_exited(EarlyExits *x, pid_t pid, const siginfo_t *si);

/* "foot exited at once (status 1): failed to connect to wayland": a new
 * string, or NULL. */
char *early_exit_sentence(const EarlyExit *e);
