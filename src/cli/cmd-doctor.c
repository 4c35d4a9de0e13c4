/* SPDX-License-Identifier: MIT */
/* sesame doctor: every part a launch needs, checked in turn, each failure
 * with what fixes it. */
#include <getopt.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <systemd/sd-bus.h>

#include "cli/cli.h"
#include "cli/launcher-units.h"
#include "cli/picker.h"
#include "common/path.h"
#include "common/strv.h"
#include "config/launcher-conf.h"
#include "secrets/secret-service.h"
#include "spawn/systemd-bus.h"

#define DOCTOR_TIMEOUT_USEC (2 * 1000000ULL)

typedef enum CheckStatus { CHECK_OK, CHECK_WARN, CHECK_FAIL, CHECK_SKIP } CheckStatus;

typedef struct Check {
        const char *name;
        CheckStatus status;
        char message[1024];
        char fix[512];
} Check;

/* What the checks share: the connections they ask over. */
typedef struct Doctor {
        sd_bus *manager; /* the user manager, or NULL */
        sd_bus *session; /* the session bus, or NULL */
        bool launcher_running;
} Doctor;

_printf_(3, 4) static void said(Check *c, CheckStatus status, const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        c->status = status;
        vsnprintf(c->message, sizeof(c->message), fmt, ap);
        va_end(ap);
}

_printf_(2, 3) static void fix(Check *c, const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->fix, sizeof(c->fix), fmt, ap);
        va_end(ap);
}

/* ---- the checks */

static void check_units(Doctor *d, Check *c) {
        LauncherUnits u = {};
        if (!d->manager || launcher_units_read(d->manager, &u) < 0) {
                said(c, CHECK_FAIL, "no systemd user manager answers");
                fix(c, "log in to a session with a user manager (systemd --user), or run sesame-launcherd");
                return;
        }
        char why[1024];
        bool listening = strcmp(u.socket.active_state, "active") == 0;
        bool failed = strcmp(u.service.active_state, "failed") == 0 || strcmp(u.socket.active_state, "failed") == 0;
        if (!listening || failed) {
                (void) launcher_units_diagnose(&u, why, sizeof(why));
                said(c, CHECK_FAIL, "%s", why);
        } else if (!u.socket.unit_file_state || strncmp(u.socket.unit_file_state, "enabled", 7) != 0) {
                said(c, CHECK_WARN, "%s listens, but is %s: it will not after the next login", LAUNCHER_SOCKET_UNIT,
                     u.socket.unit_file_state ? u.socket.unit_file_state : "not enabled");
                fix(c, "systemctl --user enable %s", LAUNCHER_SOCKET_UNIT);
        } else
                said(c, CHECK_OK, "%s enabled and listening; the service %s", LAUNCHER_SOCKET_UNIT,
                     u.service.active_state);
        launcher_units_done(&u);
}

/* The keys, and whether the launcher takes this client's: one Status. */
static void check_launcher(Doctor *d, Check *c) {
        json_t *reply = NULL;
        call_quiet(true);
        int r = call_daemon("sesame doctor", "{\"method\":\"Status\"}", &reply, false);
        if (r != 0) {
                said(c, CHECK_FAIL, "%s", call_failure() ? call_failure() : "the launcher does not answer");
                return;
        }
        d->launcher_running = true;
        said(c, CHECK_OK, "this client's key is authorized; the launcher %s serves %lld entries",
             json_string_value(json_object_get(reply, "version")) ?: "",
             (long long) json_integer_value(json_object_get(reply, "entries")));
        json_decref(reply);
}

static void check_config(Doctor *d, Check *c) {
        _cleanup_free_ char *path = config_default_path();
        _cleanup_(config_freep) Config *config = NULL;
        if (!path || config_load(path, true, &config) < 0) {
                said(c, CHECK_FAIL, "cannot read the configuration: neither XDG_CONFIG_HOME nor HOME is set");
                return;
        }
        size_t n = strv_length(config->errors);
        if (n == 0) {
                said(c, CHECK_OK, "%s: %s", path, config->path ? "valid" : "not present; the defaults apply");
                return;
        }
        _cleanup_free_ char *all = strv_join(config->errors, "; ");
        said(c, CHECK_FAIL, "%zu error%s, each leaving out what it is in: %s", n, n == 1 ? "" : "s", all ?: "");
        fix(c, "correct %s (sesame config check lists the errors)", path);
}

/* How the compositor the doctor runs under hands its variables to the
 * user manager. */
static const char *export_hint(void) {
        const char *desktop = getenv("XDG_CURRENT_DESKTOP") ?: "";
        if (strstr(desktop, "sway"))
                return "in sway's config: exec systemctl --user import-environment WAYLAND_DISPLAY DISPLAY "
                       "XDG_CURRENT_DESKTOP SWAYSOCK";
        if (strstr(desktop, "Hyprland"))
                return "in hyprland.conf: exec-once = dbus-update-activation-environment --systemd WAYLAND_DISPLAY "
                       "DISPLAY XDG_CURRENT_DESKTOP";
        if (strstr(desktop, "niri"))
                return "start niri as niri-session (it imports them), or in its config: spawn-at-startup "
                       "\"dbus-update-activation-environment\" \"--systemd\" \"--all\"";
        return "the session's startup must run: systemctl --user import-environment WAYLAND_DISPLAY DISPLAY "
               "XDG_CURRENT_DESKTOP (sway: exec ...; Hyprland: exec-once = ...; niri: niri-session)";
}

static void check_session_env(Doctor *d, Check *c) {
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(strv_freep) char **env = NULL;
        if (!d->manager || sd_bus_get_property_strv(d->manager, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
                                                    "org.freedesktop.systemd1.Manager", "Environment", &error,
                                                    &env) < 0) {
                said(c, CHECK_SKIP, "not checked: no user manager answers");
                return;
        }
        char missing[256] = "";
        if (!strv_env_has(env, "WAYLAND_DISPLAY") && !strv_env_has(env, "DISPLAY"))
                strcat(missing, " WAYLAND_DISPLAY or DISPLAY (apps cannot open a window),");
        if (!strv_env_has(env, "XDG_CURRENT_DESKTOP"))
                strcat(missing, " XDG_CURRENT_DESKTOP (OnlyShowIn=, portals),");
        if (!strv_env_has(env, "DBUS_SESSION_BUS_ADDRESS"))
                strcat(missing, " DBUS_SESSION_BUS_ADDRESS,");
        if (!missing[0]) {
                said(c, CHECK_OK, "the user manager has the display, XDG_CURRENT_DESKTOP and the session bus");
                return;
        }
        missing[strlen(missing) - 1] = 0;
        said(c, CHECK_FAIL, "the user manager's environment, which every app gets, lacks%s", missing);
        fix(c, "%s", export_hint());
}

static void check_secret_service(Doctor *d, Check *c) {
        Error e = {};
        _cleanup_(secret_service_freep) SecretService *s = NULL;
        if (!d->session || secret_service_open(&s, d->session, DOCTOR_TIMEOUT_USEC, &e) < 0) {
                said(c, CHECK_FAIL, "%s", d->session ? error_message(&e) : "no session bus");
                fix(c, "start a Secret Service (gnome-keyring, KeePassXC with its Secret Service integration, "
                       "KWallet); only launches with secrets need one");
                return;
        }
        _cleanup_(strv_freep) char **unlocked = NULL, **locked = NULL;
        if (secret_service_search(s, NULL, NULL, &unlocked, &locked, &e) < 0) {
                said(c, CHECK_FAIL, "the Secret Service answers, but not a listing: %s", error_message(&e));
                return;
        }
        if (locked && locked[0]) {
                said(c, CHECK_WARN, "reachable; %zu locked item%s or collection%s: launches with their secrets are "
                     "refused until unlocked", strv_length(locked), strv_length(locked) == 1 ? "" : "s",
                     strv_length(locked) == 1 ? "" : "s");
                fix(c, "sesame unlock (or sesame launch --unlock)");
        } else
                said(c, CHECK_OK, "reachable, %zu item%s, nothing locked", strv_length(unlocked),
                     strv_length(unlocked) == 1 ? "" : "s");
}

/* Asked for its name, as a notification would be shown: a server that is
 * only activatable is started, and one that cannot start fails here. */
static void check_notifications(Doctor *d, Check *c) {
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        const char *name = NULL, *vendor = NULL, *version = NULL;
        if (!d->session) {
                said(c, CHECK_FAIL, "no session bus: a launch from a key binding that fails is seen nowhere");
                return;
        }
        if (sd_bus_call_method(d->session, "org.freedesktop.Notifications", "/org/freedesktop/Notifications",
                               "org.freedesktop.Notifications", "GetServerInformation", &error, &reply, "") >= 0 &&
            sd_bus_message_read(reply, "sss", &name, &vendor, &version) >= 0)
                said(c, CHECK_OK, "%s %s shows notifications", name, version);
        else {
                said(c, CHECK_FAIL, "no notification server answers (%s): a launch from a key binding that fails is "
                     "seen nowhere", error.message ? error.message : "no reply");
                fix(c, "run one in the session (mako, dunst, swaync, fnott)");
        }
}

static void check_picker(Doctor *d, Check *c) {
        _cleanup_free_ char *picker = picker_choose(NULL);
        if (!picker) {
                said(c, CHECK_FAIL, "sesame menu finds no picker to run here");
                fix(c, "install fuzzel, wofi, rofi, bemenu or tofi, or set Picker= in launcher.conf");
                return;
        }
        /* Its program: the command's first word. */
        char program[256];
        snprintf(program, sizeof(program), "%.*s", (int) strcspn(picker, " \t"), picker);
        _cleanup_free_ char *exe = path_find_executable(program);
        if (exe)
                said(c, CHECK_OK, "sesame menu runs: %s", picker);
        else {
                said(c, CHECK_FAIL, "sesame menu would run '%s', and %s is not installed", picker, program);
                fix(c, "install %s, or set Picker= in launcher.conf to a picker that is", program);
        }
}

static bool is_socket(const char *path) {
        struct stat st;
        return stat(path, &st) == 0 && S_ISSOCK(st.st_mode);
}

static void check_journal(Doctor *d, Check *c) {
        if (is_socket("/run/systemd/journal/socket") && is_socket("/run/systemd/journal/stdout"))
                said(c, CHECK_OK, "systemd-journald listens: the launcher's log and the apps' output are kept");
        else {
                said(c, CHECK_FAIL, "no systemd-journald: the launcher's log and the apps' output go to its stderr, "
                     "and an app that dies at once is reported without its last lines");
                fix(c, "run the session under systemd, which starts systemd-journald");
        }
}

static const struct {
        const char *name;
        void (*run)(Doctor *d, Check *c);
} checks[] = {
        { "units", check_units },
        { "launcher", check_launcher },
        { "configuration", check_config },
        { "session environment", check_session_env },
        { "secret service", check_secret_service },
        { "notifications", check_notifications },
        { "picker", check_picker },
        { "journal", check_journal },
};

static const char *const status_names[] = { "ok", "warn", "FAIL", "skip" };

static void doctor_help(void) {
        printf("Usage: sesame doctor [--json]\n"
               "\n"
               "Check every part a launch needs and say what fixes what is wrong: the\n"
               "launcher's user units (installed, enabled, listening, not failed); the\n"
               "launcher itself, this client's key and its authorization; the\n"
               "configuration (errors with file:line); the session environment in the\n"
               "user manager (a display, XDG_CURRENT_DESKTOP, the session bus: what the\n"
               "compositor must export, and how); the Secret Service (reachable, locked);\n"
               "a notification server; the picker sesame menu would run; journald.\n"
               "\n"
               "  --json  one JSON object: ok, and each check's name, status, message, fix\n"
               "\n"
               "Exit status: 0 when every check passes (warnings included), 1 otherwise.\n");
}

int cmd_doctor(int argc, char *argv[]) {
        bool json;
        int r = call_parse_json_only("sesame doctor", argc, argv, doctor_help, &json);
        if (r != 0)
                return r < 0 ? 0 : r;
        Doctor d = {};
        if (systemd_bus_open(&d.manager, NULL, false, NULL) >= 0)
                (void) sd_bus_set_method_call_timeout(d.manager, DOCTOR_TIMEOUT_USEC);
        if (sd_bus_open_user(&d.session) >= 0)
                (void) sd_bus_set_method_call_timeout(d.session, DOCTOR_TIMEOUT_USEC);

        bool all_pass = true;
        json_t *list = json_array();
        for (size_t i = 0; i < ELEMENTSOF(checks); i++) {
                Check c = { .name = checks[i].name };
                checks[i].run(&d, &c);
                all_pass = all_pass && c.status != CHECK_FAIL;
                if (json)
                        json_array_append_new(list, json_pack("{s:s,s:s,s:s,s:s?}", "name", c.name, "status",
                                                              status_names[c.status], "message", c.message, "fix",
                                                              c.fix[0] ? c.fix : NULL));
                else {
                        printf("%-5s %-20s %s\n", status_names[c.status], c.name, c.message);
                        if (c.fix[0])
                                printf("      %-20s fix: %s\n", "", c.fix);
                }
        }
        if (json) {
                json_t *out = json_pack("{s:b,s:o}", "ok", all_pass, "checks", list);
                print_json(out);
                json_decref(out);
        } else
                json_decref(list);
        sd_bus_flush_close_unref(d.manager);
        sd_bus_flush_close_unref(d.session);
        return all_pass ? 0 : 1;
}
