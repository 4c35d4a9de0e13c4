/* SPDX-License-Identifier: MIT */
/* sesame-launcherd: the per-user launcher service. One sd-event loop; every
 * wait (client, systemd, children) is a source on it. */
#include <assert.h>
#include <dirent.h>
#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <malloc.h>
#include <signal.h>
#include <sys/inotify.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>
#include <time.h>
#include <unistd.h>

#include "apps.h"
#include "child.h"
#include "exec.h"
#include "fetch.h"
#include "finder.h"
#include "keys.h"
#include "launcher-conf.h"
#include "list.h"
#include "log.h"
#include "plan.h"
#include "reply.h"
#include "server.h"
#include "session-env.h"
#include "sesame-build.h"
#include "spawn.h"
#include "strv.h"
#include "systemd-bus.h"
#include "transport.h"
#include "unlock.h"
#include "utf8.h"

extern char **environ;

/* Quiet time after the last change before acting on it: editors and
 * package managers touch files in bursts. */
#define CONFIG_DEBOUNCE_USEC (100 * 1000)
#define ENTRIES_DEBOUNCE_USEC (250 * 1000)
#define MAX_APP_WATCHES 256
/* Memory freed by a burst of launches goes back to the system this long
 * after the last one: not on any launch's path, and once per burst. */
#define TRIM_DELAY_USEC (1000 * 1000)

typedef struct Daemon {
        sd_event *event;
        char *config_path;    /* NULL: the default, which may not exist */
        bool config_explicit;
        sd_event_source *config_watch, *config_timer;
        sd_event_source *app_watches[MAX_APP_WATCHES];
        size_t n_app_watches;
        sd_event_source *entries_timer;
        sd_event_source *trim_timer;
        sd_bus *secrets_bus; /* the session bus, for the Secret Service; opened on first use */
        sd_bus *bus;
        SessionEnv *session_env; /* with bus: the user manager's environment */
        Spawner *spawner;
        IpcServer *server;
        Config *config;
        EntryCache *entries;
        Apps *apps;                 /* what runs: sesame ps, stop, --single */
        Finder *finder;             /* search and history */
        struct SingleGate *gates;   /* --single launches under way, one per entry */
        char *socket_path;
        uint64_t started_usec;
        uint64_t launches;
        size_t in_flight; /* launches not yet answered */
        bool stopping;    /* SIGTERM: exit once in_flight is 0 */
        int listen_fd;
        bool listen_fd_ours;
} Daemon;

/* One Launch request between its spawns and its reply: one spawn per
 * instance (%f or %u with several files), one reply when all are done. */
typedef struct PendingInstance {
        struct PendingLaunch *launch;
        pid_t pid;
        char *unit;
        bool via_scope;
        char *error;
} PendingInstance;

typedef struct SingleGate SingleGate;

/* What is recorded of a launch for sesame ps (apps.h). */
typedef struct LaunchWhat {
        char *entry_id, *action, *profile;
        char **tags;
        bool command; /* not an entry: not in the history */
} LaunchWhat;

typedef struct PendingLaunch {
        Daemon *daemon;
        IpcConnection *connection;
        SingleGate *gate; /* --single: the requests waiting on this launch */
        LaunchWhat what;
        size_t n, answered;
        PendingInstance instances[];
} PendingLaunch;

static void reply_and_free(IpcConnection *c, char *json) {
        if (ipc_connection_is_open(c))
                ipc_connection_reply(c, json ? json : reply_unserializable());
        free(json);
}

/* One instance at a time (--single, Single=yes): a launch of an entry that
 * checks whether it runs opens the entry's gate, until it is answered;
 * requests for the same entry meanwhile wait on the gate and get its
 * outcome: already running (the app it started), or its refusal. So two
 * requests at once start one app. */
struct SingleGate {
        Daemon *daemon;
        char *entry_id;
        IpcConnection **waiters;
        size_t n_waiters;
        LIST_FIELDS(SingleGate, gates);
};

static SingleGate *gate_find(Daemon *d, const char *entry_id) {
        SingleGate *g, *n;
        LIST_FOREACH_SAFE(gates, g, n, d->gates)
                if (strcmp(g->entry_id, entry_id) == 0)
                        return g;
        return NULL;
}

static SingleGate *gate_open(Daemon *d, const char *entry_id) {
        SingleGate *g = calloc(1, sizeof(*g));
        if (!g || !(g->entry_id = strdup(entry_id))) {
                free(g);
                return NULL;
        }
        g->daemon = d;
        LIST_PREPEND(gates, d->gates, g);
        return g;
}

static int gate_wait(SingleGate *g, IpcConnection *c) {
        IpcConnection **w = realloc(g->waiters, (g->n_waiters + 1) * sizeof(*w));
        if (!w)
                return -ENOMEM;
        g->waiters = w;
        w[g->n_waiters++] = ipc_connection_ref(c);
        return 0;
}

/* The gate's launch is answered: `started` the app it started (or found),
 * else `reply` its refusal, for every request that waited. */
static void gate_close(SingleGate *g, const char *reply, const App *started) {
        if (!g)
                return;
        for (size_t i = 0; i < g->n_waiters; i++) {
                /* NULL (out of memory) is answered too (reply_and_free). */
                char *json = started ? reply_already_running(started) : reply ? strdup(reply) : NULL;
                reply_and_free(g->waiters[i], json);
                ipc_connection_unref(g->waiters[i]);
        }
        LIST_REMOVE(gates, g->daemon->gates, g);
        free(g->waiters);
        free(g->entry_id);
        free(g);
}

static void launch_what_done(LaunchWhat *w) {
        free(w->entry_id);
        free(w->action);
        free(w->profile);
        strv_free(w->tags);
}

/* Every launch is counted from its request to its reply, so that SIGTERM
 * can let the launches in flight finish before the daemon exits. */
static void launch_begin(Daemon *d) {
        d->in_flight++;
}

/* glibc keeps what a resident process frees for its next allocation, and
 * launches (environments, messages, plans) leave the heap scattered with
 * free pages: give them back, as a long-running daemon should. */
static void trim_memory(void) {
        (void) malloc_trim(0);
}

static int on_trim_timer(sd_event_source *s, uint64_t usec, void *userdata) {
        trim_memory();
        return 0;
}

static void trim_later(Daemon *d) {
        if (!d->trim_timer) {
                (void) sd_event_add_time_relative(d->event, &d->trim_timer, CLOCK_MONOTONIC, TRIM_DELAY_USEC,
                                                  TRIM_DELAY_USEC / 10, on_trim_timer, d);
                return;
        }
        (void) sd_event_source_set_time_relative(d->trim_timer, TRIM_DELAY_USEC);
        (void) sd_event_source_set_enabled(d->trim_timer, SD_EVENT_ONESHOT);
}

static void launch_end(Daemon *d) {
        assert(d->in_flight > 0);
        if (--d->in_flight > 0)
                return;
        if (d->stopping) {
                log_info("the launches in flight are answered; exiting");
                sd_event_exit(d->event, 0);
                return;
        }
        trim_later(d);
}

static PendingLaunch *pending_launch_free(PendingLaunch *p) {
        if (!p)
                return NULL;
        ipc_connection_unref(p->connection);
        for (size_t i = 0; i < p->n; i++) {
                free(p->instances[i].unit);
                free(p->instances[i].error);
        }
        launch_what_done(&p->what);
        launch_end(p->daemon);
        free(p);
        return NULL;
}

/* An instance is answered; the launch, once all are. */
static void pending_instance_done(PendingInstance *in) {
        PendingLaunch *p = in->launch;
        if (++p->answered < p->n)
                return;
        _cleanup_free_ LaunchedInstance *l = calloc(p->n, sizeof(*l));
        for (size_t i = 0; l && i < p->n; i++) {
                const PendingInstance *pi = &p->instances[i];
                l[i] = (LaunchedInstance){ .pid = pi->pid, .unit = pi->unit, .via_scope = pi->via_scope,
                                           .error = pi->error };
                if (!pi->error)
                        p->daemon->launches++;
        }
        char *reply = l ? reply_launched(l, p->n) : NULL;
        const PendingInstance *first = &p->instances[0];
        App started = { .unit = first->unit, .pid = first->pid };
        gate_close(p->gate, reply ? reply : reply_unserializable(), first->error ? NULL : &started);
        /* A client that went away meanwhile does not undo the launch. */
        reply_and_free(p->connection, reply);
        /* For sesame ps and the history: off the reply's path. */
        bool any = false;
        for (size_t i = 0; i < p->n; i++)
                if (!p->instances[i].error) {
                        apps_record(p->daemon->apps, p->instances[i].unit, p->instances[i].pid, p->what.entry_id,
                                    p->what.action, p->what.profile, p->what.tags);
                        any = true;
                }
        if (any && !p->what.command)
                finder_record(p->daemon->finder, p->what.entry_id, p->what.action, p->what.profile, p->what.tags);
        pending_launch_free(p);
}

static void pending_instance_failed(PendingInstance *in, const char *message) {
        in->error = strdup(message ? message : "not started");
        pending_instance_done(in);
}

static void on_launched(const SpawnResult *r, void *userdata) {
        PendingInstance *in = userdata;
        if (r->error < 0)
                return pending_instance_failed(in, r->message);
        in->pid = r->pid;
        in->unit = r->unit ? strdup(r->unit) : NULL;
        in->via_scope = r->via_scope;
        pending_instance_done(in);
}

/* A launch between its plan and its spawn: waiting for the user manager's
 * environment, then for the Secret Service. */
typedef struct LaunchContext {
        Daemon *daemon;
        IpcConnection *connection;
        LaunchPlan *plan;
        uint64_t connected_usec;
        SessionEnvWaiter *env_waiter;
        char **base_env; /* the manager's; NULL: ours */
        char *requested_id;
        char *activation_token;
        char **tags;
        char *client;
        SingleGate *gate; /* --single: held until the launch is answered */
} LaunchContext;

static LaunchContext *launch_context_free(LaunchContext *l) {
        if (!l)
                return NULL;
        ipc_connection_unref(l->connection);
        if (l->daemon)
                session_env_cancel(l->daemon->session_env, l->env_waiter);
        strv_free(l->base_env);
        launch_plan_free(l->plan);
        free(l->requested_id);
        free(l->activation_token);
        free(l->client);
        strv_free(l->tags);
        /* A launch given up without a reply of its own (teardown). */
        gate_close(l->gate, "{\"error\":\"InternalError\",\"message\":\"the launch this one waited for "
                            "(--single) was given up\"}",
                   NULL);
        if (l->daemon)
                launch_end(l->daemon);
        free(l);
        return NULL;
}

/* The environment of one instance: `secret_values` one per plan->secrets[i]
 * (or NULL); they are copied into the map only. */
static int launch_environment(LaunchContext *l, char *const *secret_values, EnvMap **ret, Error *e) {
        _cleanup_(env_map_unrefp) EnvMap *env = NULL;
        int r = plan_environment(l->plan, l->base_env ? l->base_env : environ, secret_values, &env, e);
        if (r >= 0 && l->activation_token)
                r = env_map_set(env, "XDG_ACTIVATION_TOKEN", l->activation_token, e);
        if (r >= 0 && l->activation_token)
                r = env_map_set(env, "DESKTOP_STARTUP_ID", l->activation_token, e);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(env);
        return 0;
}

/* A launch refused before its spawn: its answer, and that of the
 * requests waiting on its gate. */
static void context_reply(LaunchContext *l, char *json) {
        gate_close(TAKE_PTR(l->gate), json ? json : reply_unserializable(), NULL);
        reply_and_free(l->connection, json);
}

/* Every instance of the plan, each in its own scope. */
static void launch_spawn(LaunchContext *l, char *const *secret_values, const char *secret_session) {
        Daemon *d = l->daemon;
        LaunchPlan *plan = l->plan;
        size_t n = exec_argvs_count(plan->argvs);
        PendingLaunch *p = calloc(1, sizeof(*p) + n * sizeof(PendingInstance));
        if (!p)
                return context_reply(l, reply_error("InternalError", "out of memory"));
        p->daemon = d;
        p->gate = TAKE_PTR(l->gate);
        p->what = (LaunchWhat){ .entry_id = strdup(plan->entry_id),
                                .action = plan->action ? strdup(plan->action) : NULL,
                                .profile = strdup(plan->profile),
                                .tags = TAKE_PTR(l->tags),
                                .command = plan->command };
        launch_begin(d);
        p->connection = ipc_connection_ref(l->connection);
        p->n = n;

        /* The launch's log line: what was asked, how it was composed, never
         * a value. */
        char requested[512], tags[32], secrets[32], client[128], session[128], wait[48];
        utf8_snprintf(requested, sizeof(requested), "requested_id=%s", l->requested_id);
        snprintf(tags, sizeof(tags), "tag_count=%zu", strv_length(p->what.tags));
        snprintf(secrets, sizeof(secrets), "secret_count=%zu", plan->n_secrets);
        snprintf(client, sizeof(client), "client=%s", l->client);
        snprintf(session, sizeof(session), "secret_session=%s", secret_session ? secret_session : "");
        /* From accepting the client to the spawn: the handshake, the
         * request, the environment and secrets waited for. */
        uint64_t now = 0;
        (void) sd_event_now(d->event, CLOCK_MONOTONIC, &now);
        snprintf(wait, sizeof(wait), "wait_ms=%.1f", (double) (now - l->connected_usec) / 1000);
        /* A desktop action, or a command (whose words are not logged:
         * they may be anything). */
        char what[160] = "";
        if (plan->action)
                utf8_snprintf(what, sizeof(what), "action=%s", plan->action);
        else if (plan->command)
                snprintf(what, sizeof(what), "command=yes");
        char *log_fields[] = { requested, tags, secrets, client, secret_session ? session : wait,
                               secret_session ? wait : NULL, NULL, NULL };
        if (what[0])
                log_fields[secret_session ? 6 : 5] = what;

        for (size_t i = 0; i < n; i++) {
                PendingInstance *in = &p->instances[i];
                in->launch = p;
                Error e = {};
                EnvMap *env = NULL;
                if (launch_environment(l, secret_values, &env, &e) < 0) {
                        pending_instance_failed(in, error_message(&e));
                        continue;
                }
                SpawnRequest sr = {
                        .program = plan->argvs[i][0],
                        .argv = plan->argvs[i],
                        .env = env, /* the engine wipes it once the child has it */
                        .cwd = plan->cwd,
                        .entry_id = plan->entry_id,
                        .description = plan->description,
                        .slice = plan->slice,
                        .mode = d->config->scope,
                        .unit_properties = plan->unit_properties,
                        .n_unit_properties = plan->n_unit_properties,
                        .strict_properties = plan->strict,
                        .log_fields = log_fields,
                };
                if (spawner_launch(d->spawner, &sr, on_launched, NULL, in, &e) < 0)
                        pending_instance_failed(in, error_message(&e));
        }
}

static void on_secrets(const FetchResult *r, void *userdata) {
        LaunchContext *l = userdata;
        switch (r->outcome) {
        case FETCH_OK:
                launch_spawn(l, r->values, r->algorithm);
                break;
        case FETCH_VAULTS_LOCKED:
                context_reply(l, reply_vaults_locked(r->locked_profiles, r->reason));
                break;
        case FETCH_NOT_FOUND:
                context_reply(l, reply_secret_not_found(r->missing_count));
                break;
        case FETCH_INVALID_VALUE:
                context_reply(l, reply_secret_invalid(r->invalid_name, r->invalid_profile));
                break;
        default:
                context_reply(l, reply_error("SecretServiceUnavailable", r->reason));
        }
        launch_context_free(l);
}

static int secrets_bus(Daemon *d, sd_bus **ret) {
        if (!d->secrets_bus) {
                int r = sd_bus_open_user(&d->secrets_bus);
                if (r < 0)
                        return r;
                r = sd_bus_attach_event(d->secrets_bus, d->event, SD_EVENT_PRIORITY_NORMAL);
                if (r < 0) {
                        d->secrets_bus = sd_bus_flush_close_unref(d->secrets_bus);
                        return r;
                }
        }
        *ret = d->secrets_bus;
        return 0;
}

static void launch_fetch(LaunchContext *l) {
        Daemon *d = l->daemon;
        LaunchPlan *plan = l->plan;
        SecretWanted *wanted = calloc(plan->n_secrets, sizeof(*wanted));
        if (!wanted) {
                context_reply(l, reply_error("InternalError", "out of memory"));
                launch_context_free(l);
                return;
        }
        for (size_t i = 0; i < plan->n_secrets; i++) {
                const TrustProfile *tp = config_trust_profile(d->config, plan->secrets[i].profile);
                wanted[i] = (SecretWanted){ .name = plan->secrets[i].name, .profile = plan->secrets[i].profile,
                                            .collection = tp ? tp->collection : NULL };
        }
        sd_bus *bus = NULL;
        int r = secrets_bus(d, &bus);
        if (r >= 0)
                r = secret_fetch_start(NULL, bus, d->event, wanted, plan->n_secrets, d->config->secret_timeout_usec,
                                       on_secrets, l);
        free(wanted);
        if (r < 0) {
                char reason[256];
                snprintf(reason, sizeof(reason), "cannot reach the Secret Service: %s", strerror(-r));
                context_reply(l, reply_error("SecretServiceUnavailable", reason));
                launch_context_free(l);
        }
}

static void launch_continue(LaunchContext *l) {
        if (l->plan->n_secrets > 0)
                return launch_fetch(l);
        launch_spawn(l, NULL, NULL);
        launch_context_free(l);
}

static void on_environment(char *const *env, int error, void *userdata) {
        LaunchContext *l = userdata;
        l->env_waiter = NULL;
        if (error == -ECANCELED) {
                context_reply(l, reply_error("InternalError", "the launcher is stopping"));
                launch_context_free(l);
                return;
        }
        if (error < 0)
                log_warning("%s: cannot read the user manager's environment (%s); using the launcher's own",
                            l->requested_id, strerror(-error));
        else if (!(l->base_env = strv_copy(env))) {
                context_reply(l, reply_error("InternalError", "out of memory"));
                launch_context_free(l);
                return;
        }
        launch_continue(l);
}

/* The base of the child's environment is the session's current one, as the
 * user manager holds it: a compositor that exported WAYLAND_DISPLAY after
 * we started is seen, and what systemd set for our own service
 * (NOTIFY_SOCKET, LISTEN_FDS, INVOCATION_ID...) is not passed on. Without a
 * manager (scope mode none or systemd-run, or none reachable), our own. */
static void launch_read_environment(LaunchContext *l) {
        Daemon *d = l->daemon;
        if (!d->session_env)
                return launch_continue(l);
        int r = session_env_get(d->session_env, l->connected_usec, on_environment, l, &l->env_waiter);
        if (r < 0) {
                log_warning("%s: cannot ask the user manager for its environment (%s); using the launcher's own",
                            l->requested_id, strerror(-r));
                launch_continue(l);
        }
}

/* Whether `app` is of the entry: its record says so, or (no record) its
 * unit has the entry's name, with nothing but the PID after it. */
static bool app_is_of(const App *app, const char *entry_id) {
        if (app->entry_id)
                return strcmp(app->entry_id, entry_id) == 0;
        if (!app->unit)
                return false;
        char prefix[UNIT_NAME_MAX + 1];
        for (UnitNameStyle style = 0; style < _UNIT_NAMES_MAX; style++) {
                if (unit_name_prefix(style, entry_id, prefix) < 0 || strncmp(app->unit, prefix, strlen(prefix)) != 0)
                        continue;
                const char *rest = app->unit + strlen(prefix);
                size_t digits = strspn(rest, "0123456789-_");
                if (digits > 0 && strcmp(rest + digits, SCOPE_SUFFIX) == 0)
                        return true;
        }
        return false;
}

static void on_single_checked(const App *apps, size_t n, int error, const char *reason, void *userdata) {
        LaunchContext *l = userdata;
        if (error < 0)
                log_warning("%s: cannot ask the user manager what runs (%s); launching", l->plan->entry_id,
                            reason ? reason : strerror(-error));
        for (size_t i = 0; i < n; i++)
                if (app_is_of(&apps[i], l->plan->entry_id)) {
                        gate_close(TAKE_PTR(l->gate), NULL, &apps[i]);
                        reply_and_free(l->connection, reply_already_running(&apps[i]));
                        launch_context_free(l);
                        return;
                }
        launch_read_environment(l);
}

/* --single: launch only if no app of the entry runs, and no other
 * request for it is under way (then wait for that one's outcome). */
static void launch_single(LaunchContext *l) {
        Daemon *d = l->daemon;
        SingleGate *g = gate_find(d, l->plan->entry_id);
        if (g) {
                if (gate_wait(g, l->connection) < 0)
                        reply_and_free(l->connection, reply_error("InternalError", "out of memory"));
                launch_context_free(l);
                return;
        }
        if (!(l->gate = gate_open(d, l->plan->entry_id))) {
                reply_and_free(l->connection, reply_error("InternalError", "out of memory"));
                launch_context_free(l);
                return;
        }
        /* The manager's units of this entry (either name form), and the
         * apps started without a scope. */
        char seed[UNIT_NAME_MAX + 8], xdg[UNIT_NAME_MAX + 8];
        char *patterns[] = { seed, xdg, NULL };
        int r = unit_name_prefix(UNIT_NAMES_SEED, l->plan->entry_id, seed) < 0 ||
                                unit_name_prefix(UNIT_NAMES_XDG, l->plan->entry_id, xdg) < 0
                        ? -ENAMETOOLONG
                        : 0;
        if (r >= 0) {
                strcat(seed, "*" SCOPE_SUFFIX);
                strcat(xdg, "*" SCOPE_SUFFIX);
                r = apps_list(d->apps, patterns, on_single_checked, l);
        }
        if (r < 0) {
                log_warning("%s: cannot ask the user manager what runs (%s); launching", l->plan->entry_id,
                            strerror(-r));
                launch_read_environment(l);
        }
}

static void handle_launch(Daemon *d, IpcConnection *c, const Request *req) {
        LaunchRequest lr = {
                .entry_id = req->entry_id,
                .action = req->action,
                .command = req->command,
                .entry_hint = req->entry_hint,
                .recognize = req->recognize,
                .profile = req->profile,
                .tags = req->tags,
                .args = req->args,
                .cwd = req->cwd,
                .single = req->single,
                .files_only = ipc_connection_peer(c)->clearance < CLEARANCE_SECRETS,
                .socket_path = d->socket_path,
        };
        _cleanup_(launch_plan_freep) LaunchPlan *plan = NULL;
        Denial denial = {};
        int r = launch_plan_build(d->entries, d->config, &lr, &plan, &denial);
        if (r < 0)
                return reply_and_free(c, reply_error("InternalError", strerror(-r)));
        if (r > 0) {
                reply_and_free(c, reply_denial(&denial));
                denial_done(&denial);
                return;
        }

        const IpcPeer *peer = ipc_connection_peer(c);
        if (plan->n_secrets > 0 && peer->clearance < CLEARANCE_SECRETS)
                return reply_and_free(c, reply_error("Forbidden",
                                                     "this client's clearance is 'launch': it may not use tags that "
                                                     "carry secrets (sesame keys authorize NAME KEY --clearance "
                                                     "secrets)"));
        if (req->dry_run)
                return reply_and_free(c, reply_plan(plan));

        LaunchContext *l = calloc(1, sizeof(*l));
        if (l) {
                l->daemon = d;
                launch_begin(d);
        }
        if (!l || !(l->requested_id = strdup(req->entry_id ?: plan->entry_id)) || !(l->client = strdup(peer->client_name)) ||
            (req->activation_token && !(l->activation_token = strdup(req->activation_token)))) {
                launch_context_free(l);
                return reply_and_free(c, reply_error("InternalError", "out of memory"));
        }
        l->connection = ipc_connection_ref(c);
        l->plan = TAKE_PTR(plan);
        l->tags = strv_copy(req->tags);
        l->connected_usec = peer->connected_usec;
        if (l->plan->single)
                return launch_single(l);
        launch_read_environment(l);
}

static void handle_status(Daemon *d, IpcConnection *c) {
        uint64_t now;
        sd_event_now(d->event, CLOCK_MONOTONIC, &now);
        json_t *o = json_pack("{s:s,s:I,s:I,s:I,s:I,s:I,s:I}", "version", SESAME_VERSION, "uptime_sec",
                              (json_int_t) ((now - d->started_usec) / 1000000), "entries",
                              (json_int_t) entry_cache_size(d->entries), "launches", (json_int_t) d->launches,
                              "in_flight", (json_int_t) d->in_flight, "children",
                              (json_int_t) spawner_children(d->spawner), "connections",
                              (json_int_t) ipc_server_connections(d->server));
        reply_and_free(c, reply_json(o));
}

static void handle_entries(Daemon *d, IpcConnection *c, const Request *req) {
        json_t *entries = entries_to_json(d->entries, req->all, req->desktop);
        reply_and_free(c, reply_json(json_pack("{s:o*}", "entries", entries)));
}

static void on_listed(const App *apps, size_t n, int error, const char *reason, void *userdata) {
        IpcConnection *c = userdata;
        if (error < 0)
                reply_and_free(c, reply_error("InternalError", reason ? reason : strerror(-error)));
        else
                reply_and_free(c, reply_apps(apps, n));
        ipc_connection_unref(c);
}

static void handle_list(Daemon *d, IpcConnection *c) {
        IpcConnection *ref = ipc_connection_ref(c);
        int r = apps_list(d->apps, NULL, on_listed, ref);
        if (r < 0) {
                reply_and_free(c, reply_error("InternalError", strerror(-r)));
                ipc_connection_unref(ref);
        }
}

/* Stop: the apps a target names, then one StopUnit (or KillUnit) each. */
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

static void on_app_stopped(int error, const char *reason, void *userdata) {
        StopRequest *s = userdata;
        if (error < 0 && !s->error && asprintf(&s->error, "%s", reason ? reason : strerror(-error)) < 0)
                s->error = NULL;
        if (--s->pending > 0)
                return;
        reply_and_free(s->connection, s->error ? reply_error("StopFailed", s->error)
                                               : reply_stopped(s->matched, s->n_matched));
        stop_request_free(s);
}

static bool stop_matches(const StopRequest *s, const App *app, const char *entry_id, const char *unit_of_pid) {
        if (unit_of_pid)
                return app->unit && strcmp(app->unit, unit_of_pid) == 0;
        char *end;
        long pid = strtol(s->target, &end, 10);
        if (*s->target && !*end)
                return app->pid == pid;
        if (apps_unit_is_ours(s->target))
                return app->unit && strcmp(app->unit, s->target) == 0;
        return entry_id && app_is_of(app, entry_id);
}

static void on_stop_listed(const App *apps, size_t n, int error, const char *reason, void *userdata) {
        StopRequest *s = userdata;
        Daemon *d = s->daemon;
        if (error < 0) {
                reply_and_free(s->connection, reply_error("InternalError", reason ? reason : strerror(-error)));
                return stop_request_free(s);
        }
        /* An entry by the name launch takes it ("firefox"); a PID by the
         * scope its process is in. */
        const DesktopEntry *entry = entry_cache_resolve(d->entries, s->target);
        char *end;
        long pid = strtol(s->target, &end, 10);
        _cleanup_free_ char *unit_of_pid = *s->target && !*end && pid > 0 ? apps_unit_of_pid((pid_t) pid) : NULL;
        const char *entry_id = entry ? entry->id : s->target;
        if (!(s->matched = calloc(n + 1, sizeof(App)))) {
                reply_and_free(s->connection, reply_error("InternalError", "out of memory"));
                return stop_request_free(s);
        }
        for (size_t i = 0; i < n; i++)
                if (stop_matches(s, &apps[i], entry_id, unit_of_pid))
                        s->matched[s->n_matched++] = (App){ .unit = apps[i].unit ? strdup(apps[i].unit) : NULL,
                                                            .pid = apps[i].pid,
                                                            .entry_id = apps[i].entry_id ? strdup(apps[i].entry_id)
                                                                                         : NULL };
        if (s->n_matched == 0) {
                char message[600];
                utf8_snprintf(message, sizeof(message),
                              "nothing of sesame's runs as '%s': an entry, a unit of sesame or a PID in one "
                              "(see: sesame ps)",
                              s->target);
                reply_and_free(s->connection, reply_error("NotRunning", message));
                return stop_request_free(s);
        }
        if (s->n_matched > 1 && !s->all) {
                /* Several: say which, and stop none. */
                reply_and_free(s->connection, reply_ambiguous(s->matched, s->n_matched));
                return stop_request_free(s);
        }
        s->pending = s->n_matched + 1;
        for (size_t i = 0; i < s->n_matched; i++) {
                int r = apps_stop(d->apps, &s->matched[i], s->signal, on_app_stopped, s);
                if (r < 0)
                        on_app_stopped(r, strerror(-r), s);
        }
        on_app_stopped(0, NULL, s);
}

static void handle_stop(Daemon *d, IpcConnection *c, const Request *req) {
        StopRequest *s = calloc(1, sizeof(*s));
        if (!s || !(s->target = strdup(req->target))) {
                free(s);
                return reply_and_free(c, reply_error("InternalError", "out of memory"));
        }
        s->daemon = d;
        s->connection = ipc_connection_ref(c);
        s->signal = req->signal;
        s->all = req->all;
        int r = apps_list(d->apps, NULL, on_stop_listed, s);
        if (r < 0) {
                reply_and_free(c, reply_error("InternalError", strerror(-r)));
                stop_request_free(s);
        }
}

static void on_process_exited(pid_t pid, void *userdata) {
        Daemon *d = userdata;
        apps_process_exited(d->apps, pid);
}

/* Unlock, on the launcher's own connection to the Secret Service: where a
 * service grants access per connection (KeePassXC), this is where the
 * launches read secrets. */

typedef struct UnlockRequest {
        IpcConnection *connection;
        char **profiles;
} UnlockRequest;

static void on_unlocked(const SecretUnlockResult *r, void *userdata) {
        UnlockRequest *u = userdata;
        char *json;
        if (r->error == 0) {
                json_t *o = json_pack("{s:o}", "unlocked", json_array());
                for (char **p = u->profiles; o && *p; p++)
                        json_array_append_new(json_object_get(o, "unlocked"), json_string(*p));
                json = reply_json(o);
        } else if (r->error == -ECANCELED || r->error == -ETIME || r->error == -EACCES)
                json = reply_vaults_locked(u->profiles, r->reason);
        else
                json = reply_error("SecretServiceUnavailable", r->reason);
        reply_and_free(u->connection, json);
        ipc_connection_unref(u->connection);
        strv_free(u->profiles);
        free(u);
}

static void handle_unlock(Daemon *d, IpcConnection *c, const Request *req) {
        if (ipc_connection_peer(c)->clearance < CLEARANCE_SECRETS)
                return reply_and_free(c, reply_error("Forbidden", "this client's clearance is 'launch': it may not "
                                                                  "unlock vaults"));
        size_t n = strv_length(req->profiles);
        _cleanup_free_ char **collections = calloc(n + 1, sizeof(char *));
        if (!collections)
                return reply_and_free(c, reply_error("InternalError", "out of memory"));
        for (size_t i = 0; i < n; i++) {
                if (!config_has_trust_profile(d->config, req->profiles[i])) {
                        Denial denial = { .kind = DENIAL_PROFILE_NOT_FOUND, .profile = req->profiles[i] };
                        return reply_and_free(c, reply_denial(&denial));
                }
                const TrustProfile *tp = config_trust_profile(d->config, req->profiles[i]);
                collections[i] = tp ? tp->collection : NULL;
        }
        UnlockRequest *u = calloc(1, sizeof(*u));
        sd_bus *bus = NULL;
        int r = u && (u->profiles = strv_copy(req->profiles)) ? secrets_bus(d, &bus) : -ENOMEM;
        if (r >= 0) {
                u->connection = ipc_connection_ref(c);
                r = secret_unlock_start(bus, d->event, req->profiles, collections, n, d->config->secret_timeout_usec,
                                        d->config->unlock_timeout_usec, on_unlocked, u);
                if (r < 0)
                        ipc_connection_unref(u->connection);
        }
        if (r < 0) {
                if (u)
                        strv_free(u->profiles);
                free(u);
                char reason[256];
                snprintf(reason, sizeof(reason), "cannot reach the Secret Service: %s", strerror(-r));
                reply_and_free(c, reply_error("SecretServiceUnavailable", reason));
        }
}

/* The environment a launch from this client will need, read while the
 * handshake runs (session-env.h). */
static void on_accepted(void *userdata) {
        Daemon *d = userdata;
        session_env_prefetch(d->session_env);
}

static void on_request(IpcConnection *c, const Request *req, void *userdata) {
        Daemon *d = userdata;
        switch (req->method) {
        case REQUEST_LAUNCH:
                return handle_launch(d, c, req);
        case REQUEST_STATUS:
                return handle_status(d, c);
        case REQUEST_ENTRIES:
                return handle_entries(d, c, req);
        case REQUEST_LIST:
                return handle_list(d, c);
        case REQUEST_STOP:
                return handle_stop(d, c, req);
        case REQUEST_UNLOCK:
                return handle_unlock(d, c, req);
        case REQUEST_SEARCH:
                return reply_and_free(c, finder_search(d->finder, req->query, req->limit, req->actions, req->desktop,
                                                           req->lines));
        case REQUEST_HISTORY:
                return reply_and_free(c, finder_history(d->finder));
        case REQUEST_HISTORY_FORGET:
                return reply_and_free(c, finder_forget(d->finder, req->entry_id));
        case REQUEST_HISTORY_CLEAR:
                return reply_and_free(c, finder_clear(d->finder));
        default:
                return reply_and_free(c, reply_error("InvalidRequest", "unknown method"));
        }
}

/* ---- reloading */

/* The [Launcher] settings that live outside d->config: at start, and at
 * every reload, so that each takes effect without a restart.
 * DefaultProfile=, Slice=, Terminal= and SecretTimeoutSec= are read from
 * d->config by each launch. */
static void apply_config(Daemon *d) {
        const Config *c = d->config;
        if (c->scope == SCOPE_MODE_DBUS && !d->bus) {
                Error e = {};
                if (systemd_bus_open(&d->bus, d->event, &e) < 0)
                        log_warning("%s; apps will be started without scopes", error_message(&e));
                int r = d->bus ? session_env_new(&d->session_env, d->event, d->bus) : 0;
                if (r < 0)
                        log_warning("cannot follow the user manager's environment (%s); apps get the launcher's own",
                                    strerror(-r));
                apps_set_bus(d->apps, d->bus);
                if (d->spawner && d->bus && (r = spawner_set_bus(d->spawner, d->bus)) < 0)
                        log_warning("cannot watch systemd's jobs (%s); apps will be started without scopes",
                                    strerror(-r));
        }
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
        apply_config(d);
        log_info("configuration reloaded from %s", d->config_path);
}

static void watch_applications(Daemon *d);

static void rescan_entries(Daemon *d) {
        _cleanup_(strv_freep) char **dirs = xdg_data_dirs();
        EntryCache *c = NULL;
        if (!dirs || entry_cache_scan(dirs, entries_locale(), &c) < 0) {
                log_error("cannot rescan the desktop entries: out of memory; keeping the old list");
                return;
        }
        entry_cache_free(d->entries);
        d->entries = c;
        finder_set_entries(d->finder, c);
        /* The scan's scratch and the old cache, back to the system. */
        trim_memory();
        log_info("desktop entries rescanned: %zu", entry_cache_size(c));
        /* New subdirectories get watched too. */
        watch_applications(d);
}

static int on_config_timer(sd_event_source *s, uint64_t usec, void *userdata) {
        Daemon *d = userdata;
        d->config_timer = sd_event_source_disable_unref(d->config_timer);
        reload_config(d);
        return 0;
}

static int on_entries_timer(sd_event_source *s, uint64_t usec, void *userdata) {
        Daemon *d = userdata;
        d->entries_timer = sd_event_source_disable_unref(d->entries_timer);
        rescan_entries(d);
        return 0;
}

/* Arms (or pushes back) a one-shot debounce timer. */
static void debounce(Daemon *d, sd_event_source **timer, uint64_t usec, sd_event_time_handler_t handler) {
        if (*timer) {
                sd_event_source_set_time_relative(*timer, usec);
                sd_event_source_set_enabled(*timer, SD_EVENT_ONESHOT);
                return;
        }
        if (sd_event_add_time_relative(d->event, timer, CLOCK_MONOTONIC, usec, 0, handler, d) < 0)
                log_warning("cannot arm a timer; the change applies at the next SIGHUP");
}

static int on_config_dir_change(sd_event_source *s, const struct inotify_event *ev, void *userdata) {
        Daemon *d = userdata;
        _cleanup_free_ char *copy = strdup(d->config_path);
        if (copy && ev->len > 0 && strcmp(ev->name, basename(copy)) == 0)
                debounce(d, &d->config_timer, CONFIG_DEBOUNCE_USEC, on_config_timer);
        return 0;
}

static int on_applications_change(sd_event_source *s, const struct inotify_event *ev, void *userdata) {
        Daemon *d = userdata;
        debounce(d, &d->entries_timer, ENTRIES_DEBOUNCE_USEC, on_entries_timer);
        return 0;
}

static void watch_tree(Daemon *d, const char *dir, unsigned depth) {
        if (depth > 4 || d->n_app_watches >= MAX_APP_WATCHES)
                return;
        const uint32_t mask = IN_CREATE | IN_DELETE | IN_MOVED_TO | IN_MOVED_FROM | IN_CLOSE_WRITE | IN_ATTRIB;
        if (sd_event_add_inotify(d->event, &d->app_watches[d->n_app_watches], dir, mask, on_applications_change, d) < 0)
                return; /* a directory that does not exist (yet) */
        d->n_app_watches++;
        DIR *dd = opendir(dir);
        struct dirent *de;
        while (dd && (de = readdir(dd))) {
                char sub[PATH_MAX];
                if (de->d_type == DT_DIR && de->d_name[0] != '.' &&
                    snprintf(sub, sizeof(sub), "%s/%s", dir, de->d_name) < (int) sizeof(sub))
                        watch_tree(d, sub, depth + 1);
        }
        if (dd)
                closedir(dd);
}

/* Every applications directory, and the data directories themselves so
 * that an applications directory created later is noticed. */
static void watch_applications(Daemon *d) {
        for (size_t i = 0; i < d->n_app_watches; i++)
                sd_event_source_disable_unref(d->app_watches[i]);
        d->n_app_watches = 0;
        _cleanup_(strv_freep) char **dirs = xdg_data_dirs();
        for (char **dir = dirs; dir && *dir; dir++) {
                char apps[PATH_MAX];
                if (snprintf(apps, sizeof(apps), "%s/applications", *dir) >= (int) sizeof(apps))
                        continue;
                if (d->n_app_watches < MAX_APP_WATCHES &&
                    sd_event_add_inotify(d->event, &d->app_watches[d->n_app_watches], *dir,
                                         IN_CREATE | IN_MOVED_TO | IN_ONLYDIR, on_applications_change, d) >= 0)
                        d->n_app_watches++;
                watch_tree(d, apps, 0);
        }
}

static int watch_config(Daemon *d) {
        _cleanup_free_ char *copy = strdup(d->config_path);
        if (!copy)
                return -ENOMEM;
        /* The directory, not the file: editors replace files by renaming,
         * and the file may not exist yet. */
        const char *dir = dirname(copy);
        int r = sd_event_add_inotify(d->event, &d->config_watch, dir,
                                     IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MOVED_FROM,
                                     on_config_dir_change, d);
        if (r < 0)
                log_notice("not watching %s (%s); send SIGHUP after editing the configuration", dir, strerror(-r));
        return 0;
}

static int on_reload_signal(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata) {
        Daemon *d = userdata;
        sd_notify(0, "RELOADING=1");
        reload_config(d);
        rescan_entries(d);
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
        (void) s;
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

/* Start-up hardening: no core dumps of a process that holds secrets, and
 * no ptrace by other processes of the user. Only the soft core limit goes
 * to 0: children get the recorded limits back, and an unprivileged process
 * may raise a soft limit but never a hard one. exec makes them dumpable
 * again. */
static void harden(void) {
        struct rlimit core;
        if (getrlimit(RLIMIT_CORE, &core) == 0) {
                core.rlim_cur = 0;
                (void) setrlimit(RLIMIT_CORE, &core);
        }
        (void) prctl(PR_SET_DUMPABLE, 0);
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

static void help(void) {
        printf("Usage: sesame-launcherd [--config FILE] [--log auto|console|journal] [--verbose]\n"
               "\n"
               "The per-user launcher service: listens on $XDG_RUNTIME_DIR/sesame/launcher.sock\n"
               "(or the socket systemd passes), authenticates clients with Noise IK and\n"
               "starts desktop entries in their own systemd scopes; remembers launches in\n"
               "$XDG_STATE_HOME/sesame/history.sqlite for sesame search. Usually started by\n"
               "sesame-launcher.socket; see sesame-launcherd(8).\n"
               "\n"
               "  -c, --config FILE  configuration (default ~/.config/sesame/launcher.conf)\n"
               "      --log TARGET   auto (journal when stderr is the journal), console, journal\n"
               "  -v, --verbose      debug messages\n"
               "      --version      show the version\n");
}

/* Every app the launcher started holds one of its file descriptors (a
 * pidfd, to reap it), and so does every client: the soft limit (1024 on
 * most systems) goes up to the hard one, for the launcher only (children
 * get the limits it started with, recorded before this). */
static void raise_fd_limit(void) {
        struct rlimit nofile;
        if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < nofile.rlim_max) {
                nofile.rlim_cur = nofile.rlim_max;
                (void) setrlimit(RLIMIT_NOFILE, &nofile);
        }
}

int main(int argc, char *argv[]) {
        /* First, before anything changes them: the limits children get. */
        child_save_rlimits();
        harden();
        raise_fd_limit();

        static const struct option options[] = {
                { "config", required_argument, NULL, 'c' }, { "log", required_argument, NULL, 'l' },
                { "verbose", no_argument, NULL, 'v' },      { "help", no_argument, NULL, 'h' },
                { "version", no_argument, NULL, 'V' },      {},
        };
        const char *config_path = NULL;
        LogTarget target = LOG_TARGET_AUTO;
        bool verbose = false;
        int c;
        while ((c = getopt_long(argc, argv, "c:vh", options, NULL)) >= 0) {
                switch (c) {
                case 'c':
                        config_path = optarg;
                        break;
                case 'l':
                        if (strcmp(optarg, "auto") == 0)
                                target = LOG_TARGET_AUTO;
                        else if (strcmp(optarg, "console") == 0)
                                target = LOG_TARGET_CONSOLE;
                        else if (strcmp(optarg, "journal") == 0)
                                target = LOG_TARGET_JOURNAL;
                        else {
                                fprintf(stderr, "sesame-launcherd: --log is auto, console or journal\n");
                                return 2;
                        }
                        break;
                case 'v':
                        verbose = true;
                        break;
                case 'h':
                        help();
                        return 0;
                case 'V':
                        printf("sesame-launcherd %s\n", SESAME_VERSION);
                        return 0;
                default:
                        return 2;
                }
        }
        log_setup("sesame-launcherd", target, verbose, sd_journal_sendv);
        signal(SIGPIPE, SIG_IGN);

        Daemon d = { .listen_fd = -1, .config_explicit = config_path != NULL };
        Error e = {};
        d.config_path = config_path ? strdup(config_path) : config_default_path();
        if (!d.config_path) {
                log_error("no configuration path: neither XDG_CONFIG_HOME nor HOME is set");
                return 1;
        }
        _cleanup_(strv_freep) char **errors = NULL;
        int r = config_load(d.config_path, !config_path, &d.config, &errors);
        if (r < 0) {
                for (char **i = errors; i && *i; i++)
                        log_error("%s", *i);
                log_error("cannot start with an invalid configuration");
                return 1;
        }

        NoiseKeypair key;
        if (load_key(&key, &e) < 0) {
                log_error("%s", error_message(&e));
                return 1;
        }

        _cleanup_(strv_freep) char **dirs = xdg_data_dirs();
        if (!dirs || entry_cache_scan(dirs, entries_locale(), &d.entries) < 0) {
                log_error("cannot scan the desktop entries: out of memory");
                return 1;
        }

        sigset_t mask;
        sigemptyset(&mask);
        sigaddset(&mask, SIGTERM);
        sigaddset(&mask, SIGINT);
        sigaddset(&mask, SIGHUP);
        sigprocmask(SIG_BLOCK, &mask, NULL);

        r = sd_event_default(&d.event);
        if (r >= 0)
                r = sd_event_add_signal(d.event, NULL, SIGTERM, on_exit_signal, &d);
        if (r >= 0)
                r = sd_event_add_signal(d.event, NULL, SIGINT, on_exit_signal, &d);
        if (r >= 0)
                r = sd_event_add_signal(d.event, NULL, SIGHUP, on_reload_signal, &d);
        if (r >= 0)
                r = watch_config(&d);
        if (r >= 0)
                watch_applications(&d);
        if (r >= 0)
                (void) sd_event_set_watchdog(d.event, true);
        if (r < 0) {
                log_error("cannot set up the event loop: %s", strerror(-r));
                return 1;
        }
        sd_event_now(d.event, CLOCK_MONOTONIC, &d.started_usec);

        r = spawner_new(&d.spawner, d.event, NULL);
        if (r < 0) {
                log_error("cannot set up the spawn engine: %s", strerror(-r));
                return 1;
        }
        /* Resident: a held child waits for the next launch. */
        spawner_set_spare(d.spawner, true);

        e = (Error){};
        if (setup_socket(&d, &key, &e) < 0) {
                log_error("%s", error_message(&e));
                return 1;
        }
        _cleanup_free_ char *runtime = NULL, *records = NULL;
        if (ipc_runtime_dir(&runtime, &e) < 0 || asprintf(&records, "%s/apps", runtime) < 0 ||
            (r = apps_new(&d.apps, d.event, records)) < 0) {
                log_error("cannot set up the table of apps: %s", e.message[0] ? error_message(&e) : strerror(ENOMEM));
                return 1;
        }
        spawner_set_exit_hook(d.spawner, on_process_exited, &d);
        if (finder_new(d.event, &d.finder) < 0) {
                log_error("out of memory");
                return 1;
        }
        finder_set_entries(d.finder, d.entries);
        _cleanup_free_ char *registry = NULL;
        _cleanup_free_ char *config_dir = NULL;
        if (ipc_config_dir(&config_dir, &e) < 0 || asprintf(&registry, "%s/clients.conf", config_dir) < 0) {
                log_error("%s", error_message(&e));
                return 1;
        }
        IpcServerOptions o = {
                .key = &key,
                .registry_path = registry,
                .allow_ephemeral = d.config->allow_ephemeral_clients,
                .accepted = on_accepted,
        };
        r = ipc_server_new(&d.server, d.event, d.listen_fd, &o, on_request, &d);
        noise_keypair_wipe(&key);
        if (r < 0) {
                log_error("cannot set up the socket server: %s", strerror(-r));
                return 1;
        }
        apply_config(&d);

        log_info("ready on %s with %zu entries", d.socket_path, entry_cache_size(d.entries));
        sd_notifyf(0, "READY=1\nSTATUS=Serving %zu desktop entries on %s", entry_cache_size(d.entries),
                   d.socket_path);

        r = sd_event_loop(d.event);

        d.session_env = session_env_free(d.session_env);
        ipc_server_free(d.server);
        spawner_free(d.spawner);
        apps_free(d.apps);
        finder_free(d.finder); /* the history's last rows written */
        for (size_t i = 0; i < d.n_app_watches; i++)
                sd_event_source_disable_unref(d.app_watches[i]);
        sd_event_source_disable_unref(d.config_watch);
        sd_event_source_disable_unref(d.config_timer);
        sd_event_source_disable_unref(d.entries_timer);
        sd_event_source_disable_unref(d.trim_timer);
        free(d.config_path);
        sd_bus_flush_close_unref(d.bus);
        sd_bus_flush_close_unref(d.secrets_bus);
        if (d.listen_fd_ours)
                close(d.listen_fd);
        sd_event_unref(d.event);
        entry_cache_free(d.entries);
        config_free(d.config);
        free(d.socket_path);
        return r < 0 ? 1 : 0;
}
