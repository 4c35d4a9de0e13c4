/* SPDX-License-Identifier: MIT */
/* The spawn engine against a real systemd user manager (group "scope", run
 * under tests/harness/user-manager) and without one (group "fallback", run
 * under tests/harness/user-manager --no-manager). Every check reads the
 * child's state from /proc or the cgroup tree, not from the engine. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spawn/child.h"
#include "spawn/spawn.h"
#include "spawn/systemd-bus.h"
#include "helpers.h"

extern char **environ;

typedef struct Outcome {
        bool done;
        int error;
        char message[512];
        bool exec_failed;
        pid_t pid;
        char unit[256];
        bool via_scope;
        bool exited;
        int exit_code;
        int exit_status;
} Outcome;

typedef struct Fixture {
        sd_event *event;
        sd_bus *bus;
        Spawner *spawner;
} Fixture;

static const char *exec_helper;
/* The next launches as transient services (SpawnRequest.service). */
static bool as_service;
static struct rlimit original_nofile;

static void on_done(const SpawnResult *r, void *userdata) {
        Outcome *o = userdata;
        o->done = true;
        o->error = r->error;
        o->exec_failed = r->exec_failed;
        snprintf(o->message, sizeof(o->message), "%s", r->message ? r->message : "");
        o->pid = r->pid;
        snprintf(o->unit, sizeof(o->unit), "%s", r->unit ? r->unit : "");
        o->via_scope = r->via_scope;
}

static void on_exit_child(pid_t pid, const siginfo_t *si, void *userdata) {
        Outcome *o = userdata;
        (void) pid;
        o->exited = true;
        o->exit_code = si->si_code;
        o->exit_status = si->si_status;
}

static int setup(void **state) {
        Fixture *f = calloc(1, sizeof(*f));
        assert_non_null(f);
        assert_int_equal(sd_event_new(&f->event), 0);
        /* No manager in the fallback group: then bus stays NULL. */
        (void) systemd_bus_open(&f->bus, f->event, false, NULL);
        assert_int_equal(spawner_new(&f->spawner, f->event, f->bus), 0);
        if (exec_helper)
                assert_int_equal(spawner_set_exec_helper(f->spawner, exec_helper), 0);
        *state = f;
        return 0;
}

/* A failed test may leave its child running: end it here, by PID, so that
 * the next test starts with no children (some of them check exactly that). */
static void kill_leftover_children(void) {
        char path[64], buf[4096];
        snprintf(path, sizeof(path), "/proc/self/task/%d/children", (int) getpid());
        FILE *c = fopen(path, "re");
        if (!c)
                return;
        size_t n = fread(buf, 1, sizeof(buf) - 1, c);
        fclose(c);
        buf[n] = 0;
        for (char *p = buf, *end; *p; p = end) {
                pid_t pid = (pid_t) strtol(p, &end, 10);
                if (end == p)
                        break;
                kill(pid, SIGKILL);
                waitpid(pid, NULL, 0);
        }
}

static int teardown(void **state) {
        Fixture *f = *state;
        spawner_free(f->spawner);
        kill_leftover_children();
        sd_bus_flush_close_unref(f->bus);
        sd_event_unref(f->event);
        free(f);
        return 0;
}

static EnvMap *env_new(const char *first, ...) {
        EnvMap *m = NULL;
        assert_int_equal(env_map_new(&m), 0);
        assert_int_equal(env_map_set(m, "PATH", "/usr/local/bin:/usr/bin:/bin", NULL), 0);
        /* systemd-run --user finds the manager through these. */
        const char *v;
        if ((v = getenv("XDG_RUNTIME_DIR")))
                assert_int_equal(env_map_set(m, "XDG_RUNTIME_DIR", v, NULL), 0);
        if ((v = getenv("DBUS_SESSION_BUS_ADDRESS")))
                assert_int_equal(env_map_set(m, "DBUS_SESSION_BUS_ADDRESS", v, NULL), 0);

        va_list ap;
        va_start(ap, first);
        for (const char *a = first; a; a = va_arg(ap, const char *))
                assert_int_equal(env_map_put(m, a, NULL), 0);
        va_end(ap);
        return m;
}

/* Starts a launch and runs the loop until its outcome is known. */
static int launch_full(Fixture *f, Outcome *o, ScopeMode mode, const char *id, char *const *argv, const char *cwd,
                       EnvMap *env, Error *e) {
        *o = (Outcome){};
        SpawnRequest req = {
                .program = argv[0],
                .argv = argv,
                .env = env,
                .cwd = cwd,
                .entry_id = id,
                .mode = mode,
                .service = as_service,
        };
        int r = spawner_launch(f->spawner, &req, on_done, on_exit_child, o, e);
        if (r < 0)
                return r;
        assert_true(run_until(f->event, &o->done, 15000));
        return 0;
}

static bool is_sleep(char *const *argv) {
        const char *slash = strrchr(argv[0], '/');
        return strcmp(slash ? slash + 1 : argv[0], "sleep") == 0;
}

static void launch(Fixture *f, Outcome *o, ScopeMode mode, const char *id, char *const *argv, EnvMap *env) {
        Error e = {};
        assert_int_equal(launch_full(f, o, mode, id, argv, NULL, env, &e), 0);
        if (o->error < 0)
                fail_msg("launch failed: %s", o->message);
        assert_true(o->pid > 0);
        if (is_sleep(argv))
                assert_true(proc_wait_sleeping(o->pid, 5000));
}

/* Runs the loop until the engine has reaped every child it forked. */
static void reap_all(Fixture *f) {
        for (int i = 0; i < 100 && spawner_children(f->spawner) > 0; i++)
                assert_true(sd_event_run(f->event, 100 * 1000) >= 0);
        assert_int_equal(spawner_children(f->spawner), 0);
}

static void stop_child(Fixture *f, Outcome *o) {
        if (!o->exited)
                assert_int_equal(kill(o->pid, SIGTERM), 0);
        assert_true(run_until(f->event, &o->exited, 10000));
}

static bool cgroup_gone(void *userdata) {
        char path[512];
        snprintf(path, sizeof(path), "/sys/fs/cgroup/app.slice/%s", (const char *) userdata);
        return access(path, F_OK) < 0;
}

static void assert_in_scope(const Outcome *o, const char *sanitized_id) {
        char expected[512], cgroup[512];
        snprintf(expected, sizeof(expected), "app-open-sesame-%s-%d.scope", sanitized_id, (int) o->pid);
        assert_true(o->via_scope);
        assert_string_equal(o->unit, expected);
        assert_true(proc_cgroup(o->pid, cgroup, sizeof(cgroup)));
        snprintf(expected, sizeof(expected), "/app.slice/%s", o->unit);
        assert_string_equal(cgroup, expected);
}

/* ---- group "scope": a real user manager */

static void test_scope_placement(void **state) {
        Fixture *f = *state;
        Outcome o;
        char *argv[] = { "sleep", "60", NULL };

        assert_int_equal(sd_bus_is_bus_client(f->bus), 0); /* the manager's private socket comes first */
        launch(f, &o, SCOPE_MODE_DBUS, "org.example.Sleepy", argv, env_new(NULL));
        /* The PID in the name is the app's own: the same process we read. */
        assert_in_scope(&o, "org-example-Sleepy");
        char comm[64];
        assert_true(proc_field(o.pid, "status", "Name:", comm, sizeof(comm)));
        assert_string_equal(comm, "sleep");

        stop_child(f, &o);
        assert_int_equal(o.exit_code, CLD_KILLED);
        assert_int_equal(o.exit_status, SIGTERM);
        /* CollectMode=inactive-or-failed: the scope goes with its last process. */
        assert_true(wait_for(cgroup_gone, o.unit, 5000));
}

static void test_child_state(void **state) {
        Fixture *f = *state;
        Outcome o;

        /* Give ourselves what the daemon has and a child must not inherit:
         * blocked and ignored signals, a stray inheritable fd, changed
         * limits, an environment of our own. */
        sigset_t mask;
        sigemptyset(&mask);
        sigaddset(&mask, SIGUSR1);
        sigaddset(&mask, SIGTERM);
        assert_int_equal(sigprocmask(SIG_BLOCK, &mask, NULL), 0);
        signal(SIGUSR2, SIG_IGN);
        signal(SIGPIPE, SIG_IGN);
#if defined(__x86_64__) || defined(__aarch64__)
        /* Also one that libc's sigaction() refuses to touch (glibc's 32):
         * the kernel struct, handler first, SIG_IGN. */
        static const unsigned long ign[8] = { (unsigned long) SIG_IGN };
        assert_int_equal(syscall(SYS_rt_sigaction, 32, ign, NULL, (size_t) (_NSIG / 8)), 0);
#endif
        int stray = open("/dev/zero", O_RDONLY); /* no O_CLOEXEC on purpose */
        assert_true(stray >= 0);
        struct rlimit lowered = { .rlim_cur = original_nofile.rlim_cur / 2, .rlim_max = original_nofile.rlim_max };
        assert_int_equal(setrlimit(RLIMIT_NOFILE, &lowered), 0);
        setenv("SESAME_TEST_PARENT_ONLY", "1", 1);

        char dir[256];
        tmp_template(dir, sizeof(dir), "sesame-cwd");
        assert_non_null(mkdtemp(dir));

        char *argv[] = { "sleep", "60", NULL };
        Error e = {};
        assert_int_equal(launch_full(f, &o, SCOPE_MODE_DBUS, "state", argv, dir,
                                     env_new("FOO=bar baz", "EMPTY=", NULL), &e), 0);
        assert_int_equal(o.error, 0);
        assert_true(proc_wait_sleeping(o.pid, 5000));

        char buf[4096];
        assert_true(proc_environ(o.pid, "FOO", buf, sizeof(buf)));
        assert_string_equal(buf, "bar baz");
        assert_true(proc_environ(o.pid, "EMPTY", buf, sizeof(buf)));
        assert_string_equal(buf, "");
        assert_false(proc_environ(o.pid, "SESAME_TEST_PARENT_ONLY", buf, sizeof(buf)));

        char link[64];
        snprintf(link, sizeof(link), "/proc/%d/cwd", (int) o.pid);
        ssize_t n = readlink(link, buf, sizeof(buf) - 1);
        assert_true(n > 0);
        buf[n] = 0;
        assert_string_equal(buf, dir);

        assert_true(proc_fd_target(o.pid, 0, buf, sizeof(buf)));
        assert_string_equal(buf, "/dev/null");
        assert_true(proc_fd_target(o.pid, 1, buf, sizeof(buf)));
        assert_string_equal(buf, "/dev/null");
        char ours[4096];
        assert_true(proc_fd_target(getpid(), 2, ours, sizeof(ours)));
        assert_true(proc_fd_target(o.pid, 2, buf, sizeof(buf)));
        assert_string_equal(buf, ours);
        assert_int_equal(proc_fd_count(o.pid), 3);

        assert_true(proc_field(o.pid, "status", "SigBlk:", buf, sizeof(buf)));
        assert_string_equal(buf, "0000000000000000");
        assert_true(proc_field(o.pid, "status", "SigIgn:", buf, sizeof(buf)));
        assert_string_equal(buf, "0000000000000000");
        /* Our own mask is what it was: the engine changed only the child's. */
        sigset_t now;
        sigprocmask(SIG_SETMASK, NULL, &now);
        assert_true(sigismember(&now, SIGUSR1));

        assert_int_equal(getsid(o.pid), o.pid);

        char expected[64];
        snprintf(expected, sizeof(expected), "%llu", (unsigned long long) original_nofile.rlim_cur);
        assert_true(proc_field(o.pid, "limits", "Max open files", buf, sizeof(buf)));
        assert_int_equal(strncmp(buf, expected, strlen(expected)), 0);

        stop_child(f, &o);
        close(stray);
        setrlimit(RLIMIT_NOFILE, &original_nofile);
        sigprocmask(SIG_UNBLOCK, &mask, NULL);
        signal(SIGUSR2, SIG_DFL);
        unsetenv("SESAME_TEST_PARENT_ONLY");
        rmdir(dir);
}

/* The map the engine was given is wiped once the child has its copy: the
 * test keeps a second reference so the bytes can still be looked at. */
static void test_env_wiped_after_spawn(void **state) {
        Fixture *f = *state;
        Outcome o;

        char secret[41];
        for (size_t i = 0; i < 40; i++)
                secret[i] = "abcdefghijklmnopqrstuvwxyz0123456789"[random() % 36];
        secret[40] = 0;

        EnvMap *env = env_new(NULL);
        assert_int_equal(env_map_set(env, "SECRET_TOKEN", secret, NULL), 0);
        const char *stored = env_map_get(env, "SECRET_TOKEN");
        const char *assignment = stored - strlen("SECRET_TOKEN=");
        size_t len = strlen(assignment);
        EnvMap *keep = env_map_ref(env);

        char *argv[] = { "sleep", "60", NULL };
        launch(f, &o, SCOPE_MODE_DBUS, "wipe", argv, env);

        assert_true(memory_is_zero(assignment, len));
        assert_int_equal(env_map_size(keep), 0);
        /* ...and the child did get it. */
        char buf[128];
        assert_true(proc_environ(o.pid, "SECRET_TOKEN", buf, sizeof(buf)));
        assert_string_equal(buf, secret);

        env_map_unref(keep);
        stop_child(f, &o);
}

static void test_env_wiped_on_error(void **state) {
        Fixture *f = *state;
        Outcome o;

        EnvMap *env = env_new("SECRET_TOKEN=do-not-keep-me", NULL);
        const char *assignment = env_map_get(env, "SECRET_TOKEN") - strlen("SECRET_TOKEN=");
        size_t len = strlen(assignment);
        EnvMap *keep = env_map_ref(env);

        char *argv[] = { "/nonexistent/program", NULL };
        launch_full(f, &o, SCOPE_MODE_DBUS, "wipe-error", argv, NULL, env, NULL);
        assert_true(o.error < 0);
        assert_true(memory_is_zero(assignment, len));
        env_map_unref(keep);
        reap_all(f);
}

static void test_cwd_rejected_before_fork(void **state) {
        Fixture *f = *state;
        Outcome o;
        char *argv[] = { "true", NULL };
        Error e = {};

        const struct {
                const char *cwd;
                int error;
                const char *words;
        } cases[] = {
                { "relative/dir", -EINVAL, "not an absolute path" },
                { "/nonexistent/dir", -ENOENT, "No such file" },
                { "/etc/passwd", -ENOTDIR, "not a directory" },
        };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                EnvMap *env = env_new("SECRET_TOKEN=xyz", NULL);
                EnvMap *keep = env_map_ref(env);
                const char *assignment = env_map_get(env, "SECRET_TOKEN") - strlen("SECRET_TOKEN=");

                e = (Error){};
                assert_int_equal(launch_full(f, &o, SCOPE_MODE_DBUS, "cwd", argv, cases[i].cwd, env, &e),
                                 cases[i].error);
                assert_non_null(strstr(e.message, cases[i].words));
                assert_non_null(strstr(e.message, cases[i].cwd));
                assert_false(o.done);
                assert_true(memory_is_zero(assignment, strlen("SECRET_TOKEN=xyz")));
                env_map_unref(keep);

                /* Nothing was forked. */
                assert_int_equal(spawner_children(f->spawner), 0);
                assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
                assert_int_equal(errno, ECHILD);
        }
}

static void check_exec_failure(Fixture *f, ScopeMode mode) {
        Outcome o;
        char *argv[] = { "/nonexistent/program", "arg", NULL };

        Error e = {};
        assert_int_equal(launch_full(f, &o, mode, "missing", argv, NULL, env_new(NULL), &e), 0);
        assert_int_equal(o.error, -ENOENT);
        assert_true(o.exec_failed);
        assert_int_equal(o.pid, 0);
        assert_non_null(strstr(o.message, "/nonexistent/program"));
        assert_non_null(strstr(o.message, "No such file or directory"));

        /* Nothing left running: the child is reaped, no zombie, no scope. */
        reap_all(f);
        assert_false(o.exited); /* never launched, so no exit to report */
        assert_int_equal(proc_zombie_children(getpid()), 0);
        DIR *d = opendir("/sys/fs/cgroup/app.slice");
        struct dirent *de;
        while (d && (de = readdir(d)))
                if (strstr(de->d_name, "app-open-sesame-missing-"))
                        assert_true(wait_for(cgroup_gone, de->d_name, 5000));
        if (d)
                closedir(d);
}

static void test_exec_failure(void **state) {
        check_exec_failure(*state, SCOPE_MODE_DBUS);
}

static void test_exec_failure_systemd_run(void **state) {
        check_exec_failure(*state, SCOPE_MODE_SYSTEMD_RUN);
}

static void test_exec_not_executable(void **state) {
        Fixture *f = *state;
        Outcome o;
        char path[256];
        tmp_template(path, sizeof(path), "sesame-noexec");
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        close(fd);
        char *argv[] = { path, NULL };

        launch_full(f, &o, SCOPE_MODE_NONE, "noexec", argv, NULL, env_new(NULL), NULL);
        assert_int_equal(o.error, -EACCES);
        assert_true(o.exec_failed);
        assert_non_null(strstr(o.message, "Permission denied"));
        unlink(path);
        reap_all(f);
}

/* The program is looked up in the composed environment's PATH. */
static void test_path_of_composed_env(void **state) {
        Fixture *f = *state;
        Outcome o;

        char dir[256];
        tmp_template(dir, sizeof(dir), "sesame-path");
        assert_non_null(mkdtemp(dir));
        char prog[512];
        snprintf(prog, sizeof(prog), "%s/sesame-only-here", dir);
        FILE *s = fopen(prog, "we");
        assert_non_null(s);
        fputs("#!/bin/sh\nexec sleep 60\n", s);
        fclose(s);
        chmod(prog, 0755);

        char path[512];
        snprintf(path, sizeof(path), "PATH=%s:/usr/bin:/bin", dir);
        char *argv[] = { "sesame-only-here", NULL };
        launch(f, &o, SCOPE_MODE_DBUS, "path", argv, env_new(path, NULL));
        assert_true(proc_alive(o.pid));
        stop_child(f, &o);
        unlink(prog);
        rmdir(dir);
}

/* 500 launches: every child reaped, no zombie, no fd left behind. */
static void test_many_launches(void **state) {
        Fixture *f = *state;
        char *argv[] = { "true", NULL };

        int fds_before = proc_fd_count(getpid());
        for (int i = 0; i < 500; i++) {
                Outcome o;
                launch(f, &o, SCOPE_MODE_DBUS, "many", argv, env_new(NULL));
                assert_true(o.via_scope);
                assert_true(run_until(f->event, &o.exited, 10000));
                assert_int_equal(o.exit_code, CLD_EXITED);
                assert_int_equal(o.exit_status, 0);
        }
        assert_int_equal(spawner_children(f->spawner), 0);
        assert_int_equal(spawner_launches(f->spawner), 0);
        assert_int_equal(proc_zombie_children(getpid()), 0);
        assert_int_equal(proc_fd_count(getpid()), fds_before);
}

/* Our children, read from the kernel (the engine does not hand out the PID
 * of a child that is still held). */
static pid_t only_child(void) {
        char path[64], buf[256];
        snprintf(path, sizeof(path), "/proc/self/task/%d/children", (int) getpid());
        FILE *c = fopen(path, "re");
        assert_non_null(c);
        size_t n = fread(buf, 1, sizeof(buf) - 1, c);
        fclose(c);
        buf[n] = 0;
        assert_int_equal((int) strspn(buf, "0123456789"), (int) strcspn(buf, " "));
        return (pid_t) atoi(buf);
}

/* A held child whose launcher goes away before releasing it exits without
 * running the program. */
static void test_held_child_abandoned(void **state) {
        Fixture *f = *state;
        Outcome o = {};

        char marker[256];
        tmp_template(marker, sizeof(marker), "sesame-marker");
        int fd = mkstemp(marker);
        close(fd);
        unlink(marker);
        char *argv[] = { "touch", marker, NULL };
        SpawnRequest req = {
                .program = "touch", .argv = argv, .env = env_new(NULL), .entry_id = "held", .mode = SCOPE_MODE_DBUS,
        };
        /* The loop does not run: the child stays held behind the bus call. */
        assert_int_equal(spawner_launch(f->spawner, &req, on_done, NULL, &o, NULL), 0);
        pid_t pid = only_child();
        assert_true(pid > 0);

        spawner_free(f->spawner);
        f->spawner = NULL;
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), CHILD_EXIT_ABANDONED);
        assert_int_equal(access(marker, F_OK), -1);
        assert_false(o.done);
        assert_int_equal(spawner_new(&f->spawner, f->event, f->bus), 0);
        if (exec_helper)
                spawner_set_exec_helper(f->spawner, exec_helper);
}

static bool set_next_pid(pid_t pid) {
        FILE *n = fopen("/proc/sys/kernel/ns_last_pid", "we");
        if (!n)
                return false;
        bool ok = fprintf(n, "%d", (int) pid - 1) > 0;
        return fclose(n) == 0 && ok;
}

static void kill_cgroup(const char *unit) {
        char path[512];
        snprintf(path, sizeof(path), "/sys/fs/cgroup/app.slice/%s/cgroup.kill", unit);
        FILE *k = fopen(path, "we");
        if (k) {
                fputs("1", k);
                fclose(k);
        }
        assert_true(wait_for(cgroup_gone, (void *) unit, 5000));
}

/* Leaves a scope app-open-sesame-<id>-<pid>.scope alive after its first
 * process, <pid>, exited, so that <pid> can be handed out again. */
typedef struct Leftover {
        const char *unit;
        pid_t old_sid;
} Leftover;

/* The kernel hands out no PID still in use as a session ID: wait until the
 * process left behind has a session of its own. */
static bool leftover_detached(void *userdata) {
        const Leftover *l = userdata;
        char path[512];
        snprintf(path, sizeof(path), "/sys/fs/cgroup/app.slice/%s/cgroup.procs", l->unit);
        FILE *f = fopen(path, "re");
        if (!f)
                return false;
        int pid = 0;
        bool ok = fscanf(f, "%d", &pid) == 1 && getsid(pid) != l->old_sid;
        fclose(f);
        return ok;
}

static pid_t occupy_unit_name(Fixture *f, const char *id, char unit[static 256]) {
        Outcome o;
        /* As a daemonizing app does: the leftover takes its own session. */
        char *argv[] = { "sh", "-c", "setsid sleep 60 & exit 0", NULL };
        launch(f, &o, SCOPE_MODE_DBUS, id, argv, env_new(NULL));
        assert_true(o.via_scope);
        assert_true(run_until(f->event, &o.exited, 5000));
        snprintf(unit, 256, "%s", o.unit);
        Leftover l = { .unit = unit, .old_sid = o.pid };
        assert_true(wait_for(leftover_detached, &l, 5000));
        return o.pid;
}

/* The PID-named unit already exists (a previous app with the same PID left
 * a process behind): retry with a suffix rather than fall back. */
static void test_unit_exists_retry(void **state) {
        Fixture *f = *state;
        char busy[256];
        pid_t pid = occupy_unit_name(f, "retry", busy);

        Outcome o = {};
        char *argv[] = { "sleep", "60", NULL };
        /* Other processes may take the PID first; then try again. */
        for (int attempt = 0; attempt < 20; attempt++) {
                assert_true(set_next_pid(pid));
                launch(f, &o, SCOPE_MODE_DBUS, "retry", argv, env_new(NULL));
                if (o.pid == pid)
                        break;
                stop_child(f, &o);
        }
        assert_int_equal(o.pid, pid);
        char expected[256];
        snprintf(expected, sizeof(expected), "app-open-sesame-retry-%d-1.scope", (int) pid);
        assert_true(o.via_scope);
        assert_string_equal(o.unit, expected);
        char cgroup[512];
        assert_true(proc_cgroup(o.pid, cgroup, sizeof(cgroup)));
        assert_non_null(strstr(cgroup, expected));

        stop_child(f, &o);
        kill_cgroup(busy);
}

static void test_systemd_run_scope(void **state) {
        Fixture *f = *state;
        Outcome o;
        char *argv[] = { "sleep", "60", NULL };

        launch(f, &o, SCOPE_MODE_SYSTEMD_RUN, "org.example.Wrapped", argv, env_new("FOO=wrapped", NULL));
        /* systemd-run and sesame-exec exec in place: the PID is the app's. */
        assert_in_scope(&o, "org-example-Wrapped");
        char buf[256];
        assert_true(proc_field(o.pid, "status", "Name:", buf, sizeof(buf)));
        assert_string_equal(buf, "sleep");
        assert_true(proc_environ(o.pid, "FOO", buf, sizeof(buf)));
        assert_string_equal(buf, "wrapped");
        assert_int_equal(proc_fd_count(o.pid), 3);
        assert_true(proc_field(o.pid, "status", "SigBlk:", buf, sizeof(buf)));
        assert_string_equal(buf, "0000000000000000");
        stop_child(f, &o);
}

/* systemd-run runs but fails before the program: here it cannot reach the
 * manager because the composed environment does not say where it is. */
static void test_systemd_run_fails_first(void **state) {
        Fixture *f = *state;
        Outcome o;
        char *argv[] = { "sleep", "60", NULL };

        EnvMap *env = NULL;
        assert_int_equal(env_map_new(&env), 0);
        assert_int_equal(env_map_set(env, "PATH", "/usr/bin:/bin", NULL), 0);
        assert_int_equal(env_map_set(env, "XDG_RUNTIME_DIR", "/nonexistent", NULL), 0);
        launch(f, &o, SCOPE_MODE_SYSTEMD_RUN, "wrapped-fails", argv, env);
        assert_false(o.via_scope);
        assert_string_equal(o.unit, "");
        assert_true(proc_alive(o.pid));
        char buf[256];
        assert_true(proc_field(o.pid, "status", "Name:", buf, sizeof(buf)));
        assert_string_equal(buf, "sleep");
        stop_child(f, &o);
}

static void test_systemd_run_not_in_path(void **state) {
        Fixture *f = *state;
        Outcome o;
        char *argv[] = { "/bin/sleep", "60", NULL };

        char *saved = strdup(getenv("PATH"));
        setenv("PATH", "/nonexistent", 1);
        launch(f, &o, SCOPE_MODE_SYSTEMD_RUN, "no-systemd-run", argv, env_new(NULL));
        setenv("PATH", saved, 1);
        free(saved);
        assert_false(o.via_scope);
        assert_true(proc_alive(o.pid));
        stop_child(f, &o);
}

/* The manager's private socket out of reach (another runtime directory):
 * the user bus, still with real scopes; and with `private_only`, none. */
static void test_user_bus_fallback(void **state) {
        Fixture *f = *state;
        Outcome o;
        char *argv[] = { "sleep", "60", NULL };

        char *saved = strdup(getenv("XDG_RUNTIME_DIR"));
        setenv("XDG_RUNTIME_DIR", "/nonexistent", 1);
        sd_bus *bus = NULL, *none = NULL;
        int r = systemd_bus_open(&bus, f->event, false, NULL);
        assert_true(systemd_bus_open(&none, f->event, true, NULL) < 0);
        setenv("XDG_RUNTIME_DIR", saved, 1);
        free(saved);
        assert_int_equal(r, 0);
        assert_true(sd_bus_is_bus_client(bus) > 0);

        spawner_free(f->spawner);
        sd_bus_flush_close_unref(f->bus);
        f->bus = bus;
        assert_int_equal(spawner_new(&f->spawner, f->event, f->bus), 0);
        assert_int_equal(spawner_set_exec_helper(f->spawner, exec_helper), 0);

        launch(f, &o, SCOPE_MODE_DBUS, "org.example.Private", argv, env_new(NULL));
        assert_in_scope(&o, "org-example-Private");
        stop_child(f, &o);
}

/* sesame-exec missing (a broken install): the app still starts, directly,
 * with the environment it was given. */
static void test_helper_missing(void **state) {
        Fixture *f = *state;
        Outcome o;
        char *argv[] = { "sleep", "60", NULL };

        assert_int_equal(spawner_set_exec_helper(f->spawner, "/nonexistent/sesame-exec"), 0);
        launch(f, &o, SCOPE_MODE_DBUS, "no-helper", argv, env_new("FOO=still-here", NULL));
        assert_false(o.via_scope);
        char buf[64];
        assert_true(proc_environ(o.pid, "FOO", buf, sizeof(buf)));
        assert_string_equal(buf, "still-here");
        stop_child(f, &o);
}

/* A service whose command cannot be executed: the job fails, and the
 * program starts directly with its environment. */
static void test_service_helper_missing(void **state) {
        Fixture *f = *state;
        Outcome o;
        char *argv[] = { "sleep", "60", NULL };

        as_service = true;
        assert_int_equal(spawner_set_exec_helper(f->spawner, "/nonexistent/sesame-exec"), 0);
        launch(f, &o, SCOPE_MODE_DBUS, "no-helper", argv, env_new("FOO=still-here", NULL));
        as_service = false;
        assert_false(o.via_scope);
        char buf[64];
        assert_true(proc_environ(o.pid, "FOO", buf, sizeof(buf)));
        assert_string_equal(buf, "still-here");
        stop_child(f, &o);
}

/* A service: the app runs with its environment in a unit of its own,
 * app-open-sesame-ID-N.service, whose main process it is. */
static void test_service(void **state) {
        Fixture *f = *state;
        Outcome o;
        char *argv[] = { "sleep", "60", NULL };

        as_service = true;
        launch(f, &o, SCOPE_MODE_DBUS, "org.example.Service", argv, env_new("FOO=served", NULL));
        as_service = false;
        assert_true(o.via_scope);
        assert_true(strncmp(o.unit, "app-open-sesame-org-example-Service-", 36) == 0);
        assert_non_null(strstr(o.unit, ".service"));
        char buf[512], expected[512];
        assert_true(proc_environ(o.pid, "FOO", buf, sizeof(buf)));
        assert_string_equal(buf, "served");
        assert_true(proc_cgroup(o.pid, buf, sizeof(buf)));
        snprintf(expected, sizeof(expected), "/app.slice/%s", o.unit);
        assert_string_equal(buf, expected);
        /* Not our child: its exit is the manager's to see. */
        assert_int_equal(kill(o.pid, SIGTERM), 0);
        assert_true(wait_for(cgroup_gone, o.unit, 5000));
}

static bool process_stopped(void *userdata) {
        char state[64];
        return proc_field(*(pid_t *) userdata, "status", "State:", state, sizeof(state)) && state[0] == 'T';
}

/* A manager that does not answer never stalls a launch: after the time
 * limit the child is started directly. */
static void test_manager_hangs(void **state) {
        Fixture *f = *state;
        const char *m = getenv("SESAME_TEST_MANAGER_PID");
        assert_non_null(m);
        pid_t manager = (pid_t) atoi(m);

        spawner_set_scope_timeout(f->spawner, 300 * 1000);
        assert_int_equal(kill(manager, SIGSTOP), 0);
        assert_true(wait_for(process_stopped, &manager, 5000));

        Outcome o;
        char *argv[] = { "sleep", "60", NULL };
        launch(f, &o, SCOPE_MODE_DBUS, "hung", argv, env_new(NULL));
        assert_int_equal(kill(manager, SIGCONT), 0);
        assert_false(o.via_scope);
        assert_true(proc_alive(o.pid));
        stop_child(f, &o);
}

/* The same for a service: past the limit the program starts directly —
 * also on a connection still authenticating, which sd-bus would have the
 * loop wait for before it sends a descriptor (this test took the job
 * timeout, 90 s, before the launch waited for the connection apart).
 * (That the service the manager starts late runs nothing is
 * test-services.sh's, which reads the manager's log.) */
static void test_service_manager_hangs(void **state) {
        Fixture *f = *state;
        pid_t manager = (pid_t) atoi(getenv("SESAME_TEST_MANAGER_PID"));

        spawner_set_scope_timeout(f->spawner, 300 * 1000);
        assert_int_equal(kill(manager, SIGSTOP), 0);
        assert_true(wait_for(process_stopped, &manager, 5000));

        Outcome o;
        char *argv[] = { "sleep", "60", NULL };
        as_service = true;
        launch(f, &o, SCOPE_MODE_DBUS, "hung-service", argv, env_new(NULL));
        as_service = false;
        assert_int_equal(kill(manager, SIGCONT), 0);
        assert_false(o.via_scope);
        assert_true(proc_alive(o.pid));
        stop_child(f, &o);
}

/* ---- group "fallback": no user manager at all */

static void test_no_manager_direct(void **state) {
        Fixture *f = *state;
        Outcome o;
        char *argv[] = { "sleep", "60", NULL };

        assert_null(f->bus);
        launch(f, &o, SCOPE_MODE_DBUS, "org.example.NoManager", argv, env_new("FOO=direct", NULL));
        assert_false(o.via_scope);
        assert_string_equal(o.unit, "");
        char buf[512];
        assert_true(proc_environ(o.pid, "FOO", buf, sizeof(buf)));
        assert_string_equal(buf, "direct");
        assert_true(proc_cgroup(o.pid, buf, sizeof(buf)));
        assert_null(strstr(buf, ".scope"));
        assert_int_equal(proc_fd_count(o.pid), 3);
        stop_child(f, &o);
}

static void test_no_manager_service(void **state) {
        Fixture *f = *state;
        Outcome o;
        char *argv[] = { "sleep", "60", NULL };

        as_service = true;
        launch(f, &o, SCOPE_MODE_DBUS, "org.example.NoManager", argv, env_new("FOO=direct", NULL));
        as_service = false;
        assert_false(o.via_scope);
        char buf[512];
        assert_true(proc_environ(o.pid, "FOO", buf, sizeof(buf)));
        assert_string_equal(buf, "direct");
        stop_child(f, &o);
}

static void test_no_manager_systemd_run(void **state) {
        Fixture *f = *state;
        Outcome o;
        char *argv[] = { "sleep", "60", NULL };

        launch(f, &o, SCOPE_MODE_SYSTEMD_RUN, "org.example.NoManager", argv, env_new(NULL));
        assert_false(o.via_scope);
        assert_true(proc_alive(o.pid));
        char buf[64];
        assert_true(proc_field(o.pid, "status", "Name:", buf, sizeof(buf)));
        assert_string_equal(buf, "sleep");
        stop_child(f, &o);
}

static void test_no_manager_exec_failure(void **state) {
        check_exec_failure(*state, SCOPE_MODE_NONE);
}

int main(int argc, char *argv[]) {
        getrlimit(RLIMIT_NOFILE, &original_nofile);
        exec_helper = getenv("SESAME_EXEC_HELPER");
        srandom((unsigned) getpid());

        const struct CMUnitTest scope[] = {
                cmocka_unit_test_setup_teardown(test_scope_placement, setup, teardown),
                cmocka_unit_test_setup_teardown(test_child_state, setup, teardown),
                cmocka_unit_test_setup_teardown(test_env_wiped_after_spawn, setup, teardown),
                cmocka_unit_test_setup_teardown(test_env_wiped_on_error, setup, teardown),
                cmocka_unit_test_setup_teardown(test_cwd_rejected_before_fork, setup, teardown),
                cmocka_unit_test_setup_teardown(test_exec_failure, setup, teardown),
                cmocka_unit_test_setup_teardown(test_exec_failure_systemd_run, setup, teardown),
                cmocka_unit_test_setup_teardown(test_exec_not_executable, setup, teardown),
                cmocka_unit_test_setup_teardown(test_path_of_composed_env, setup, teardown),
                cmocka_unit_test_setup_teardown(test_many_launches, setup, teardown),
                cmocka_unit_test_setup_teardown(test_held_child_abandoned, setup, teardown),
                cmocka_unit_test_setup_teardown(test_unit_exists_retry, setup, teardown),
                cmocka_unit_test_setup_teardown(test_systemd_run_scope, setup, teardown),
                cmocka_unit_test_setup_teardown(test_systemd_run_fails_first, setup, teardown),
                cmocka_unit_test_setup_teardown(test_systemd_run_not_in_path, setup, teardown),
                cmocka_unit_test_setup_teardown(test_manager_hangs, setup, teardown),
                cmocka_unit_test_setup_teardown(test_service_manager_hangs, setup, teardown),
                cmocka_unit_test_setup_teardown(test_service, setup, teardown),
                cmocka_unit_test_setup_teardown(test_service_helper_missing, setup, teardown),
                cmocka_unit_test_setup_teardown(test_helper_missing, setup, teardown),
                cmocka_unit_test_setup_teardown(test_user_bus_fallback, setup, teardown),
        };
        const struct CMUnitTest fallback[] = {
                cmocka_unit_test_setup_teardown(test_no_manager_direct, setup, teardown),
                cmocka_unit_test_setup_teardown(test_no_manager_systemd_run, setup, teardown),
                cmocka_unit_test_setup_teardown(test_no_manager_service, setup, teardown),
                cmocka_unit_test_setup_teardown(test_no_manager_exec_failure, setup, teardown),
                cmocka_unit_test_setup_teardown(test_cwd_rejected_before_fork, setup, teardown),
        };

        const char *group = argc > 1 ? argv[1] : "";
        if (strcmp(group, "scope") == 0)
                return cmocka_run_group_tests_name("spawn-scope", scope, NULL, NULL);
        if (strcmp(group, "fallback") == 0)
                return cmocka_run_group_tests_name("spawn-fallback", fallback, NULL, NULL);
        fprintf(stderr, "usage: %s scope|fallback\n", argv[0]);
        return 2;
}
