/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/launcher-units.h"
#include "spawn/systemd-bus.h"

/* A failure report must not hang the key binding that asked. */
#define MANAGER_TIMEOUT_USEC (2 * 1000000ULL)

static void unit_state_done(UnitState *s) {
        free(s->load_state);
        free(s->active_state);
        free(s->sub_state);
        free(s->unit_file_state);
        free(s->result);
        *s = (UnitState){};
}

void launcher_units_done(LauncherUnits *u) {
        unit_state_done(&u->socket);
        unit_state_done(&u->service);
}

static int read_unit(sd_bus *bus, const char *name, const char *type_interface, UnitState *ret) {
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        /* LoadUnit answers for a unit that does not exist too (not-found). */
        int r = sd_bus_call_method(bus, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
                                   "org.freedesktop.systemd1.Manager", "LoadUnit", &error, &reply, "s", name);
        const char *path = NULL;
        if (r >= 0)
                r = sd_bus_message_read(reply, "o", &path);
        if (r < 0)
                return r;
        static const char unit_interface[] = "org.freedesktop.systemd1.Unit";
        const struct {
                const char *interface, *property;
                char **field;
        } properties[] = {
                { unit_interface, "LoadState", &ret->load_state },
                { unit_interface, "ActiveState", &ret->active_state },
                { unit_interface, "SubState", &ret->sub_state },
                { unit_interface, "UnitFileState", &ret->unit_file_state },
                { type_interface, "Result", &ret->result },
        };
        for (size_t i = 0; i < ELEMENTSOF(properties); i++) {
                sd_bus_error_free(&error);
                /* A unit that is not found has no Result: left NULL. */
                (void) sd_bus_get_property_string(bus, "org.freedesktop.systemd1", path, properties[i].interface,
                                                  properties[i].property, &error, properties[i].field);
        }
        return ret->load_state && ret->active_state ? 0 : -EIO;
}

int launcher_units_read(sd_bus *bus, LauncherUnits *ret) {
        *ret = (LauncherUnits){};
        (void) sd_bus_set_method_call_timeout(bus, MANAGER_TIMEOUT_USEC);
        int r = read_unit(bus, LAUNCHER_SOCKET_UNIT, "org.freedesktop.systemd1.Socket", &ret->socket);
        if (r >= 0)
                r = read_unit(bus, LAUNCHER_SERVICE_UNIT, "org.freedesktop.systemd1.Service", &ret->service);
        if (r < 0)
                launcher_units_done(ret);
        return r;
}

static bool is(const char *value, const char *expected) {
        return value && strcmp(value, expected) == 0;
}

int launcher_units_diagnose(const LauncherUnits *u, char *sentence, size_t size) {
        if (!u) {
                snprintf(sentence, size,
                         "the launcher is not running, and no systemd user manager answered to say why; run "
                         "sesame-launcherd, or in a session with one: systemctl --user enable --now %s",
                         LAUNCHER_SOCKET_UNIT);
                return EXIT_NOT_STARTED;
        }
        const UnitState *sock = &u->socket, *svc = &u->service;
        if (is(sock->load_state, "not-found")) {
                snprintf(sentence, size,
                         "the launcher is not running, and not installed: the user manager has no %s "
                         "(install sesame's user units, then: systemctl --user daemon-reload; or run "
                         "sesame-launcherd)",
                         LAUNCHER_SOCKET_UNIT);
                return EXIT_NOT_INSTALLED;
        }
        if (is(sock->load_state, "masked")) {
                snprintf(sentence, size, "the launcher is not running: %s is masked; run: systemctl --user unmask %s",
                         LAUNCHER_SOCKET_UNIT, LAUNCHER_SOCKET_UNIT);
                return EXIT_NOT_STARTED;
        }
        if (is(sock->active_state, "failed") || is(svc->active_state, "failed")) {
                /* The socket's failure is why nothing listens; the service's is
                 * where the journal says more. */
                char what[256];
                if (is(sock->active_state, "failed") && is(svc->active_state, "failed"))
                        snprintf(what, sizeof(what), "socket failed (%s) after its service failed (%s)",
                                 sock->result ?: "failed", svc->result ?: "failed");
                else if (is(sock->active_state, "failed"))
                        snprintf(what, sizeof(what), "socket failed (%s)", sock->result ?: "failed");
                else
                        snprintf(what, sizeof(what), "service failed (%s)", svc->result ?: "failed");
                snprintf(sentence, size,
                         "the launcher is not running: its %s; see: journalctl --user -u %s; once fixed, run: "
                         "systemctl --user reset-failed %s %s && systemctl --user start %s",
                         what, LAUNCHER_SERVICE_UNIT, LAUNCHER_SOCKET_UNIT, LAUNCHER_SERVICE_UNIT,
                         LAUNCHER_SOCKET_UNIT);
                return EXIT_SERVICE_FAILED;
        }
        if (is(svc->sub_state, "auto-restart")) {
                snprintf(sentence, size,
                         "the launcher is not running: its service failed (%s) and is being restarted; see: "
                         "journalctl --user -u %s",
                         svc->result ? svc->result : "failed", LAUNCHER_SERVICE_UNIT);
                return EXIT_SERVICE_FAILED;
        }
        if (!is(sock->active_state, "active")) {
                bool enabled = is(sock->unit_file_state, "enabled");
                snprintf(sentence, size, "the launcher is not running: its socket is %s%s; run: systemctl --user %s %s",
                         sock->active_state, enabled ? "" : " and not enabled", enabled ? "start" : "enable --now",
                         LAUNCHER_SOCKET_UNIT);
                return EXIT_NOT_STARTED;
        }
        snprintf(sentence, size,
                 "the launcher is not running here, though %s listens: is XDG_RUNTIME_DIR the session's? "
                 "(see: systemctl --user status %s)",
                 LAUNCHER_SOCKET_UNIT, LAUNCHER_SOCKET_UNIT);
        return 1;
}

int cmd_launcher_state(int argc, char *argv[]) {
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        LauncherUnits units = {};
        bool known = systemd_bus_open(&bus, NULL, false, NULL) >= 0 && launcher_units_read(bus, &units) >= 0;
        char sentence[1024];
        int status = launcher_units_diagnose(known ? &units : NULL, sentence, sizeof(sentence));
        launcher_units_done(&units);
        printf("%d\t%s\n", status, sentence);
        return 0;
}
