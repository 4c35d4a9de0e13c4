/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/list.h"
#include "common/log.h"
#include "common/strv.h"
#include "launcher/session-env.h"
#include "spawn/systemd-bus.h"

struct SessionEnvWaiter {
        session_env_ready_t ready;
        void *userdata;
        LIST_FIELDS(SessionEnvWaiter, waiters);
};

struct SessionEnv {
        sd_event *event;
        sd_bus *bus;
        char **env;        /* the last answer, or NULL */
        uint64_t env_sent; /* when the read that gave it was sent */
        sd_bus_slot *call; /* the read under way, or NULL */
        uint64_t call_sent;
        SessionEnvWaiter *waiters; /* for the read under way */
        int display;       /* the last answer had a display: 1, 0, or -1 before the first */
};

static uint64_t now(SessionEnv *s) {
        uint64_t t = 0;
        (void) sd_event_now(s->event, CLOCK_MONOTONIC, &t);
        return t;
}

/* Every waiter gets the same answer; the list is taken first, as a waiter
 * may start a new read (a launch that goes on to the next step). */
static void deliver(SessionEnv *s, int error) {
        SessionEnvWaiter *list = s->waiters, *w, *next;
        s->waiters = NULL;
        LIST_FOREACH_SAFE(waiters, w, next, list) {
                w->ready(error < 0 ? NULL : s->env, error, w->userdata);
                free(w);
        }
}

/* Without a display every app that opens a window dies at once (foot:
 * "failed to connect to wayland"), seen only in the journal: said once,
 * and again when it changes. */
static void note_display(SessionEnv *s) {
        int display = strv_env_has(s->env, "WAYLAND_DISPLAY") || strv_env_has(s->env, "DISPLAY");
        if (display == s->display)
                return;
        if (!display)
                log_warning("the session's environment in the user manager has neither WAYLAND_DISPLAY nor DISPLAY: "
                            "apps that open a window will fail at once; the compositor must export them "
                            "(systemctl --user import-environment WAYLAND_DISPLAY DISPLAY; see: sesame doctor)");
        else if (s->display == 0)
                log_info("the session's environment in the user manager has a display again");
        s->display = display;
}

static int on_reply(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        (void) ret_error;
        SessionEnv *s = userdata;
        s->call = sd_bus_slot_unref(s->call);
        char **env = NULL;
        int r = systemd_read_environment(m, &env);
        if (r >= 0) {
                strv_free(s->env);
                s->env = env;
                s->env_sent = s->call_sent;
                note_display(s);
        }
        deliver(s, r);
        return 0;
}

/* A new read; one under way is dropped (its waiters get the new answer),
 * but only once the new one is sent. */
static int start_read(SessionEnv *s) {
        sd_bus_slot *call = NULL;
        int r = systemd_get_environment_async(s->bus, &call, SESSION_ENV_TIMEOUT_USEC, on_reply, s);
        if (r < 0)
                return r;
        sd_bus_slot_unref(s->call);
        s->call = call;
        s->call_sent = now(s);
        return 0;
}

int session_env_new(SessionEnv **ret, sd_event *event, sd_bus *bus) {
        assert_return(ret && event && bus, -EINVAL);
        SessionEnv *s = calloc(1, sizeof(*s));
        if (!s)
                return -ENOMEM;
        s->event = sd_event_ref(event);
        s->bus = sd_bus_ref(bus);
        s->display = -1;
        /* Read once at start: a session without a display is said then. */
        (void) start_read(s);
        *ret = s;
        return 0;
}

SessionEnv *session_env_free(SessionEnv *s) {
        if (!s)
                return NULL;
        s->call = sd_bus_slot_unref(s->call);
        deliver(s, -ECANCELED);
        strv_free(s->env);
        sd_bus_unref(s->bus);
        sd_event_unref(s->event);
        free(s);
        return NULL;
}

int session_env_display(const SessionEnv *s) {
        return s ? s->display : -1;
}

void session_env_prefetch(SessionEnv *s) {
        /* A failure here is met again, and reported, by the launch. */
        if (s && !s->call)
                (void) start_read(s);
}

int session_env_get(SessionEnv *s, uint64_t since, session_env_ready_t ready, void *userdata,
                    SessionEnvWaiter **ret_waiter) {
        assert_return(s && ready && ret_waiter, -EINVAL);
        *ret_waiter = NULL;
        if (s->env && s->env_sent >= since && now(s) - s->env_sent <= SESSION_ENV_MAX_AGE_USEC) {
                ready(s->env, 0, userdata);
                return 0;
        }
        SessionEnvWaiter *w = calloc(1, sizeof(*w));
        if (!w)
                return -ENOMEM;
        /* A read sent before `since` may miss what the client saw set:
         * ask again (its waiters get the newer answer). */
        if (!s->call || s->call_sent < since) {
                int r = start_read(s);
                if (r < 0) {
                        free(w);
                        return r;
                }
        }
        w->ready = ready;
        w->userdata = userdata;
        LIST_PREPEND(waiters, s->waiters, w);
        *ret_waiter = w;
        return 0;
}

void session_env_cancel(SessionEnv *s, SessionEnvWaiter *w) {
        if (!s || !w)
                return;
        LIST_REMOVE(waiters, s->waiters, w);
        free(w);
}
