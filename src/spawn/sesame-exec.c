/* SPDX-License-Identifier: MIT */
/* sesame-exec PROGRAM [ARGS...]
 *
 * The last link of the systemd-run mode: systemd-run execs this once it has
 * placed the process in its scope, and this execs the program. It exists so
 * that the launcher can tell the three outcomes apart, which systemd-run
 * alone cannot show: systemd-run failed before running anything (the report
 * pipe closes with no record), the program is running (a SCOPE_READY record,
 * then end-of-file when exec closes the pipe), or the program could not be
 * executed (SCOPE_READY, then an EXEC record with the errno).
 *
 * The report pipe is inherited on CHILD_REPORT_FD. Run by hand, without such
 * a pipe, it simply executes the program. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "child.h"

static int report_fd(void) {
        struct stat st;
        if (fstat(CHILD_REPORT_FD, &st) < 0 || !S_ISFIFO(st.st_mode))
                return -1;
        return CHILD_REPORT_FD;
}

int main(int argc, char *argv[]) {
        if (argc < 2) {
                fprintf(stderr, "usage: sesame-exec PROGRAM [ARGS...]\n");
                return CHILD_EXIT_FAILED;
        }

        int fd = report_fd();
        if (fd >= 0) {
                ChildReport ready = { .stage = CHILD_STAGE_SCOPE_READY };
                (void) !write(fd, &ready, sizeof(ready));
                /* The program must not inherit it: only fds 0-2. */
                (void) fcntl(fd, F_SETFD, FD_CLOEXEC);
        }

        execvp(argv[1], argv + 1);

        int error = errno;
        if (fd >= 0) {
                ChildReport failed = { .stage = CHILD_STAGE_EXEC, .error = error };
                (void) !write(fd, &failed, sizeof(failed));
        }
        return CHILD_EXIT_FAILED;
}
