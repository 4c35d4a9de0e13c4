/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/macro.h"

/* What a child tells its parent over the report pipe, as fixed-size records.
 * The pipe is close-on-exec by the time the program runs, so end-of-file
 * after the records means the program was executed; a record with an error
 * means it was not. */
typedef enum ChildStage {
        CHILD_STAGE_SETUP = 1, /* file descriptors, /dev/null, session */
        CHILD_STAGE_RLIMIT,    /* restoring the original resource limits */
        CHILD_STAGE_CHDIR,     /* the working directory */
        CHILD_STAGE_EXEC,      /* the program itself */
        CHILD_STAGE_SCOPE_READY, /* sesame-exec --ready: systemd-run made the scope */
        CHILD_STAGE_HELPER,    /* sesame-exec, or systemd-run, could not be executed */
} ChildStage;

typedef struct ChildReport {
        int32_t stage;
        int32_t error; /* errno, 0 for CHILD_STAGE_SCOPE_READY */
} ChildReport;

/* In the child the report pipe is always fd 3 and, for a held child, the
 * hold pipe fd 4: sesame-exec finds them there. */
#define CHILD_REPORT_FD 3
#define CHILD_HOLD_FD 4
/* Exit status of a held child whose parent went away before releasing it. */
#define CHILD_EXIT_ABANDONED 126
/* Exit status after a failure reported on the pipe. */
#define CHILD_EXIT_FAILED 127
/* The byte that releases a held child. */
#define CHILD_RELEASE_BYTE 'G'

/* Everything the child needs, prepared by the parent before it forks. The
 * child is a vfork() child: it shares the parent's memory until it execs,
 * so it writes none of it (but pid_slot), allocates nothing and makes only
 * async-signal-safe calls. */
typedef struct ChildSpec {
        const char *program; /* looked up in envp's PATH unless it has a '/' */
        char *const *argv;
        char *const *envp;
        const char *cwd;     /* NULL: keep the parent's */
        int report_fd;       /* write end of the report pipe */
        /* The program is sesame-exec (directly, or behind systemd-run): the
         * report pipe, and the hold pipe if any, stay open across exec. */
        bool helper;
        int hold_fd;         /* read end of the hold pipe, or -1 */
        /* If set, the child writes its own PID in decimal and then
         * pid_slot_suffix (NUL included) here before exec: the systemd-run
         * wrapper's argv names the scope after the PID it will have. It
         * also fills envp's placeholder (child_fill_pid()), which the
         * parent gives it a copy of. */
        char *pid_slot;
        const char *pid_slot_suffix;
        const char *journal; /* the journal identifier of the app's stderr, or NULL: the parent's */
        uint32_t output;     /* CHILD_OUTPUT_* */
} ChildSpec;

_noreturn_ void child_exec(const ChildSpec *spec);

/* The value a launch's environment gives the variable that is to hold the
 * app's own PID (SpawnRequest.pid_variable): room for any PID, and a text
 * that says what it is should it ever be seen. The last process before the
 * program (the only one that knows its PID, since exec keeps it) writes the
 * PID over it: child_fill_pid(). */
#define CHILD_PID_PLACEHOLDER "(the app's own PID)"

/* Writes getpid() over every CHILD_PID_PLACEHOLDER value in envp, in place.
 * Async-signal-safe, allocates nothing. */
void child_fill_pid(char *const envp[]);
/* The entry of envp whose value is CHILD_PID_PLACEHOLDER, or NULL. */
char *const *child_pid_entry(char *const envp[]);

/* execvp() without its two liberties: PATH comes from envp, not from our
 * own environment (the default when envp has none:
 * /usr/local/bin:/usr/bin:/bin), empty PATH entries are skipped rather than
 * meaning the working directory, and a file the kernel cannot execute is
 * an error, never handed to /bin/sh. Returns only on failure, with the
 * errno execvp would report. Async-signal-safe. */
int exec_search(const char *program, char *const argv[], char *const envp[]);

/* What a spare (sesame-exec --spare, forked ahead of any launch) is sent
 * through its hold pipe before the release byte: the launch it becomes.
 * Layout: u32 length of the rest, u32 argc, u32 envc, then NUL-terminated
 * strings: program, cwd ("" keeps the current one), argv[argc], envp[envc];
 * numbers in host order (both ends are this machine). */
typedef struct ChildLaunch {
        const char *program;
        const char *cwd;     /* encoded: NULL is ""; decoded: "" keeps the spare's own */
        const char *journal; /* the journal identifier of the app's stderr (child_journal_stream()),
                              * encoded: NULL is ""; decoded: "" keeps the stderr it has */
        char **argv; /* NULL-terminated */
        char **envp; /* NULL-terminated */
        uint32_t output; /* CHILD_OUTPUT_* */
} ChildLaunch;

/* Where the program's output goes, besides `journal`: */
#define CHILD_OUTPUT_STDERR_NULL 1u    /* stderr to /dev/null */
#define CHILD_OUTPUT_STDOUT_JOURNAL 2u /* stdout to the journal stream too */

#define CHILD_LAUNCH_MAX (1024 * 1024)

/* The size of the encoded launch, or 0 when above CHILD_LAUNCH_MAX. */
size_t child_launch_size(const ChildLaunch *l);
/* Encodes it into `buf` of child_launch_size() bytes, which the caller
 * provides (a secure buffer: it holds the environment). */
void child_launch_encode(uint8_t *buf, size_t len, const ChildLaunch *l);
/* Decodes `len` bytes (what follows the length word) in place: the strings
 * stay in `buf`, the arrays are new. -EBADMSG when malformed. */
int child_launch_decode(uint8_t *buf, size_t len, ChildLaunch *ret);

/* Makes stderr a journal stream of this process's own (journald's
 * stdout protocol), under SYSLOG_IDENTIFIER `identifier` with <N> priority
 * prefixes read: the app's lines are attributed to its PID and, so, to its
 * scope. Done by the last process before the program, which has its PID.
 * Where no journald listens, stderr stays what it was. Async-signal-safe,
 * allocates nothing; 0 or -1. */
#define CHILD_JOURNAL_SOCKET "/run/systemd/journal/stdout"
int child_journal_stream(const char *identifier, bool stdout_too);
/* The output a launch asked for, in the last process before the program:
 * the journal stream (stdout too with CHILD_OUTPUT_STDOUT_JOURNAL), or
 * stderr to /dev/null. Async-signal-safe. */
void child_setup_output(const char *journal, uint32_t output);

/* Writes one report record; for sesame-exec and the child. */
void child_report(int fd, ChildStage stage, int error);

/* Resource limits the children get, recorded before the process changes its
 * own. Idempotent: only the first call records. */
void child_save_rlimits(void);

const char *child_stage_to_string(ChildStage stage);
