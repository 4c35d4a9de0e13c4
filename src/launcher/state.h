/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include "common/error.h"
#include "common/macro.h"
#include "config/launcher-conf.h"
#include "desktop/entries.h"
#include "desktop/mimeapps.h"
#include "ipc/server.h"
#include "launcher/apps.h"
#include "launcher/early-exit.h"
#include "launcher/finder.h"
#include "launcher/session-env.h"
#include "spawn/spawn.h"

/* sesame-launcherd's state, and the services its parts share: the request
 * handlers (handlers.c), the launch path (launch.c) and the reloader
 * (reload.c) sit on this; daemon.c, which sets it up and runs it, on
 * them. One per process, on one sd-event loop. */

typedef struct Reloader Reloader;
typedef struct SingleGate SingleGate;

typedef struct Daemon {
        sd_event *event;
        char *config_path;       /* the default when none was given: it may not exist */
        bool config_explicit;
        Config *config;
        EntryCache *entries;
        uint64_t entries_generation; /* counts the scans: Entries pages of one listing share it */
        Spawner *spawner;
        IpcServer *server;
        Apps *apps;              /* what runs: sesame ps, stop, --single */
        Finder *finder;          /* search and history */
        Reloader *reloader;      /* the configuration and the entries follow their files */
        sd_bus *bus;             /* the user manager (dbus scope mode; manager.c), or NULL while gone */
        sd_bus_slot *manager_slot; /* its Disconnected signal */
        sd_event_source *manager_retry; /* the link tried again while it is down */
        bool manager_lost;       /* down: said once, tried again every second */
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
        int journal_listens;     /* journald's stream socket was there at the last launch: 1, 0, -1 unknown */
        EarlyExits *early_exits; /* apps watched for dying at once (early-exit.h) */
        MimeApps *mimeapps;      /* the MIME associations as last read (Open; read again when they change) */
        uint64_t mimeapps_generation; /* the entries' generation they were read with */
} Daemon;

/* Every launch is counted from its request to its reply, so that SIGTERM
 * lets the launches in flight finish before the daemon exits. */
void daemon_launch_begin(Daemon *d);
void daemon_launch_end(Daemon *d);

/* Sends `json` (taken) if the peer is still there; NULL (out of memory) is
 * answered too: every request gets a reply. */
void daemon_reply(IpcConnection *c, char *json);

/* The identifier an app's stderr is logged under (its own journal stream,
 * SpawnRequest.journal): `identifier`, or NULL where no journald listens
 * (then the launcher's stderr, said once). */
const char *daemon_app_journal(Daemon *d, const char *identifier);

/* The session bus, for the Secret Service: opened on first use. */
int daemon_secrets_bus(Daemon *d, sd_bus **ret);

/* glibc keeps what a resident process frees for its next allocation:
 * give it back (after a rescan; after a burst of launches, 1 s on). */
void daemon_trim_memory(void);
