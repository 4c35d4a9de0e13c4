/* SPDX-License-Identifier: MIT */
/* test-call [--pipeline N] [--hold] [--half-close] [--timeout MS] REQUEST|@FILE
 * test-call --connections N
 * test-call --partial N
 * test-call --half-open N --for SECONDS
 *
 * A client of the launcher for tests that need more than `sesame` sends:
 * any request text, several at once, a half-closed connection. It speaks
 * the real protocol with src/ipc/client.c, with this user's CLI key
 * ($XDG_CONFIG_HOME/sesame/cli.key) and the published launcher.pub.
 *
 *   (default)     send REQUEST, print the reply on stdout
 *   --half-close  shut down our sending side after the request, then read
 *   --pipeline N  send REQUEST N times before reading any reply; then read
 *                 and print the N replies, one per line
 *   --hold        with --pipeline: read nothing, print "sent" once all N
 *                 requests are written, and wait until killed
 *   --connections N
 *                 open N connections (each through its handshake), print
 *                 "held N" and keep them open until killed; stops at the
 *                 first refusal, printing it
 *   --partial N   open N connections, on each announce a request of
 *                 REQUEST_MAX bytes and send all of it but the last chunk,
 *                 as far as the launcher reads it; print "held N" and keep
 *                 them until killed
 *   --half-open N --for SECONDS
 *                 what any local process can do without a key: keep N
 *                 connections that send nothing, each renewed (closed, a
 *                 new one opened) 4 s after it was opened, under the 5 s
 *                 handshake limit, for SECONDS; "flooding" once N are open
 *
 * "connected" goes to stderr once the handshake is done. Exit 1 on error. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fcntl.h>
#include <sys/un.h>
#include <time.h>

#include "ipc/client.h"
#include "ipc/frame.h"
#include "ipc/keys.h"
#include "ipc/proto.h"
#include "ipc/transport.h"

static int open_silent(const char *path) {
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd >= 0 && connect(fd, (struct sockaddr *) &sa, sizeof(sa)) < 0 && errno != EAGAIN &&
            errno != EINPROGRESS) {
                close(fd);
                return -1;
        }
        return fd;
}

#define RENEW_NSEC (4000000000LL)

static int64_t now_ns(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t) ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* N connections that send nothing, each replaced by a new one RENEW_NSEC
 * after it was opened, for `seconds`. */
static int half_open(const char *path, long n, long seconds) {
        int *fds = calloc((size_t) n, sizeof(int));
        int64_t *opened = calloc((size_t) n, sizeof(int64_t));
        if (!fds || !opened)
                return 1;
        for (long i = 0; i < n; i++) {
                fds[i] = open_silent(path);
                opened[i] = now_ns();
        }
        printf("flooding\n");
        fflush(stdout);
        int64_t end = now_ns() + seconds * 1000000000LL;
        for (long i = 0; now_ns() < end; i = (i + 1) % n) {
                int64_t due = opened[i] + RENEW_NSEC;
                struct timespec at = { .tv_sec = due / 1000000000LL, .tv_nsec = due % 1000000000LL };
                while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, NULL) == EINTR)
                        ;
                if (fds[i] >= 0)
                        close(fds[i]);
                fds[i] = open_silent(path);
                opened[i] = now_ns();
        }
        return 0;
}

/* N connections, each in the middle of a request of REQUEST_MAX bytes. */
_noreturn_ static void partial(const char *sock, const NoiseKeypair *key, const uint8_t server[NOISE_DHLEN], long n) {
        Error e = {};
        long held = 0;
        for (; held < n; held++) {
                IpcClient *c = NULL; /* kept: closed by the kernel when we are killed */
                if (ipc_client_connect(&c, sock, key, server, 5000, &e) < 0 ||
                    ipc_client_send_partial(c, REQUEST_MAX, REQUEST_MAX - FRAME_CHUNK_MAX, &e) < 0) {
                        printf("refused after %ld: %s\n", held, error_message(&e));
                        break;
                }
        }
        printf("held %ld\n", held);
        fflush(stdout);
        for (;;)
                pause();
}

int main(int argc, char *argv[]) {
        static const struct option options[] = {
                { "pipeline", required_argument, NULL, 'p' }, { "hold", no_argument, NULL, 'H' },
                { "half-close", no_argument, NULL, 'c' },     { "timeout", required_argument, NULL, 't' },
                { "connections", required_argument, NULL, 'n' }, { "partial", required_argument, NULL, 'P' },
                { "half-open", required_argument, NULL, 'o' },   { "for", required_argument, NULL, 'f' },
                {},
        };
        long n = 1, timeout = 10000, connections = 0, partials = 0, half = 0, seconds = 10;
        bool hold = false, half_close = false;
        int o;
        while ((o = getopt_long(argc, argv, "", options, NULL)) >= 0) {
                switch (o) {
                case 'p':
                        n = strtol(optarg, NULL, 10);
                        break;
                case 'H':
                        hold = true;
                        break;
                case 'c':
                        half_close = true;
                        break;
                case 't':
                        timeout = strtol(optarg, NULL, 10);
                        break;
                case 'n':
                        connections = strtol(optarg, NULL, 10);
                        break;
                case 'P':
                        partials = strtol(optarg, NULL, 10);
                        break;
                case 'o':
                        half = strtol(optarg, NULL, 10);
                        break;
                case 'f':
                        seconds = strtol(optarg, NULL, 10);
                        break;
                default:
                        return 2;
                }
        }
        bool no_request = connections > 0 || partials > 0 || half > 0;
        if (no_request != (optind == argc) || (!no_request && optind + 1 != argc) || n < 1) {
                fprintf(stderr, "usage: test-call [--pipeline N] [--hold] [--half-close] [--timeout MS] REQUEST\n");
                return 2;
        }
        const char *request = no_request ? NULL : argv[optind];
        /* @FILE: the request is the file's text (one larger than an
         * argument may be). */
        char *from_file = NULL;
        if (request && request[0] == '@') {
                FILE *f = fopen(request + 1, "re");
                size_t size = 0;
                if (!f || getdelim(&from_file, &size, '\0', f) < 0) {
                        fprintf(stderr, "test-call: cannot read %s\n", request + 1);
                        return 1;
                }
                fclose(f);
                request = from_file;
        }

        Error e = {};
        char *dir = NULL, *sock = NULL, *pub = NULL;
        NoiseKeypair key;
        uint8_t server[NOISE_DHLEN];
        IpcClient *c = NULL;
        if (ipc_config_dir(&dir, &e) < 0 || ipc_socket_path(&sock, &e) < 0 || ipc_public_key_path(&pub, &e) < 0 ||
            key_load(dir, "cli", &key, &e) < 0 || key_read_public(pub, server, &e) < 0) {
                fprintf(stderr, "test-call: %s\n", error_message(&e));
                return 1;
        }
        if (half > 0)
                return half_open(sock, half, seconds);
        if (partials > 0)
                partial(sock, &key, server, partials);
        if (connections > 0) {
                long held = 0;
                for (; held < connections; held++) {
                        IpcClient *extra = NULL;
                        if (ipc_client_connect(&extra, sock, &key, server, (int) timeout, &e) < 0) {
                                printf("refused after %ld: %s\n", held, error_message(&e));
                                break;
                        }
                        /* Kept: closed by the kernel when we are killed. */
                        (void) extra;
                }
                printf("held %ld\n", held);
                fflush(stdout);
                for (;;)
                        pause();
        }
        if (ipc_client_connect(&c, sock, &key, server, (int) timeout, &e) < 0) {
                fprintf(stderr, "test-call: %s\n", error_message(&e));
                return 1;
        }
        fprintf(stderr, "connected\n");

        for (long i = 0; i < n; i++)
                if (ipc_client_send(c, request, &e) < 0) {
                        fprintf(stderr, "test-call: request %ld: %s\n", i + 1, error_message(&e));
                        return 1;
                }
        if (half_close && shutdown(ipc_client_fd(c), SHUT_WR) < 0) {
                perror("test-call: shutdown");
                return 1;
        }
        if (hold) {
                printf("sent\n");
                fflush(stdout);
                for (;;)
                        pause();
        }
        for (long i = 0; i < n; i++) {
                char *reply = NULL;
                if (ipc_client_receive(c, &reply, (int) timeout, &e) < 0) {
                        fprintf(stderr, "test-call: reply %ld: %s\n", i + 1, error_message(&e));
                        return 1;
                }
                printf("%s\n", reply);
                free(reply);
        }
        ipc_client_free(c);
        free(from_file);
        noise_keypair_wipe(&key);
        free(dir);
        free(sock);
        free(pub);
        return 0;
}
