/* SPDX-License-Identifier: MIT */
/* The requests other than Launch (launch.c): Status, Entries, List, Stop,
 * Unlock, and the finder's Search and History requests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/strv.h"
#include "common/utf8.h"
#include "launcher/handlers.h"
#include "launcher/launch.h"
#include "launcher/open.h"
#include "launcher/reply.h"
#include "secrets/unlock.h"
#include "spawn/unit-name.h"
#include "sesame-build.h"

typedef void (*handler_t)(Daemon *d, IpcConnection *c, const Request *req);

static void handle_status(Daemon *d, IpcConnection *c, const Request *req) {
        uint64_t now;
        sd_event_now(d->event, CLOCK_MONOTONIC, &now);
        json_t *o = json_pack("{s:s,s:I,s:I,s:I,s:I,s:I,s:I}", "version", SESAME_VERSION, "uptime_sec",
                              (json_int_t) ((now - d->started_usec) / 1000000), "entries",
                              (json_int_t) entry_cache_size(d->entries), "launches", (json_int_t) d->launches,
                              "in_flight", (json_int_t) d->in_flight, "children",
                              (json_int_t) spawner_children(d->spawner), "connections",
                              (json_int_t) ipc_server_connections(d->server));
        /* The configuration in force, and what its errors left out. An
         * error may quote a value of the file (an Environment= word): for
         * a `launch` client (a picker) their number only. */
        bool all = ipc_connection_peer(c)->clearance >= CLEARANCE_SECRETS;
        json_t *errors = all ? json_strv(d->config->errors) : json_integer((json_int_t) strv_length(d->config->errors));
        json_t *config = o ? json_pack("{s:s?,s:o}", "config", d->config->path, "config_errors", errors) : NULL;
        if (!config || json_object_update(o, config) < 0)
                o = (json_decref(o), NULL);
        json_decref(config);
        daemon_reply(c, reply_json(o));
}

static void handle_entries(Daemon *d, IpcConnection *c, const Request *req) {
        /* "All of them" is a page too: past REQUEST_ENTRIES_LIMIT_MAX, the
         * client is told to ask in pages, not left to wait while the loop
         * builds a reply it may not even take. */
        size_t total = entry_cache_count_listed(d->entries, req->all, req->desktop);
        if (req->limit == 0 && total > req->offset && total - req->offset > REQUEST_ENTRIES_LIMIT_MAX) {
                char message[256];
                snprintf(message, sizeof(message),
                         "%zu entries are more than the %d a reply holds; ask in pages (offset, limit)",
                         total - req->offset, REQUEST_ENTRIES_LIMIT_MAX);
                return daemon_reply(c, reply_error("ReplyTooLarge", message));
        }
        json_t *page = entries_page(d->entries, req->all, req->desktop, req->offset, req->limit);
        /* Pages of one listing share a generation: a client that sees it
         * change knows the entries were scanned again in between. */
        if (page && json_object_set_new(page, "generation", json_integer((json_int_t) d->entries_generation)) < 0)
                page = (json_decref(page), NULL);
        daemon_reply(c, reply_json(page));
}

/* ---- List */

typedef struct ListRequest {
        Daemon *daemon;
        IpcConnection *connection;
} ListRequest;

static void on_listed(const App *apps, size_t n, int error, const char *reason, void *userdata) {
        ListRequest *l = userdata;
        /* Each app's entry's StartupWMClass=: how a window without a PID
         * (wlroots' foreign-toplevel protocol) is known as the app's. */
        const char **wm_classes = error < 0 ? NULL : calloc(n + 1, sizeof(char *));
        for (size_t i = 0; wm_classes && i < n; i++) {
                const DesktopEntry *entry = apps[i].entry_id ? entry_cache_resolve(l->daemon->entries, apps[i].entry_id)
                                                             : NULL;
                wm_classes[i] = entry ? entry->startup_wm_class : NULL;
        }
        if (error < 0)
                daemon_reply(l->connection, reply_error("InternalError", reason ? reason : strerror(-error)));
        else if (!wm_classes)
                daemon_reply(l->connection, reply_error("InternalError", "out of memory"));
        else
                daemon_reply(l->connection, reply_apps(apps, wm_classes, n));
        free(wm_classes);
        ipc_connection_unref(l->connection);
        free(l);
}

static void handle_list(Daemon *d, IpcConnection *c, const Request *req) {
        ListRequest *l = calloc(1, sizeof(*l));
        if (!l)
                return daemon_reply(c, reply_error("InternalError", "out of memory"));
        *l = (ListRequest){ .daemon = d, .connection = ipc_connection_ref(c) };
        int r = apps_list(d->apps, NULL, on_listed, l);
        if (r < 0) {
                daemon_reply(c, reply_error("InternalError", strerror(-r)));
                ipc_connection_unref(l->connection);
                free(l);
        }
}

/* ---- Stop: the apps a target names, then one StopUnit (or KillUnit) each */

typedef struct StopRequest {
        Daemon *daemon;
        IpcConnection *connection;
        char *target;
        int signal;
        bool all;
        App *matched;
        size_t n_matched, pending;
        char *error;
} StopRequest;

static void stop_request_free(StopRequest *s) {
        for (size_t i = 0; i < s->n_matched; i++) {
                free(s->matched[i].unit);
                free(s->matched[i].entry_id);
        }
        free(s->matched);
        ipc_connection_unref(s->connection);
        free(s->target);
        free(s->error);
        free(s);
}

/* The one way out of a Stop: its reply, then the request goes. */
static void stop_answer(StopRequest *s, char *reply) {
        daemon_reply(s->connection, reply);
        stop_request_free(s);
}

static void on_app_stopped(int error, const char *reason, void *userdata) {
        StopRequest *s = userdata;
        if (error < 0 && !s->error)
                s->error = strdup(reason ? reason : strerror(-error));
        if (--s->pending > 0)
                return;
        stop_answer(s, s->error ? reply_error("StopFailed", s->error) : reply_stopped(s->matched, s->n_matched));
}

/* What a Stop's target names, read once: a PID (and the scope its
 * process is in, which then names the app), a unit of ours, or an entry
 * by the name launch takes it ("firefox"). */
typedef struct StopTarget {
        bool is_pid;
        long pid;
        char *unit_of_pid;
        const char *unit;
        const char *entry_id;
} StopTarget;

static bool stop_matches(const StopTarget *t, const App *app) {
        if (t->unit_of_pid)
                return app->unit && strcmp(app->unit, t->unit_of_pid) == 0;
        if (t->is_pid)
                return app->pid == t->pid;
        if (t->unit)
                return app->unit && strcmp(app->unit, t->unit) == 0;
        return app_is_of(app, t->entry_id);
}

static int stop_match(StopRequest *s, const App *apps, size_t n) {
        char *end;
        StopTarget t = { .pid = strtol(s->target, &end, 10) };
        t.is_pid = *s->target && !*end;
        if (t.is_pid && t.pid > 0)
                t.unit_of_pid = apps_unit_of_pid((pid_t) t.pid);
        if (!t.is_pid && unit_name_is_ours(s->target))
                t.unit = s->target;
        const DesktopEntry *entry = entry_cache_resolve(s->daemon->entries, s->target);
        t.entry_id = entry ? entry->id : s->target;
        _cleanup_free_ char *unit_of_pid = t.unit_of_pid;
        if (!(s->matched = calloc(n + 1, sizeof(App))))
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                if (!stop_matches(&t, &apps[i]))
                        continue;
                App *m = &s->matched[s->n_matched++];
                *m = (App){ .pid = apps[i].pid };
                if ((apps[i].unit && !(m->unit = strdup(apps[i].unit))) ||
                    (apps[i].entry_id && !(m->entry_id = strdup(apps[i].entry_id))))
                        return -ENOMEM;
        }
        return 0;
}

static void on_stop_listed(const App *apps, size_t n, int error, const char *reason, void *userdata) {
        StopRequest *s = userdata;
        if (error < 0)
                return stop_answer(s, reply_error("InternalError", reason ? reason : strerror(-error)));
        if (stop_match(s, apps, n) < 0)
                return stop_answer(s, reply_error("InternalError", "out of memory"));
        if (s->n_matched == 0) {
                char message[600];
                utf8_snprintf(message, sizeof(message),
                              "nothing of sesame's runs as '%s': an entry, a unit of sesame or a PID in one "
                              "(see: sesame ps)",
                              s->target);
                return stop_answer(s, reply_error("NotRunning", message));
        }
        if (s->n_matched > 1 && !s->all)
                /* Several: say which, and stop none. */
                return stop_answer(s, reply_ambiguous(s->matched, s->n_matched));
        /* Each stop, and this loop: no answer before the loop is done. */
        s->pending = s->n_matched + 1;
        for (size_t i = 0; i < s->n_matched; i++) {
                int r = apps_stop(s->daemon->apps, &s->matched[i], s->signal, on_app_stopped, s);
                if (r < 0)
                        on_app_stopped(r, strerror(-r), s);
        }
        on_app_stopped(0, NULL, s);
}

static void handle_stop(Daemon *d, IpcConnection *c, const Request *req) {
        StopRequest *s = calloc(1, sizeof(*s));
        if (!s || !(s->target = strdup(req->target))) {
                free(s);
                return daemon_reply(c, reply_error("InternalError", "out of memory"));
        }
        s->daemon = d;
        s->connection = ipc_connection_ref(c);
        s->signal = req->signal;
        s->all = req->all;
        int r = apps_list(d->apps, NULL, on_stop_listed, s);
        if (r < 0)
                stop_answer(s, reply_error("InternalError", strerror(-r)));
}

/* ---- Unlock, on the launcher's own connection to the Secret Service:
 * where a service grants access per connection (KeePassXC), this is where
 * the launches read secrets. */

typedef struct UnlockRequest {
        Daemon *daemon;
        IpcConnection *connection;
        char **profiles;
} UnlockRequest;

static UnlockRequest *unlock_request_free(UnlockRequest *u) {
        if (!u)
                return NULL;
        ipc_connection_unref(u->connection);
        strv_free(u->profiles);
        free(u);
        return NULL;
}
DEFINE_TRIVIAL_CLEANUP_FUNC(UnlockRequest *, unlock_request_free);

/* A prompt that ends dismissed in a session whose manager has no display
 * never appeared: the prompter the service starts gets the manager's
 * environment (gcr-prompter: "cannot open display"). */
static const char *unlock_reason(const UnlockRequest *u, const SecretUnlockResult *r) {
        if (r->error == -ECANCELED && session_env_display(u->daemon->session_env) == 0)
                return "the unlock prompt could not be shown: the user manager's environment has no display "
                       "(WAYLAND_DISPLAY or DISPLAY) for the prompter the Secret Service starts; see: sesame doctor";
        return r->reason;
}

static void on_unlocked(const SecretUnlockResult *r, void *userdata) {
        UnlockRequest *u = userdata;
        char *json;
        if (r->error == 0) {
                json = reply_json(json_pack("{s:o}", "unlocked", json_strv(u->profiles)));
        } else if (r->error == -ECANCELED || r->error == -ETIME || r->error == -EACCES)
                json = reply_vaults_locked(u->profiles, unlock_reason(u, r));
        else
                json = reply_error("SecretServiceUnavailable", r->reason);
        daemon_reply(u->connection, json);
        unlock_request_free(u);
}

static void handle_unlock(Daemon *d, IpcConnection *c, const Request *req) {
        size_t n = strv_length(req->profiles);
        _cleanup_free_ char **collections = calloc(n + 1, sizeof(char *));
        if (!collections)
                return daemon_reply(c, reply_error("InternalError", "out of memory"));
        for (size_t i = 0; i < n; i++) {
                const TrustProfile *tp = config_trust_profile(d->config, req->profiles[i]);
                _cleanup_(denial_done) Denial denial = {};
                int r = plan_check_trust(d->config, req->profiles[i], &denial);
                if (r != 0)
                        return daemon_reply(c, r < 0 ? reply_error("InternalError", "out of memory")
                                                     : reply_denial(&denial));
                collections[i] = tp ? tp->collection : NULL;
        }
        _cleanup_(unlock_request_freep) UnlockRequest *u = calloc(1, sizeof(*u));
        if (!u || !(u->profiles = strv_copy(req->profiles)))
                return daemon_reply(c, reply_error("InternalError", "out of memory"));
        sd_bus *bus = NULL;
        int r = daemon_secrets_bus(d, &bus);
        if (r >= 0)
                r = secret_unlock_start(bus, d->event, req->profiles, collections, n, d->config->secret_timeout_usec,
                                        d->config->unlock_timeout_usec, on_unlocked, u);
        if (r < 0)
                return daemon_reply(c, reply_secret_service_unreachable(r));
        u->daemon = d;
        u->connection = ipc_connection_ref(c);
        TAKE_PTR(u); /* on_unlocked's */
}

/* ---- search and history */

static void handle_search(Daemon *d, IpcConnection *c, const Request *req) {
        daemon_reply(c, finder_search(d->finder, req->query, req->offset, req->limit, req->actions, req->desktop,
                                      req->lines, req->icons));
}

static void handle_history(Daemon *d, IpcConnection *c, const Request *req) {
        daemon_reply(c, finder_history(d->finder));
}

static void handle_history_forget(Daemon *d, IpcConnection *c, const Request *req) {
        daemon_reply(c, finder_forget(d->finder, req->entry_id));
}

static void handle_history_clear(Daemon *d, IpcConnection *c, const Request *req) {
        daemon_reply(c, finder_clear(d->finder));
}

/* ---- the table */

typedef struct Handler {
        Clearance clearance; /* the least a client needs */
        const char *refused; /* what a client below it "may not" do, for Forbidden */
        handler_t handle;
} Handler;

static const Handler handlers[_REQUEST_MAX] = {
        [REQUEST_LAUNCH] = { CLEARANCE_LAUNCH, NULL, launch_handle },
        [REQUEST_STATUS] = { CLEARANCE_LAUNCH, NULL, handle_status },
        [REQUEST_ENTRIES] = { CLEARANCE_LAUNCH, NULL, handle_entries },
        /* What runs, and stopping or signalling it: none of a `launch`
         * client's business (a picker, a sandboxed panel), whoever started
         * the apps: some carry secrets, and their tags and profiles say
         * which. */
        [REQUEST_LIST] = { CLEARANCE_SECRETS, "list the running apps", handle_list },
        [REQUEST_STOP] = { CLEARANCE_SECRETS, "stop or signal apps", handle_stop },
        [REQUEST_UNLOCK] = { CLEARANCE_SECRETS, "unlock vaults", handle_unlock },
        [REQUEST_SEARCH] = { CLEARANCE_LAUNCH, NULL, handle_search },
        [REQUEST_HISTORY] = { CLEARANCE_LAUNCH, NULL, handle_history },
        [REQUEST_HISTORY_FORGET] = { CLEARANCE_LAUNCH, NULL, handle_history_forget },
        [REQUEST_HISTORY_CLEAR] = { CLEARANCE_LAUNCH, NULL, handle_history_clear },
        [REQUEST_OPEN] = { CLEARANCE_LAUNCH, NULL, open_handle },
};

void handlers_dispatch(IpcConnection *c, const Request *req, void *userdata) {
        Daemon *d = userdata;
        const Handler *h = req->method >= 0 && req->method < _REQUEST_MAX ? &handlers[req->method] : NULL;
        if (!h || !h->handle)
                return daemon_reply(c, reply_error("InvalidRequest", "unknown method"));
        if (ipc_connection_peer(c)->clearance < h->clearance) {
                char message[160];
                snprintf(message, sizeof(message), "this client's clearance is '%s': it may not %s",
                         clearance_to_string(ipc_connection_peer(c)->clearance), h->refused);
                return daemon_reply(c, reply_error("Forbidden", message));
        }
        h->handle(d, c, req);
}
