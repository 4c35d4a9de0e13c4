/* SPDX-License-Identifier: MIT */
/* bench-spawn [ROUNDS]
 *
 * In one resident process (as the daemon is), alternating round by round:
 *   bare   fork + exec /bin/true + waitpid
 *   probe  the obvious scope launch written out by hand: fork a child held
 *          on a pipe, StartTransientUnit (a blocking call), wait for
 *          JobRemoved, release, waitpid
 *   engine spawner_launch() in dbus mode, until the exit is delivered
 *   direct spawner_launch() in none mode, until the exit is delivered
 * All four on the same connection to the user manager. Prints medians and
 * the ratios engine/probe and direct/bare. Run inside a user manager
 * (bench/run does it in a private one). */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/log.h"
#include "spawn/spawn.h"
#include "spawn/systemd-bus.h"
#include "stats.h"

static char *true_argv[] = { "/bin/true", NULL };

static uint64_t bare_once(void) {
        uint64_t start = now_ns();
        pid_t pid = fork();
        if (pid == 0) {
                execv(true_argv[0], true_argv);
                _exit(127);
        }
        waitpid(pid, NULL, 0);
        return now_ns() - start;
}

typedef struct Probe {
        char job[256];
        bool done;
        bool ok;
} Probe;

static int probe_job_removed(sd_bus_message *m, void *userdata, sd_bus_error *error) {
        Probe *p = userdata;
        uint32_t id;
        const char *job, *unit, *result;
        if (sd_bus_message_read(m, "uoss", &id, &job, &unit, &result) >= 0 && strcmp(job, p->job) == 0) {
                p->done = true;
                p->ok = strcmp(result, "done") == 0;
        }
        return 0;
}

static uint64_t probe_once(sd_event *event, sd_bus *bus, Probe *p) {
        uint64_t start = now_ns();
        int hold[2];
        if (pipe2(hold, O_CLOEXEC) < 0)
                abort();
        pid_t pid = fork();
        if (pid == 0) {
                char c;
                if (read(hold[0], &c, 1) != 1)
                        _exit(126);
                execv(true_argv[0], true_argv);
                _exit(127);
        }
        close(hold[0]);

        char unit[64];
        snprintf(unit, sizeof(unit), "bench-probe-%d.scope", (int) pid);
        sd_bus_message *reply = NULL;
        sd_bus_error error = SD_BUS_ERROR_NULL;
        int r = sd_bus_call_method(bus, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
                                   "org.freedesktop.systemd1.Manager", "StartTransientUnit", &error, &reply,
                                   "ssa(sv)a(sa(sv))", unit, "fail", 3, "Slice", "s", "app.slice", "CollectMode", "s",
                                   "inactive-or-failed", "PIDs", "au", 1, (uint32_t) pid, 0);
        const char *job;
        if (r < 0 || sd_bus_message_read(reply, "o", &job) < 0) {
                fprintf(stderr, "probe: StartTransientUnit: %s\n", error.message ?: strerror(-r));
                exit(1);
        }
        snprintf(p->job, sizeof(p->job), "%s", job);
        sd_bus_message_unref(reply);
        p->done = false;
        while (!p->done)
                sd_event_run(event, UINT64_MAX);
        if (!p->ok) {
                fprintf(stderr, "probe: job failed\n");
                exit(1);
        }
        if (write(hold[1], "G", 1) != 1)
                abort();
        close(hold[1]);
        waitpid(pid, NULL, 0);
        return now_ns() - start;
}

typedef struct EngineRun {
        bool done;
        bool exited;
        bool via_scope;
} EngineRun;

static void engine_done(const SpawnResult *r, void *userdata) {
        EngineRun *run = userdata;
        run->done = true;
        run->via_scope = r->via_scope;
        if (r->error < 0) {
                fprintf(stderr, "engine: %s\n", r->message);
                exit(1);
        }
}

static void engine_exited(pid_t pid, const siginfo_t *si, void *userdata) {
        ((EngineRun *) userdata)->exited = true;
}

static uint64_t engine_once(sd_event *event, Spawner *s, ScopeMode mode) {
        uint64_t start = now_ns();
        EnvMap *env = NULL;
        if (env_map_new(&env) < 0 || env_map_set(env, "PATH", "/usr/bin:/bin", NULL) < 0)
                abort();
        EngineRun run = {};
        SpawnRequest req = {
                .program = true_argv[0], .argv = true_argv, .env = env, .entry_id = "bench", .mode = mode,
        };
        Error e = {};
        if (spawner_launch(s, &req, engine_done, engine_exited, &run, &e) < 0) {
                fprintf(stderr, "engine: %s\n", error_message(&e));
                exit(1);
        }
        while (!run.exited)
                sd_event_run(event, UINT64_MAX);
        if (mode == SCOPE_MODE_DBUS && !run.via_scope) {
                fprintf(stderr, "engine: not placed in a scope\n");
                exit(1);
        }
        return now_ns() - start;
}

int main(int argc, char *argv[]) {
        int rounds = argc > 1 ? atoi(argv[1]) : 300;
        /* The engine logs every launch and exit; measure it as it runs, but
         * keep the terminal readable. */
        log_setup("bench", LOG_TARGET_CONSOLE, false, NULL);

        sd_event *event = NULL;
        sd_bus *bus = NULL;
        Spawner *s = NULL;
        Error e = {};
        if (sd_event_new(&event) < 0 || systemd_bus_open(&bus, event, false, &e) < 0 || spawner_new(&s, event, bus) < 0) {
                fprintf(stderr, "bench-spawn: no user manager: %s\n", error_message(&e));
                return 1;
        }
        /* Uninstalled, sesame-exec is in the build root, not beside us. */
        const char *helper = getenv("SESAME_EXEC_HELPER");
        if (helper && spawner_set_exec_helper(s, helper) < 0)
                return 1;
        Probe probe = {};
        if (systemd_watch_jobs(bus, NULL, probe_job_removed, &probe) < 0)
                return 1;

        uint64_t *bare = calloc((size_t) rounds, 8), *prb = calloc((size_t) rounds, 8),
                 *eng = calloc((size_t) rounds, 8), *dir = calloc((size_t) rounds, 8);
        for (int i = 0; i < 10; i++) {
                bare_once();
                probe_once(event, bus, &probe);
                engine_once(event, s, SCOPE_MODE_DBUS);
                engine_once(event, s, SCOPE_MODE_NONE);
        }
        for (int i = 0; i < rounds; i++) {
                bare[i] = bare_once();
                prb[i] = probe_once(event, bus, &probe);
                eng[i] = engine_once(event, s, SCOPE_MODE_DBUS);
                dir[i] = engine_once(event, s, SCOPE_MODE_NONE);
        }

        size_t n = (size_t) rounds;
        double mb = percentile_ms(bare, n, 50), mp = percentile_ms(prb, n, 50), me = percentile_ms(eng, n, 50),
               md = percentile_ms(dir, n, 50);
        printf("bus: %s\n", sd_bus_is_bus_client(bus) > 0 ? "user bus" : "manager's private socket");
        printf("bare fork+exec+wait            median %7.3f ms  p90 %7.3f\n", mb, percentile_ms(bare, n, 90));
        printf("probe StartTransientUnit+exec  median %7.3f ms  p90 %7.3f\n", mp, percentile_ms(prb, n, 90));
        printf("engine, dbus mode              median %7.3f ms  p90 %7.3f\n", me, percentile_ms(eng, n, 90));
        printf("engine, none mode              median %7.3f ms  p90 %7.3f\n", md, percentile_ms(dir, n, 90));
        printf("ratio engine(dbus) / probe = %.2f   (target <= 1.25)\n", me / mp);
        printf("ratio engine(none) / bare  = %.2f\n", md / mb);
        printf("ratio engine(dbus) / bare  = %.2f\n", me / mb);
        printf("(%d rounds, alternating)\n", rounds);

        spawner_free(s);
        sd_bus_flush_close_unref(bus);
        sd_event_unref(event);
        free(bare);
        free(prb);
        free(eng);
        free(dir);
        return 0;
}
