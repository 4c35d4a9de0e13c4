/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdint.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include "common/macro.h"

/* The session's environment as the user manager holds it
 * (Manager.Environment), the base of every child's environment. The
 * manager sends no change signal for it, so it is read for launches: a
 * read started when a client connects is usually answered before the
 * client's Launch request arrives, which takes the round trip (0.8 ms on
 * this kind of machine) off the launch. A launch is given an environment
 * read no earlier than its client connected and at most
 * SESSION_ENV_MAX_AGE_USEC before it asks. */

#define SESSION_ENV_MAX_AGE_USEC (1000 * 1000)
/* A manager that takes longer than this is hung; its scope would fail too. */
#define SESSION_ENV_TIMEOUT_USEC (1000 * 1000)

typedef struct SessionEnv SessionEnv;
typedef struct SessionEnvWaiter SessionEnvWaiter;

/* `env` is borrowed for the call (copy what you keep); NULL with a
 * negative errno when it could not be read, -ECANCELED at teardown. */
typedef void (*session_env_ready_t)(char *const *env, int error, void *userdata);

int session_env_new(SessionEnv **ret, sd_event *event, sd_bus *bus);
/* Waiters still pending are told -ECANCELED. */
SessionEnv *session_env_free(SessionEnv *s);
DEFINE_TRIVIAL_CLEANUP_FUNC(SessionEnv *, session_env_free);

/* A client connected: start a read unless one is under way. */
void session_env_prefetch(SessionEnv *s);

/* Calls `ready` with an environment read at or after `since` (CLOCK_MONOTONIC,
 * as sd_event_now gives it): at once when the last one qualifies, else
 * when a read answers. *ret_waiter is set while waiting (NULL when `ready`
 * already ran), for session_env_cancel(). */
int session_env_get(SessionEnv *s, uint64_t since, session_env_ready_t ready, void *userdata,
                    SessionEnvWaiter **ret_waiter);
/* `ready` will not be called. */
void session_env_cancel(SessionEnv *s, SessionEnvWaiter *w);
/* Whether the last environment read had WAYLAND_DISPLAY or DISPLAY: 1, 0,
 * or -1 when none was read yet (or `s` is NULL). */
int session_env_display(const SessionEnv *s);
