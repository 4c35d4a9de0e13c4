/* SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"

bool proc_field(pid_t pid, const char *file, const char *key, char *buf, size_t size) {
        char path[64], line[4096];
        snprintf(path, sizeof(path), "/proc/%d/%s", (int) pid, file);
        FILE *f = fopen(path, "re");
        if (!f)
                return false;
        bool found = false;
        size_t klen = strlen(key);
        while (fgets(line, sizeof(line), f)) {
                if (strncmp(line, key, klen) != 0)
                        continue;
                const char *v = line + klen;
                v += strspn(v, " \t");
                snprintf(buf, size, "%s", v);
                buf[strcspn(buf, "\n")] = 0;
                found = true;
                break;
        }
        fclose(f);
        return found;
}

bool proc_cgroup(pid_t pid, char *buf, size_t size) {
        return proc_field(pid, "cgroup", "0::", buf, size);
}

bool proc_fd_target(pid_t pid, int fd, char *buf, size_t size) {
        char path[64];
        snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int) pid, fd);
        ssize_t n = readlink(path, buf, size - 1);
        if (n < 0)
                return false;
        buf[n] = 0;
        return true;
}

int proc_fd_count(pid_t pid) {
        char path[64];
        snprintf(path, sizeof(path), "/proc/%d/fd", (int) pid);
        DIR *d = opendir(path);
        if (!d)
                return -1;
        int n = 0;
        struct dirent *de;
        while ((de = readdir(d)))
                if (de->d_name[0] != '.')
                        n++;
        closedir(d);
        /* opendir's own fd, when counting ourselves */
        return pid == getpid() ? n - 1 : n;
}

bool proc_environ(pid_t pid, const char *name, char *buf, size_t size) {
        char path[64];
        snprintf(path, sizeof(path), "/proc/%d/environ", (int) pid);
        FILE *f = fopen(path, "re");
        if (!f)
                return false;
        static char data[1 << 20];
        size_t n = fread(data, 1, sizeof(data) - 1, f);
        fclose(f);
        data[n] = 0;
        size_t nlen = strlen(name);
        for (size_t i = 0; i < n; i += strlen(data + i) + 1)
                if (strncmp(data + i, name, nlen) == 0 && data[i + nlen] == '=') {
                        snprintf(buf, size, "%s", data + i + nlen + 1);
                        return true;
                }
        return false;
}

int proc_zombie_children(pid_t parent) {
        DIR *d = opendir("/proc");
        if (!d)
                return -1;
        int zombies = 0;
        struct dirent *de;
        while ((de = readdir(d))) {
                char *end;
                long pid = strtol(de->d_name, &end, 10);
                if (*end || pid <= 0)
                        continue;
                char state[64], ppid[64];
                if (proc_field((pid_t) pid, "status", "State:", state, sizeof(state)) &&
                    proc_field((pid_t) pid, "status", "PPid:", ppid, sizeof(ppid)) && atoi(ppid) == parent &&
                    state[0] == 'Z')
                        zombies++;
        }
        closedir(d);
        return zombies;
}

bool proc_alive(pid_t pid) {
        char state[64];
        return proc_field(pid, "status", "State:", state, sizeof(state)) && state[0] != 'Z';
}

char *tmp_template(char *buf, size_t size, const char *name) {
        const char *dir = getenv("TMPDIR");
        snprintf(buf, size, "%s/%s.XXXXXX", dir && *dir ? dir : "/tmp", name);
        return buf;
}

bool memory_is_zero(const void *p, size_t n) {
        const unsigned char *b = p;
        for (size_t i = 0; i < n; i++)
                if (b[i])
                        return false;
        return true;
}

static bool in_sleep_syscall(void *userdata) {
        char path[64], buf[256];
        snprintf(path, sizeof(path), "/proc/%d/syscall", *(int *) userdata);
        FILE *f = fopen(path, "re");
        if (!f)
                return false;
        bool ok = fgets(buf, sizeof(buf), f) != NULL;
        fclose(f);
        if (!ok)
                return false;
        long nr = strtol(buf, NULL, 10);
        return nr == SYS_clock_nanosleep
#ifdef SYS_nanosleep
               || nr == SYS_nanosleep
#endif
                ;
}

bool proc_wait_sleeping(pid_t pid, unsigned timeout_ms) {
        int p = (int) pid;
        return wait_for(in_sleep_syscall, &p, timeout_ms);
}

static uint64_t now_ms(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * 1000 + (uint64_t) ts.tv_nsec / 1000000;
}

bool run_until(sd_event *e, const bool *flag, unsigned timeout_ms) {
        uint64_t deadline = now_ms() + timeout_ms;
        while (!*flag) {
                uint64_t now = now_ms();
                if (now >= deadline)
                        return false;
                if (sd_event_run(e, (deadline - now) * 1000) < 0)
                        return false;
        }
        return true;
}

bool wait_for(bool (*cond)(void *), void *userdata, unsigned timeout_ms) {
        uint64_t deadline = now_ms() + timeout_ms;
        for (;;) {
                if (cond(userdata))
                        return true;
                if (now_ms() >= deadline)
                        return false;
                usleep(1000);
        }
}
