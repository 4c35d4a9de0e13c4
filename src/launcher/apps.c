/* SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <malloc.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/event-util.h"
#include "common/fileio.h"
#include "common/log.h"
#include "common/path.h"
#include "common/strmap.h"
#include "common/strv.h"
#include "ipc/proto.h"
#include "launcher/apps.h"
#include "spawn/unit-name.h"

#define MANAGER_TIMEOUT_USEC (2 * 1000 * 1000)
#define RECORD_MAX 65536

/* An app started without a scope, known to this daemon only. */
typedef struct Unscoped {
        App app;
        unsigned long long start_ticks; /* /proc/PID/stat's starttime: tells a reused PID */
} Unscoped;

/* What is known of a unit of ours: its record, and the cgroup its usage
 * is read from, kept between listings so that a listing reads neither
 * again (a launcher started anew reads each record once). */
typedef struct Known {
        App app;      /* app.unit is the key of by_unit */
        char *cgroup; /* "/app.slice/UNIT", or NULL until found */
        int cpu_fd;   /* its cpu.stat, kept open: one pread per listing */
} Known;

/* Open cpu.stat files kept at most: each listing reads the others anew. */
#define KNOWN_FDS_MAX 1024

struct Apps {
        sd_event *event;
        sd_bus *bus;
        char *dir;
        Unscoped *unscoped;
        size_t n_unscoped;
        Known **known;
        size_t n_known;
        size_t n_fds; /* cpu.stat files kept open */
        StrMap *by_unit;
        sd_event_source *prune_timer;
};

/* After an app's exit, the wait before asking which units remain: one
 * question for a burst of exits. */
#define PRUNE_DELAY_USEC (1000 * 1000)

static void app_done(App *a) {
        free(a->unit);
        free(a->entry_id);
        free(a->action);
        free(a->profile);
        strv_free(a->tags);
        *a = (App){};
}

static void apps_array_free(App *apps, size_t n) {
        for (size_t i = 0; apps && i < n; i++)
                app_done(&apps[i]);
        free(apps);
}

int apps_new(Apps **ret, sd_event *event, const char *records_dir, Error *e) {
        assert_return(ret && records_dir, error_setf(e, -EINVAL, "invalid argument"));
        /* Only this user's: the records name what was launched, with
         * which profile and tags, and are read back as ours. */
        int fd = dir_open_private(records_dir, e);
        if (fd < 0)
                return fd;
        close(fd);
        Apps *a = calloc(1, sizeof(*a));
        if (!a || !(a->dir = strdup(records_dir))) {
                free(a);
                return error_setf(e, -ENOMEM, "out of memory");
        }
        a->event = sd_event_ref(event);
        if (!(a->by_unit = strmap_new())) {
                apps_free(a);
                return error_setf(e, -ENOMEM, "out of memory");
        }
        *ret = a;
        return 0;
}

static void known_free(Apps *a, Known *k);

Apps *apps_free(Apps *a) {
        if (!a)
                return NULL;
        for (size_t i = 0; i < a->n_unscoped; i++)
                app_done(&a->unscoped[i].app);
        free(a->unscoped);
        for (size_t i = 0; i < a->n_known; i++)
                known_free(a, a->known[i]);
        free(a->known);
        strmap_free(a->by_unit);
        sd_event_source_disable_unref(a->prune_timer);
        free(a->dir);
        sd_bus_unref(a->bus);
        sd_event_unref(a->event);
        free(a);
        return NULL;
}

void apps_set_bus(Apps *a, sd_bus *bus) {
        if (!a || a->bus == bus)
                return;
        sd_bus_unref(a->bus);
        a->bus = sd_bus_ref(bus);
}

static uint64_t now_realtime_usec(void) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        return (uint64_t) ts.tv_sec * 1000000 + (uint64_t) ts.tv_nsec / 1000;
}

/* Field 22 of /proc/PID/stat, after the command's closing parenthesis;
 * 0 when the process is gone. */
static unsigned long long process_start_ticks(pid_t pid) {
        char path[64], buf[1024];
        snprintf(path, sizeof(path), "/proc/%d/stat", (int) pid);
        if (!read_pseudo_file(path, buf, sizeof(buf)))
                return 0;
        const char *p = strrchr(buf, ')');
        unsigned long long ticks = 0;
        /* state ppid pgrp session tty tpgid flags minflt cminflt majflt
         * cmajflt utime stime cutime cstime priority nice threads
         * itrealvalue starttime */
        if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
                         &ticks) != 1)
                return 0;
        return ticks;
}

#define IDENTITY_OF(app) \
        ((LaunchIdentity){ .entry_id = (app)->entry_id, .action = (app)->action, .profile = (app)->profile, \
                           .tags = (app)->tags })

static int app_fill(App *a, const char *unit, pid_t pid, const LaunchIdentity *w, uint64_t started_usec) {
        *a = (App){ .pid = pid, .started_usec = started_usec, .memory_bytes = UINT64_MAX, .cpu_nsec = UINT64_MAX };
        if ((unit && !(a->unit = strdup(unit))) || (w->entry_id && !(a->entry_id = strdup(w->entry_id))) ||
            (w->action && !(a->action = strdup(w->action))) || (w->profile && !(a->profile = strdup(w->profile))) ||
            (w->tags && !(a->tags = strv_copy(w->tags)))) {
                app_done(a);
                return -ENOMEM;
        }
        return 0;
}

static int write_record(Apps *a, const char *unit, pid_t pid, const LaunchIdentity *w) {
        json_t *t = json_strv(w->tags);
        /* Absent keys, not nulls: what is unknown is left out. */
        json_t *o = json_pack("{s:i,s:s,s:s*,s:s*,s:o*,s:I}", "pid", (int) pid, "entry_id", w->entry_id, "action",
                              w->action, "profile", w->profile, "tags", t, "started_usec",
                              (json_int_t) now_realtime_usec());
        _cleanup_free_ char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
        json_decref(o);
        if (!text)
                return -ENOMEM;
        _cleanup_free_ char *path = NULL, *tmp = NULL;
        if (asprintf(&path, "%s/%s", a->dir, unit) < 0 || asprintf(&tmp, "%s/.%s.tmp", a->dir, unit) < 0)
                return -ENOMEM;
        int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0)
                return -errno;
        size_t len = strlen(text);
        ssize_t n = write(fd, text, len);
        int r = n == (ssize_t) len ? 0 : n < 0 ? -errno : -EIO;
        close(fd);
        if (r == 0 && rename(tmp, path) < 0)
                r = -errno;
        if (r < 0)
                unlink(tmp);
        return r;
}

static void known_free(Apps *a, Known *k) {
        app_done(&k->app);
        free(k->cgroup);
        if (k->cpu_fd >= 0) {
                close(k->cpu_fd);
                a->n_fds--;
        }
        free(k);
}

/* Takes `app` (its strings) into the table of known units. */
static Known *known_add(Apps *a, App *app) {
        Known *k = calloc(1, sizeof(*k));
        if (k)
                k->cpu_fd = -1;
        Known **l = k ? realloc(a->known, (a->n_known + 1) * sizeof(*l)) : NULL;
        if (!l) {
                free(k);
                app_done(app);
                return NULL;
        }
        a->known = l;
        k->app = *app;
        *app = (App){};
        if (strmap_put(a->by_unit, k->app.unit, k) < 0) {
                app_done(&k->app);
                free(k);
                return NULL;
        }
        a->known[a->n_known++] = k;
        return k;
}

void apps_record(Apps *a, const char *unit, pid_t pid, const LaunchIdentity *launch) {
        if (!a || pid <= 0)
                return;
        if (unit) {
                int r = write_record(a, unit, pid, launch);
                if (r < 0)
                        log_warning("%s: cannot record what was launched in it: %s", unit, strerror(-r));
                App app;
                if (!strmap_get(a->by_unit, unit) &&
                    app_fill(&app, unit, pid, launch, now_realtime_usec()) >= 0)
                        (void) known_add(a, &app);
                return;
        }
        Unscoped *u = realloc(a->unscoped, (a->n_unscoped + 1) * sizeof(*u));
        if (!u)
                return;
        a->unscoped = u;
        u = &a->unscoped[a->n_unscoped];
        if (app_fill(&u->app, NULL, pid, launch, now_realtime_usec()) < 0)
                return;
        u->start_ticks = process_start_ticks(pid);
        a->n_unscoped++;
}

/* The table without the apps that are gone (or whose PID is another
 * process's now). */
static void unscoped_prune(Apps *a) {
        size_t k = 0;
        for (size_t i = 0; i < a->n_unscoped; i++) {
                Unscoped *u = &a->unscoped[i];
                unsigned long long ticks = process_start_ticks(u->app.pid);
                if (ticks == 0 || ticks != u->start_ticks) {
                        app_done(&u->app);
                        continue;
                }
                a->unscoped[k++] = *u;
        }
        a->n_unscoped = k;
}

/* The record of a unit, into `app` (what is missing stays unknown). */
static void read_record(Apps *a, App *app) {
        _cleanup_free_ char *path = NULL, *text = NULL;
        size_t size = 0;
        if (asprintf(&path, "%s/%s", a->dir, app->unit) < 0 || read_file(path, RECORD_MAX, 0, &text, &size, NULL) < 0)
                return;
        json_t *o = json_loadb(text, size, 0, NULL);
        int pid = 0;
        const char *entry = NULL, *action = NULL, *profile = NULL;
        json_t *tags = NULL;
        json_int_t started = 0;
        if (o && json_unpack(o, "{s?i,s?s,s?s,s?s,s?o,s?I}", "pid", &pid, "entry_id", &entry, "action", &action,
                             "profile", &profile, "tags", &tags, "started_usec", &started) == 0) {
                if (pid > 0)
                        app->pid = pid;
                app->entry_id = entry ? strdup(entry) : NULL;
                app->action = action ? strdup(action) : NULL;
                app->profile = profile ? strdup(profile) : NULL;
                app->started_usec = started > 0 ? (uint64_t) started : 0;
                size_t i;
                json_t *v;
                app->tags = json_is_array(tags) ? calloc(json_array_size(tags) + 1, sizeof(char *)) : NULL;
                json_array_foreach(app->tags ? tags : NULL, i, v) if (json_is_string(v))
                        app->tags[i] = strdup(json_string_value(v));
        }
        json_decref(o);
}

/* Records (and what is known) of units the manager no longer has. */
static void records_prune(Apps *a, const App *apps, size_t n) {
        _cleanup_(strmap_freep) StrMap *live = strmap_new();
        for (size_t i = 0; live && i < n; i++)
                if (apps[i].unit && strmap_put(live, apps[i].unit, (void *) &apps[i]) < 0)
                        return;
        if (!live)
                return;
        DIR *d = opendir(a->dir);
        struct dirent *de;
        while (d && (de = readdir(d)))
                if (de->d_name[0] != '.' && !strmap_get(live, de->d_name))
                        (void) unlinkat(dirfd(d), de->d_name, 0);
        if (d)
                closedir(d);

        StrMap *by_unit = strmap_new();
        if (!by_unit)
                return;
        size_t k = 0;
        for (size_t i = 0; i < a->n_known; i++) {
                Known *kn = a->known[i];
                if (!strmap_get(live, kn->app.unit)) {
                        known_free(a, kn);
                        continue;
                }
                (void) strmap_put(by_unit, kn->app.unit, kn);
                a->known[k++] = kn;
        }
        a->n_known = k;
        strmap_free(a->by_unit);
        a->by_unit = by_unit;
}

/* Whether `app` is of the entry: its record says so, or (no record) its
 * unit has the entry's name, with nothing but the PID after it. */
bool app_is_of(const App *app, const char *entry_id) {
        if (app->entry_id)
                return strcmp(app->entry_id, entry_id) == 0;
        return unit_name_is_for(app->unit, entry_id);
}

static bool is_app_unit(const char *name) {
        size_t n = strlen(name);
        return (n > 6 && strcmp(name + n - 6, ".scope") == 0) || (n > 8 && strcmp(name + n - 8, ".service") == 0);
}

/* The unit the process is in: the last part of its cgroup that `is_unit`
 * takes (an app may make groups of its own below its unit). */
static bool unit_of_pid(pid_t pid, bool (*is_unit)(const char *name), char *buf, size_t size) {
        char cg[4096];
        if (!process_cgroup(pid, cg, sizeof(cg)))
                return false;
        bool found = false;
        char *save = NULL;
        for (char *c = strtok_r(cg, "/", &save); c; c = strtok_r(NULL, "/", &save))
                if (is_unit(c))
                        found = snprintf(buf, size, "%s", c) < (int) size;
        return found;
}

char *apps_unit_of_pid(pid_t pid) {
        char unit[256];
        return unit_of_pid(pid, unit_name_is_ours, unit, sizeof(unit)) ? strdup(unit) : NULL;
}

char *apps_entry_of_pid(Apps *a, pid_t pid) {
        char unit[256], id[256];
        if (!a || pid <= 0 || !unit_of_pid(pid, is_app_unit, unit, sizeof(unit)))
                return NULL;
        if (unit_name_is_ours(unit)) {
                Known *k = strmap_get(a->by_unit, unit);
                if (k && k->app.entry_id)
                        return strdup(k->app.entry_id);
                _cleanup_(app_done) App app = { .unit = unit };
                read_record(a, &app);
                app.unit = NULL;
                if (app.entry_id)
                        return TAKE_PTR(app.entry_id);
                /* Our seed form made the ID unreadable. */
                if (strncmp(unit, SCOPE_PREFIX, strlen(SCOPE_PREFIX)) == 0)
                        return NULL;
        }
        return unit_name_app_id(unit, id, sizeof(id)) == 0 ? strdup(id) : NULL;
}

/* ---- listing */

typedef struct ListOp ListOp;
typedef struct UsageCall {
        ListOp *op;
        size_t index;
        bool memory; /* MemoryCurrent, else CPUUsageNSec */
} UsageCall;

struct ListOp {
        Apps *apps;
        bool whole; /* every unit of ours: records of the others can go */
        apps_listed_t done;
        void *userdata;
        App *list;
        Known **known; /* of each listed unit */
        size_t n, pending;
        UsageCall *calls;
};

static void list_finish(ListOp *op, int error, const char *reason) {
        Apps *a = op->apps;
        if (error >= 0) {
                if (op->whole)
                        records_prune(a, op->list, op->n);
                /* Then the apps without a scope. */
                unscoped_prune(a);
                App *l = realloc(op->list, (op->n + a->n_unscoped + 1) * sizeof(App));
                if (l) {
                        op->list = l;
                        for (size_t i = 0; i < a->n_unscoped; i++) {
                                const App *u = &a->unscoped[i].app;
                                if (app_fill(&op->list[op->n], NULL, u->pid, &IDENTITY_OF(u), u->started_usec) >= 0)
                                        op->n++;
                        }
                }
        }
        op->done(error >= 0 ? op->list : NULL, error >= 0 ? op->n : 0, error, reason, op->userdata);
        apps_array_free(op->list, op->n);
        free(op->known);
        free(op->calls);
        free(op);
}

/* What an app's scope uses, read where the manager reads it for
 * MemoryCurrent and CPUUsageNSec: the scope's cgroup, found from the app's
 * own process (0::PATH of /proc/PID/cgroup, under /sys/fs/cgroup). One
 * round trip to the manager per property and app made `sesame ps` with 200
 * apps 3.7 times `systemctl list-units`; this takes none. False when the
 * app's process is gone or not in its scope: then the manager is asked. */
/* Whether the cgroup tree has the memory controller at all (none here: no
 * memory.current to read, for any app). */
static bool have_memory_controller(void) {
        char text[512];
        if (!read_pseudo_file("/sys/fs/cgroup/cgroup.controllers", text, sizeof(text)))
                return false;
        for (char *w = strtok(text, " \n"); w; w = strtok(NULL, " \n"))
                if (strcmp(w, "memory") == 0)
                        return true;
        return false;
}

static bool read_usage_from_cgroup(Apps *a, Known *k, App *app, bool memory) {
        char cg[4096], path[PATH_MAX], text[1024];
        if (!k->cgroup) {
                if (!process_cgroup(app->pid, cg, sizeof(cg)))
                        return false;
                /* The process is in the scope itself, not somewhere else. */
                if (!cgroup_is_unit(cg, app->unit) || !(k->cgroup = strdup(cg)))
                        return false;
        }
        /* Read at offset 0, the file says its values anew. */
        if (k->cpu_fd < 0 && a->n_fds < KNOWN_FDS_MAX &&
            snprintf(path, sizeof(path), "/sys/fs/cgroup%s/cpu.stat", k->cgroup) < (int) sizeof(path) &&
            (k->cpu_fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) >= 0)
                a->n_fds++;
        ssize_t n = -1;
        if (k->cpu_fd >= 0)
                n = pread(k->cpu_fd, text, sizeof(text) - 1, 0);
        else if (snprintf(path, sizeof(path), "/sys/fs/cgroup%s/cpu.stat", k->cgroup) < (int) sizeof(path) &&
                 read_pseudo_file(path, text, sizeof(text)))
                n = (ssize_t) strlen(text);
        if (n <= 0)
                return false;
        text[n] = 0;
        const char *usage = strstr(text, "usage_usec ");
        if (!usage)
                return false;
        app->cpu_nsec = strtoull(usage + strlen("usage_usec "), NULL, 10) * 1000;
        /* No memory controller: no memory.current, and the manager would
         * not know either. */
        snprintf(path, sizeof(path), "/sys/fs/cgroup%s/memory.current", k->cgroup);
        if (memory && read_pseudo_file(path, text, sizeof(text)))
                app->memory_bytes = strtoull(text, NULL, 10);
        return true;
}

/* What the app uses: one property per call. (GetAll would have the
 * manager compute every property of the scope — IP and IO accounting,
 * limits — for each app: 7 times the cost of `systemctl list-units` with
 * 200 apps, measured.) */
static int on_usage(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        (void) ret_error;
        UsageCall *call = userdata;
        ListOp *op = call->op;
        uint64_t v;
        if (!sd_bus_message_is_method_error(m, NULL) && sd_bus_message_read(m, "v", "t", &v) >= 0)
                *(call->memory ? &op->list[call->index].memory_bytes : &op->list[call->index].cpu_nsec) = v;
        if (--op->pending == 0)
                list_finish(op, 0, NULL);
        return 0;
}

static bool unit_is_running(const char *active) {
        return strcmp(active, "active") == 0 || strcmp(active, "activating") == 0 ||
               strcmp(active, "deactivating") == 0 || strcmp(active, "reloading") == 0;
}

static int read_units(ListOp *op, sd_bus_message *m, char ***ret_paths) {
        int r = sd_bus_message_enter_container(m, 'a', "(ssssssouso)");
        if (r < 0)
                return r;
        _cleanup_(strv_freep) char **paths = calloc(1, sizeof(char *));
        const char *name, *description, *load, *active, *sub, *following, *path, *job_type, *job_path;
        uint32_t job_id;
        while ((r = sd_bus_message_read(m, "(ssssssouso)", &name, &description, &load, &active, &sub, &following,
                                        &path, &job_id, &job_type, &job_path)) > 0) {
                if (!unit_is_running(active) || !unit_name_is_ours(name))
                        continue;
                App *l = realloc(op->list, (op->n + 1) * sizeof(App));
                Known **kl = realloc(op->known, (op->n + 1) * sizeof(Known *));
                if (kl)
                        op->known = kl;
                if (!l || !kl || !paths)
                        return -ENOMEM;
                op->list = l;
                /* What is known of it; a unit not seen yet, from its record. */
                Known *k = strmap_get(op->apps->by_unit, name);
                if (!k) {
                        App app;
                        if (app_fill(&app, name, unit_name_pid(name), &(LaunchIdentity){}, 0) < 0)
                                return -ENOMEM;
                        read_record(op->apps, &app);
                        if (!(k = known_add(op->apps, &app)))
                                return -ENOMEM;
                }
                const App *rec = &k->app;
                if (app_fill(&l[op->n], name, rec->pid, &IDENTITY_OF(rec), rec->started_usec) < 0 ||
                    strv_push(&paths, strdup(path)) < 0)
                        return -ENOMEM;
                op->known[op->n] = k;
                op->n++;
        }
        if (r < 0)
                return r;
        *ret_paths = TAKE_PTR(paths);
        return 0;
}

static int on_units(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        (void) ret_error;
        ListOp *op = userdata;
        const sd_bus_error *error = sd_bus_message_get_error(m);
        if (error) {
                list_finish(op, -sd_bus_error_get_errno(error), error->message ? error->message : error->name);
                return 0;
        }
        _cleanup_(strv_freep) char **paths = NULL;
        int r = read_units(op, m, &paths);
        if (r < 0) {
                list_finish(op, r, "unreadable reply of the user manager");
                return 0;
        }
        if (op->n == 0 || !(op->calls = calloc(2 * op->n, sizeof(UsageCall)))) {
                list_finish(op, op->n == 0 ? 0 : -ENOMEM, NULL);
                return 0;
        }
        /* What each uses: from its cgroup, else from the manager, all
         * asked at once. */
        bool memory = have_memory_controller();
        for (size_t i = 0; i < 2 * op->n; i++) {
                if (i % 2 == 0 && read_usage_from_cgroup(op->apps, op->known[i / 2], &op->list[i / 2], memory)) {
                        i++;
                        continue;
                }
                op->calls[i] = (UsageCall){ op, i / 2, i % 2 == 0 };
                r = sd_bus_call_method_async(op->apps->bus, NULL, "org.freedesktop.systemd1", paths[i / 2],
                                             "org.freedesktop.DBus.Properties", "Get", on_usage, &op->calls[i], "ss",
                                             "org.freedesktop.systemd1.Scope",
                                             i % 2 == 0 ? "MemoryCurrent" : "CPUUsageNSec");
                if (r >= 0)
                        op->pending++;
        }
        if (op->pending == 0)
                list_finish(op, 0, NULL);
        return 0;
}

int apps_list(Apps *a, char *const *unit_patterns, apps_listed_t done, void *userdata) {
        assert_return(a && done, -EINVAL);
        ListOp *op = calloc(1, sizeof(*op));
        if (!op)
                return -ENOMEM;
        *op = (ListOp){ .apps = a, .whole = !unit_patterns, .done = done, .userdata = userdata };
        if (!a->bus) {
                list_finish(op, 0, NULL);
                return 0;
        }
        sd_bus *bus = a->bus;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        int r = sd_bus_message_new_method_call(bus, &m, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
                                               "org.freedesktop.systemd1.Manager", "ListUnitsByPatterns");
        if (r >= 0)
                r = sd_bus_message_append_strv(m, NULL);
        if (r >= 0)
                r = sd_bus_message_append_strv(m, unit_patterns ? (char **) unit_patterns : (char **) unit_name_all_patterns);
        if (r >= 0)
                r = sd_bus_call_async(bus, NULL, m, on_units, op, MANAGER_TIMEOUT_USEC);
        if (r < 0) {
                free(op);
                return r;
        }
        return 0;
}

static void on_pruned(const App *apps, size_t n, int error, const char *reason, void *userdata) {
        /* The listing pruned as it went; what the records took goes back to
         * the system (once per burst of exits), as the launches' memory
         * does. */
        (void) malloc_trim(0);
}

static int on_prune_due(sd_event_source *s, uint64_t usec, void *userdata) {
        Apps *a = userdata;
        if (a->n_known == 0 && a->n_unscoped == 0)
                return 0;
        (void) apps_list(a, NULL, on_pruned, NULL);
        return 0;
}

void apps_process_exited(Apps *a, pid_t pid) {
        if (!a || (a->n_known == 0 && a->n_unscoped == 0))
                return;
        /* Once a burst: the timer already armed covers this exit too. */
        if (!event_source_armed(a->prune_timer))
                (void) event_reset_time_relative(a->event, &a->prune_timer, PRUNE_DELAY_USEC, PRUNE_DELAY_USEC / 4,
                                                 on_prune_due, a);
}

/* ---- stopping */

typedef struct StopOp {
        apps_stopped_t done;
        void *userdata;
} StopOp;

static int on_stopped(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        (void) ret_error;
        StopOp *op = userdata;
        const sd_bus_error *error = sd_bus_message_get_error(m);
        op->done(error ? -sd_bus_error_get_errno(error) : 0, error ? error->message : NULL, op->userdata);
        free(op);
        return 0;
}

int apps_stop(Apps *a, const App *app, int signal, apps_stopped_t done, void *userdata) {
        assert_return(a && app && done, -EINVAL);
        if (!app->unit) {
                int r = kill(app->pid, signal > 0 ? signal : SIGTERM) < 0 ? -errno : 0;
                done(r, r < 0 ? strerror(-r) : NULL, userdata);
                return 0;
        }
        if (!a->bus)
                return -ENOTCONN;
        StopOp *op = malloc(sizeof(*op));
        if (!op)
                return -ENOMEM;
        *op = (StopOp){ done, userdata };
        int r = signal > 0 ? sd_bus_call_method_async(a->bus, NULL, "org.freedesktop.systemd1",
                                                      "/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager",
                                                      "KillUnit", on_stopped, op, "ssi", app->unit, "all", signal)
                           : sd_bus_call_method_async(a->bus, NULL, "org.freedesktop.systemd1",
                                                      "/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager",
                                                      "StopUnit", on_stopped, op, "ss", app->unit, "replace");
        if (r < 0)
                free(op);
        return r;
}
