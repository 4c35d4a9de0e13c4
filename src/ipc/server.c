/* SPDX-License-Identifier: MIT */
#include <fcntl.h>
#include <inttypes.h>
#include <stddef.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/event-util.h"
#include "common/list.h"
#include "common/log.h"
#include "common/path.h"
#include "common/wipe.h"
#include "ipc/frame.h"
#include "ipc/keys.h"
#include "ipc/server-internal.h"
#include "ipc/transport.h"

#define DEFAULT_HANDSHAKE_TIMEOUT_USEC (5 * 1000000ULL)
#define DEFAULT_IDLE_TIMEOUT_USEC (60 * 1000000ULL)
#define DEFAULT_MAX_HANDSHAKES 128
#define DEFAULT_MAX_CONNECTIONS 512
/* When an accept fails for want of file descriptors, accepting pauses
 * until a connection closes, or this long at the latest. */
#define ACCEPT_RETRY_USEC (1000 * 1000ULL)
#define EVICTED_SAY_USEC (60 * 1000 * 1000ULL)

static void connection_update_events(IpcConnection *c);
static void server_update_accepting(IpcServer *s);

/* Output left the queues: when that brings the total under its cap, the
 * connections that waited for room may read again. */
static void server_output_freed(IpcServer *s, size_t before) {
        if (before >= IPC_OUTPUT_TOTAL_MAX && s->out_total < IPC_OUTPUT_TOTAL_MAX)
                for (IpcConnection *i = s->connections; i; i = i->connections_next)
                        connection_update_events(i);
}

/* What this connection's request of several chunks holds now, in the
 * server's input total; when that falls under its cap, the connections
 * that waited for room may read again. */
static void connection_count_input(IpcConnection *c) {
        IpcServer *s = c->server;
        size_t now = message_assembler_partial(&c->assembler) ? c->assembler.filled : 0;
        size_t before = s->in_total;
        s->in_total = s->in_total - c->in_counted + now;
        c->in_counted = now;
        if (before >= IPC_INPUT_TOTAL_MAX && s->in_total < IPC_INPUT_TOTAL_MAX)
                for (IpcConnection *i = s->connections; i; i = i->connections_next)
                        connection_update_events(i);
}

/* ---- connection lifetime */

static void connection_close(IpcConnection *c) {
        if (c->state == CONN_CLOSED)
                return;
        IpcServer *s = c->server;
        bool handshake = c->state == CONN_HANDSHAKE;
        c->state = CONN_CLOSED;
        c->io = sd_event_source_disable_unref(c->io);
        c->timer = sd_event_source_disable_unref(c->timer);
        c->fd = safe_close(c->fd);
        c->hs = noise_handshake_free(c->hs);
        noise_cipher_wipe(&c->send);
        noise_cipher_wipe(&c->receive);
        frame_reader_reset(&c->reader);
        message_assembler_reset(&c->assembler);
        if (c->out)
                wipe(c->out, c->out_len);
        free(c->out);
        c->out = NULL;
        if (s) {
                connection_count_input(c);
                size_t before = s->out_total;
                s->out_total -= c->out_len - c->out_sent;
                if (handshake)
                        s->n_handshakes--;
                LIST_REMOVE(connections, s->connections, c);
                s->n_connections--;
                c->server = NULL;
                /* A file descriptor is free again: accepting, if it waited
                 * for one, is worth another try; and so may be a slot and
                 * output room. */
                s->accept_retry = sd_event_source_disable_unref(s->accept_retry);
                server_update_accepting(s);
                server_output_freed(s, before);
        }
        c->out_len = c->out_sent = 0;
        ipc_connection_unref(c); /* the server's reference */
}

IpcConnection *ipc_connection_ref(IpcConnection *c) {
        if (c)
                c->n_ref++;
        return c;
}

IpcConnection *ipc_connection_unref(IpcConnection *c) {
        if (!c || --c->n_ref > 0)
                return NULL;
        free(c->client_name);
        free(c);
        return NULL;
}

bool ipc_connection_is_open(const IpcConnection *c) {
        return c && (c->state == CONN_HANDSHAKE || c->state == CONN_READY);
}

const IpcPeer *ipc_connection_peer(const IpcConnection *c) {
        return c && c->state != CONN_HANDSHAKE ? &c->peer : NULL;
}

/* ---- timers */

static int on_timer(sd_event_source *s, uint64_t usec, void *userdata);

static void connection_arm_timer(IpcConnection *c, uint64_t usec) {
        (void) event_reset_time_relative(c->server->event, &c->timer, usec, 0, on_timer, c);
}

/* ---- output */

static int queue(IpcConnection *c, const uint8_t *frames, size_t len) {
        uint8_t *b = realloc(c->out, c->out_len + len);
        if (!b)
                return -ENOMEM;
        memcpy(b + c->out_len, frames, len);
        c->out = b;
        c->out_len += len;
        c->server->out_total += len;
        return 0;
}

static void flush(IpcConnection *c) {
        IpcServer *s = c->server;
        size_t before = s->out_total;
        while (c->out_sent < c->out_len) {
                ssize_t n = send(c->fd, c->out + c->out_sent, c->out_len - c->out_sent, MSG_NOSIGNAL | MSG_DONTWAIT);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0 && errno == EAGAIN)
                        break;
                if (n < 0) {
                        connection_close(c);
                        return;
                }
                c->out_sent += (size_t) n;
                s->out_total -= (size_t) n;
        }
        if (c->out_sent == c->out_len) {
                free(c->out);
                c->out = NULL;
                c->out_len = c->out_sent = 0;
                if (c->state == CONN_CLOSING)
                        /* The refusal is delivered. */
                        return connection_close(c);
                if (c->state == CONN_READY && !c->busy)
                        connection_arm_timer(c, s->idle_timeout_usec);
        }
        connection_update_events(c);
        server_output_freed(s, before);
}

int ipc_connection_reply(IpcConnection *c, const char *json) {
        assert_return(c && json, -EINVAL);
        if (c->state != CONN_READY)
                return -ENOTCONN;
        uint8_t *frames = NULL;
        size_t len = 0;
        int r = frame_encode_message(&c->send, (const uint8_t *) json, strlen(json), &frames, &len);
        if (r >= 0)
                r = queue(c, frames, len);
        if (frames)
                wipe(frames, len);
        free(frames);
        /* Too large for a message: the request still awaits an answer,
         * which the caller gives in another reply. */
        if (r == -EMSGSIZE)
                return r;
        if (r < 0) {
                connection_close(c);
                return r;
        }
        c->busy = false;
        flush(c);
        return 0;
}

/* ---- input */

static void reject(IpcConnection *c, const char *why) {
        log_debug("client pid %d: %s; connection closed", (int) c->peer.pid, why);
        connection_close(c);
}

static void handshake_done(IpcConnection *c, ConnectionState next) {
        c->state = next;
        c->server->n_handshakes--;
        server_update_accepting(c->server);
}

/* One frame of the handshake queued. */
static int queue_frame(IpcConnection *c, const uint8_t *msg, size_t n) {
        uint8_t *frame = NULL;
        size_t len = 0;
        int r = frame_encode(msg, n, &frame, &len);
        if (r >= 0)
                r = queue(c, frame, len);
        free(frame);
        return r;
}

/* The handshake's second message carries an error object instead of an
 * empty payload when the client may not in, so it learns why. */
static void handshake_finish(IpcConnection *c, const char *refusal) {
        uint8_t msg[NOISE_MAX_MESSAGE];
        ssize_t n = noise_handshake_write(c->hs, (const uint8_t *) (refusal ? refusal : ""),
                                          refusal ? strlen(refusal) : 0, msg);
        if (n < 0 || queue_frame(c, msg, (size_t) n) < 0)
                return reject(c, "cannot answer the handshake");
        if (refusal) {
                handshake_done(c, CONN_CLOSING);
                return flush(c);
        }
        if (noise_handshake_split(c->hs, &c->send, &c->receive) < 0)
                return reject(c, "cannot split");
        c->hs = noise_handshake_free(c->hs);
        handshake_done(c, CONN_READY);
        flush(c);
}

/* A first message we cannot read (encrypted to another key, other
 * credentials in the prologue, or forged): a frame that is no answer, then
 * the end, so that the client tells this from a launcher that stopped (an
 * end and no frame) and names the right cause. */
static void handshake_unreadable(IpcConnection *c) {
        static const char what[] = "unreadable handshake";
        if (queue_frame(c, (const uint8_t *) what, sizeof(what) - 1) < 0)
                return reject(c, "handshake failed (wrong prologue, key or a forged message)");
        log_debug("client pid %d: handshake failed (wrong prologue, key or a forged message)", (int) c->peer.pid);
        handshake_done(c, CONN_CLOSING);
        flush(c);
}

static void on_handshake_message(IpcConnection *c, const uint8_t *frame, size_t len) {
        uint8_t payload[NOISE_MAX_MESSAGE];
        ssize_t n = noise_handshake_read(c->hs, frame, len, payload);
        wipe(payload, n > 0 ? (size_t) n : 0);
        if (n < 0)
                return handshake_unreadable(c);

        /* Past the hard limit of established connections: a refusal the
         * client can name and retry on, never taken for a wrong key. */
        IpcServer *s = c->server;
        if (s->n_connections - s->n_handshakes >= s->max_connections) {
                log_warning("client pid %d refused: %u connections are open", (int) c->peer.pid, s->max_connections);
                return handshake_finish(c, "{\"error\":\"Busy\",\"reason\":\"the launcher has too many connections "
                                           "open; try again\"}");
        }

        const uint8_t *key = noise_handshake_remote_static(c->hs);
        memcpy(c->peer.public_key, key, NOISE_DHLEN);

        /* Read at every connection: authorize and revoke need no restart. */
        Error e = {};
        _cleanup_(registry_freep) Registry *registry = NULL;
        if (registry_load(s->registry_path, &registry, &e) < 0) {
                log_error("%s; refusing clients until it is fixed", error_message(&e));
                return handshake_finish(c, "{\"error\":\"Unauthorized\",\"reason\":\"the client registry is broken\"}");
        }
        const RegistryClient *client = registry_find_key(registry, key);
        if (client) {
                c->client_name = strdup(client->name);
                c->peer.clearance = client->clearance;
        } else if (s->allow_ephemeral) {
                c->client_name = strdup("ephemeral");
                c->peer.clearance = CLEARANCE_LAUNCH;
        } else {
                char hex[2 * NOISE_DHLEN + 1];
                key_to_hex(key, hex);
                log_notice("client pid %d with unknown key %s refused", (int) c->peer.pid, hex);
                return handshake_finish(c, "{\"error\":\"Unauthorized\",\"reason\":\"unknown client key; run: sesame "
                                           "keys authorize NAME PUBKEY\"}");
        }
        if (!c->client_name)
                return reject(c, "out of memory");
        c->peer.client_name = c->client_name;
        handshake_finish(c, NULL);
}

static void on_message(IpcConnection *c, uint8_t *msg, size_t len) {
        _cleanup_(request_freep) Request *req = NULL;
        _cleanup_free_ char *why = NULL;
        int r = request_parse((const char *) msg, len, &req, &why);
        wipe(msg, len);
        if (r == -ENOMEM)
                return reject(c, "out of memory");
        c->busy = true;
        (void) sd_event_source_set_enabled(c->timer, SD_EVENT_OFF);
        if (r < 0) {
                _cleanup_free_ char *reply = reply_invalid_request(why);
                if (!reply)
                        return reject(c, "out of memory");
                ipc_connection_reply(c, reply);
                return;
        }
        /* The handler may close or reply asynchronously: keep c alive. */
        ipc_connection_ref(c);
        c->server->handler(c, req, c->server->userdata);
        ipc_connection_unref(c);
}

/* A request announced over REQUEST_MAX: answered at once, before any of
 * it is read; its chunks are then read and dropped (the Noise session
 * needs each decrypted), and the connection serves on. */
static void on_oversized(IpcConnection *c) {
        char why[128];
        snprintf(why, sizeof(why), "the request is %u bytes; requests are at most %d", c->assembler.total,
                 REQUEST_MAX);
        log_notice("client pid %d: %s; refused unread", (int) c->peer.pid, why);
        _cleanup_free_ char *reply = reply_invalid_request(why);
        if (!reply)
                return reject(c, "out of memory");
        c->busy = true;
        (void) sd_event_source_set_enabled(c->timer, SD_EVENT_OFF);
        ipc_connection_reply(c, reply);
}

static void on_frame(IpcConnection *c, const uint8_t *frame, size_t len) {
        if (c->state == CONN_HANDSHAKE)
                return on_handshake_message(c, frame, len);

        uint8_t plain[FRAME_MAX];
        ssize_t n = noise_cipher_decrypt(&c->receive, NULL, 0, frame, len, plain);
        if (n < 0)
                return reject(c, "bad transport message");
        int r = message_assembler_add(&c->assembler, plain, (size_t) n);
        wipe(plain, (size_t) n);
        connection_count_input(c);
        if (r == -EMSGSIZE)
                return on_oversized(c);
        if (r < 0)
                return reject(c, "message breaks the framing rules");
        if (r == 0)
                return;
        size_t mlen;
        uint8_t *msg = message_assembler_take(&c->assembler, &mlen);
        connection_count_input(c);
        on_message(c, msg, mlen);
        free(msg);
}

/* Whether this connection may read its next request now: one request at a
 * time, and only when there is room for its reply (this connection's
 * output is flushed, and all connections together hold less than
 * IPC_OUTPUT_TOTAL_MAX). A client that sends without reading its replies
 * is thus held by the kernel's socket buffers, not by our memory. */
static bool connection_may_read(const IpcConnection *c) {
        switch (c->state) {
        case CONN_HANDSHAKE:
                return true;
        case CONN_READY:
                /* A request of several chunks under way waits while all of
                 * them together hold their cap. */
                return !c->busy && c->out_len == 0 && c->server->out_total < IPC_OUTPUT_TOTAL_MAX &&
                       !(message_assembler_partial(&c->assembler) && c->server->in_total >= IPC_INPUT_TOTAL_MAX);
        default:
                return false;
        }
}

/* Reads frames while the connection may read, each frame exactly (so
 * nothing beyond the current request leaves the socket buffer), a few at
 * a time: a client whose replies all leave at once is served again on the
 * next round of the loop, after the others. */
#define FRAMES_PER_ROUND 16

static void connection_read(IpcConnection *c) {
        for (unsigned frames = 0; frames < FRAMES_PER_ROUND && connection_may_read(c); frames++) {
                uint8_t buf[16384];
                size_t want = c->reader.header_got < 4 ? 4 - c->reader.header_got : c->reader.length - c->reader.got;
                ssize_t n = recv(c->fd, buf, want < sizeof(buf) ? want : sizeof(buf), MSG_DONTWAIT);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0 && errno == EAGAIN)
                        return;
                if (n < 0)
                        return connection_close(c);
                if (n == 0)
                        /* Shut down or gone. Nothing is pending: a
                         * connection reads only once its last request is
                         * answered and the answer has left, so a client that
                         * shuts down its side after a request still gets
                         * the reply. */
                        return connection_close(c);
                if (!c->heard && c->server->accepted)
                        /* A client has begun its handshake (one that sends
                         * nothing never gets this far). */
                        c->server->accepted(c->server->userdata);
                c->heard = true;
                bool done;
                ssize_t used = frame_reader_feed(&c->reader, buf, (size_t) n, &done);
                wipe(buf, (size_t) n);
                if (used < 0)
                        return reject(c, "bad frame length");
                if (done) {
                        size_t len;
                        const uint8_t *frame = frame_reader_frame(&c->reader, &len);
                        on_frame(c, frame, len);
                }
        }
}

static int on_io(sd_event_source *s, int fd, uint32_t revents, void *userdata) {
        (void) s;
        (void) fd;
        IpcConnection *c = userdata;
        ipc_connection_ref(c);

        if (revents & EPOLLOUT)
                flush(c);
        if (c->state != CONN_CLOSED) {
                if (connection_may_read(c))
                        connection_read(c);
                else if (revents & (EPOLLHUP | EPOLLERR))
                        /* Gone altogether while its reply is awaited: it
                         * cannot be delivered (the launch itself goes on). */
                        connection_close(c);
        }
        ipc_connection_unref(c);
        return 0;
}

static void connection_update_events(IpcConnection *c) {
        if (!c->io)
                return;
        uint32_t events = (connection_may_read(c) ? EPOLLIN : 0) | (c->out_len > c->out_sent ? EPOLLOUT : 0);
        (void) sd_event_source_set_io_events(c->io, events);
}

static int on_timer(sd_event_source *s, uint64_t usec, void *userdata) {
        (void) s;
        (void) usec;
        IpcConnection *c = userdata;
        if (c->state == CONN_HANDSHAKE)
                reject(c, "handshake not finished in time");
        else if (c->state == CONN_READY && !c->busy && c->out_len == 0)
                reject(c, "idle for too long");
        return 0;
}

/* ---- accepting */

static int connection_new(IpcServer *s, int fd, pid_t pid, uid_t uid) {
        IpcConnection *c = malloc(sizeof(*c));
        if (!c) {
                close(fd);
                return -ENOMEM;
        }
        memset(c, 0, offsetof(IpcConnection, reader) + offsetof(FrameReader, body));
        c->n_ref = 1;
        c->server = s;
        c->fd = fd;
        c->peer = (IpcPeer){ .pid = pid, .uid = uid };
        c->assembler.limit = REQUEST_MAX;
        (void) sd_event_now(s->event, CLOCK_MONOTONIC, &c->peer.connected_usec);
        LIST_PREPEND(connections, s->connections, c);
        s->n_connections++;
        s->n_handshakes++;

        uint8_t prologue[IPC_PROLOGUE_LEN];
        ipc_prologue(s->listen_pid, s->listen_uid, pid, uid, prologue);
        int r = noise_handshake_new(&c->hs, IPC_PROTOCOL, false);
        if (r >= 0)
                r = noise_handshake_set_prologue(c->hs, prologue, sizeof(prologue));
        if (r >= 0)
                r = noise_handshake_set_static(c->hs, &s->key);
        if (r >= 0)
                r = noise_handshake_start(c->hs);
        if (r >= 0)
                r = sd_event_add_io(s->event, &c->io, fd, EPOLLIN, on_io, c);
        if (r >= 0)
                r = sd_event_add_time_relative(s->event, &c->timer, CLOCK_MONOTONIC, s->handshake_timeout_usec, 0,
                                               on_timer, c);
        if (r < 0) {
                connection_close(c);
                return r;
        }
        return 0;
}

static int on_accept_retry(sd_event_source *source, uint64_t usec, void *userdata) {
        IpcServer *s = userdata;
        s->accept_retry = sd_event_source_disable_unref(s->accept_retry);
        server_update_accepting(s);
        return 0;
}

/* Out of file descriptors: accepting again at once would fail again at
 * once, forever (the listening socket stays readable). So accepting
 * pauses until a connection closes, or ACCEPT_RETRY_USEC passes (other
 * descriptors, such as those of apps that exit, come back unseen). */
static void pause_accepting(IpcServer *s, int error) {
        if (!s->out_of_fds)
                log_warning("cannot accept connections: %s; waiting until a file descriptor is free",
                            strerror(error));
        s->out_of_fds = true;
        (void) sd_event_source_set_enabled(s->accept_source, SD_EVENT_OFF);
        if (!s->accept_retry)
                (void) sd_event_add_time_relative(s->event, &s->accept_retry, CLOCK_MONOTONIC, ACCEPT_RETRY_USEC,
                                                  ACCEPT_RETRY_USEC / 10, on_accept_retry, s);
}

/* max_handshakes are in progress and another client connects: one goes
 * (handshake_victim()), said once a minute at most, with how many went: a
 * flood would otherwise flood the journal. */
static void evict_handshake(IpcServer *s) {
        bool silent;
        IpcConnection *victim = handshake_victim(s, &silent);
        if (!victim)
                return;
        s->evicted++;
        uint64_t now = 0;
        (void) sd_event_now(s->event, CLOCK_MONOTONIC, &now);
        if (now >= s->evicted_said_usec + EVICTED_SAY_USEC) {
                log_notice("%" PRIu64 " handshakes evicted (the latest of pid %d, %s): %u were in progress, "
                           "as a client without a key can keep them",
                           s->evicted, (int) victim->peer.pid, silent ? "which had sent nothing" : "slow",
                           s->max_handshakes);
                s->evicted = 0;
                s->evicted_said_usec = now;
        }
        connection_close(victim);
}

/* One connection off the listen backlog: false when there was none (or no
 * file descriptor for it). */
static bool accept_one(IpcServer *s, int fd) {
        int cfd = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (cfd < 0) {
                if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
                        pause_accepting(s, errno);
                return false;
        }
        if (s->out_of_fds) {
                log_info("accepting connections again");
                s->out_of_fds = false;
        }

        pid_t pid;
        uid_t uid;
        int r = ipc_peer_credentials(cfd, &pid, &uid);
        if (r < 0) {
                /* Nothing to name it by: no PID in our namespace, no UID. */
                log_notice("a connection was refused: its credentials cannot be read (%s)", strerror(-r));
                close(cfd);
                return true;
        }
        if (uid != getuid()) {
                /* Another user: closed before a single byte is read. */
                log_notice("connection from uid %u (pid %d) refused: not our user", (unsigned) uid, (int) pid);
                close(cfd);
                return true;
        }
        if (s->n_handshakes >= s->max_handshakes)
                evict_handshake(s);
        if (connection_new(s, cfd, pid, uid) < 0)
                log_error("cannot set up a connection from pid %d", (int) pid);
        return true;
}

/* A few at a time: a backlog a flood filled drains fast, and the clients
 * already connected are served between rounds. */
#define ACCEPTS_PER_ROUND 32

static int on_accept(sd_event_source *source, int fd, uint32_t revents, void *userdata) {
        IpcServer *s = userdata;
        /* (accept_one() says false at an empty backlog, or with no file
         * descriptor left: then accepting has paused.) */
        for (unsigned i = 0; i < ACCEPTS_PER_ROUND && accept_one(s, fd); i++)
                ;
        server_update_accepting(s);
        return 0;
}

/* Accepting waits only for a free file descriptor: never for handshakes,
 * which a client without a key could otherwise hold (evict_handshake()). */
static void server_update_accepting(IpcServer *s) {
        if (!s->accept_source)
                return;
        bool on = s->accepting && !s->accept_retry;
        (void) sd_event_source_set_enabled(s->accept_source, on ? SD_EVENT_ON : SD_EVENT_OFF);
}

int ipc_server_new(IpcServer **ret, sd_event *event, int listen_fd, const IpcServerOptions *o, ipc_request_t handler,
                   void *userdata) {
        assert_return(ret && event && listen_fd >= 0 && o && o->key && o->registry_path && handler, -EINVAL);

        IpcServer *s = calloc(1, sizeof(*s));
        if (!s)
                return -ENOMEM;
        s->event = sd_event_ref(event);
        s->listen_fd = listen_fd;
        /* Accepting drains the backlog in rounds until it is empty: a
         * socket passed by systemd is blocking unless its unit says
         * NonBlocking=yes, and would then block the loop at the end. */
        int flags = fcntl(listen_fd, F_GETFL);
        if (flags < 0 || (!(flags & O_NONBLOCK) && fcntl(listen_fd, F_SETFL, flags | O_NONBLOCK) < 0)) {
                int r = negative_errno();
                ipc_server_free(s);
                return r;
        }
        if (ipc_peer_credentials(listen_fd, &s->listen_pid, &s->listen_uid) < 0) {
                s->listen_pid = getpid();
                s->listen_uid = getuid();
        }
        s->key = *o->key;
        s->allow_ephemeral = o->allow_ephemeral;
        s->handshake_timeout_usec = o->handshake_timeout_usec ?: DEFAULT_HANDSHAKE_TIMEOUT_USEC;
        s->idle_timeout_usec = o->idle_timeout_usec ?: DEFAULT_IDLE_TIMEOUT_USEC;
        s->max_handshakes = o->max_handshakes ?: DEFAULT_MAX_HANDSHAKES;
        s->max_connections = o->max_connections ?: DEFAULT_MAX_CONNECTIONS;
        s->handler = handler;
        s->accepted = o->accepted;
        s->userdata = userdata;
        s->accepting = true;
        s->registry_path = strdup(o->registry_path);
        int r = s->registry_path ? sd_event_add_io(event, &s->accept_source, listen_fd, EPOLLIN, on_accept, s)
                                 : -ENOMEM;
        if (r < 0) {
                ipc_server_free(s);
                return r;
        }
        *ret = s;
        return 0;
}

void ipc_server_stop_accepting(IpcServer *s) {
        if (!s)
                return;
        s->accepting = false;
        server_update_accepting(s);
}

void ipc_server_set_allow_ephemeral(IpcServer *s, bool allow) {
        if (s)
                s->allow_ephemeral = allow;
}

IpcServer *ipc_server_free(IpcServer *s) {
        if (!s)
                return NULL;
        s->accepting = false;
        while (s->connections)
                connection_close(s->connections);
        sd_event_source_disable_unref(s->accept_source);
        sd_event_source_disable_unref(s->accept_retry);
        sd_event_unref(s->event);
        noise_keypair_wipe(&s->key);
        free(s->registry_path);
        free(s);
        return NULL;
}

size_t ipc_server_connections(const IpcServer *s) {
        return s ? s->n_connections : 0;
}
