/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include "apps.h"
#include "entries.h"
#include "error.h"
#include "finder.h"
#include "launcher-conf.h"
#include "macro.h"
#include "server.h"
#include "session-env.h"
#include "spawn.h"

/* sesame-launcherd's state: what the request handlers (handlers.c), the
 * launch path (launch.c) and the reloader (reload.c) share. One per
 * process, on one sd-event loop. */

typedef struct Reloader Reloader;
typedef struct SingleGate SingleGate;

typedef struct Daemon {
        sd_event *event;
        char *config_path;       /* the default when none was given: it may not exist */
        bool config_explicit;
        Config *config;
        EntryCache *entries;
        Spawner *spawner;
        IpcServer *server;
        Apps *apps;              /* what runs: sesame ps, stop, --single */
        Finder *finder;          /* search and history */
        Reloader *reloader;      /* the configuration and the entries follow their files */
        sd_bus *bus;             /* the user manager (dbus scope mode) */
        SessionEnv *session_env; /* with bus: the manager's environment */
        sd_bus *secrets_bus;     /* the session bus, for the Secret Service; opened on first use */
        SingleGate *gates;       /* --single launches under way, one per entry (launch.c) */
        char *socket_path;
        int listen_fd;
        bool listen_fd_ours;
        uint64_t started_usec;
        uint64_t launches;       /* instances started */
        size_t in_flight;        /* launches not yet answered */
        bool stopping;           /* SIGTERM: exit once in_flight is 0 */
        sd_event_source *trim_timer;
} Daemon;

/* Everything up to serving: the configuration (`config_path`, NULL for the
 * default), the key, the entries, the socket, the spawner, the server. A
 * negative errno and the reason in `e`; each configuration error is logged
 * on its own line first. */
int daemon_new(Daemon **ret, const char *config_path, Error *e);
/* Writes the history's last rows; launched apps keep running. */
Daemon *daemon_free(Daemon *d);
DEFINE_TRIVIAL_CLEANUP_FUNC(Daemon *, daemon_free);
/* READY=1, then the loop, until a signal ends it (and the launches in
 * flight are answered). 0 or a negative errno. */
int daemon_run(Daemon *d);

/* Every launch is counted from its request to its reply, so that SIGTERM
 * lets the launches in flight finish before the daemon exits. */
void daemon_launch_begin(Daemon *d);
void daemon_launch_end(Daemon *d);

/* Sends `json` (taken) if the peer is still there; NULL (out of memory) is
 * answered too: every request gets a reply. */
void daemon_reply(IpcConnection *c, char *json);

/* The session bus, for the Secret Service: opened on first use. */
int daemon_secrets_bus(Daemon *d, sd_bus **ret);

/* glibc keeps what a resident process frees for its next allocation:
 * give it back (after a rescan; after a burst of launches, 1 s on). */
void daemon_trim_memory(void);
