/* SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <libgen.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

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

/* A scan of the desktop entries on a thread of its own: 100,000 files
 * take 1.8 s, which the loop must not wait; the old index serves
 * meanwhile. The thread reads only what it was given and says it is done
 * on `fd` (an eventfd). */
typedef struct Scan {
        char **dirs;
        char *locale;
        EntryCache *result;
        SearchIndex *index;       /* of result, made here too: 370 ms for 100,000 entries */
        int error;
        int fd;
        pthread_t thread;
} Scan;

struct Reloader {
        Daemon *daemon;
        sd_event_source *config_watch, *config_timer;
        sd_event_source *app_watches[MAX_APP_WATCHES];
        size_t n_app_watches;
        sd_event_source *entries_timer;
        Scan *scan;               /* under way, or NULL */
        sd_event_source *scan_done;
        bool scan_again;          /* a change came during the scan */
        bool rewatch;             /* a directory came: the trees are watched anew after the scan */
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
        int r = config_load(d->config_path, !d->config_explicit, &c);
        if (r < 0) {
                log_error("configuration not reloaded (%s): the previous one stays in force", strerror(-r));
                return;
        }
        /* As at start: the valid parts serve, what an error touches is left out. */
        for (char **i = c->errors; i && *i; i++)
                log_error("%s", *i);
        config_free(d->config);
        d->config = c;
        reload_apply(d);
        if (r > 0)
                log_warning("configuration reloaded from %s with %d error%s in force: what they touch is left out "
                            "(sesame status lists them)", d->config_path, r, r == 1 ? "" : "s");
        else
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

/* What a rescan replaced. */
typedef struct Replaced {
        EntryCache *entries;
        SearchIndex *index; /* points into entries */
} Replaced;

static void *free_thread(void *userdata) {
        Replaced *old = userdata;
        search_index_free(old->index);
        entry_cache_free(old->entries);
        free(old);
        /* The scan's scratch and the old cache, back to the system. */
        daemon_trim_memory();
        return NULL;
}

/* The old entries and their search index freed off the loop too: 100,000
 * entries take 350 ms to free. Nothing points into them once they are
 * replaced (plans and apps keep copies). */
static void entries_free_later(EntryCache *entries, SearchIndex *index) {
        Replaced *old = malloc(sizeof(*old));
        if (!old) {
                search_index_free(index);
                entry_cache_free(entries);
                return;
        }
        *old = (Replaced){ entries, index };
        pthread_t thread;
        pthread_attr_t attr;
        bool detached = pthread_attr_init(&attr) == 0 &&
                        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED) == 0 &&
                        pthread_create(&thread, &attr, free_thread, old) == 0;
        (void) pthread_attr_destroy(&attr);
        if (!detached)
                free_thread(old);
}

/* The new entries, and their search index if made, in place of the old. */
static void entries_replace(Daemon *d, EntryCache *c, SearchIndex *index) {
        EntryCache *old = d->entries;
        d->entries = c;
        d->entries_generation++;
        entries_free_later(old, finder_set_entries(d->finder, c, index));
        log_info("desktop entries rescanned: %zu", entry_cache_size(c));
        /* New subdirectories get watched too: walking the trees again reads
         * every entry of every directory (32 ms for 100,000 files), so only
         * when a directory came. */
        if (d->reloader->rewatch) {
                d->reloader->rewatch = false;
                watch_applications(d->reloader);
        }
}

static void *scan_thread(void *userdata) {
        Scan *s = userdata;
        s->error = entry_cache_scan(s->dirs, s->locale, &s->result);
        /* Without it, the first search after the swap makes it, on the loop. */
        if (s->error >= 0)
                (void) search_index_new(&s->index, s->result);
        (void) eventfd_write(s->fd, 1);
        return NULL;
}

static Scan *scan_free(Scan *s) {
        if (!s)
                return NULL;
        safe_close(s->fd);
        strv_free(s->dirs);
        free(s->locale);
        search_index_free(s->index);
        entry_cache_free(s->result);
        free(s);
        return NULL;
}

/* The thread joined, and its scan let go of. */
static void scan_end(Reloader *w) {
        (void) pthread_join(w->scan->thread, NULL);
        w->scan_done = sd_event_source_disable_unref(w->scan_done);
}

static void rescan_entries(Daemon *d);

static int on_scan_done(sd_event_source *source, int fd, uint32_t revents, void *userdata) {
        Reloader *w = userdata;
        scan_end(w);
        Scan *s = TAKE_PTR(w->scan);
        if (s->error < 0)
                log_error("cannot rescan the desktop entries: out of memory; keeping the old list");
        else {
                EntryCache *c = TAKE_PTR(s->result);
                entries_replace(w->daemon, c, TAKE_PTR(s->index));
        }
        scan_free(s);
        if (w->scan_again) {
                w->scan_again = false;
                rescan_entries(w->daemon);
        }
        return 0;
}

static void rescan_entries(Daemon *d) {
        Reloader *w = d->reloader;
        if (w->scan) {
                /* Once more after it: it may have read the directories
                 * before this change. */
                w->scan_again = true;
                return;
        }
        Scan *s = calloc(1, sizeof(*s));
        if (s) {
                s->fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
                s->dirs = xdg_data_dirs();
                s->locale = strdup(entries_locale());
        }
        if (!s || s->fd < 0 || !s->dirs || !s->locale ||
            sd_event_add_io(d->event, &w->scan_done, s->fd, EPOLLIN, on_scan_done, w) < 0) {
                log_error("cannot rescan the desktop entries: out of resources; keeping the old list");
                scan_free(s);
                return;
        }
        int r = pthread_create(&s->thread, NULL, scan_thread, s);
        if (r != 0) {
                log_error("cannot rescan the desktop entries: no thread (%s); keeping the old list", strerror(r));
                w->scan_done = sd_event_source_disable_unref(w->scan_done);
                scan_free(s);
                return;
        }
        w->scan = s;
}

void reload_all(Daemon *d) {
        reload_config(d);
        d->reloader->rewatch = true;
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
        if (ev->mask & IN_ISDIR)
                w->rewatch = true;
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
        if (w->scan) {
                /* A scan under way is waited for: its thread reads what it owns. */
                scan_end(w);
                scan_free(w->scan);
        }
        free(w);
        return NULL;
}
