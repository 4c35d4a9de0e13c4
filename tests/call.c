/* SPDX-License-Identifier: MIT */
/* test-call [--pipeline N] [--hold] [--half-close] [--timeout MS] REQUEST
 * test-call --connections N
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
 *
 * "connected" goes to stderr once the handshake is done. Exit 1 on error. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ipc/client.h"
#include "ipc/keys.h"
#include "ipc/transport.h"

int main(int argc, char *argv[]) {
        static const struct option options[] = {
                { "pipeline", required_argument, NULL, 'p' }, { "hold", no_argument, NULL, 'H' },
                { "half-close", no_argument, NULL, 'c' },     { "timeout", required_argument, NULL, 't' },
                { "connections", required_argument, NULL, 'n' }, {},
        };
        long n = 1, timeout = 10000, connections = 0;
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
                default:
                        return 2;
                }
        }
        if ((connections > 0) != (optind == argc) || (!connections && optind + 1 != argc) || n < 1) {
                fprintf(stderr, "usage: test-call [--pipeline N] [--hold] [--half-close] [--timeout MS] REQUEST\n");
                return 2;
        }
        const char *request = connections ? NULL : argv[optind];

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
        noise_keypair_wipe(&key);
        free(dir);
        free(sock);
        free(pub);
        return 0;
}
