/* SPDX-License-Identifier: MIT */
/* ipc-test-server DIR [--ephemeral]
 *
 * The launcher's IPC server (src/ipc/server.c) with test handlers, for
 * tests/unit/test-ipc.c (with an idle limit of 1 s and at most 8
 * connections): listens on DIR/launcher.sock with the key
 * DIR/launcher.key and the registry DIR/clients.conf, prints "ready" when
 * it accepts, runs until SIGTERM. Replies:
 *   Status   {"client":NAME,"clearance":C,"connections":N,"fds":N}
 *   Entries  {"entries":[]}
 *   Launch   {"entry_id":ID,"tags":N} or, for a tag containing "secret"
 *            from a client without the secrets clearance,
 *            {"error":"Forbidden",...}; entry_id "slow" is answered after
 *            300 ms (an asynchronous reply). */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/strv.h"
#include "ipc/keys.h"
#include "ipc/server.h"

static IpcServer *server;

static int fd_count(void) {
        DIR *d = opendir("/proc/self/fd");
        int n = -1; /* opendir's own */
        if (!d)
                return -1;
        while (readdir(d))
                n++;
        closedir(d);
        return n - 2; /* . and .. */
}

static int on_slow(sd_event_source *s, uint64_t usec, void *userdata) {
        (void) usec;
        IpcConnection *c = userdata;
        if (ipc_connection_is_open(c))
                ipc_connection_reply(c, "{\"entry_id\":\"slow\",\"tags\":0}");
        ipc_connection_unref(c);
        sd_event_source_disable_unref(s);
        return 0;
}

static void on_request(IpcConnection *c, const Request *req, void *userdata) {
        sd_event *e = userdata;
        const IpcPeer *peer = ipc_connection_peer(c);
        char reply[512];
        switch (req->method) {
        case REQUEST_STATUS:
                snprintf(reply, sizeof(reply), "{\"client\":\"%s\",\"clearance\":\"%s\",\"connections\":%zu,\"fds\":%d}",
                         peer->client_name, clearance_to_string(peer->clearance), ipc_server_connections(server),
                         fd_count());
                break;
        case REQUEST_ENTRIES:
                snprintf(reply, sizeof(reply), "{\"entries\":[]}");
                break;
        case REQUEST_LAUNCH:
                for (char **t = req->tags; *t; t++)
                        if (strstr(*t, "secret") && peer->clearance < CLEARANCE_SECRETS) {
                                ipc_connection_reply(c, "{\"error\":\"Forbidden\",\"reason\":\"needs the secrets clearance\"}");
                                return;
                        }
                if (strcmp(req->entry_id, "slow") == 0) {
                        sd_event_add_time_relative(e, NULL, CLOCK_MONOTONIC, 300000, 0, on_slow, ipc_connection_ref(c));
                        return;
                }
                snprintf(reply, sizeof(reply), "{\"entry_id\":\"%s\",\"tags\":%zu}", req->entry_id,
                         strv_length(req->tags));
                break;
        default:
                return;
        }
        ipc_connection_reply(c, reply);
}

static int on_term(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata) {
        (void) s;
        (void) si;
        sd_event_exit(userdata, 0);
        return 0;
}

int main(int argc, char *argv[]) {
        if (argc < 2)
                return 2;
        const char *dir = argv[1];
        bool ephemeral = argc > 2 && strcmp(argv[2], "--ephemeral") == 0;
        NoiseKeypair key;
        Error e = {};
        if (key_load(dir, "launcher", &key, &e) < 0) {
                fprintf(stderr, "%s\n", error_message(&e));
                return 1;
        }
        char sock[512], registry[512];
        snprintf(sock, sizeof(sock), "%s/launcher.sock", dir);
        snprintf(registry, sizeof(registry), "%s/clients.conf", dir);
        int fd;
        if (ipc_listen(sock, &fd, &e) < 0) {
                fprintf(stderr, "%s\n", error_message(&e));
                return 1;
        }
        signal(SIGPIPE, SIG_IGN);
        sigset_t mask;
        sigemptyset(&mask);
        sigaddset(&mask, SIGTERM);
        sigprocmask(SIG_BLOCK, &mask, NULL);

        sd_event *event = NULL;
        sd_event_default(&event);
        sd_event_add_signal(event, NULL, SIGTERM, on_term, event);
        /* Short limits, so that tests can watch them act. */
        IpcServerOptions o = { .key = &key, .registry_path = registry, .allow_ephemeral = ephemeral,
                               .idle_timeout_usec = 1000 * 1000, .max_connections = 8 };
        if (ipc_server_new(&server, event, fd, &o, on_request, event) < 0)
                return 1;
        printf("ready\n");
        fflush(stdout);
        sd_event_loop(event);
        ipc_server_free(server);
        close(fd);
        sd_event_unref(event);
        return 0;
}
