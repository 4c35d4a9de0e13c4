/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <string.h>

#include "common/event-util.h"
#include "common/log.h"
#include "launcher/manager.h"
#include "spawn/systemd-bus.h"

/* How often a link that is down is tried again. */
#define MANAGER_RETRY_USEC (1000 * 1000)

static int on_retry(sd_event_source *s, uint64_t usec, void *userdata);

static void retry_later(Daemon *d) {
        (void) event_reset_time_relative(d->event, &d->manager_retry, MANAGER_RETRY_USEC, MANAGER_RETRY_USEC / 10,
                                         on_retry, d);
}

/* Everything that talks to the manager gets `bus`, or with NULL lets go. */
static void share_bus(Daemon *d, sd_bus *bus) {
        d->session_env = session_env_free(d->session_env);
        int r = bus ? session_env_new(&d->session_env, d->event, bus) : 0;
        if (r < 0)
                log_warning("cannot follow the user manager's environment (%s); apps get the launcher's own",
                            strerror(-r));
        apps_set_bus(d->apps, bus);
        if ((r = spawner_set_bus(d->spawner, bus)) < 0)
                log_warning("cannot watch systemd's jobs (%s); apps will be started without scopes", strerror(-r));
}

static int on_disconnected(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        Daemon *d = userdata;
        log_warning("the systemd user manager is gone (its connection closed): apps start without scopes until "
                    "it is back; trying again every second");
        d->manager_lost = true;
        /* Off the loop now: a closed connection's next turn on it would
         * fail the loop itself. The rest goes in on_retry(), outside the
         * connection's own processing. */
        (void) sd_bus_detach_event(d->bus);
        (void) event_reset_time_relative(d->event, &d->manager_retry, 0, 0, on_retry, d);
        return 0;
}

/* 0 with the link up, or negative with why it is not (in `e`). Again
 * (`again`): over the manager's own socket only, since the user bus may
 * be a broker the last manager left behind, where calls to a manager wait
 * for an activation that never comes. */
static int link_up(Daemon *d, bool again, Error *e) {
        _cleanup_(sd_bus_unrefp) sd_bus *bus = NULL;
        int r = systemd_bus_open(&bus, d->event, again, e);
        if (r < 0)
                return r;
        /* sd-bus says a connection closed with this signal of its own. */
        r = sd_bus_match_signal(bus, &d->manager_slot, "org.freedesktop.DBus.Local", "/org/freedesktop/DBus/Local",
                                "org.freedesktop.DBus.Local", "Disconnected", on_disconnected, d);
        if (r < 0)
                return error_setf(e, r, "cannot follow the connection to the user manager: %s", strerror(-r));
        d->bus = TAKE_PTR(bus);
        share_bus(d, d->bus);
        return 0;
}

static int on_retry(sd_event_source *s, uint64_t usec, void *userdata) {
        Daemon *d = userdata;
        Error e = {};
        if (d->bus) {
                /* Closed: everything lets go of it. */
                d->manager_slot = sd_bus_slot_unref(d->manager_slot);
                share_bus(d, NULL);
                d->bus = sd_bus_flush_close_unref(d->bus);
        }
        if (d->config->scope != SCOPE_MODE_DBUS)
                return 0;
        if (link_up(d, true, &e) < 0) {
                log_debug("%s; trying again in a second", error_message(&e));
                retry_later(d);
                return 0;
        }
        log_info("the systemd user manager is back: apps start in their scopes again");
        d->manager_lost = false;
        return 0;
}

void manager_connect(Daemon *d) {
        Error e = {};
        if (d->bus)
                return;
        if (d->manager_lost) {
                /* The tries stop while Scope= is not dbus: again from now. */
                if (!event_source_armed(d->manager_retry))
                        retry_later(d);
                return;
        }
        if (link_up(d, false, &e) < 0) {
                log_warning("%s; apps will be started without scopes", error_message(&e));
                d->manager_lost = true;
                retry_later(d);
        }
}

void manager_disconnect(Daemon *d) {
        d->manager_retry = sd_event_source_disable_unref(d->manager_retry);
        d->manager_slot = sd_bus_slot_unref(d->manager_slot);
        d->bus = sd_bus_flush_close_unref(d->bus);
}
