/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "macro.h"

/* What a child tells its parent over the report pipe, as fixed-size records.
 * The pipe is close-on-exec, so end-of-file after the records means the
 * program was executed; a record with an error means it was not. */
typedef enum ChildStage {
        CHILD_STAGE_SETUP = 1, /* file descriptors, /dev/null, session */
        CHILD_STAGE_RLIMIT,    /* restoring the original resource limits */
        CHILD_STAGE_CHDIR,     /* the working directory */
        CHILD_STAGE_EXEC,      /* the program itself */
        CHILD_STAGE_SCOPE_READY, /* sesame-exec: systemd-run made the scope */
} ChildStage;

typedef struct ChildReport {
        int32_t stage;
        int32_t error; /* errno, 0 for CHILD_STAGE_SCOPE_READY */
} ChildReport;

/* In the child the report pipe is always this descriptor. */
#define CHILD_REPORT_FD 3
/* Exit status of a held child whose parent went away before releasing it. */
#define CHILD_EXIT_ABANDONED 126
/* Exit status after a failure reported on the pipe. */
#define CHILD_EXIT_FAILED 127
/* The byte that releases a held child. */
#define CHILD_RELEASE_BYTE 'G'

/* Everything the child needs, prepared by the parent before fork: after fork
 * the child only makes async-signal-safe calls and allocates nothing. */
typedef struct ChildSpec {
        const char *program; /* looked up in the PATH of envp */
        char *const *argv;
        char **envp;
        const char *cwd;     /* NULL: keep the parent's */
        int hold_fd;         /* read end of the hold pipe, or -1 to run at once */
        int report_fd;       /* write end of the report pipe */
        bool report_across_exec; /* keep the report pipe open in the program (sesame-exec) */
        /* If set, the child writes its own PID in decimal and then
         * pid_slot_suffix (NUL included) here before exec: the systemd-run
         * wrapper's argv names the scope after the PID it will have. */
        char *pid_slot;
        const char *pid_slot_suffix;
} ChildSpec;

_noreturn_ void child_exec(const ChildSpec *spec);

/* Resource limits the children get, recorded before the process changes its
 * own. Idempotent: only the first call records. */
void child_save_rlimits(void);

const char *child_stage_to_string(ChildStage stage);
