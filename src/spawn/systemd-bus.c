/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "spawn/systemd-bus.h"


static int bus_open_private(sd_bus **ret) {
        const char *runtime = getenv("XDG_RUNTIME_DIR");
        if (!runtime || runtime[0] != '/')
                return -ENXIO;

        char path[4096];
        if (snprintf(path, sizeof(path), "%s/systemd/private", runtime) >= (int) sizeof(path))
                return -ENAMETOOLONG;
        if (access(path, F_OK) < 0)
                return negative_errno();

        char address[4200];
        snprintf(address, sizeof(address), "unix:path=%s", path);

        _cleanup_(sd_bus_unrefp) sd_bus *bus = NULL;
        int r = sd_bus_new(&bus);
        if (r < 0)
                return r;
        r = sd_bus_set_address(bus, address);
        if (r < 0)
                return r;
        r = sd_bus_start(bus);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(bus);
        return 0;
}

int systemd_bus_open(sd_bus **ret, sd_event *event, bool private_only, Error *e) {
        assert_return(ret, -EINVAL);

        /* The manager's own socket first, as systemctl --user does: it
         * closes when the manager goes (on the user bus, a call to a
         * manager that went waits for an activation that never comes), and
         * the manager sends its signals there unasked. */
        _cleanup_(sd_bus_unrefp) sd_bus *bus = NULL;
        int r = bus_open_private(&bus);
        if (r < 0 && private_only)
                return error_setf(e, r, "the systemd user manager does not answer on its socket: %s", strerror(-r));
        if (r < 0) {
                log_debug("no private socket of the user manager (%s), trying the user bus", strerror(-r));
                r = sd_bus_open_user(&bus);
                if (r < 0)
                        return error_setf(e, r, "no systemd user manager reachable: %s", strerror(-r));
        }
        /* A closed connection is the manager gone, not a reason to stop. */
        (void) sd_bus_set_exit_on_disconnect(bus, false);

        if (event) {
                r = sd_bus_attach_event(bus, event, SD_EVENT_PRIORITY_NORMAL);
                if (r < 0)
                        return error_setf(e, r, "cannot attach the bus to the event loop: %s", strerror(-r));
        }
        *ret = TAKE_PTR(bus);
        return 0;
}

static int append_property(sd_bus_message *m, const UnitProperty *p) {
        switch (p->type) {
        case 't':
                return sd_bus_message_append(m, "(sv)", p->bus_name, "t", p->number);
        case 'u':
                return sd_bus_message_append(m, "(sv)", p->bus_name, "u", (uint32_t) p->number);
        case 's':
                return sd_bus_message_append(m, "(sv)", p->bus_name, "s", p->strings[0]);
        default: {
                int r = sd_bus_message_open_container(m, 'r', "sv");
                if (r >= 0)
                        r = sd_bus_message_append(m, "s", p->bus_name);
                if (r >= 0)
                        r = sd_bus_message_open_container(m, 'v', "as");
                if (r >= 0)
                        r = sd_bus_message_append_strv(m, p->strings);
                if (r >= 0)
                        r = sd_bus_message_close_container(m);
                return r >= 0 ? sd_bus_message_close_container(m) : r;
        }
        }
}

static int new_start_call(sd_bus *bus, sd_bus_message **ret, const char *unit, const char *description,
                          const char *slice) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        int r = sd_bus_message_new_method_call(bus, &m, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
                                               "org.freedesktop.systemd1.Manager", "StartTransientUnit");
        if (r >= 0)
                r = sd_bus_message_append(m, "ss", unit, "fail");
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'a', "(sv)");
        if (r >= 0)
                r = sd_bus_message_append(m, "(sv)(sv)(sv)", "Description", "s", description ? description : unit,
                                          "Slice", "s", slice ? slice : "app.slice",
                                          /* A failed app's unit is collected too, instead of
                                           * lingering until someone runs reset-failed. */
                                          "CollectMode", "s", "inactive-or-failed");
        if (r < 0)
                return r;
        *ret = TAKE_PTR(m);
        return 0;
}

/* The unit settings, and the end of the call. */
static int finish_start_call(sd_bus *bus, sd_bus_message *m, const UnitProperty *properties, size_t n_properties,
                             uint64_t timeout_usec, sd_bus_slot **ret_slot, sd_bus_message_handler_t callback,
                             void *userdata) {
        int r = 0;
        for (size_t i = 0; r >= 0 && i < n_properties; i++)
                r = append_property(m, &properties[i]);
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        if (r >= 0)
                r = sd_bus_message_append(m, "a(sa(sv))", 0);
        if (r < 0)
                return r;
        return sd_bus_call_async(bus, ret_slot, m, callback, userdata, timeout_usec);
}

int systemd_start_service_async(sd_bus *bus, sd_bus_slot **ret_slot, const char *unit, char *const *argv,
                                int stdin_fd, const ServiceOutput *output, const char *description,
                                const char *slice, const char *source_path, const UnitProperty *properties,
                                size_t n_properties, uint64_t timeout_usec, sd_bus_message_handler_t callback,
                                void *userdata) {
        assert_return(bus && unit && argv && argv[0] && stdin_fd >= 0 && output && callback, -EINVAL);

        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        int r = new_start_call(bus, &m, unit, description, slice);
        if (r >= 0)
                r = sd_bus_message_append(m, "(sv)(sv)(sv)", "Type", "s", "exec", "ExitType", "s", "cgroup",
                                          "StandardInputFileDescriptor", "h", stdin_fd);
        if (r >= 0)
                r = sd_bus_message_append(m, "(sv)", "StandardOutput", "s",
                                          output->identifier && output->stdout_journal ? "journal" : "null");
        if (r >= 0 && output->identifier)
                r = sd_bus_message_append(m, "(sv)(sv)", "StandardError", "s", "journal", "SyslogIdentifier", "s",
                                          output->identifier);
        else if (r >= 0 && (output->null || output->stderr_fd < 0))
                r = sd_bus_message_append(m, "(sv)", "StandardError", "s", "null");
        else if (r >= 0)
                r = sd_bus_message_append(m, "(sv)", "StandardErrorFileDescriptor", "h", output->stderr_fd);
        if (r >= 0 && source_path)
                r = sd_bus_message_append(m, "(sv)", "SourcePath", "s", source_path);
        /* ExecStart: a(sasb), one command, whose failure fails the unit. */
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'r', "sv");
        if (r >= 0)
                r = sd_bus_message_append(m, "s", "ExecStart");
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'v', "a(sasb)");
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'a', "(sasb)");
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'r', "sasb");
        if (r >= 0)
                r = sd_bus_message_append(m, "s", argv[0]);
        if (r >= 0)
                r = sd_bus_message_append_strv(m, (char **) argv);
        if (r >= 0)
                r = sd_bus_message_append(m, "b", false);
        for (int i = 0; r >= 0 && i < 4; i++)
                r = sd_bus_message_close_container(m);
        if (r < 0)
                return r;
        return finish_start_call(bus, m, properties, n_properties, timeout_usec, ret_slot, callback, userdata);
}

int systemd_start_scope_async(sd_bus *bus, sd_bus_slot **ret_slot, const char *unit, pid_t pid,
                              const char *description, const char *slice, const UnitProperty *properties,
                              size_t n_properties, uint64_t timeout_usec, sd_bus_message_handler_t callback,
                              void *userdata) {
        assert_return(bus && unit && pid > 0 && callback, -EINVAL);

        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        int r = new_start_call(bus, &m, unit, description, slice);
        if (r >= 0)
                r = sd_bus_message_append(m, "(sv)", "PIDs", "au", 1, (uint32_t) pid);
        if (r < 0)
                return r;
        return finish_start_call(bus, m, properties, n_properties, timeout_usec, ret_slot, callback, userdata);
}

int systemd_get_environment_async(sd_bus *bus, sd_bus_slot **ret_slot, uint64_t timeout_usec,
                                  sd_bus_message_handler_t callback, void *userdata) {
        assert_return(bus && callback, -EINVAL);
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        int r = sd_bus_message_new_method_call(bus, &m, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
                                               "org.freedesktop.DBus.Properties", "Get");
        if (r >= 0)
                r = sd_bus_message_append(m, "ss", "org.freedesktop.systemd1.Manager", "Environment");
        if (r < 0)
                return r;
        return sd_bus_call_async(bus, ret_slot, m, callback, userdata, timeout_usec);
}

int systemd_read_environment(sd_bus_message *reply, char ***ret) {
        assert_return(reply && ret, -EINVAL);
        const sd_bus_error *error = sd_bus_message_get_error(reply);
        if (error)
                return -sd_bus_error_get_errno(error);
        int r = sd_bus_message_enter_container(reply, 'v', "as");
        if (r < 0)
                return r;
        return sd_bus_message_read_strv(reply, ret);
}

static int match_installed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        (void) userdata;
        (void) ret_error;
        const sd_bus_error *error = sd_bus_message_get_error(m);
        if (error)
                /* Launches still work: they fall back when the job wait times out. */
                log_warning("cannot subscribe to systemd job completion: %s", error->message);
        return 0;
}

int systemd_watch_properties(sd_bus *bus, sd_bus_slot **ret_slot, sd_bus_message_handler_t callback,
                             void *userdata) {
        assert_return(bus && callback, -EINVAL);
        const char *sender = sd_bus_is_bus_client(bus) > 0 ? "org.freedesktop.systemd1" : NULL;
        return sd_bus_match_signal_async(bus, ret_slot, sender, NULL, "org.freedesktop.DBus.Properties",
                                         "PropertiesChanged", callback, match_installed, userdata);
}

int systemd_read_main_exit(sd_bus_message *m, int32_t *ret_code, int32_t *ret_status) {
        bool code = false, status = false;
        int r = sd_bus_message_enter_container(m, 'a', "{sv}");
        if (r < 0)
                return r;
        const char *name;
        while ((r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
                if ((r = sd_bus_message_read(m, "s", &name)) < 0)
                        return r;
                if (strcmp(name, "ExecMainCode") == 0 || strcmp(name, "ExecMainStatus") == 0) {
                        bool is_code = name[8] == 'C';
                        if ((r = sd_bus_message_read(m, "v", "i", is_code ? ret_code : ret_status)) < 0)
                                return r;
                        *(is_code ? &code : &status) = true;
                } else if ((r = sd_bus_message_skip(m, "v")) < 0)
                        return r;
                if ((r = sd_bus_message_exit_container(m)) < 0)
                        return r;
        }
        return r < 0 ? r : code && status;
}

int systemd_watch_jobs(sd_bus *bus, sd_bus_slot **ret_slot, sd_bus_message_handler_t callback, void *userdata) {
        assert_return(bus && callback, -EINVAL);

        /* On a direct connection to the manager there is no broker to route
         * by sender, and messages carry none. */
        const char *sender = sd_bus_is_bus_client(bus) > 0 ? "org.freedesktop.systemd1" : NULL;
        return sd_bus_match_signal_async(bus, ret_slot, sender, "/org/freedesktop/systemd1",
                                         "org.freedesktop.systemd1.Manager", "JobRemoved", callback,
                                         match_installed, userdata);
}
