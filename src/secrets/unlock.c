/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/strv.h"
#include "common/utf8.h"
#include "secrets/secret-bus.h"
#include "secrets/unlock.h"

/* The steps, each a set of calls in flight at once:
 *   COLLECTIONS: Service.Collections, ReadAlias of every name given, and a
 *                search of each profile's items (those reported locked)
 *   STATE:       Label and Locked of every collection
 *   UNLOCK:      Service.Unlock of the locked ones wanted
 *   PROMPT:      Prompt.Prompt, then the Completed signal (or the limit)
 *   CHECK:       Locked of each again */
typedef enum Step {
        STEP_COLLECTIONS,
        STEP_STATE,
        STEP_UNLOCK,
        STEP_PROMPT,
        STEP_CHECK,
} Step;

typedef struct Unlock {
        sd_bus *bus;
        sd_event *event;
        Step step;
        uint64_t call_timeout_usec, prompt_timeout_usec;
        char **names;        /* the profiles' Collection=, "" for none */
        char **profiles;     /* the trust profiles */
        char **locked_items; /* our items the service reports locked (KeePassXC's ConfirmAccessItem
                              * reports an unlocked database's items locked to a client not allowed yet) */
        char **alias_paths;  /* ReadAlias of each name ("/" for none) */
        char **paths;        /* the service's collections */
        char **labels;
        int *locked;
        char **objects;      /* what is unlocked */
        char *prompt;
        size_t pending;
        bool failed;
        sd_bus_slot *completed;
        sd_event_source *timer;
        secret_unlock_done_t done;
        void *userdata;
} Unlock;

typedef struct UnlockCall {
        Unlock *u;
        size_t index;
} UnlockCall;

static void unlock_free(Unlock *u) {
        strv_free(u->names);
        strv_free(u->profiles);
        strv_free(u->locked_items);
        strv_free(u->alias_paths);
        strv_free(u->paths);
        strv_free(u->labels);
        free(u->locked);
        strv_free(u->objects);
        free(u->prompt);
        sd_bus_slot_unref(u->completed);
        sd_event_source_disable_unref(u->timer);
        sd_bus_unref(u->bus);
        sd_event_unref(u->event);
        free(u);
}

static void finish(Unlock *u, int error, const char *reason) {
        if (u->failed)
                return;
        u->failed = true;
        SecretUnlockResult r = { .error = error, .reason = reason, .unlocked = error == 0 ? u->objects : NULL };
        u->done(&r, u->userdata);
        /* Calls still out find `failed` and let go (their slots are floating). */
        if (u->pending == 0)
                unlock_free(u);
}

static void next_step(Unlock *u);

/* A reply is in: the step moves on once all of its calls have answered. */
static Unlock *reply_in(UnlockCall *c, sd_bus_message *m, const char *what) {
        Unlock *u = c->u;
        free(c);
        u->pending--;
        if (u->failed) {
                if (u->pending == 0)
                        unlock_free(u);
                return NULL;
        }
        const sd_bus_error *error = sd_bus_message_get_error(m);
        if (error) {
                char reason[512];
                utf8_snprintf(reason, sizeof(reason), "the Secret Service refused %s: %s", what,
                              error->message ? error->message : error->name);
                finish(u, -sd_bus_error_get_errno(error) ?: -EIO, reason);
                return NULL;
        }
        return u;
}

static void reply_done(Unlock *u) {
        if (u->pending == 0)
                next_step(u);
}

static int call(Unlock *u, sd_bus_message_handler_t handler, size_t index, const char *path, const char *iface,
                const char *member, const char *types, ...) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        int r = sd_bus_message_new_method_call(u->bus, &m, SECRET_BUS_NAME, path, iface, member);
        if (r >= 0 && types) {
                va_list ap;
                va_start(ap, types);
                r = sd_bus_message_appendv(m, types, ap);
                va_end(ap);
        }
        UnlockCall *c = r >= 0 ? malloc(sizeof(*c)) : NULL;
        if (!c)
                return r < 0 ? r : -ENOMEM;
        *c = (UnlockCall){ u, index };
        r = sd_bus_call_async(u->bus, NULL, m, handler, c,
                              u->step == STEP_PROMPT ? u->prompt_timeout_usec : u->call_timeout_usec);
        if (r < 0) {
                free(c);
                return r;
        }
        u->pending++;
        return 0;
}

static int get_property(Unlock *u, sd_bus_message_handler_t handler, size_t index, const char *path,
                        const char *property) {
        return call(u, handler, index, path, "org.freedesktop.DBus.Properties", "Get", "ss", SECRET_IFACE_COLLECTION,
                    property);
}

static int on_collections(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        Unlock *u = reply_in(userdata, m, "Collections");
        if (!u)
                return 0;
        if (sd_bus_message_enter_container(m, 'v', "ao") < 0 || secret_bus_read_paths(m, &u->paths) < 0)
                return finish(u, -EBADMSG, "malformed Collections property"), 0;
        reply_done(u);
        return 0;
}

static int on_alias(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        size_t i = ((UnlockCall *) userdata)->index;
        Unlock *u = reply_in(userdata, m, "ReadAlias");
        if (!u)
                return 0;
        const char *path;
        if (sd_bus_message_read(m, "o", &path) < 0)
                return finish(u, -EBADMSG, "malformed ReadAlias reply"), 0;
        free(u->alias_paths[i]);
        if (!(u->alias_paths[i] = strdup(path)))
                return finish(u, -ENOMEM, "out of memory"), 0;
        reply_done(u);
        return 0;
}

static int on_search(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        Unlock *u = reply_in(userdata, m, "SearchItems");
        _cleanup_(strv_freep) char **unlocked = NULL, **locked = NULL;
        if (!u)
                return 0;
        if (secret_bus_read_paths(m, &unlocked) < 0 || secret_bus_read_paths(m, &locked) < 0)
                return finish(u, -EBADMSG, "malformed SearchItems reply"), 0;
        for (char **i = locked; *i; i++)
                if (!strv_contains(u->locked_items, *i) && strv_push(&u->locked_items, strdup(*i)) < 0)
                        return finish(u, -ENOMEM, "out of memory"), 0;
        reply_done(u);
        return 0;
}

static int on_label(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        size_t i = ((UnlockCall *) userdata)->index;
        Unlock *u = reply_in(userdata, m, "Label");
        const char *label;
        if (!u)
                return 0;
        if (sd_bus_message_read(m, "v", "s", &label) < 0 || !(u->labels[i] = strdup(label)))
                return finish(u, -EBADMSG, "malformed Label property"), 0;
        reply_done(u);
        return 0;
}

static int on_locked(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        size_t i = ((UnlockCall *) userdata)->index;
        Unlock *u = reply_in(userdata, m, "Locked");
        int locked = 0;
        if (!u)
                return 0;
        if (sd_bus_message_read(m, "v", "b", &locked) < 0)
                return finish(u, -EBADMSG, "malformed Locked property"), 0;
        u->locked[i] = locked;
        reply_done(u);
        return 0;
}

static int on_unlock(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        Unlock *u = reply_in(userdata, m, "Unlock");
        const char *prompt;
        if (!u)
                return 0;
        if (sd_bus_message_skip(m, "ao") < 0 || sd_bus_message_read(m, "o", &prompt) < 0)
                return finish(u, -EBADMSG, "malformed Unlock reply"), 0;
        if (strcmp(prompt, "/") != 0 && !(u->prompt = strdup(prompt)))
                return finish(u, -ENOMEM, "out of memory"), 0;
        reply_done(u);
        return 0;
}

static int on_prompt_called(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        /* What matters is Completed; a failed Prompt call ends it here. */
        Unlock *u = reply_in(userdata, m, "the unlock prompt");
        if (u)
                reply_done(u);
        return 0;
}

static void check_again(Unlock *u);

static int on_completed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        Unlock *u = userdata;
        int dismissed = 0;
        u->completed = sd_bus_slot_unref(u->completed);
        u->timer = sd_event_source_disable_unref(u->timer);
        if (sd_bus_message_read(m, "b", &dismissed) < 0)
                return finish(u, -EBADMSG, "malformed Completed signal"), 0;
        if (dismissed)
                return finish(u, -ECANCELED, "the unlock prompt was dismissed"), 0;
        check_again(u);
        return 0;
}

static int on_prompt_timeout(sd_event_source *s, uint64_t usec, void *userdata) {
        Unlock *u = userdata;
        u->completed = sd_bus_slot_unref(u->completed);
        /* Not left on the screen for nobody. */
        (void) sd_bus_call_method_async(u->bus, NULL, SECRET_BUS_NAME, u->prompt, SECRET_IFACE_PROMPT, "Dismiss",
                                        NULL, NULL, "");
        char reason[128];
        snprintf(reason, sizeof(reason), "the unlock prompt was not answered within %llu s",
                 (unsigned long long) (u->prompt_timeout_usec / 1000000));
        finish(u, -ETIME, reason);
        return 0;
}

/* Which collections to unlock: each name's, or every locked one for a
 * profile with none. */
static int choose(Unlock *u) {
        /* Our items reported locked, whatever their collection says: asking
         * for them is what makes the service ask the person (KeePassXC). */
        for (char **i = u->locked_items; i && *i; i++)
                if (!strv_contains(u->objects, *i) && strv_push(&u->objects, strdup(*i)) < 0)
                        return -ENOMEM;
        for (size_t i = 0; u->names[i]; i++) {
                if (!*u->names[i]) {
                        for (size_t k = 0; u->paths[k]; k++)
                                if (u->locked[k] && !strv_contains(u->objects, u->paths[k]) &&
                                    strv_push(&u->objects, strdup(u->paths[k])) < 0)
                                        return -ENOMEM;
                        continue;
                }
                const char *path;
                int r = secret_bus_resolve_collection(u->names[i], u->alias_paths[i], u->paths, u->labels, &path);
                if (r < 0) {
                        char reason[512];
                        utf8_snprintf(reason, sizeof(reason),
                                      "no Secret Service collection is called '%s' (by alias, object path or label)",
                                      u->names[i]);
                        finish(u, -ENOENT, reason);
                        return -ENOENT;
                }
                for (size_t k = 0; u->paths[k]; k++)
                        if (strcmp(u->paths[k], path) == 0 && u->locked[k] && !strv_contains(u->objects, path) &&
                            strv_push(&u->objects, strdup(path)) < 0)
                                return -ENOMEM;
        }
        return 0;
}

static void check_again(Unlock *u) {
        u->step = STEP_CHECK;
        for (size_t k = 0; u->paths[k]; k++)
                u->locked[k] = 0;
        for (size_t k = 0; u->paths[k]; k++)
                if (strv_contains(u->objects, u->paths[k]) && get_property(u, on_locked, k, u->paths[k], "Locked") < 0)
                        return finish(u, -EIO, "cannot ask the Secret Service");
        if (u->pending == 0)
                next_step(u);
}

static void next_step(Unlock *u) {
        switch (u->step) {
        case STEP_COLLECTIONS: {
                size_t n = strv_length(u->paths);
                if (!(u->labels = calloc(n + 1, sizeof(char *))) || !(u->locked = calloc(n + 1, sizeof(int))))
                        return finish(u, -ENOMEM, "out of memory");
                u->step = STEP_STATE;
                for (size_t k = 0; k < n; k++)
                        if (get_property(u, on_label, k, u->paths[k], "Label") < 0 ||
                            get_property(u, on_locked, k, u->paths[k], "Locked") < 0)
                                return finish(u, -EIO, "cannot ask the Secret Service");
                if (u->pending == 0)
                        next_step(u);
                return;
        }
        case STEP_STATE: {
                int r = choose(u);
                if (r == -ENOMEM)
                        return finish(u, r, "out of memory");
                if (r < 0)
                        return;
                if (!u->objects || !u->objects[0])
                        return finish(u, 0, NULL); /* nothing is locked */
                u->step = STEP_UNLOCK;
                _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
                UnlockCall *c = malloc(sizeof(*c));
                r = c ? sd_bus_message_new_method_call(u->bus, &m, SECRET_BUS_NAME, SECRET_BUS_PATH,
                                                       SECRET_IFACE_SERVICE, "Unlock")
                      : -ENOMEM;
                if (r >= 0)
                        r = sd_bus_message_open_container(m, 'a', "o");
                for (char **o = u->objects; r >= 0 && *o; o++)
                        r = sd_bus_message_append(m, "o", *o);
                if (r >= 0)
                        r = sd_bus_message_close_container(m);
                if (r >= 0) {
                        *c = (UnlockCall){ u, 0 };
                        r = sd_bus_call_async(u->bus, NULL, m, on_unlock, c, u->call_timeout_usec);
                }
                if (r < 0) {
                        free(c);
                        return finish(u, r, "cannot ask the Secret Service to unlock");
                }
                u->pending++;
                return;
        }
        case STEP_UNLOCK:
                if (!u->prompt)
                        return check_again(u); /* nothing needed a person */
                u->step = STEP_PROMPT;
                /* The match first, so a prompt that completes at once is seen. */
                if (sd_bus_match_signal(u->bus, &u->completed, SECRET_BUS_NAME, u->prompt, SECRET_IFACE_PROMPT,
                                        "Completed", on_completed, u) < 0 ||
                    sd_event_add_time_relative(u->event, &u->timer, CLOCK_MONOTONIC, u->prompt_timeout_usec, 0,
                                               on_prompt_timeout, u) < 0 ||
                    call(u, on_prompt_called, 0, u->prompt, SECRET_IFACE_PROMPT, "Prompt", "s", "") < 0)
                        return finish(u, -EIO, "cannot show the unlock prompt");
                return;
        case STEP_PROMPT:
                return; /* the Prompt call's reply: Completed decides */
        case STEP_CHECK:
                for (size_t k = 0; u->paths[k]; k++)
                        if (u->locked[k]) {
                                char reason[512];
                                utf8_snprintf(reason, sizeof(reason), "%s is still locked after the unlock",
                                              u->paths[k]);
                                return finish(u, -EACCES, reason);
                        }
                return finish(u, 0, NULL);
        }
}

int secret_unlock_start(sd_bus *bus, sd_event *event, char *const *profiles, char *const *collections, size_t n,
                        uint64_t call_timeout_usec, uint64_t prompt_timeout_usec, secret_unlock_done_t done,
                        void *userdata) {
        Unlock *u = calloc(1, sizeof(*u));
        if (!u)
                return -ENOMEM;
        *u = (Unlock){ .bus = sd_bus_ref(bus), .event = sd_event_ref(event), .call_timeout_usec = call_timeout_usec,
                       .prompt_timeout_usec = prompt_timeout_usec, .done = done, .userdata = userdata };
        u->names = calloc(n + 1, sizeof(char *));
        u->alias_paths = calloc(n + 1, sizeof(char *));
        u->profiles = strv_copy(profiles);
        int r = u->names && u->alias_paths && u->profiles ? 0 : -ENOMEM;
        for (size_t i = 0; r >= 0 && i < n; i++)
                if (!(u->names[i] = strdup(collections[i] ? collections[i] : "")) ||
                    !(u->alias_paths[i] = strdup("/")))
                        r = -ENOMEM;
        if (r >= 0)
                r = call(u, on_collections, 0, SECRET_BUS_PATH, "org.freedesktop.DBus.Properties", "Get", "ss",
                         SECRET_IFACE_SERVICE, "Collections");
        for (size_t i = 0; r >= 0 && i < n; i++)
                if (*u->names[i])
                        r = call(u, on_alias, i, SECRET_BUS_PATH, SECRET_IFACE_SERVICE, "ReadAlias", "s", u->names[i]);
        for (size_t i = 0; r >= 0 && i < n; i++)
                r = call(u, on_search, i, SECRET_BUS_PATH, SECRET_IFACE_SERVICE, "SearchItems", "a{ss}", 1,
                         SECRET_ATTR_PROFILE, u->profiles[i]);
        if (r < 0) {
                if (u->pending == 0)
                        unlock_free(u);
                else
                        u->failed = true; /* the calls out free it */
                return r;
        }
        return 0;
}
