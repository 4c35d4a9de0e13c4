/* SPDX-License-Identifier: MIT */
/* The daemon's life: set up, serve, stop. One sd-event loop; every wait
 * (client, systemd, children) is a source on it. */
#include <assert.h>
#include <inttypes.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include "common/log.h"
#include "common/strv.h"
#include "ipc/keys.h"
#include "ipc/transport.h"
#include "launcher/daemon.h"
#include "launcher/handlers.h"
#include "launcher/manager.h"
#include "launcher/reload.h"

/* ---- signals */

static int on_reload_signal(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata) {
        Daemon *d = userdata;
        sd_notify(0, "RELOADING=1");
        reload_all(d);
        sd_notify(0, "READY=1");
        return 0;
}

static int on_stop_limit(sd_event_source *s, uint64_t usec, void *userdata) {
        Daemon *d = userdata;
        log_warning("%zu launches still in flight at the stop limit; exiting without their replies", d->in_flight);
        return sd_event_exit(d->event, 0);
}

/* Stops accepting and answers the launches in flight first, for at most
 * the time one launch may take (the Secret Service's limit, then
 * systemd's), so a stop never turns a launch into a lost reply. A second
 * signal exits at once. */
static int on_exit_signal(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata) {
        Daemon *d = userdata;
        const char *sig = sigabbrev_np((int) si->ssi_signo) ?: "signal";
        bool again = d->stopping;
        if (!again) {
                d->stopping = true;
                sd_notify(0, "STOPPING=1");
                ipc_server_stop_accepting(d->server);
        }
        if (again || d->in_flight == 0) {
                log_info("received SIG%s; exiting (launched apps keep running)", sig);
                return sd_event_exit(d->event, 0);
        }
        uint64_t limit = SESSION_ENV_TIMEOUT_USEC + d->config->secret_timeout_usec + spawner_timeout(d->spawner) +
                         1000000ULL;
        log_info("received SIG%s; exiting once %zu launches in flight are answered (at most %" PRIu64
                 " ms; launched apps keep running)",
                 sig, d->in_flight, limit / 1000);
        int r = sd_event_add_time_relative(d->event, NULL, CLOCK_MONOTONIC, limit, 0, on_stop_limit, d);
        return r < 0 ? sd_event_exit(d->event, 0) : 0;
}

static int setup_signals(Daemon *d) {
        sigset_t mask;
        sigemptyset(&mask);
        sigaddset(&mask, SIGTERM);
        sigaddset(&mask, SIGINT);
        sigaddset(&mask, SIGHUP);
        sigprocmask(SIG_BLOCK, &mask, NULL);

        int r = sd_event_add_signal(d->event, NULL, SIGTERM, on_exit_signal, d);
        if (r >= 0)
                r = sd_event_add_signal(d->event, NULL, SIGINT, on_exit_signal, d);
        if (r >= 0)
                r = sd_event_add_signal(d->event, NULL, SIGHUP, on_reload_signal, d);
        return r;
}

/* ---- setting up */

static int load_config(Daemon *d, const char *config_path, Error *e) {
        d->config_explicit = config_path != NULL;
        d->config_path = config_path ? strdup(config_path) : config_default_path();
        if (!d->config_path)
                return error_setf(e, -ENOENT, "no configuration path: neither XDG_CONFIG_HOME nor HOME is set");
        int r = config_load(d->config_path, !d->config_explicit, &d->config);
        if (r < 0)
                return error_setf(e, r, "cannot read the configuration: %s", strerror(-r));
        /* Never a reason not to serve: the valid parts do, and status lists the rest. */
        for (char **i = d->config->errors; i && *i; i++)
                log_error("%s", *i);
        if (r > 0)
                log_warning("serving with %d configuration error%s in force: what they touch is left out "
                            "(sesame status lists them)", r, r == 1 ? "" : "s");
        return 0;
}

static int load_key(NoiseKeypair *key, Error *e) {
        _cleanup_free_ char *dir = NULL;
        int r = ipc_config_dir(&dir, e);
        if (r < 0)
                return r;
        r = key_load(dir, "launcher", key, e);
        if (r != -ENOENT)
                return r;
        /* First start: make the key (sesame keys init does the same). */
        *e = (Error){};
        if ((r = noise_keypair_generate(key)) < 0)
                return error_setf(e, r, "cannot generate the launcher's key");
        log_info("created the launcher's key in %s", dir);
        return key_save(dir, "launcher", key, e);
}

static int setup_socket(Daemon *d, const NoiseKeypair *key, Error *e) {
        int r = ipc_socket_path(&d->socket_path, e);
        if (r < 0)
                return r;
        int n = sd_listen_fds(1);
        if (n > 1)
                return error_setf(e, -EINVAL, "expected one socket from systemd, got %d", n);
        if (n == 1) {
                d->listen_fd = SD_LISTEN_FDS_START;
                log_info("listening on the socket systemd passed");
        } else {
                r = ipc_listen(d->socket_path, &d->listen_fd, e);
                if (r < 0)
                        return r;
                d->listen_fd_ours = true;
        }
        _cleanup_free_ char *pub = NULL;
        if ((r = ipc_public_key_path(&pub, e)) < 0)
                return r;
        return key_publish(pub, key->public_key, e);
}

static void on_process_exited(pid_t pid, const siginfo_t *si, void *userdata) {
        Daemon *d = userdata;
        early_exits_exited(d->early_exits, pid, si);
        apps_process_exited(d->apps, pid);
}

static int setup_apps(Daemon *d, Error *e) {
        _cleanup_free_ char *runtime = NULL, *records = NULL;
        int r = ipc_runtime_dir(&runtime, e);
        if (r < 0)
                return r;
        if (asprintf(&records, "%s/apps", runtime) < 0)
                return error_setf(e, -ENOMEM, "cannot set up the table of apps: out of memory");
        if ((r = apps_new(&d->apps, d->event, records, e)) < 0)
                return r;
        if ((r = early_exits_new(&d->early_exits, d->event)) < 0)
                return error_setf(e, r, "out of memory");
        spawner_set_exit_hook(d->spawner, on_process_exited, d);
        return 0;
}

/* The environment a launch from this client will need, read while the
 * handshake runs (session-env.h). */
static void on_accepted(void *userdata) {
        Daemon *d = userdata;
        session_env_prefetch(d->session_env);
}

static int setup_server(Daemon *d, const NoiseKeypair *key, Error *e) {
        _cleanup_free_ char *registry = NULL, *config_dir = NULL;
        int r = ipc_config_dir(&config_dir, e);
        if (r < 0)
                return r;
        if (asprintf(&registry, "%s/clients.conf", config_dir) < 0)
                return error_setf(e, -ENOMEM, "out of memory");
        IpcServerOptions o = {
                .key = key,
                .registry_path = registry,
                .allow_ephemeral = d->config->allow_ephemeral_clients,
                .accepted = on_accepted,
        };
        r = ipc_server_new(&d->server, d->event, d->listen_fd, &o, handlers_dispatch, d);
        if (r < 0)
                return error_setf(e, r, "cannot set up the socket server: %s", strerror(-r));
        return 0;
}

static int setup_serving(Daemon *d, const NoiseKeypair *key, Error *e) {
        int r = setup_socket(d, key, e);
        if (r >= 0)
                r = setup_apps(d, e);
        if (r < 0)
                return r;
        if ((r = finder_new(&d->finder, d->event)) < 0)
                return error_setf(e, r, "out of memory");
        /* The search index made now, before serving (370 ms for 100,000
         * entries, 1 ms for a few hundred), not by the first search. */
        SearchIndex *index = NULL;
        (void) search_index_new(&index, d->entries);
        search_index_free(finder_set_entries(d->finder, d->entries, index));
        return setup_server(d, key, e);
}

int daemon_new(Daemon **ret, const char *config_path, Error *e) {
        _cleanup_(daemon_freep) Daemon *d = calloc(1, sizeof(*d));
        if (!d)
                return error_setf(e, -ENOMEM, "out of memory");
        d->listen_fd = -1;
        d->journal_listens = -1;

        int r = load_config(d, config_path, e);
        if (r < 0)
                return r;
        /* Wiped however this ends: the server keeps its own copy. */
        _cleanup_(noise_keypair_wipe) NoiseKeypair key = {};
        if ((r = load_key(&key, e)) < 0)
                return r;
        _cleanup_(strv_freep) char **dirs = xdg_data_dirs();
        if (!dirs || entry_cache_scan(dirs, entries_locale(), &d->entries) < 0)
                return error_setf(e, -ENOMEM, "cannot scan the desktop entries: out of memory");

        r = sd_event_default(&d->event);
        if (r >= 0)
                r = setup_signals(d);
        if (r >= 0)
                r = reloader_new(&d->reloader, d);
        if (r >= 0)
                r = sd_event_set_watchdog(d->event, true);
        if (r < 0)
                return error_setf(e, r, "cannot set up the event loop: %s", strerror(-r));
        (void) sd_event_now(d->event, CLOCK_MONOTONIC, &d->started_usec);

        if ((r = spawner_new(&d->spawner, d->event, NULL)) < 0)
                return error_setf(e, r, "cannot set up the spawn engine: %s", strerror(-r));
        /* Resident: a held child waits for the next launch. */
        spawner_set_spare(d->spawner, true);

        if ((r = setup_serving(d, &key, e)) < 0)
                return r;
        reload_apply(d);
        *ret = TAKE_PTR(d);
        return 0;
}

int daemon_run(Daemon *d) {
        log_info("ready on %s with %zu entries", d->socket_path, entry_cache_size(d->entries));
        sd_notifyf(0, "READY=1\nSTATUS=Serving %zu desktop entries on %s", entry_cache_size(d->entries),
                   d->socket_path);
        int r = sd_event_loop(d->event);
        if (r < 0)
                log_error("the event loop failed: %s", strerror(-r));
        return r;
}

Daemon *daemon_free(Daemon *d) {
        if (!d)
                return NULL;
        /* Launches waiting for the environment are answered first. */
        d->session_env = session_env_free(d->session_env);
        /* Launches waiting out an app's first second, answered too. */
        d->early_exits = early_exits_free(d->early_exits);
        ipc_server_free(d->server);
        spawner_free(d->spawner);
        apps_free(d->apps);
        finder_free(d->finder); /* the history's last rows written */
        reloader_free(d->reloader);
        sd_event_source_disable_unref(d->trim_timer);
        manager_disconnect(d);
        sd_bus_flush_close_unref(d->secrets_bus);
        if (d->listen_fd_ours)
                safe_close(d->listen_fd);
        sd_event_unref(d->event);
        entry_cache_free(d->entries);
        mimeapps_free(d->mimeapps);
        config_free(d->config);
        free(d->config_path);
        free(d->socket_path);
        free(d);
        return NULL;
}
