/* SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>

#include "common/event-util.h"
#include "common/log.h"
#include "common/strv.h"
#include "launcher/manager.h"
#include "launcher/reload.h"

/* Quiet time after the last change before acting on it. */
#define CONFIG_DEBOUNCE_USEC (100 * 1000)
#define ENTRIES_DEBOUNCE_USEC (250 * 1000)
#define MAX_APP_WATCHES 256
/* How deep below an applications directory subdirectories are watched. */
#define APP_WATCH_DEPTH 4

struct Reloader {
        Daemon *daemon;
        sd_event_source *config_watch, *config_timer;
        sd_event_source *app_watches[MAX_APP_WATCHES];
        size_t n_app_watches;
        sd_event_source *entries_timer;
};

void reload_apply(Daemon *d) {
        const Config *c = d->config;
        if (c->scope == SCOPE_MODE_DBUS)
                manager_connect(d);
        spawner_set_scope_timeout(d->spawner, c->scope_timeout_usec);
        spawner_set_unit_names(d->spawner, c->unit_names);
        ipc_server_set_allow_ephemeral(d->server, c->allow_ephemeral_clients);
        finder_configure(d->finder, c);
}

static void reload_config(Daemon *d) {
        Config *c = NULL;
        _cleanup_(strv_freep) char **errors = NULL;
        int r = config_load(d->config_path, !d->config_explicit, &c, &errors);
        if (r < 0) {
                for (char **i = errors; i && *i; i++)
                        log_error("%s", *i);
                log_error("configuration not reloaded: the previous one stays in force");
                return;
        }
        config_free(d->config);
        d->config = c;
        reload_apply(d);
        log_info("configuration reloaded from %s", d->config_path);
}

/* ---- watching the applications trees */

static int on_applications_change(sd_event_source *s, const struct inotify_event *ev, void *userdata);

static void watch_tree(Reloader *w, const char *dir, unsigned depth) {
        if (depth > APP_WATCH_DEPTH || w->n_app_watches >= MAX_APP_WATCHES)
                return;
        const uint32_t mask = IN_CREATE | IN_DELETE | IN_MOVED_TO | IN_MOVED_FROM | IN_CLOSE_WRITE | IN_ATTRIB;
        if (sd_event_add_inotify(w->daemon->event, &w->app_watches[w->n_app_watches], dir, mask,
                                 on_applications_change, w) < 0)
                return; /* a directory that does not exist (yet) */
        w->n_app_watches++;
        DIR *dd = opendir(dir);
        struct dirent *de;
        while (dd && (de = readdir(dd))) {
                char sub[PATH_MAX];
                if (de->d_type == DT_DIR && de->d_name[0] != '.' &&
                    snprintf(sub, sizeof(sub), "%s/%s", dir, de->d_name) < (int) sizeof(sub))
                        watch_tree(w, sub, depth + 1);
        }
        if (dd)
                closedir(dd);
}

static void unwatch_applications(Reloader *w) {
        for (size_t i = 0; i < w->n_app_watches; i++)
                sd_event_source_disable_unref(w->app_watches[i]);
        w->n_app_watches = 0;
}

/* Every applications directory, and the data directories themselves so
 * that an applications directory created later is noticed. */
static void watch_applications(Reloader *w) {
        unwatch_applications(w);
        _cleanup_(strv_freep) char **dirs = xdg_data_dirs();
        for (char **dir = dirs; dir && *dir; dir++) {
                char apps[PATH_MAX];
                if (snprintf(apps, sizeof(apps), "%s/applications", *dir) >= (int) sizeof(apps))
                        continue;
                if (w->n_app_watches < MAX_APP_WATCHES &&
                    sd_event_add_inotify(w->daemon->event, &w->app_watches[w->n_app_watches], *dir,
                                         IN_CREATE | IN_MOVED_TO | IN_ONLYDIR, on_applications_change, w) >= 0)
                        w->n_app_watches++;
                watch_tree(w, apps, 0);
        }
}

static void rescan_entries(Daemon *d) {
        _cleanup_(strv_freep) char **dirs = xdg_data_dirs();
        EntryCache *c = NULL;
        if (!dirs || entry_cache_scan(dirs, entries_locale(), &c) < 0) {
                log_error("cannot rescan the desktop entries: out of memory; keeping the old list");
                return;
        }
        entry_cache_free(d->entries);
        d->entries = c;
        d->entries_generation++;
        finder_set_entries(d->finder, c);
        /* The scan's scratch and the old cache, back to the system. */
        daemon_trim_memory();
        log_info("desktop entries rescanned: %zu", entry_cache_size(c));
        /* New subdirectories get watched too. */
        watch_applications(d->reloader);
}

void reload_all(Daemon *d) {
        reload_config(d);
        rescan_entries(d);
}

/* ---- debouncing */

static int on_config_timer(sd_event_source *s, uint64_t usec, void *userdata) {
        Reloader *w = userdata;
        reload_config(w->daemon);
        return 0;
}

static int on_entries_timer(sd_event_source *s, uint64_t usec, void *userdata) {
        Reloader *w = userdata;
        rescan_entries(w->daemon);
        return 0;
}

static void debounce(Reloader *w, sd_event_source **timer, uint64_t usec, sd_event_time_handler_t handler) {
        if (event_reset_time_relative(w->daemon->event, timer, usec, 0, handler, w) < 0)
                log_warning("cannot arm a timer; the change applies at the next SIGHUP");
}

static int on_config_dir_change(sd_event_source *s, const struct inotify_event *ev, void *userdata) {
        Reloader *w = userdata;
        _cleanup_free_ char *copy = strdup(w->daemon->config_path);
        if (copy && ev->len > 0 && strcmp(ev->name, basename(copy)) == 0)
                debounce(w, &w->config_timer, CONFIG_DEBOUNCE_USEC, on_config_timer);
        return 0;
}

static int on_applications_change(sd_event_source *s, const struct inotify_event *ev, void *userdata) {
        Reloader *w = userdata;
        debounce(w, &w->entries_timer, ENTRIES_DEBOUNCE_USEC, on_entries_timer);
        return 0;
}

static int watch_config(Reloader *w) {
        _cleanup_free_ char *copy = strdup(w->daemon->config_path);
        if (!copy)
                return -ENOMEM;
        /* The directory, not the file: editors replace files by renaming,
         * and the file may not exist yet. */
        const char *dir = dirname(copy);
        int r = sd_event_add_inotify(w->daemon->event, &w->config_watch, dir,
                                     IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MOVED_FROM,
                                     on_config_dir_change, w);
        if (r < 0)
                log_notice("not watching %s (%s); send SIGHUP after editing the configuration", dir, strerror(-r));
        return 0;
}

int reloader_new(Reloader **ret, Daemon *d) {
        Reloader *w = calloc(1, sizeof(*w));
        if (!w)
                return -ENOMEM;
        w->daemon = d;
        int r = watch_config(w);
        if (r < 0) {
                reloader_free(w);
                return r;
        }
        watch_applications(w);
        *ret = w;
        return 0;
}

Reloader *reloader_free(Reloader *w) {
        if (!w)
                return NULL;
        unwatch_applications(w);
        sd_event_source_disable_unref(w->config_watch);
        sd_event_source_disable_unref(w->config_timer);
        sd_event_source_disable_unref(w->entries_timer);
        free(w);
        return NULL;
}
