/* SPDX-License-Identifier: MIT */
/* One Launch request, from its plan to its reply. A request that is
 * refused (a denial, a clearance, a dry run) is answered at once; every
 * other becomes one LaunchJob that goes through named steps:
 *
 *   SINGLE_CHECK  --single: the entry's gate opened, the manager asked what
 *                 runs; an app of the entry runs: answered "already running"
 *   ENVIRONMENT   the user manager's environment, read no earlier than the
 *                 client connected (session-env.h)
 *   SECRETS       the Secret Service's batch, for a plan with secrets
 *   SPAWNING      one spawn per instance, each in its own scope
 *   WATCHING      --wait-start: each app's first EarlyExitSec=, in which
 *                 one that dies is the answer (ExitedAtOnce, early-exit.h)
 *   ANSWERED      job_answer(): the reply, the gate's waiters, the launch
 *                 recorded, the in-flight count released, the job freed
 *
 * job_answer() is the one way out, so each of those happens exactly once. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/list.h"
#include "common/log.h"
#include "common/strv.h"
#include "common/utf8.h"
#include "desktop/exec.h"
#include "launcher/launch.h"
#include "launcher/plan.h"
#include "launcher/reply.h"
#include "secrets/fetch.h"
#include "spawn/unit-name.h"

extern char **environ;

/* One instance at a time (--single, Single=yes): a launch of an entry that
 * checks whether it runs opens the entry's gate until it is answered;
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
                /* NULL (out of memory) is answered too (daemon_reply). */
                char *json = started ? reply_already_running(started) : reply ? strdup(reply) : NULL;
                daemon_reply(g->waiters[i], json);
                ipc_connection_unref(g->waiters[i]);
        }
        LIST_REMOVE(gates, g->daemon->gates, g);
        free(g->waiters);
        free(g->entry_id);
        free(g);
}

/* ---- the job */

typedef enum LaunchStep {
        STEP_SINGLE_CHECK,
        STEP_ENVIRONMENT,
        STEP_SECRETS,
        STEP_SPAWNING,
        STEP_WATCHING,
        STEP_ANSWERED,
} LaunchStep;

typedef struct LaunchJob LaunchJob;

/* One spawn of the plan (several for %f or %u with several files). */
typedef struct LaunchInstance {
        LaunchJob *job;
        pid_t pid;
        char *unit;
        bool via_scope;
        char *error; /* not started: why */
} LaunchInstance;

struct LaunchJob {
        Daemon *daemon;
        LaunchStep step;
        IpcConnection *connection;
        LaunchPlan *plan;
        char **tags;             /* as the client gave them: what is recorded */
        char *requested_id;      /* as the client named it: the log's */
        char *client;            /* its name in clients.conf */
        char *activation_token;  /* or NULL */
        uint64_t connected_usec;
        SessionEnvWaiter *env_waiter;
        char **base_env;         /* the manager's; NULL: ours */
        SingleGate *gate;        /* --single: held until the launch is answered */
        LaunchInstance *instances;
        size_t n_instances;
        size_t pending;          /* instances not yet done, +1 while they are being started */
        bool wait_start;         /* --wait-start: answered after each app's first EarlyExitSec= */
        const char *journal;     /* the apps' journal identifier (plan->entry_id), or NULL */
        size_t watching;         /* with wait_start: apps still in that window */
        char *exited_at_once;    /* the first that died in it: why (early_exit_sentence()) */
        json_t *exit_details;    /* ... and its pid, status, signal, lines */
};

static LaunchIdentity job_identity(const LaunchJob *j) {
        return (LaunchIdentity){ .entry_id = j->plan->entry_id,
                                 .action = j->plan->action,
                                 .profile = j->plan->profile,
                                 .tags = j->tags };
}

static void job_free(LaunchJob *j) {
        ipc_connection_unref(j->connection);
        session_env_cancel(j->daemon->session_env, j->env_waiter);
        strv_free(j->base_env);
        launch_plan_free(j->plan);
        strv_free(j->tags);
        free(j->requested_id);
        free(j->client);
        free(j->activation_token);
        free(j->exited_at_once);
        json_decref(j->exit_details);
        for (size_t i = 0; i < j->n_instances; i++) {
                free(j->instances[i].unit);
                free(j->instances[i].error);
        }
        free(j->instances);
        free(j);
}

/* For sesame ps and the history: after the reply, off its path. */
static void job_record(LaunchJob *j) {
        LaunchIdentity identity = job_identity(j);
        bool any = false;
        for (size_t i = 0; i < j->n_instances; i++)
                if (!j->instances[i].error) {
                        apps_record(j->daemon->apps, j->instances[i].unit, j->instances[i].pid, &identity);
                        any = true;
                }
        if (any && !j->plan->command)
                finder_record(j->daemon->finder, &identity);
}

/* The one way out: `reply` (taken; NULL is answered as out of memory) to
 * the client and, with `started` the app the launch started or found, to
 * the requests waiting on its gate. */
static void job_answer(LaunchJob *j, char *reply, const App *started) {
        assert(j->step != STEP_ANSWERED);
        j->step = STEP_ANSWERED;
        gate_close(TAKE_PTR(j->gate), reply ? reply : reply_unserializable(), started);
        /* A client that went away meanwhile does not undo the launch. */
        daemon_reply(j->connection, reply);
        job_record(j);
        Daemon *d = j->daemon;
        job_free(j);
        daemon_launch_end(d);
}

static void job_answer_error(LaunchJob *j, const char *name, const char *message) {
        job_answer(j, reply_error(name, message), NULL);
}

/* ---- SPAWNING */

/* Every instance started or failed, and with --wait-start each app's
 * window over: the answer. */
static void job_maybe_answer(LaunchJob *j) {
        if (j->pending > 0 || j->watching > 0)
                return;
        if (j->exited_at_once)
                return job_answer(j, reply_exited_at_once(j->exited_at_once, TAKE_PTR(j->exit_details)), NULL);
        _cleanup_free_ LaunchedInstance *l = calloc(j->n_instances, sizeof(*l));
        for (size_t i = 0; l && i < j->n_instances; i++) {
                const LaunchInstance *in = &j->instances[i];
                l[i] = (LaunchedInstance){ .pid = in->pid, .unit = in->unit, .via_scope = in->via_scope,
                                           .error = in->error };
                if (!in->error)
                        j->daemon->launches++;
        }
        const LaunchInstance *first = &j->instances[0];
        App started = { .unit = first->unit, .pid = first->pid };
        job_answer(j, l ? reply_launched(l, j->n_instances) : NULL, first->error ? NULL : &started);
}

static void instance_answered(LaunchJob *j) {
        j->pending--;
        if (j->pending == 0 && j->watching > 0)
                j->step = STEP_WATCHING;
        job_maybe_answer(j);
}

static void on_watched(const EarlyExit *e, void *userdata) {
        LaunchInstance *in = userdata;
        LaunchJob *j = in->job;
        if (e->failed && !j->exited_at_once) {
                j->exited_at_once = early_exit_sentence(e);
                j->exit_details = json_pack("{s:i,s:i,s:i,s:o}", "pid", (int) e->pid, "status", e->status, "signal",
                                            e->signal, "lines", json_strv(e->lines));
        }
        j->watching--;
        job_maybe_answer(j);
}

static void instance_failed(LaunchInstance *in, const char *message) {
        in->error = strdup(message ? message : "not started");
        instance_answered(in->job);
}

static void on_spawned(const SpawnResult *r, void *userdata) {
        LaunchInstance *in = userdata;
        if (r->error < 0)
                return instance_failed(in, r->message);
        in->pid = r->pid;
        in->unit = r->unit ? strdup(r->unit) : NULL;
        in->via_scope = r->via_scope;
        /* Its first moments watched: logged if it dies in them; with
         * --wait-start, the answer waits for them. */
        LaunchJob *j = in->job;
        Daemon *d = j->daemon;
        j->watching += j->wait_start; /* first: an app already gone is told at once */
        if (early_exits_watch(d->early_exits, r->pid, j->plan->entry_id, j->journal, d->config->early_exit_usec,
                              j->wait_start ? on_watched : NULL, in) < 0)
                j->watching -= j->wait_start;
        instance_answered(j);
}

/* The environment of one instance: `secret_values` one per plan->secrets[i]
 * (or NULL); they are copied into the map only. */
static int job_environment(LaunchJob *j, char *const *secret_values, EnvMap **ret, Error *e) {
        _cleanup_(env_map_unrefp) EnvMap *env = NULL;
        int r = plan_environment(j->plan, j->base_env ? j->base_env : environ, secret_values, &env, e);
        if (r >= 0 && j->activation_token)
                r = env_map_set(env, "XDG_ACTIVATION_TOKEN", j->activation_token, e);
        if (r >= 0 && j->activation_token)
                r = env_map_set(env, "DESKTOP_STARTUP_ID", j->activation_token, e);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(env);
        return 0;
}

/* The launch's log line: what was asked, how it was composed, never a
 * value. The texts live in `log` for the spawns' calls. */
typedef struct LaunchLog {
        char requested[512], client[128], what[160];
        char tags[24], secrets[24], wait[32];
        LogField fields[8];
        size_t n;
} LaunchLog;

static void job_log_fields(const LaunchJob *j, const char *secret_session, LaunchLog *log) {
        const LaunchPlan *plan = j->plan;
        utf8_snprintf(log->requested, sizeof(log->requested), "%s", j->requested_id);
        snprintf(log->client, sizeof(log->client), "%s", j->client);
        snprintf(log->tags, sizeof(log->tags), "%zu", strv_length(j->tags));
        snprintf(log->secrets, sizeof(log->secrets), "%zu", plan->n_secrets);
        /* From accepting the client to the spawn: the handshake, the
         * request, the environment and secrets waited for. */
        uint64_t now = 0;
        (void) sd_event_now(j->daemon->event, CLOCK_MONOTONIC, &now);
        snprintf(log->wait, sizeof(log->wait), "%.1f", (double) (now - j->connected_usec) / 1000);

        size_t n = 0;
        log->fields[n++] = (LogField){ "requested_id", log->requested };
        log->fields[n++] = (LogField){ "tag_count", log->tags };
        log->fields[n++] = (LogField){ "secret_count", log->secrets };
        log->fields[n++] = (LogField){ "client", log->client };
        if (secret_session)
                log->fields[n++] = (LogField){ "secret_session", secret_session };
        log->fields[n++] = (LogField){ "wait_ms", log->wait };
        /* A desktop action, or a command (whose words are not logged: they
         * may be anything). */
        if (plan->action) {
                utf8_snprintf(log->what, sizeof(log->what), "%s", plan->action);
                log->fields[n++] = (LogField){ "action", log->what };
        } else if (plan->command)
                log->fields[n++] = (LogField){ "command", "yes" };
        log->n = n;
}

/* Every instance of the plan, each in its own scope. */
static void job_spawn(LaunchJob *j, char *const *secret_values, const char *secret_session) {
        Daemon *d = j->daemon;
        const LaunchPlan *plan = j->plan;
        j->step = STEP_SPAWNING;
        size_t n = exec_argvs_count(plan->argvs);
        if (!(j->instances = calloc(n, sizeof(LaunchInstance))))
                return job_answer_error(j, "InternalError", "out of memory");
        j->n_instances = n;
        j->pending = n + 1;

        LaunchLog log;
        job_log_fields(j, secret_session, &log);
        /* Output=: the app's own journal stream (where journald listens,
         * else ours), ours, or nowhere. */
        j->journal = plan->output != APP_OUTPUT_JOURNAL ? NULL
                     /* A service's: the manager's stream, under the entry's name. */
                     : plan->service && d->config->scope == SCOPE_MODE_DBUS ? plan->entry_id
                                                                             : daemon_app_journal(d, plan->entry_id);
        for (size_t i = 0; i < n; i++) {
                LaunchInstance *in = &j->instances[i];
                in->job = j;
                Error e = {};
                EnvMap *env = NULL;
                if (job_environment(j, secret_values, &env, &e) < 0) {
                        instance_failed(in, error_message(&e));
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
                        .pid_variable = plan->entry_file ? "GIO_LAUNCHED_DESKTOP_FILE_PID" : NULL,
                        .journal = j->journal,
                        .stdout_journal = j->journal && plan->stdout_journal,
                        .stderr_null = plan->output == APP_OUTPUT_NULL,
                        .service = plan->service,
                        .source_path = plan->entry_file,
                        .log_fields = log.fields,
                        .n_log_fields = log.n,
                };
                if (spawner_launch(d->spawner, &sr, on_spawned, NULL, in, &e) < 0)
                        instance_failed(in, error_message(&e));
        }
        /* The engine has what it needs; the loop's share last. */
        j->base_env = strv_free(j->base_env);
        instance_answered(j);
}

/* ---- SECRETS */

static void on_secrets(const FetchResult *r, void *userdata) {
        LaunchJob *j = userdata;
        switch (r->outcome) {
        case FETCH_OK:
                return job_spawn(j, r->values, r->algorithm);
        case FETCH_VAULTS_LOCKED:
                return job_answer(j, reply_vaults_locked(r->locked_profiles, r->reason), NULL);
        case FETCH_NOT_FOUND:
                return job_answer(j, reply_secret_not_found(j->plan->secrets, r->missing, r->missing_count), NULL);
        case FETCH_INVALID_VALUE:
                return job_answer(j, reply_secret_invalid(r->invalid_name, r->invalid_profile), NULL);
        default:
                return job_answer_error(j, "SecretServiceUnavailable", r->reason);
        }
}

static void job_fetch_secrets(LaunchJob *j) {
        Daemon *d = j->daemon;
        const LaunchPlan *plan = j->plan;
        j->step = STEP_SECRETS;
        _cleanup_free_ SecretWanted *wanted = calloc(plan->n_secrets, sizeof(*wanted));
        if (!wanted)
                return job_answer_error(j, "InternalError", "out of memory");
        for (size_t i = 0; i < plan->n_secrets; i++) {
                const TrustProfile *tp = config_trust_profile(d->config, plan->secrets[i].profile);
                wanted[i] = (SecretWanted){ .name = plan->secrets[i].name, .profile = plan->secrets[i].profile,
                                            .collection = tp ? tp->collection : NULL };
        }
        sd_bus *bus = NULL;
        int r = daemon_secrets_bus(d, &bus);
        if (r >= 0)
                r = secret_fetch_start(NULL, bus, d->event, wanted, plan->n_secrets, d->config->secret_timeout_usec,
                                       on_secrets, j);
        if (r < 0)
                job_answer(j, reply_secret_service_unreachable(r), NULL);
}

static void job_continue(LaunchJob *j) {
        if (j->plan->n_secrets > 0)
                return job_fetch_secrets(j);
        job_spawn(j, NULL, NULL);
}

/* ---- ENVIRONMENT */

static void on_environment(char *const *env, int error, void *userdata) {
        LaunchJob *j = userdata;
        j->env_waiter = NULL;
        if (error == -ECANCELED)
                return job_answer_error(j, "InternalError", "the launcher is stopping");
        if (error < 0)
                log_warning("%s: cannot read the user manager's environment (%s); using the launcher's own",
                            j->requested_id, strerror(-error));
        else if (!(j->base_env = strv_copy(env)))
                return job_answer_error(j, "InternalError", "out of memory");
        job_continue(j);
}

/* The base of the child's environment is the session's current one, as the
 * user manager holds it: a compositor that exported WAYLAND_DISPLAY after
 * we started is seen, and what systemd set for our own service
 * (NOTIFY_SOCKET, LISTEN_FDS, INVOCATION_ID...) is not passed on. Without a
 * manager (scope mode none or systemd-run, or none reachable), our own. */
static void job_read_environment(LaunchJob *j) {
        Daemon *d = j->daemon;
        j->step = STEP_ENVIRONMENT;
        if (!d->session_env)
                return job_continue(j);
        int r = session_env_get(d->session_env, j->connected_usec, on_environment, j, &j->env_waiter);
        if (r < 0) {
                log_warning("%s: cannot ask the user manager for its environment (%s); using the launcher's own",
                            j->requested_id, strerror(-r));
                job_continue(j);
        }
}

/* ---- SINGLE_CHECK */

static void on_single_checked(const App *apps, size_t n, int error, const char *reason, void *userdata) {
        LaunchJob *j = userdata;
        if (error < 0)
                log_warning("%s: cannot ask the user manager what runs (%s); launching", j->plan->entry_id,
                            reason ? reason : strerror(-error));
        for (size_t i = 0; i < n; i++)
                if (app_is_of(&apps[i], j->plan->entry_id))
                        return job_answer(j, reply_already_running(&apps[i]), &apps[i]);
        job_read_environment(j);
}

/* --single: launch only if no app of the entry runs: the manager's units
 * of this entry (either name form), and the apps started without a scope. */
static void job_single_check(LaunchJob *j) {
        const char *entry_id = j->plan->entry_id;
        j->step = STEP_SINGLE_CHECK;
        if (!(j->gate = gate_open(j->daemon, entry_id)))
                return job_answer_error(j, "InternalError", "out of memory");
        char patterns[UNIT_NAME_PATTERNS][UNIT_NAME_PATTERN_MAX];
        _Static_assert(UNIT_NAME_PATTERNS == 4, "scopes and services, one pattern per name style");
        char *list[] = { patterns[0], patterns[1], patterns[2], patterns[3], NULL };
        int r = unit_name_patterns(entry_id, patterns);
        if (r >= 0)
                r = apps_list(j->daemon->apps, list, on_single_checked, j);
        if (r < 0) {
                log_warning("%s: cannot ask the user manager what runs (%s); launching", entry_id, strerror(-r));
                job_read_environment(j);
        }
}

/* ---- the request */

static LaunchJob *job_new(Daemon *d, IpcConnection *c, const Request *req, LaunchPlan *plan) {
        const IpcPeer *peer = ipc_connection_peer(c);
        LaunchJob *j = calloc(1, sizeof(*j));
        if (!j)
                return NULL;
        *j = (LaunchJob){ .daemon = d, .plan = plan, .connected_usec = peer->connected_usec,
                          .wait_start = req->wait_start };
        if (!(j->requested_id = strdup(req->entry_id ?: plan->entry_id)) || !(j->client = strdup(peer->client_name)) ||
            (req->activation_token && !(j->activation_token = strdup(req->activation_token))) ||
            !(j->tags = strv_copy(req->tags))) {
                j->plan = NULL; /* the caller's still */
                job_free(j);
                return NULL;
        }
        j->connection = ipc_connection_ref(c);
        daemon_launch_begin(d);
        return j;
}

void launch_handle(Daemon *d, IpcConnection *c, const Request *req) {
        const IpcPeer *peer = ipc_connection_peer(c);
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
                .service = req->service,
                .files_only = peer->clearance < CLEARANCE_SECRETS,
                .socket_path = d->socket_path,
        };
        _cleanup_(launch_plan_freep) LaunchPlan *plan = NULL;
        Denial denial = {};
        int r = launch_plan_build(d->entries, d->config, &lr, &plan, &denial);
        if (r < 0)
                return daemon_reply(c, reply_error("InternalError", strerror(-r)));
        if (r > 0) {
                /* Did you mean: what a search for the same text finds first. */
                if (denial.kind == DENIAL_ENTRY_NOT_FOUND && !denial.reason && denial.entry_id)
                        denial.known = finder_suggest(d->finder, denial.entry_id, 3);
                daemon_reply(c, reply_denial(&denial));
                denial_done(&denial);
                return;
        }
        if (plan->n_secrets > 0 && peer->clearance < CLEARANCE_SECRETS)
                return daemon_reply(c, reply_error("Forbidden",
                                                   "this client's clearance is 'launch': it may not use tags that "
                                                   "carry secrets (sesame keys authorize NAME KEY --clearance "
                                                   "secrets)"));
        if (req->dry_run)
                return daemon_reply(c, reply_plan(plan));

        /* --single with another launch of the entry under way: this request
         * gets that one's outcome, and is no launch of its own. */
        SingleGate *g = plan->single ? gate_find(d, plan->entry_id) : NULL;
        if (g) {
                if (gate_wait(g, c) < 0)
                        daemon_reply(c, reply_error("InternalError", "out of memory"));
                return;
        }

        LaunchJob *j = job_new(d, c, req, plan);
        if (!j)
                return daemon_reply(c, reply_error("InternalError", "out of memory"));
        TAKE_PTR(plan);
        if (j->plan->single)
                return job_single_check(j);
        job_read_environment(j);
}
