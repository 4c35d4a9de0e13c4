/* SPDX-License-Identifier: MIT */
/* The launcher's socket: a real server process (tests/ipc-test-server, on
 * src/ipc/server.c) and clients from here, well-behaved (src/ipc/client.c)
 * and not (raw bytes, half handshakes, another user). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ipc/client.h"
#include "ipc/frame.h"
#include "ipc/keys.h"
#include "ipc/proto.h"
#include "ipc/registry.h"
#include "ipc/transport.h"
#include "helpers.h"

static char dir[256], sock[512], registry[512];
static pid_t server;
static NoiseKeypair server_key, cli_key, panel_key;

static void start_server(void) {
        int out[2];
        assert_int_equal(pipe(out), 0);
        server = fork();
        if (server == 0) {
                dup2(out[1], STDOUT_FILENO);
                execl(getenv("SESAME_IPC_TEST_SERVER"), "ipc-test-server", dir, NULL);
                _exit(127);
        }
        close(out[1]);
        char line[16] = "";
        FILE *f = fdopen(out[0], "r");
        assert_non_null(fgets(line, sizeof(line), f));
        fclose(f);
        assert_string_equal(line, "ready\n");
}

static int setup(void **state) {
        (void) state;
        tmp_template(dir, sizeof(dir), "sesame-ipc");
        assert_non_null(mkdtemp(dir));
        snprintf(sock, sizeof(sock), "%s/launcher.sock", dir);
        snprintf(registry, sizeof(registry), "%s/clients.conf", dir);
        Error e = {};
        assert_int_equal(noise_keypair_generate(&server_key), 0);
        assert_int_equal(noise_keypair_generate(&cli_key), 0);
        assert_int_equal(noise_keypair_generate(&panel_key), 0);
        assert_int_equal(key_save(dir, "launcher", &server_key, &e), 0);
        _cleanup_(registry_freep) Registry *r = NULL;
        assert_int_equal(registry_load(registry, &r, &e), 0);
        assert_int_equal(registry_authorize(r, "cli", cli_key.public_key, CLEARANCE_SECRETS, &e), 0);
        assert_int_equal(registry_authorize(r, "panel", panel_key.public_key, CLEARANCE_LAUNCH, &e), 0);
        start_server();
        return 0;
}

static int teardown(void **state) {
        (void) state;
        kill(server, SIGTERM);
        int status;
        waitpid(server, &status, 0);
        char cmd[400];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
        return system(cmd) == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static IpcClient *connect_as(const NoiseKeypair *key) {
        IpcClient *c = NULL;
        Error e = {};
        if (ipc_client_connect(&c, sock, key, server_key.public_key, 5000, &e) < 0)
                fail_msg("connect: %s", e.message);
        return c;
}

static json_t *call(IpcClient *c, const char *request) {
        _cleanup_free_ char *reply = NULL;
        Error e = {};
        if (ipc_client_call(c, request, &reply, 5000, &e) < 0)
                fail_msg("call: %s", e.message);
        json_t *j = json_loads(reply, 0, NULL);
        assert_non_null(j);
        return j;
}

static const char *str(json_t *j, const char *key) {
        return json_string_value(json_object_get(j, key));
}

static json_int_t num(json_t *j, const char *key) {
        return json_integer_value(json_object_get(j, key));
}

/* The server's own view, from a fresh connection. */
static void server_status(json_int_t *connections, json_int_t *fds) {
        _cleanup_(ipc_client_freep) IpcClient *c = connect_as(&cli_key);
        json_t *j = call(c, "{\"method\":\"Status\"}");
        *connections = num(j, "connections");
        *fds = num(j, "fds");
        json_decref(j);
}

static int raw_connect(void) {
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        strcpy(sa.sun_path, sock);
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        assert_true(fd >= 0);
        assert_int_equal(connect(fd, (struct sockaddr *) &sa, sizeof(sa)), 0);
        return fd;
}

/* Whether the server closes the connection within timeout_ms. */
static bool closed_by_server(int fd, int timeout_ms) {
        for (;;) {
                struct pollfd p = { .fd = fd, .events = POLLIN };
                if (poll(&p, 1, timeout_ms) <= 0)
                        return false;
                char buf[256];
                ssize_t n = recv(fd, buf, sizeof(buf), 0);
                if (n <= 0)
                        return true;
        }
}

static void test_requests(void **state) {
        (void) state;
        _cleanup_(ipc_client_freep) IpcClient *c = connect_as(&cli_key);
        json_t *j = call(c, "{\"method\":\"Status\"}");
        assert_string_equal(str(j, "client"), "cli");
        assert_string_equal(str(j, "clearance"), "secrets");
        json_decref(j);
        /* Several requests on one connection, one answered later. */
        j = call(c, "{\"method\":\"Launch\",\"params\":{\"entry_id\":\"firefox\",\"tags\":[\"a\",\"b\"]}}");
        assert_string_equal(str(j, "entry_id"), "firefox");
        assert_int_equal(num(j, "tags"), 2);
        json_decref(j);
        j = call(c, "{\"method\":\"Launch\",\"params\":{\"entry_id\":\"slow\"}}");
        assert_string_equal(str(j, "entry_id"), "slow");
        json_decref(j);
        j = call(c, "{\"method\":\"Entries\"}");
        assert_true(json_is_array(json_object_get(j, "entries")));
        json_decref(j);
}

static void test_bad_requests_keep_serving(void **state) {
        (void) state;
        _cleanup_(ipc_client_freep) IpcClient *c = connect_as(&cli_key);
        const char *bad[] = {
                "{\"method\":\"Frobnicate\"}",
                "{\"method\":\"Launch\",\"params\":{\"entry_id\":42}}",
                "{\"method\":\"Launch\",\"params\":{\"entry_id\":\"x\",\"surprise\":true}}",
                "not json at all",
        };
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                json_t *j = call(c, bad[i]);
                assert_string_equal(str(j, "error"), "InvalidRequest");
                assert_non_null(str(j, "reason"));
                json_decref(j);
        }
        /* The same connection still works. */
        json_t *j = call(c, "{\"method\":\"Status\"}");
        assert_string_equal(str(j, "client"), "cli");
        json_decref(j);
}

static void test_clearance(void **state) {
        (void) state;
        const char *req = "{\"method\":\"Launch\",\"params\":{\"entry_id\":\"x\",\"tags\":[\"work-secret\"]}}";
        _cleanup_(ipc_client_freep) IpcClient *panel = connect_as(&panel_key);
        json_t *j = call(panel, req);
        assert_string_equal(str(j, "error"), "Forbidden");
        json_decref(j);
        _cleanup_(ipc_client_freep) IpcClient *cli = connect_as(&cli_key);
        j = call(cli, req);
        assert_string_equal(str(j, "entry_id"), "x");
        json_decref(j);
}

static void test_unknown_and_revoked_keys(void **state) {
        (void) state;
        NoiseKeypair stranger;
        noise_keypair_generate(&stranger);
        IpcClient *c = NULL;
        Error e = {};
        assert_int_equal(ipc_client_connect(&c, sock, &stranger, server_key.public_key, 5000, &e), -EACCES);
        assert_non_null(strstr(e.message, "Unauthorized"));
        assert_non_null(strstr(e.message, "sesame keys authorize"));

        /* Authorized: in. Revoked: out, from the next connection on, with
         * no restart of the server. */
        _cleanup_(registry_freep) Registry *r = NULL;
        assert_int_equal(registry_load(registry, &r, &e), 0);
        assert_int_equal(registry_authorize(r, "temp", stranger.public_key, CLEARANCE_LAUNCH, &e), 0);
        IpcClient *ok = connect_as(&stranger);
        json_t *j = call(ok, "{\"method\":\"Status\"}");
        assert_string_equal(str(j, "client"), "temp");
        assert_string_equal(str(j, "clearance"), "launch");
        json_decref(j);
        ipc_client_free(ok);
        assert_int_equal(registry_revoke(r, "temp", &e), 0);
        e = (Error){};
        assert_int_equal(ipc_client_connect(&c, sock, &stranger, server_key.public_key, 5000, &e), -EACCES);
}

static void test_wrong_server_key(void **state) {
        (void) state;
        NoiseKeypair impostor;
        noise_keypair_generate(&impostor);
        IpcClient *c = NULL;
        Error e = {};
        /* We expect another server key: the server cannot read our first
         * message and ends the handshake. */
        assert_true(ipc_client_connect(&c, sock, &cli_key, impostor.public_key, 5000, &e) < 0);
        assert_null(c);
}

static void test_other_uid(void **state) {
        (void) state;
        /* Open the path to everyone so that only the server's own check can
         * stop another user. */
        assert_int_equal(chmod(dir, 0755), 0);
        assert_int_equal(chmod(sock, 0777), 0);
        pid_t child = fork();
        if (child == 0) {
                if (setresgid(65534, 65534, 65534) < 0 || setresuid(65534, 65534, 65534) < 0)
                        _exit(2);
                /* A correct first handshake message with a registered key:
                 * only the UID check can keep it out, and then no answer
                 * comes back at all. */
                int fd = raw_connect();
                pid_t pid;
                uid_t uid;
                uint8_t prologue[IPC_PROLOGUE_LEN], msg[NOISE_MAX_MESSAGE];
                if (ipc_peer_credentials(fd, &pid, &uid) < 0)
                        _exit(3);
                ipc_prologue(getpid(), getuid(), pid, uid, prologue);
                NoiseHandshake *hs = NULL;
                if (noise_handshake_new(&hs, IPC_PROTOCOL, true) < 0 ||
                    noise_handshake_set_prologue(hs, prologue, sizeof(prologue)) < 0 ||
                    noise_handshake_set_static(hs, &cli_key) < 0 ||
                    noise_handshake_set_remote_static(hs, server_key.public_key) < 0 || noise_handshake_start(hs) < 0)
                        _exit(4);
                ssize_t n = noise_handshake_write(hs, NULL, 0, msg);
                uint8_t *frame = NULL;
                size_t len = 0;
                if (n < 0 || frame_encode(msg, (size_t) n, &frame, &len) < 0)
                        _exit(5);
                (void) !send(fd, frame, len, MSG_NOSIGNAL);
                uint8_t b;
                ssize_t got = recv(fd, &b, 1, 0);
                _exit(got <= 0 ? 0 : 1);
        }
        int status;
        assert_int_equal(waitpid(child, &status, 0), child);
        chmod(sock, 0600);
        chmod(dir, 0700);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);

        _cleanup_(ipc_client_freep) IpcClient *c = connect_as(&cli_key);
        json_t *j = call(c, "{\"method\":\"Status\"}");
        assert_string_equal(str(j, "client"), "cli");
        json_decref(j);
}

static double now_s(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static void test_stalled_handshake(void **state) {
        (void) state;
        double start = now_s();
        int stalled = raw_connect();
        /* Others are served meanwhile. */
        _cleanup_(ipc_client_freep) IpcClient *c = connect_as(&cli_key);
        json_t *j = call(c, "{\"method\":\"Status\"}");
        assert_int_equal(num(j, "connections"), 2);
        json_decref(j);
        /* Dropped at the 5 s limit: not long before, not long after. */
        assert_false(closed_by_server(stalled, 3500));
        assert_true(closed_by_server(stalled, 5000));
        double elapsed = now_s() - start;
        assert_true(elapsed >= 4.5 && elapsed < 9);
        close(stalled);
}

/* A real IK handshake by hand, to misbehave after it. */
static int raw_session(NoiseCipher *send_c, NoiseCipher *recv_c) {
        int fd = raw_connect();
        pid_t pid;
        uid_t uid;
        assert_int_equal(ipc_peer_credentials(fd, &pid, &uid), 0);
        uint8_t prologue[IPC_PROLOGUE_LEN], msg[NOISE_MAX_MESSAGE];
        ipc_prologue(getpid(), getuid(), pid, uid, prologue);
        _cleanup_(noise_handshake_freep) NoiseHandshake *hs = NULL;
        assert_int_equal(noise_handshake_new(&hs, IPC_PROTOCOL, true), 0);
        noise_handshake_set_prologue(hs, prologue, sizeof(prologue));
        noise_handshake_set_static(hs, &cli_key);
        noise_handshake_set_remote_static(hs, server_key.public_key);
        assert_int_equal(noise_handshake_start(hs), 0);
        ssize_t n = noise_handshake_write(hs, NULL, 0, msg);
        uint8_t *frame = NULL;
        size_t len = 0;
        frame_encode(msg, (size_t) n, &frame, &len);
        assert_int_equal(send(fd, frame, len, 0), (ssize_t) len);
        free(frame);
        uint8_t hdr[4];
        assert_int_equal(recv(fd, hdr, 4, MSG_WAITALL), 4);
        size_t flen = (size_t) hdr[0] << 24 | (size_t) hdr[1] << 16 | (size_t) hdr[2] << 8 | hdr[3];
        assert_int_equal(recv(fd, msg, flen, MSG_WAITALL), (ssize_t) flen);
        uint8_t payload[NOISE_MAX_MESSAGE];
        assert_int_equal(noise_handshake_read(hs, msg, flen, payload), 0);
        assert_int_equal(noise_handshake_split(hs, send_c, recv_c), 0);
        return fd;
}

static void send_encrypted(int fd, NoiseCipher *c, const uint8_t *plain, size_t len) {
        uint8_t ct[NOISE_MAX_MESSAGE];
        ssize_t n = noise_cipher_encrypt(c, NULL, 0, plain, len, ct);
        uint8_t *frame = NULL;
        size_t flen = 0;
        frame_encode(ct, (size_t) n, &frame, &flen);
        (void) !send(fd, frame, flen, MSG_NOSIGNAL);
        free(frame);
}

static void test_garbage(void **state) {
        (void) state;
        json_int_t connections0, fds0, connections, fds;
        server_status(&connections0, &fds0);

        /* Random bytes as the first message. */
        int fd = raw_connect();
        uint8_t junk[100] = { 0, 0, 0, 96 };
        for (size_t i = 4; i < sizeof(junk); i++)
                junk[i] = (uint8_t) random();
        send(fd, junk, sizeof(junk), 0);
        assert_true(closed_by_server(fd, 3000));
        close(fd);

        /* A length prefix beyond any frame. */
        fd = raw_connect();
        uint8_t huge[8] = { 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4 };
        send(fd, huge, sizeof(huge), 0);
        assert_true(closed_by_server(fd, 3000));
        close(fd);

        /* A truncated frame, then we go away. */
        fd = raw_connect();
        uint8_t half[14] = { 0, 0, 0, 100 };
        send(fd, half, sizeof(half), 0);
        close(fd);

        NoiseCipher s, r;
        /* After the handshake: a fabricated chunk count. */
        fd = raw_session(&s, &r);
        const uint8_t fake[8] = { 0, 0, 0x03, 0xe8, 0, 0, 0, 10 }; /* 1000 chunks for 10 bytes */
        send_encrypted(fd, &s, fake, sizeof(fake));
        assert_true(closed_by_server(fd, 3000));
        close(fd);

        /* After the handshake: a frame that is not ours (bad tag). */
        fd = raw_session(&s, &r);
        uint8_t forged[40] = { 0, 0, 0, 36 };
        send(fd, forged, sizeof(forged), 0);
        assert_true(closed_by_server(fd, 3000));
        close(fd);

        /* A message announced as 16 MiB + 1: refused before anything is
         * allocated for it. */
        fd = raw_session(&s, &r);
        const uint8_t too_big[8] = { 0, 0, 1, 1, 0x01, 0, 0, 1 };
        send_encrypted(fd, &s, too_big, sizeof(too_big));
        assert_true(closed_by_server(fd, 3000));
        close(fd);

        /* Nothing left behind: same connections, same fds. */
        for (int i = 0; i < 100; i++) {
                server_status(&connections, &fds);
                if (connections == connections0 && fds == fds0)
                        break;
                usleep(10000);
        }
        assert_int_equal(connections, connections0);
        assert_int_equal(fds, fds0);
}

/* The next whole message on a raw session, as text (a new string). */
static char *recv_message(int fd, NoiseCipher *r) {
        MessageAssembler a = {};
        static uint8_t frame[NOISE_MAX_MESSAGE], plain[NOISE_MAX_MESSAGE];
        for (;;) {
                uint8_t hdr[4];
                if (recv(fd, hdr, 4, MSG_WAITALL) != 4)
                        fail_msg("the server closed the connection");
                size_t flen = (size_t) hdr[0] << 24 | (size_t) hdr[1] << 16 | (size_t) hdr[2] << 8 | hdr[3];
                assert_true(flen <= sizeof(frame));
                assert_int_equal(recv(fd, frame, flen, MSG_WAITALL), (ssize_t) flen);
                ssize_t n = noise_cipher_decrypt(r, NULL, 0, frame, flen, plain);
                assert_true(n >= 0);
                int k = message_assembler_add(&a, plain, (size_t) n);
                assert_true(k >= 0);
                if (k == 1)
                        break;
        }
        size_t len;
        uint8_t *m = message_assembler_take(&a, &len);
        char *text = malloc(len + 1);
        assert_non_null(text);
        memcpy(text, m, len);
        text[len] = 0;
        free(m);
        return text;
}

/* A request announced over REQUEST_MAX is answered InvalidRequest before
 * any of it is sent; its chunks are then read and dropped, and the
 * connection serves on. */
static void test_oversized_request(void **state) {
        (void) state;
        NoiseCipher s, r;
        int fd = raw_session(&s, &r);
        uint32_t total = REQUEST_MAX + 1, count = (total + FRAME_CHUNK_MAX - 1) / FRAME_CHUNK_MAX;
        const uint8_t h[8] = { count >> 24, count >> 16, count >> 8, count, total >> 24, total >> 16, total >> 8, total };
        send_encrypted(fd, &s, h, sizeof(h));
        _cleanup_free_ char *refused = recv_message(fd, &r);
        assert_non_null(strstr(refused, "\"InvalidRequest\""));
        assert_non_null(strstr(refused, "at most 1048576"));

        static uint8_t chunk[FRAME_CHUNK_MAX];
        for (uint32_t i = 0; i < count; i++)
                send_encrypted(fd, &s, chunk, i + 1 < count ? FRAME_CHUNK_MAX : total - (count - 1) * FRAME_CHUNK_MAX);
        uint8_t *frames = NULL;
        size_t len = 0;
        const char *status = "{\"method\":\"Status\"}";
        assert_int_equal(frame_encode_message(&s, (const uint8_t *) status, strlen(status), &frames, &len), 0);
        assert_int_equal(send(fd, frames, len, 0), (ssize_t) len);
        free(frames);
        _cleanup_free_ char *served = recv_message(fd, &r);
        assert_non_null(strstr(served, "\"connections\""));
        close(fd);
}

/* More connections that send nothing than handshakes may be in progress
 * (128): a client with a key is served at once, the oldest silent ones
 * evicted; not after the 5 s handshake limit, which is what a client
 * without a key could make every client wait. */
static void test_silent_flood(void **state) {
        (void) state;
        int silent[200];
        for (size_t i = 0; i < ELEMENTSOF(silent); i++)
                silent[i] = raw_connect();
        double start = now_s();
        _cleanup_(ipc_client_freep) IpcClient *c = connect_as(&cli_key);
        json_t *j = call(c, "{\"method\":\"Status\"}");
        json_decref(j);
        double took = now_s() - start;
        if (took >= 1.0)
                fail_msg("a client with a key waited %.2f s behind 200 silent connections", took);
        assert_true(closed_by_server(silent[0], 1000));
        assert_false(closed_by_server(silent[ELEMENTSOF(silent) - 1], 100));
        for (size_t i = 0; i < ELEMENTSOF(silent); i++)
                close(silent[i]);
}

/* An established connection that sends nothing is closed at the idle limit
 * (1 s here); one whose request is being answered is not. */
static void test_idle(void **state) {
        (void) state;
        _cleanup_(ipc_client_freep) IpcClient *idle = connect_as(&cli_key);
        _cleanup_(ipc_client_freep) IpcClient *busy = connect_as(&cli_key);
        Error e = {};
        /* "slow" is answered after 300 ms; asked again and again, the busy
         * one is never idle for a second. */
        for (int i = 0; i < 6; i++) {
                json_t *j = call(busy, "{\"method\":\"Launch\",\"params\":{\"entry_id\":\"slow\"}}");
                json_decref(j);
        }
        assert_true(closed_by_server(ipc_client_fd(idle), 2000));
        json_t *j = call(busy, "{\"method\":\"Status\"}");
        json_decref(j);
        _cleanup_free_ char *reply = NULL;
        assert_true(ipc_client_call(idle, "{\"method\":\"Status\"}", &reply, 2000, &e) < 0);
}

/* Past the hard limit of established connections (8 here), a client is
 * told Busy in the handshake: an error to retry on, not a wrong key. */
static void test_busy(void **state) {
        (void) state;
        IpcClient *held[8] = {};
        Error e = {};
        size_t n = 0;
        for (; n < ELEMENTSOF(held); n++)
                if (ipc_client_connect(&held[n], sock, &cli_key, server_key.public_key, 5000, &e) < 0)
                        break;
        assert_int_equal(n, 8);
        IpcClient *c = NULL;
        e = (Error){};
        assert_int_equal(ipc_client_connect(&c, sock, &cli_key, server_key.public_key, 5000, &e), -EBUSY);
        assert_non_null(strstr(e.message, "Busy"));
        ipc_client_free(held[0]);
        held[0] = NULL;
        /* A slot is free once the server has seen the close. */
        for (int i = 0; i < 100 && ipc_client_connect(&c, sock, &cli_key, server_key.public_key, 5000, &e) == -EBUSY; i++)
                usleep(10000);
        assert_non_null(c);
        ipc_client_free(c);
        for (size_t i = 1; i < n; i++)
                ipc_client_free(held[i]);
}

int main(void) {
        signal(SIGPIPE, SIG_IGN);
        srandom((unsigned) getpid());
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_requests),
                cmocka_unit_test(test_bad_requests_keep_serving),
                cmocka_unit_test(test_clearance),
                cmocka_unit_test(test_unknown_and_revoked_keys),
                cmocka_unit_test(test_wrong_server_key),
                cmocka_unit_test(test_other_uid),
                cmocka_unit_test(test_garbage),
                cmocka_unit_test(test_stalled_handshake),
                cmocka_unit_test(test_idle),
                cmocka_unit_test(test_busy),
                cmocka_unit_test(test_oversized_request),
                cmocka_unit_test(test_silent_flood),
        };
        return cmocka_run_group_tests_name("ipc", tests, setup, teardown);
}
