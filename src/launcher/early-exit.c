/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-journal.h>

#include "common/list.h"
#include "common/log.h"
#include "common/strv.h"
#include "common/utf8.h"
#include "launcher/early-exit.h"

/* How long journald gets to store what a dead app wrote: its stream is
 * read after the exit, so the lines may still be on their way. A bound on
 * the wait, which only an app that failed at once pays. */
#define JOURNAL_WAIT_USEC (1000 * 1000)
/* Once lines come, the rest of them come with them: read again when the
 * journal has not changed for this long. */
#define JOURNAL_SETTLE_USEC (200 * 1000)

typedef struct Watch Watch;
struct Watch {
        EarlyExits *owner;
        pid_t pid;
        char *name, *journal;
        sd_event_source *timer; /* the window; after a failure, the wait for its lines */
        sd_journal *reader;
        sd_event_source *reader_io;
        EarlyExit result;
        early_exit_done_t done;
        void *userdata;
        LIST_FIELDS(Watch, watches);
};

/* An exit can come before its launch is answered (the app died while the
 * launcher was still being told it ran): kept a moment for the watch that
 * follows. */
#define RECENT_MAX 32
#define RECENT_USEC (5 * 1000 * 1000)

typedef struct RecentExit {
        pid_t pid;
        siginfo_t info;
        uint64_t when;
} RecentExit;

struct EarlyExits {
        sd_event *event;
        Watch *watches;
        RecentExit recent[RECENT_MAX];
        size_t next_recent;
};

int early_exits_new(EarlyExits **ret, sd_event *event) {
        assert_return(ret && event, -EINVAL);
        EarlyExits *x = calloc(1, sizeof(*x));
        if (!x)
                return -ENOMEM;
        x->event = sd_event_ref(event);
        *ret = x;
        return 0;
}

static void watch_free(Watch *w) {
        LIST_REMOVE(watches, w->owner->watches, w);
        sd_event_source_disable_unref(w->timer);
        sd_event_source_disable_unref(w->reader_io);
        sd_journal_close(w->reader);
        strv_free(w->result.lines);
        free(w->name);
        free(w->journal);
        free(w);
}

char *early_exit_sentence(const EarlyExit *e) {
        char how[64];
        if (e->signal)
                snprintf(how, sizeof(how), "killed by SIG%s", sigabbrev_np(e->signal) ?: "?");
        else
                snprintf(how, sizeof(how), "status %d", e->status);
        _cleanup_free_ char *lines = strv_join(e->lines, " / ");
        char *s = NULL;
        if (asprintf(&s, "%s exited at once (%s)%s%s", e->name, how, lines && *lines ? ": " : "",
                     lines ? lines : "") < 0)
                return NULL;
        return s;
}

/* The one way out of a watch: logged when it failed, then told. */
static void watch_finish(Watch *w) {
        if (w->result.failed) {
                _cleanup_free_ char *sentence = early_exit_sentence(&w->result);
                char pid[16];
                snprintf(pid, sizeof(pid), "%d", (int) w->pid);
                LogField fields[] = { { "entry_id", w->name }, { "pid", pid } };
                log_fields(LOG_WARNING, fields, ELEMENTSOF(fields), "%s",
                           sentence ? sentence : "an app exited at once");
        }
        if (w->done)
                w->done(&w->result, w->userdata);
        watch_free(w);
}

static int on_window(sd_event_source *s, uint64_t usec, void *userdata) {
        Watch *w = userdata;
        w->result.exited = false;
        watch_finish(w);
        return 0;
}

/* Its last lines in the journal, oldest first: how many were found. */
static size_t read_lines(Watch *w) {
        sd_journal *j = w->reader;
        strv_free(w->result.lines);
        w->result.lines = calloc(EARLY_EXIT_LINES + 1, sizeof(char *));
        if (!w->result.lines || sd_journal_seek_tail(j) < 0)
                return 0;
        size_t n = 0;
        char *found[EARLY_EXIT_LINES] = {};
        while (n < EARLY_EXIT_LINES && sd_journal_previous(j) > 0) {
                const void *data;
                size_t len;
                if (sd_journal_get_data(j, "MESSAGE", &data, &len) < 0 || len < 8)
                        continue;
                /* Shown in a log line and a reply: made UTF-8 text. */
                _cleanup_free_ char *raw = strndup((const char *) data + 8, len - 8);
                found[n] = raw ? utf8_sanitize(raw) : NULL;
                if (found[n])
                        n++;
        }
        for (size_t i = 0; i < n; i++)
                w->result.lines[i] = found[n - 1 - i];
        return n;
}

static int on_journal_wait(sd_event_source *s, uint64_t usec, void *userdata) {
        Watch *w = userdata;
        (void) read_lines(w);
        watch_finish(w); /* with what is there, maybe nothing */
        return 0;
}

static int on_journal(sd_event_source *s, int fd, uint32_t revents, void *userdata) {
        Watch *w = userdata;
        if (sd_journal_process(w->reader) == SD_JOURNAL_NOP || read_lines(w) == 0)
                return 0;
        /* Its lines are coming: the last of them a moment later, within the
         * wait already bounded. */
        uint64_t due = 0;
        (void) sd_event_now(w->owner->event, CLOCK_MONOTONIC, &due);
        uint64_t limit = 0;
        (void) sd_event_source_get_time(w->timer, &limit);
        if (due + JOURNAL_SETTLE_USEC < limit)
                (void) sd_event_source_set_time(w->timer, due + JOURNAL_SETTLE_USEC);
        return 0;
}

/* What the app wrote, from its own stream (SYSLOG_IDENTIFIER and _PID):
 * now, or as journald stores it, for at most JOURNAL_WAIT_USEC. */
static void read_journal(Watch *w) {
        char pid_match[32], id_match[300];
        snprintf(pid_match, sizeof(pid_match), "_PID=%d", (int) w->pid);
        snprintf(id_match, sizeof(id_match), "SYSLOG_IDENTIFIER=%s", w->journal);
        if (sd_journal_open(&w->reader, SD_JOURNAL_LOCAL_ONLY) < 0 ||
            sd_journal_add_match(w->reader, pid_match, 0) < 0 || sd_journal_add_match(w->reader, id_match, 0) < 0)
                return watch_finish(w);
        uint64_t wait = read_lines(w) > 0 ? JOURNAL_SETTLE_USEC : JOURNAL_WAIT_USEC;
        int fd = sd_journal_get_fd(w->reader);
        if (fd < 0 || sd_event_add_io(w->owner->event, &w->reader_io, fd, (uint32_t) sd_journal_get_events(w->reader),
                                      on_journal, w) < 0 ||
            sd_event_add_time_relative(w->owner->event, &w->timer, CLOCK_MONOTONIC, wait, 0, on_journal_wait, w) < 0)
                return watch_finish(w);
}

static uint64_t now(EarlyExits *x) {
        uint64_t t = 0;
        (void) sd_event_now(x->event, CLOCK_MONOTONIC, &t);
        return t;
}

static void watch_exited(Watch *w, const siginfo_t *si) {
        w->timer = sd_event_source_disable_unref(w->timer);
        w->result.exited = true;
        if (si->si_code == CLD_EXITED)
                w->result.status = si->si_status;
        else
                w->result.signal = si->si_status;
        w->result.failed = w->result.signal != 0 || w->result.status != 0;
        if (!w->result.failed || !w->journal)
                return watch_finish(w);
        read_journal(w);
}

int early_exits_watch(EarlyExits *x, pid_t pid, const char *name, const char *journal, uint64_t window_usec,
                      early_exit_done_t done, void *userdata) {
        assert_return(x && pid > 0 && name, -EINVAL);
        Watch *w = calloc(1, sizeof(*w));
        if (!w)
                return -ENOMEM;
        *w = (Watch){ .owner = x, .pid = pid, .done = done, .userdata = userdata };
        w->name = strdup(name);
        w->journal = journal ? strdup(journal) : NULL;
        LIST_PREPEND(watches, x->watches, w);
        int r = !w->name || (journal && !w->journal) ? -ENOMEM
                : sd_event_add_time_relative(x->event, &w->timer, CLOCK_MONOTONIC, window_usec, 0, on_window, w);
        if (r < 0) {
                w->done = NULL;
                watch_free(w);
                return r;
        }
        w->result = (EarlyExit){ .pid = pid, .name = w->name, .status = -1 };
        /* Gone already, before its launch was answered. */
        uint64_t t = now(x);
        for (size_t k = 0; k < RECENT_MAX; k++) {
                RecentExit *e = &x->recent[k];
                if (e->pid == pid && e->when + RECENT_USEC > t) {
                        e->pid = 0;
                        watch_exited(w, &e->info);
                        break;
                }
        }
        return 0;
}

void early_exits_exited(EarlyExits *x, pid_t pid, const siginfo_t *si) {
        if (!x)
                return;
        Watch *w = NULL, *i, *next;
        LIST_FOREACH_SAFE(watches, i, next, x->watches)
                if (i->pid == pid && !i->result.exited)
                        w = i;
        if (w)
                return watch_exited(w, si);
        x->recent[x->next_recent] = (RecentExit){ .pid = pid, .info = *si, .when = now(x) };
        x->next_recent = (x->next_recent + 1) % RECENT_MAX;
}

EarlyExits *early_exits_free(EarlyExits *x) {
        if (!x)
                return NULL;
        /* An app still in its window outlived it, as far as anyone will
         * know; one being read about is told with what was read. */
        while (x->watches)
                watch_finish(x->watches);
        sd_event_unref(x->event);
        free(x);
        return NULL;
}
