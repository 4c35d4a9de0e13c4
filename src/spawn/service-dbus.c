/* SPDX-License-Identifier: MIT */
/* A transient service: the user manager starts `sesame-exec --service`
 * with one end of a socket pair as its standard input; the launch itself
 * (program, argv, environment, directory) goes over that socket, never
 * into the unit, whose settings the manager writes to a file under
 * $XDG_RUNTIME_DIR/systemd/transient/. The socket has no address: only
 * the process the manager gives it to (and the manager) holds it. The
 * process first says hello; the kernel stamps that with its PID
 * (SO_PASSCRED), which must be in the unit's own cgroup; only then is the
 * launch written, with the write end of a report pipe (SCM_RIGHTS) that
 * tells, as for every launch, whether the program was executed. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "common/fileio.h"
#include "common/log.h"
#include "common/secure.h"
#include "common/utf8.h"
#include "spawn/spawn-internal.h"
#include "spawn/systemd-bus.h"

/* Attempts at a free unit name before giving up on the service. */
#define UNIT_EXISTS_RETRIES 16

static int on_start_reply(sd_bus_message *m, void *userdata, sd_bus_error *ret_error);
static int on_channel(sd_event_source *source, int fd, uint32_t revents, void *userdata);

/* A service's name has no PID (it has none yet): a random number. */
static uint32_t unit_number(void) {
        uint32_t n = 0;
        if (getrandom(&n, sizeof(n), GRND_NONBLOCK) != (ssize_t) sizeof(n))
                n = (uint32_t) getpid() ^ (uint32_t) time(NULL);
        return n;
}

/* A fresh socket pair per call: the manager closes its copy of a call it
 * refuses. Ours is read on the loop, with the sender's credentials. */
static int launch_request_service(Launch *l) {
        int r = unit_name_for_service(l->spawner->unit_names, l->entry_id, unit_number(), l->unit);
        if (r < 0)
                return r;
        launch_close_channel(l);
        launch_forget_job(l);

        int pair[2];
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) < 0)
                return negative_errno();
        l->channel_fd = pair[0];
        const char *helper = spawner_exec_helper(l->spawner);
        char *argv[] = { (char *) helper, (char *) "--service", NULL };
        ServiceOutput output = { .identifier = l->journal, .stdout_journal = l->output & CHILD_OUTPUT_STDOUT_JOURNAL,
                                 .null = l->output & CHILD_OUTPUT_STDERR_NULL, .stderr_fd = STDERR_FILENO };
        static const int on = 1;
        if (!helper)
                r = -ENOMEM;
        else if (fcntl(pair[0], F_SETFL, O_NONBLOCK) < 0 ||
                 setsockopt(pair[0], SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)) < 0)
                r = negative_errno();
        else if (sd_bus_can_send(l->spawner->bus, SD_BUS_TYPE_UNIX_FD) <= 0)
                r = -EOPNOTSUPP; /* a connection that passes no descriptor: no service over it */
        else
                r = sd_event_add_io(l->spawner->event, &l->channel_source, pair[0], EPOLLIN, on_channel, l);
        if (r >= 0)
                r = systemd_start_service_async(l->spawner->bus, &l->call_slot, l->unit, argv, pair[1], &output,
                                                l->description, l->slice, l->source_path, l->properties,
                                                l->n_properties, l->spawner->scope_timeout_usec, on_start_reply, l);
        /* The message has its own copy. */
        safe_close(pair[1]);
        return r;
}

static void launch_service_failed(Launch *l, const char *why) {
        char message[256];
        utf8_snprintf(message, sizeof(message), "no service (%s)", why);
        launch_restart_direct(l, message);
}

void service_job_done(Launch *l, const char *result) {
        if (strcmp(result, "done") == 0)
                /* Its process runs: its hello is to come, if it has not yet. */
                return;
        char why[128];
        snprintf(why, sizeof(why), "service job %s", result);
        launch_service_failed(l, why);
}

static void launch_call_refused(Launch *l, const sd_bus_error *error) {
        const char *why = error->message ? error->message : error->name;
        l->call_slot = sd_bus_slot_unref(l->call_slot);
        if (sd_bus_error_has_name(error, SYSTEMD_ERROR_UNIT_EXISTS) && ++l->attempt < UNIT_EXISTS_RETRIES) {
                if (launch_request_service(l) >= 0)
                        return;
        } else if (l->n_properties > 0) {
                if (!launch_drop_properties(l, why))
                        return;
                if (launch_request_service(l) >= 0)
                        return;
        }
        launch_service_failed(l, why);
}

static int on_start_reply(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        Launch *l = userdata;
        const sd_bus_error *error = sd_bus_message_get_error(m);
        if (error) {
                launch_call_refused(l, error);
                return 0;
        }
        l->call_slot = sd_bus_slot_unref(l->call_slot);
        const char *job;
        if (sd_bus_message_read(m, "o", &job) < 0 || !(l->job = strdup(job))) {
                launch_service_failed(l, "unreadable reply from systemd");
                return 0;
        }
        if (l->state == LAUNCH_STARTING && l->early_job && strcmp(l->early_job, l->job) == 0)
                service_job_done(l, l->early_result);
        return 0;
}

/* Whether the process is in the unit's own cgroup ("0::/.../UNIT"). */
static bool process_in_unit(pid_t pid, const char *unit) {
        char cgroup[4096];
        return process_cgroup(pid, cgroup, sizeof(cgroup)) && cgroup_is_unit(cgroup, unit);
}

/* The hello: one byte, with the sender's credentials. 1 and its PID, 0
 * while nothing came, or negative: the end, or a process that is not the
 * unit's. */
static int read_hello(Launch *l, pid_t *ret_pid) {
        char byte;
        union {
                struct cmsghdr align;
                char buf[CMSG_SPACE(sizeof(struct ucred))];
        } control = {};
        struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
        struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = &control,
                              .msg_controllen = sizeof(control) };
        ssize_t n = recvmsg(l->channel_fd, &msg, MSG_CMSG_CLOEXEC);
        if (n < 0)
                return errno == EAGAIN || errno == EINTR ? 0 : negative_errno();
        if (n == 0)
                return -ECONNRESET;
        struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
        if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_CREDENTIALS)
                return -EPROTO;
        struct ucred cred;
        memcpy(&cred, CMSG_DATA(c), sizeof(cred));
        if (cred.uid != getuid() || cred.pid <= 0 || !process_in_unit(cred.pid, l->unit))
                return -EPERM;
        *ret_pid = cred.pid;
        return 1;
}

/* Writes what is left of the launch; done when all of it is. */
static int write_handover(Launch *l, int report_fd) {
        while (l->handover_sent < l->handover_size) {
                struct iovec iov = { .iov_base = l->handover + l->handover_sent,
                                     .iov_len = l->handover_size - l->handover_sent };
                union {
                        struct cmsghdr align;
                        char buf[CMSG_SPACE(sizeof(int))];
                } control = {};
                struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
                if (report_fd >= 0) {
                        /* With the first bytes: the report pipe's write end. */
                        msg.msg_control = &control;
                        msg.msg_controllen = sizeof(control);
                        struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
                        c->cmsg_level = SOL_SOCKET;
                        c->cmsg_type = SCM_RIGHTS;
                        c->cmsg_len = CMSG_LEN(sizeof(int));
                        memcpy(CMSG_DATA(c), &report_fd, sizeof(int));
                }
                ssize_t n = sendmsg(l->channel_fd, &msg, MSG_NOSIGNAL);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return errno == EAGAIN ? 0 : negative_errno();
                report_fd = -1;
                l->handover_sent += (size_t) n;
        }
        /* It has the launch: ours goes. */
        launch_close_channel(l);
        env_map_wipe(l->env);
        l->state = LAUNCH_IN_SERVICE;
        return 1;
}

/* The launch for the process that said hello, and its report pipe. */
static int start_handover(Launch *l) {
        char **envp = env_map_envp(l->env);
        ChildLaunch cl = { .program = l->program, .cwd = l->cwd, .argv = l->argv, .envp = envp };
        size_t size = envp ? child_launch_size(&cl) : 0;
        if (size == 0)
                return -E2BIG;
        if (!(l->handover = secure_alloc(size)))
                return -ENOMEM;
        l->handover_size = size;
        child_launch_encode(l->handover, size, &cl);

        int report[2];
        if (pipe2(report, O_CLOEXEC | O_NONBLOCK) < 0)
                return negative_errno();
        l->report_fd = report[0];
        int r = launch_watch_report(l, NULL);
        if (r >= 0)
                r = write_handover(l, report[1]);
        /* Its copy is in the socket's queue, or the launch failed. */
        safe_close(report[1]);
        return r;
}

static int on_channel(sd_event_source *source, int fd, uint32_t revents, void *userdata) {
        Launch *l = userdata;
        char message[256];
        int r;
        if (l->state == LAUNCH_HANDING_OVER) {
                if ((r = write_handover(l, -1)) >= 0)
                        return 0;
        } else {
                pid_t pid = 0;
                if ((r = read_hello(l, &pid)) == 0)
                        return 0;
                if (r == -ECONNRESET) {
                        /* Its process ended before saying anything: the job's
                         * result, or the limit, says what to do. */
                        l->channel_source = sd_event_source_disable_unref(l->channel_source);
                        return 0;
                }
                if (r == -EPERM) {
                        log_warning("%s: a process outside %s spoke on its channel; ignored", l->entry_id, l->unit);
                        return 0;
                }
                if (r > 0 && (r = child_watch_service(l, pid)) >= 0) {
                        l->pid = pid;
                        l->state = LAUNCH_HANDING_OVER;
                        l->call_slot = sd_bus_slot_unref(l->call_slot);
                        launch_arm_exec_timer(l);
                        if ((r = start_handover(l)) >= 0) {
                                if (l->state == LAUNCH_HANDING_OVER)
                                        (void) sd_event_source_set_io_events(source, EPOLLOUT);
                                return 0;
                        }
                }
        }
        /* The service runs sesame-exec, which ends on the channel's end. */
        utf8_snprintf(message, sizeof(message), "'%s' not started: cannot hand the launch to %s: %s", l->program,
                      l->unit, strerror(-r));
        if (l->pid > 0)
                (void) kill(l->pid, SIGKILL);
        launch_finish(l, r, message);
        return 0;
}

/* The connection is up: the call for the service now. */
static int on_bus_ready(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        Launch *l = userdata;
        l->call_slot = sd_bus_slot_unref(l->call_slot);
        int r = sd_bus_message_is_method_error(m, NULL) ? -sd_bus_message_get_errno(m) : launch_request_service(l);
        if (r < 0) {
                char why[128];
                snprintf(why, sizeof(why), "cannot call systemd: %s", strerror(-r));
                launch_service_failed(l, why);
        }
        return 0;
}

int launch_start_service(Launch *l, Error *e) {
        l->state = LAUNCH_STARTING;
        sd_bus *bus = l->spawner->bus;
        int r;
        /* Whether the connection passes file descriptors is known once it
         * has authenticated, and sd-bus would wait for that (the whole loop
         * with it) when a message carries one: a connection still coming
         * up first answers a ping, queued behind its authentication. */
        if (sd_bus_is_ready(bus) <= 0)
                r = sd_bus_call_method_async(bus, &l->call_slot, "org.freedesktop.systemd1",
                                             "/org/freedesktop/systemd1", "org.freedesktop.DBus.Peer", "Ping",
                                             on_bus_ready, l, NULL);
        else
                r = launch_request_service(l);
        if (r >= 0)
                return 0;
        log_warning("%s: no service (cannot call systemd: %s); starting it directly", l->entry_id, strerror(-r));
        launch_close_channel(l);
        l->call_slot = sd_bus_slot_unref(l->call_slot);
        return launch_start_direct(l, e);
}
