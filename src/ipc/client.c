/* SPDX-License-Identifier: MIT */
#include <jansson.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "common/wipe.h"
#include "ipc/client.h"
#include "ipc/frame.h"
#include "ipc/transport.h"

struct IpcClient {
        int fd;
        NoiseCipher send, receive;
        FrameReader reader;
};

IpcClient *ipc_client_free(IpcClient *c) {
        if (!c)
                return NULL;
        safe_close(c->fd);
        noise_cipher_wipe(&c->send);
        noise_cipher_wipe(&c->receive);
        frame_reader_reset(&c->reader);
        free(c);
        return NULL;
}

static int64_t now_ms(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int send_all(IpcClient *c, const uint8_t *data, size_t len, Error *e) {
        for (size_t off = 0; off < len;) {
                ssize_t n = send(c->fd, data + off, len - off, MSG_NOSIGNAL);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return error_setf(e, negative_errno(), "cannot send to the launcher: %s", strerror(errno));
                off += (size_t) n;
        }
        return 0;
}

/* The next frame, within the deadline. */
static int recv_frame(IpcClient *c, int64_t deadline, const uint8_t **ret, size_t *ret_len, Error *e) {
        for (;;) {
                int64_t left = deadline - now_ms();
                if (left <= 0)
                        return error_setf(e, -ETIMEDOUT, "the launcher did not answer in time");
                struct pollfd p = { .fd = c->fd, .events = POLLIN };
                int r = poll(&p, 1, (int) left);
                if (r < 0 && errno == EINTR)
                        continue;
                if (r <= 0)
                        continue;
                /* One byte at a time would do; a frame's worth is faster, and
                 * the reader stops at the frame's end, so read exactly that. */
                uint8_t buf[4096];
                size_t want = c->reader.header_got < 4 ? 4 - c->reader.header_got : c->reader.length - c->reader.got;
                ssize_t n = recv(c->fd, buf, want < sizeof(buf) ? want : sizeof(buf), 0);
                if (n == 0)
                        return error_setf(e, -ECONNRESET, "the launcher closed the connection");
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return error_setf(e, negative_errno(), "cannot read: %s", strerror(errno));
                bool done;
                if (frame_reader_feed(&c->reader, buf, (size_t) n, &done) < 0)
                        return error_setf(e, -EBADMSG, "the launcher sent a malformed frame");
                if (done) {
                        *ret = frame_reader_frame(&c->reader, ret_len);
                        return 0;
                }
        }
}

/* The socket connected, and the peer checked to be of our user: its PID
 * and UID, for the prologue. */
static int client_socket(IpcClient *c, const char *socket_path, int timeout_ms, pid_t *ret_pid, uid_t *ret_uid,
                         Error *e) {
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        if (strlen(socket_path) >= sizeof(sa.sun_path))
                return error_setf(e, -ENAMETOOLONG, "%s: too long for a socket path", socket_path);
        strcpy(sa.sun_path, socket_path);
        c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (c->fd < 0)
                return error_setf(e, negative_errno(), "cannot create a socket: %s", strerror(errno));
        /* A full listen backlog makes connect() wait; not for ever. */
        struct timeval tv = { .tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000 };
        (void) setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
        if (connect(c->fd, (struct sockaddr *) &sa, sizeof(sa)) < 0) {
                if (errno == EAGAIN || errno == EINPROGRESS)
                        return error_setf(e, -EBUSY, "the launcher is busy: no connection within %d ms", timeout_ms);
                return error_setf(e, negative_errno(), "cannot connect to %s: %s", socket_path, strerror(errno));
        }
        int r = ipc_peer_credentials(c->fd, ret_pid, ret_uid);
        if (r < 0)
                return error_setf(e, r, "cannot tell who listens on %s", socket_path);
        if (*ret_uid != getuid())
                return error_setf(e, -EPERM, "%s belongs to another user (uid %u)", socket_path, (unsigned) *ret_uid);
        return 0;
}

/* A refusal in the handshake's second message: its payload says why, and
 * "Busy" is one to try again on. */
static int handshake_refused(const uint8_t *msg, size_t n, Error *e) {
        json_t *j = json_loadb((const char *) msg, n, 0, NULL);
        const char *error = json_string_value(json_object_get(j, "error"));
        const char *reason = json_string_value(json_object_get(j, "reason"));
        int r = error && strcmp(error, "Busy") == 0 ? -EBUSY : -EACCES;
        if (error && reason)
                error_setf(e, r, "%s (%s)", reason, error);
        else
                error_setf(e, r, "%.*s", (int) n, (const char *) msg);
        json_decref(j);
        return r;
}

/* Noise IK as the initiator: our first message, the launcher's answer. */
static int client_handshake(IpcClient *c, NoiseHandshake *hs, int64_t deadline, Error *e) {
        uint8_t msg[NOISE_MAX_MESSAGE];
        ssize_t n = noise_handshake_write(hs, NULL, 0, msg);
        uint8_t *frame = NULL;
        size_t len = 0;
        if (n < 0 || frame_encode(msg, (size_t) n, &frame, &len) < 0)
                return error_setf(e, -EIO, "cannot write the handshake");
        int r = send_all(c, frame, len, e);
        free(frame);
        if (r < 0)
                return r;

        const uint8_t *reply;
        size_t reply_len;
        r = recv_frame(c, deadline, &reply, &reply_len, e);
        /* An end with no frame: the launcher went (a launcher that cannot
         * read us says so with a frame first). */
        if (r == -ECONNRESET)
                return error_setf(e, -ECONNRESET,
                                  "it closed the connection during the handshake (it stopped or restarted)");
        if (r < 0)
                return r;
        n = noise_handshake_read(hs, reply, reply_len, msg);
        size_t prefix = strlen(IPC_CANNOT_SERVE);
        if (n < 0 && reply_len > prefix && memcmp(reply, IPC_CANNOT_SERVE, prefix) == 0)
                return error_setf(e, -EHOSTDOWN, "%.*s", (int) reply_len, (const char *) reply);
        if (n < 0)
                return error_setf(e, -EPROTO,
                                  "the launcher could not read the handshake: its key is not the one in "
                                  "launcher.pub (was it given a new one?), or the connection's credentials differ");
        if (n > 0)
                return handshake_refused(msg, (size_t) n, e);
        if (noise_handshake_split(hs, &c->send, &c->receive) < 0)
                return error_setf(e, -EIO, "cannot split");
        return 0;
}

int ipc_client_connect(IpcClient **ret, const char *socket_path, const NoiseKeypair *key,
                       const uint8_t server_public_key[NOISE_DHLEN], int timeout_ms, Error *e) {
        assert_return(ret && socket_path && key && server_public_key, error_setf(e, -EINVAL, "invalid argument"));
        int64_t deadline = now_ms() + timeout_ms;

        _cleanup_(ipc_client_freep) IpcClient *c = calloc(1, sizeof(*c));
        if (!c)
                return error_setf(e, -ENOMEM, "out of memory");
        c->fd = -1; /* (an early failure closed standard input) */
        pid_t pid;
        uid_t uid;
        int r = client_socket(c, socket_path, timeout_ms, &pid, &uid, e);
        if (r < 0)
                return r;

        uint8_t prologue[IPC_PROLOGUE_LEN];
        ipc_prologue(getpid(), getuid(), pid, uid, prologue);
        _cleanup_(noise_handshake_freep) NoiseHandshake *hs = NULL;
        r = noise_handshake_new(&hs, IPC_PROTOCOL, true);
        if (r >= 0)
                r = noise_handshake_set_prologue(hs, prologue, sizeof(prologue));
        if (r >= 0)
                r = noise_handshake_set_static(hs, key);
        if (r >= 0)
                r = noise_handshake_set_remote_static(hs, server_public_key);
        if (r >= 0)
                r = noise_handshake_start(hs);
        if (r < 0)
                return error_setf(e, r, "cannot start the handshake");
        r = client_handshake(c, hs, deadline, e);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(c);
        return 0;
}

int ipc_client_send(IpcClient *c, const char *request, Error *e) {
        assert_return(c && request, error_setf(e, -EINVAL, "invalid argument"));
        uint8_t *frames = NULL;
        size_t len = 0;
        int r = frame_encode_message(&c->send, (const uint8_t *) request, strlen(request), &frames, &len);
        if (r >= 0)
                r = send_all(c, frames, len, e);
        free(frames);
        if (r < 0)
                return e && e->code ? r : error_setf(e, r, "cannot send the request");
        return 0;
}

int ipc_client_receive(IpcClient *c, char **ret_reply, int timeout_ms, Error *e) {
        assert_return(c && ret_reply, error_setf(e, -EINVAL, "invalid argument"));
        int64_t deadline = now_ms() + timeout_ms;
        MessageAssembler a = {};
        uint8_t plain[FRAME_MAX];
        for (;;) {
                const uint8_t *frame;
                size_t flen;
                int r = recv_frame(c, deadline, &frame, &flen, e);
                if (r < 0) {
                        message_assembler_reset(&a);
                        return r;
                }
                ssize_t n = noise_cipher_decrypt(&c->receive, NULL, 0, frame, flen, plain);
                int k = n < 0 ? -EBADMSG : message_assembler_add(&a, plain, (size_t) n);
                wipe(plain, n > 0 ? (size_t) n : 0);
                if (k < 0) {
                        message_assembler_reset(&a);
                        return error_setf(e, -EBADMSG, "the launcher's reply is malformed");
                }
                if (k == 1)
                        break;
        }
        size_t mlen;
        uint8_t *msg = message_assembler_take(&a, &mlen);
        char *s = malloc(mlen + 1);
        if (!s) {
                free(msg);
                return error_setf(e, -ENOMEM, "out of memory");
        }
        memcpy(s, msg, mlen);
        s[mlen] = 0;
        wipe(msg, mlen);
        free(msg);
        *ret_reply = s;
        return 0;
}

int ipc_client_call(IpcClient *c, const char *request, char **ret_reply, int timeout_ms, Error *e) {
        int r = ipc_client_send(c, request, e);
        return r < 0 ? r : ipc_client_receive(c, ret_reply, timeout_ms, e);
}

ssize_t ipc_client_send_partial(IpcClient *c, size_t total, size_t bytes, Error *e) {
        assert_return(c && bytes <= total, error_setf(e, -EINVAL, "invalid argument"));
        _cleanup_free_ uint8_t *zeros = calloc(total ? total : 1, 1);
        uint8_t *frames = NULL;
        size_t len = 0;
        int r = zeros ? frame_encode_message(&c->send, zeros, total, &frames, &len) : -ENOMEM;
        if (r < 0)
                return error_setf(e, r, "cannot encode the message");
        /* The header's frame, then whole chunk frames covering `bytes`. */
        size_t header = 4 + 8 + NOISE_TAGLEN, chunk = 4 + FRAME_CHUNK_MAX + NOISE_TAGLEN;
        size_t want = header + (bytes + FRAME_CHUNK_MAX - 1) / FRAME_CHUNK_MAX * chunk;
        if (want > len)
                want = len;
        size_t off = 0;
        while (off < want) {
                ssize_t n = send(c->fd, frames + off, want - off, MSG_NOSIGNAL | MSG_DONTWAIT);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0 && errno == EAGAIN)
                        break;
                if (n < 0) {
                        free(frames);
                        return error_setf(e, negative_errno(), "cannot send to the launcher: %s", strerror(errno));
                }
                off += (size_t) n;
        }
        free(frames);
        return off <= header ? 0 : (ssize_t) ((off - header) / chunk * FRAME_CHUNK_MAX);
}

int ipc_client_fd(const IpcClient *c) {
        return c ? c->fd : -1;
}
