/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <systemd/sd-event.h>

/* Reading what the kernel says about a process, for tests that check a
 * child from the outside rather than trusting what the code believes. */

/* The line of /proc/<pid>/<file> that starts with `key`, without the key;
 * into buf. Returns false when absent. */
bool proc_field(pid_t pid, const char *file, const char *key, char *buf, size_t size);
/* The cgroup v2 path ("0::/..."), into buf. */
bool proc_cgroup(pid_t pid, char *buf, size_t size);
/* Target of /proc/<pid>/fd/<fd>. */
bool proc_fd_target(pid_t pid, int fd, char *buf, size_t size);
/* Number of open fds of a process, -1 on error. */
int proc_fd_count(pid_t pid);
/* Value of NAME in /proc/<pid>/environ, into buf. */
bool proc_environ(pid_t pid, const char *name, char *buf, size_t size);
/* Children of `parent` in state Z, by scanning /proc. */
int proc_zombie_children(pid_t parent);
bool proc_alive(pid_t pid);
/* Waits until the process sits in (clock_)nanosleep: a `sleep` that is past
 * its own start-up, when the dynamic loader and setlocale() briefly hold
 * fds of their own. */
bool proc_wait_sleeping(pid_t pid, unsigned timeout_ms);

/* "$TMPDIR/<name>.XXXXXX" (TMPDIR, else /tmp) into buf, for mkstemp and
 * mkdtemp: the harness removes its TMPDIR whatever a test leaves. */
char *tmp_template(char *buf, size_t size, const char *name);

/* Whether all n bytes at p are zero: for checking a wipe on the very
 * bytes that held a value. */
bool memory_is_zero(const void *p, size_t n);

/* Runs the loop until *flag turns true or `timeout_ms` passes; returns
 * whether it did. Waiting on the condition, never a fixed sleep. */
bool run_until(sd_event *e, const bool *flag, unsigned timeout_ms);
/* Polls `cond` every ms for up to timeout_ms, for conditions outside the
 * loop (another process's state). */
bool wait_for(bool (*cond)(void *), void *userdata, unsigned timeout_ms);
