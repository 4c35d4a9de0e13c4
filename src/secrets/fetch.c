/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/secure.h"
#include "common/strv.h"
#include "secrets/fetch.h"
#include "secrets/secret-bus.h"
#include "secrets/session-crypto.h"

#define MAX_CALLS 1024

/* One wanted secret as the batch learns about it. */
typedef struct Wanted {
        char *name, *profile, *collection;
        char *alias_path;   /* ReadAlias(collection) */
        char *prefix;       /* item paths of the collection start with it; NULL: any */
        char **unlocked, **locked;
        char *chosen;       /* the item to read */
        uint64_t chosen_modified;
        char *value;        /* secure buffer */
        size_t value_size;
        bool searched;      /* SearchItems answered */
} Wanted;

/* The phases, each a set of calls in flight at once:
 *   FIRST:    OpenSession, SearchItems per secret, and for trust profiles
 *             with a Collection=: ReadAlias per collection and the service's
 *             Collections
 *   LABELS:   each collection's Label, when a Collection= is neither an
 *             alias nor a path's name (secret_bus_resolve_collection)
 *   COLLECTIONS, LOCKED: only when secrets are not found: the service's
 *             collections and their Locked property, since a locked
 *             collection may hide its items from a search (KeePassXC
 *             does): "locked" is the collection's word, not an empty search
 *   MODIFIED: Item.Modified of every candidate where several items match
 *   GET:      one GetSecrets for all */
typedef enum Phase {
        PHASE_FIRST,
        PHASE_LABELS,
        PHASE_COLLECTIONS, /* secrets not found: is their collection locked? (the service's list) */
        PHASE_LOCKED,      /* ... each collection's Locked */
        PHASE_MODIFIED,
        PHASE_GET,
} Phase;

struct SecretFetch {
        sd_bus *bus;
        sd_event *event;
        sd_event_source *timer;
        uint64_t timeout_usec;
        Phase phase;
        DhSession *dh;
        char *session;
        Wanted *wanted;
        size_t n;
        char **collections; /* the service's, when a Collection= is set */
        char **labels;      /* theirs, when needed */
        int *collection_locked; /* theirs, when secrets were not found; NULL before */
        sd_bus_slot *slots[MAX_CALLS];
        size_t n_slots, pending;
        secret_fetch_done_t done;
        void *userdata;
};

typedef struct Call {
        SecretFetch *fetch;
        size_t index; /* the wanted secret, or the candidate */
        char *item;
} Call;

static void wanted_done(Wanted *w) {
        free(w->name);
        free(w->profile);
        free(w->collection);
        free(w->alias_path);
        free(w->prefix);
        strv_free(w->unlocked);
        strv_free(w->locked);
        free(w->chosen);
        secure_free(w->value, w->value_size);
}

SecretFetch *secret_fetch_cancel(SecretFetch *f) {
        if (!f)
                return NULL;
        for (size_t i = 0; i < f->n_slots; i++)
                sd_bus_slot_unref(f->slots[i]);
        sd_event_source_disable_unref(f->timer);
        for (size_t i = 0; i < f->n; i++)
                wanted_done(&f->wanted[i]);
        free(f->wanted);
        strv_free(f->collections);
        strv_free(f->labels);
        free(f->collection_locked);
        if (f->session)
                (void) sd_bus_call_method_async(f->bus, NULL, SECRET_BUS_NAME, f->session, SECRET_IFACE_SESSION,
                                                "Close", NULL, NULL, "");
        free(f->session);
        dh_session_free(f->dh);
        sd_bus_unref(f->bus);
        sd_event_unref(f->event);
        free(f);
        return NULL;
}

static void finish(SecretFetch *f, FetchResult *r) {
        r->algorithm = f->dh ? SECRET_ALGORITHM_DH : "plain";
        f->done(r, f->userdata);
        secret_fetch_cancel(f); /* wipes every value */
}

static void fail(SecretFetch *f, const char *reason) {
        FetchResult r = { .outcome = FETCH_UNAVAILABLE, .reason = reason };
        finish(f, &r);
}

static void fail_bus(SecretFetch *f, const sd_bus_error *error, const char *what) {
        Error e = {};
        secret_bus_error(-sd_bus_error_get_errno(error), error, what, &e);
        fail(f, error_message(&e));
}

static void call_free(void *userdata) {
        Call *c = userdata;
        free(c->item);
        free(c);
}

static int call_async(SecretFetch *f, sd_bus_message *m, sd_bus_message_handler_t handler, size_t index,
                      const char *item) {
        if (f->n_slots >= MAX_CALLS)
                return -E2BIG;
        Call *c = calloc(1, sizeof(*c));
        if (!c)
                return -ENOMEM;
        c->fetch = f;
        c->index = index;
        if (item && !(c->item = strdup(item))) {
                call_free(c);
                return -ENOMEM;
        }
        int r = sd_bus_call_async(f->bus, &f->slots[f->n_slots], m, handler, c, f->timeout_usec);
        if (r < 0) {
                call_free(c);
                return r;
        }
        /* The Call goes with its slot. */
        sd_bus_slot_set_destroy_callback(f->slots[f->n_slots], call_free);
        f->n_slots++;
        f->pending++;
        return 0;
}

static void next_phase(SecretFetch *f);

/* Takes a reply off the books; the Call is freed with its slot. Returns
 * the fetch if the reply is to be handled. */
static SecretFetch *reply_begin(Call *c, sd_bus_message *m, const char *what) {
        SecretFetch *f = c->fetch;
        f->pending--;
        const sd_bus_error *error = sd_bus_message_get_error(m);
        if (error) {
                fail_bus(f, error, what);
                return NULL;
        }
        return f;
}

static void reply_end(SecretFetch *f) {
        if (f->pending == 0)
                next_phase(f);
}

/* ---- FIRST */

static int send_open_session(SecretFetch *f);

static int on_open_session(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        Call *c = userdata;
        SecretFetch *f = c->fetch;
        const sd_bus_error *error = sd_bus_message_get_error(m);
        if (error && sd_bus_error_has_name(error, SD_BUS_ERROR_NOT_SUPPORTED) && f->dh) {
                /* Values will cross the bus in clear: say so. */
                log_warning("the Secret Service refused %s; using the plain session", SECRET_ALGORITHM_DH);
                f->dh = dh_session_free(f->dh);
                f->pending--;
                if (send_open_session(f) < 0)
                        fail(f, "cannot open a Secret Service session");
                return 0;
        }
        if (!(f = reply_begin(c, m, "OpenSession")))
                return 0;
        if (secret_bus_read_session(m, f->dh, &f->session) < 0) {
                fail(f, "the Secret Service's session could not be set up");
                return 0;
        }
        reply_end(f);
        return 0;
}

static int send_open_session(SecretFetch *f) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        int r = secret_bus_new_open_session(f->bus, f->dh, &m);
        return r < 0 ? r : call_async(f, m, on_open_session, 0, NULL);
}

static int on_read_alias(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        Call *c = userdata;
        SecretFetch *f = reply_begin(c, m, "ReadAlias");
        if (!f)
                return 0;
        Wanted *w = &f->wanted[c->index];
        const char *path;
        if (sd_bus_message_read(m, "o", &path) < 0)
                return fail(f, "malformed ReadAlias reply"), 0;
        if (!(w->alias_path = strdup(path)))
                return fail(f, "out of memory"), 0;
        reply_end(f);
        return 0;
}

static int on_collections(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        Call *c = userdata;
        SecretFetch *f = reply_begin(c, m, "Collections");
        if (!f)
                return 0;
        if (sd_bus_message_enter_container(m, 'v', "ao") < 0 || secret_bus_read_paths(m, &f->collections) < 0)
                return fail(f, "malformed Collections property"), 0;
        reply_end(f);
        return 0;
}

static int on_label(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        Call *c = userdata;
        SecretFetch *f = reply_begin(c, m, "Label");
        if (!f)
                return 0;
        const char *label;
        if (sd_bus_message_read(m, "v", "s", &label) < 0)
                return fail(f, "malformed Label property"), 0;
        free(f->labels[c->index]);
        if (!(f->labels[c->index] = strdup(label)))
                return fail(f, "out of memory"), 0;
        reply_end(f);
        return 0;
}

static int send_get_property(SecretFetch *f, const char *path, const char *iface, const char *property,
                             sd_bus_message_handler_t handler, size_t index) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        int r = sd_bus_message_new_method_call(f->bus, &m, SECRET_BUS_NAME, path, "org.freedesktop.DBus.Properties",
                                               "Get");
        if (r >= 0)
                r = sd_bus_message_append(m, "ss", iface, property);
        return r < 0 ? r : call_async(f, m, handler, index, NULL);
}

static int on_search(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        Call *c = userdata;
        SecretFetch *f = reply_begin(c, m, "SearchItems");
        if (!f)
                return 0;
        Wanted *w = &f->wanted[c->index];
        if (secret_bus_read_paths(m, &w->unlocked) < 0 || secret_bus_read_paths(m, &w->locked) < 0) {
                fail(f, "malformed SearchItems reply");
                return 0;
        }
        w->searched = true;
        reply_end(f);
        return 0;
}

static int send_first(SecretFetch *f) {
        int r = send_open_session(f);
        bool collections = false;
        for (size_t i = 0; i < f->n; i++)
                collections = collections || f->wanted[i].collection;
        if (r >= 0 && collections)
                r = send_get_property(f, SECRET_BUS_PATH, SECRET_IFACE_SERVICE, "Collections", on_collections, 0);
        for (size_t i = 0; r >= 0 && i < f->n; i++) {
                Wanted *w = &f->wanted[i];
                _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
                if (w->collection) {
                        r = sd_bus_message_new_method_call(f->bus, &m, SECRET_BUS_NAME, SECRET_BUS_PATH, SECRET_IFACE_SERVICE,
                                                           "ReadAlias");
                        if (r >= 0)
                                r = sd_bus_message_append(m, "s", w->collection);
                        if (r >= 0)
                                r = call_async(f, m, on_read_alias, i, NULL);
                        m = sd_bus_message_unref(m);
                }
                if (r >= 0)
                        r = sd_bus_message_new_method_call(f->bus, &m, SECRET_BUS_NAME, SECRET_BUS_PATH, SECRET_IFACE_SERVICE,
                                                           "SearchItems");
                if (r >= 0)
                        r = sd_bus_message_append(m, "a{ss}", 2, SECRET_ATTR_PROFILE, w->profile, SECRET_ATTR_NAME,
                                                  w->name);
                if (r >= 0)
                        r = call_async(f, m, on_search, i, NULL);
        }
        return r;
}

/* ---- deciding */

/* Keeps the items of the wanted collection only. */
static void filter(char **l, const char *prefix) {
        if (!prefix)
                return;
        size_t k = 0;
        for (size_t i = 0; l[i]; i++) {
                if (strncmp(l[i], prefix, strlen(prefix)) == 0)
                        l[k++] = l[i];
                else
                        free(l[i]);
        }
        l[k] = NULL;
}

static int on_modified(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        Call *c = userdata;
        SecretFetch *f = reply_begin(c, m, "Modified");
        if (!f)
                return 0;
        Wanted *w = &f->wanted[c->index];
        uint64_t t = 0;
        if (sd_bus_message_read(m, "v", "t", &t) < 0) {
                fail(f, "malformed Modified property");
                return 0;
        }
        if (!w->chosen || t > w->chosen_modified) {
                char *p = strdup(c->item);
                if (!p) {
                        fail(f, "out of memory");
                        return 0;
                }
                free(w->chosen);
                w->chosen = p;
                w->chosen_modified = t;
        }
        reply_end(f);
        return 0;
}

static int send_get_secrets(SecretFetch *f);
static void decide(SecretFetch *f);
static int send_get_property(SecretFetch *f, const char *path, const char *iface, const char *property,
                             sd_bus_message_handler_t handler, size_t index);

/* Every Collection= to its object path: 1 when they all are, 0 when the
 * labels are being read first, -1 when the fetch has failed. */
static int resolve_collections(SecretFetch *f) {
        for (size_t i = 0; i < f->n; i++) {
                Wanted *w = &f->wanted[i];
                if (!w->collection || w->prefix)
                        continue;
                const char *path;
                int r = secret_bus_resolve_collection(w->collection, w->alias_path, f->collections, f->labels, &path);
                if (r == -EAGAIN && f->collections[0]) {
                        f->phase = PHASE_LABELS;
                        if (!(f->labels = calloc(strv_length(f->collections) + 1, sizeof(char *))))
                                return fail(f, "out of memory"), -1;
                        for (size_t k = 0; f->collections[k]; k++)
                                if (!(f->labels[k] = strdup("")) ||
                                    send_get_property(f, f->collections[k], SECRET_IFACE_COLLECTION, "Label", on_label,
                                                      k) < 0)
                                        return fail(f, "cannot ask the Secret Service"), -1;
                        return 0;
                }
                if (r < 0) {
                        char reason[512];
                        utf8_snprintf(reason, sizeof(reason),
                                      "the Secret Service has no collection '%s' (Collection= of trust profile %s; "
                                      "an alias, an object path's name or a label)",
                                      w->collection, w->profile);
                        return fail(f, reason), -1;
                }
                if (asprintf(&w->prefix, "%s/", path) < 0) {
                        w->prefix = NULL;
                        return fail(f, "out of memory"), -1;
                }
        }
        return 1;
}

/* Whether the collection that should hold `w` is locked (with no
 * Collection=: whether any is). */
static bool wanted_collection_locked(SecretFetch *f, const Wanted *w) {
        for (size_t k = 0; f->collection_locked && f->collections && f->collections[k]; k++) {
                if (!f->collection_locked[k])
                        continue;
                size_t len = strlen(f->collections[k]);
                if (!w->prefix || (strncmp(w->prefix, f->collections[k], len) == 0 && w->prefix[len] == '/'))
                        return true;
        }
        return false;
}

static int on_locked(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        Call *c = userdata;
        SecretFetch *f = c->fetch;
        f->pending--;
        int locked = 0;
        /* A collection gone meanwhile is not locked. */
        if (!sd_bus_message_is_method_error(m, NULL) && sd_bus_message_read(m, "v", "b", &locked) >= 0)
                f->collection_locked[c->index] = locked;
        reply_end(f);
        return 0;
}

static void ask_locked(SecretFetch *f) {
        f->phase = PHASE_LOCKED;
        size_t n = strv_length(f->collections);
        if (!(f->collection_locked = calloc(n + 1, sizeof(int))))
                return fail(f, "out of memory");
        for (size_t k = 0; k < n; k++)
                if (send_get_property(f, f->collections[k], SECRET_IFACE_COLLECTION, "Locked", on_locked, k) < 0)
                        return fail(f, "cannot ask the Secret Service");
        if (f->pending == 0)
                decide(f);
}

static void decide(SecretFetch *f) {
        FetchResult r = {};
        _cleanup_(strv_freep) char **locked = calloc(f->n + 1, sizeof(char *));
        _cleanup_free_ size_t *missing_index = calloc(f->n + 1, sizeof(size_t));
        size_t n_locked = 0;
        if (!locked || !missing_index)
                return fail(f, "out of memory");
        bool missing = false;
        for (size_t i = 0; i < f->n; i++) {
                Wanted *w = &f->wanted[i];
                filter(w->unlocked, w->prefix);
                filter(w->locked, w->prefix);
                missing = missing || (!w->unlocked[0] && !w->locked[0]);
        }
        if (missing && !f->collection_locked) {
                /* Found nowhere: first, is the collection locked? */
                if (f->collections)
                        return ask_locked(f);
                f->phase = PHASE_COLLECTIONS;
                if (send_get_property(f, SECRET_BUS_PATH, SECRET_IFACE_SERVICE, "Collections", on_collections, 0) < 0)
                        fail(f, "cannot ask the Secret Service");
                return;
        }
        for (size_t i = 0; i < f->n; i++) {
                Wanted *w = &f->wanted[i];
                if (w->unlocked[0])
                        continue;
                if (!w->locked[0] && !wanted_collection_locked(f, w)) {
                        missing_index[r.missing_count++] = i;
                        continue;
                }
                bool seen = false;
                for (size_t k = 0; k < n_locked; k++)
                        seen = seen || strcmp(locked[k], w->profile) == 0;
                if (!seen && !(locked[n_locked++] = strdup(w->profile)))
                        return fail(f, "out of memory");
        }
        if (n_locked > 0) {
                r.outcome = FETCH_VAULTS_LOCKED;
                r.locked_profiles = locked;
                return finish(f, &r);
        }
        if (r.missing_count > 0) {
                r.outcome = FETCH_NOT_FOUND;
                r.missing = missing_index;
                return finish(f, &r);
        }

        /* Several unlocked items for one secret: the most recently modified. */
        f->phase = PHASE_MODIFIED;
        for (size_t i = 0; i < f->n; i++) {
                Wanted *w = &f->wanted[i];
                if (!w->unlocked[1]) {
                        if (!(w->chosen = strdup(w->unlocked[0])))
                                return fail(f, "out of memory");
                        continue;
                }
                log_warning("several items hold secret %s of trust profile %s; using the most recently modified",
                            w->name, w->profile);
                for (char **item = w->unlocked; *item; item++) {
                        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
                        if (sd_bus_message_new_method_call(f->bus, &m, SECRET_BUS_NAME, *item, "org.freedesktop.DBus.Properties",
                                                           "Get") < 0 ||
                            sd_bus_message_append(m, "ss", SECRET_IFACE_ITEM, "Modified") < 0 ||
                            call_async(f, m, on_modified, i, *item) < 0)
                                return fail(f, "cannot ask the Secret Service");
                }
        }
        if (f->pending == 0)
                next_phase(f);
}

/* ---- GET */

static int on_get_secrets(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        Call *c = userdata;
        SecretFetch *f = reply_begin(c, m, "GetSecrets");
        if (!f)
                return 0;
        /* It carries every secret of the launch: wiped when freed. */
        sd_bus_message_sensitive(m);

        int r = sd_bus_message_enter_container(m, 'a', "{o(oayays)}");
        while (r >= 0 && (r = sd_bus_message_enter_container(m, 'e', "o(oayays)")) > 0) {
                const char *path;
                Wanted *w = NULL;
                r = sd_bus_message_read(m, "o", &path);
                for (size_t i = 0; r >= 0 && !w && i < f->n; i++)
                        if (!f->wanted[i].value && strcmp(f->wanted[i].chosen, path) == 0)
                                w = &f->wanted[i];
                if (r >= 0 && !w)
                        r = sd_bus_message_skip(m, "(oayays)");
                else if (r >= 0) {
                        size_t len;
                        r = secret_bus_read_secret(m, f->dh, &w->value, &len, &w->value_size);
                        if (r == -E2BIG || r == -EIO || r == -EILSEQ) {
                                /* That value is wiped already, every other one by finish(). */
                                FetchResult res = { .outcome = FETCH_INVALID_VALUE, .invalid_name = w->name,
                                                    .invalid_profile = w->profile };
                                finish(f, &res);
                                return 0;
                        }
                }
                if (r >= 0)
                        r = sd_bus_message_exit_container(m);
        }
        if (r < 0)
                return fail(f, "malformed GetSecrets reply"), 0;
        for (size_t i = 0; i < f->n; i++)
                if (!f->wanted[i].value)
                        return fail(f, "the Secret Service did not return every secret"), 0;
        reply_end(f);
        return 0;
}

static int send_get_secrets(SecretFetch *f) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        int r = sd_bus_message_new_method_call(f->bus, &m, SECRET_BUS_NAME, SECRET_BUS_PATH, SECRET_IFACE_SERVICE, "GetSecrets");
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'a', "o");
        for (size_t i = 0; r >= 0 && i < f->n; i++)
                r = sd_bus_message_append(m, "o", f->wanted[i].chosen);
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        if (r >= 0)
                r = sd_bus_message_append(m, "o", f->session);
        return r < 0 ? r : call_async(f, m, on_get_secrets, 0, NULL);
}

static void next_phase(SecretFetch *f) {
        switch (f->phase) {
        case PHASE_FIRST:
        case PHASE_LABELS:
                if (resolve_collections(f) > 0)
                        decide(f);
                return;
        case PHASE_COLLECTIONS:
                return ask_locked(f);
        case PHASE_LOCKED:
                return decide(f);
        case PHASE_MODIFIED:
                f->phase = PHASE_GET;
                if (send_get_secrets(f) < 0)
                        fail(f, "cannot ask the Secret Service");
                return;
        case PHASE_GET: {
                char **values = calloc(f->n + 1, sizeof(char *));
                if (!values)
                        return fail(f, "out of memory");
                for (size_t i = 0; i < f->n; i++)
                        values[i] = f->wanted[i].value;
                FetchResult r = { .outcome = FETCH_OK, .values = values };
                finish(f, &r);
                free(values);
                return;
        }
        }
}

static int on_timeout(sd_event_source *s, uint64_t usec, void *userdata) {
        SecretFetch *f = userdata;
        /* The service answered the session and not the searches: it is
         * waiting for its own unlock dialog (KeePassXC with
         * UnlockBeforeSearch=true). The vaults are locked, for now. */
        if (f->phase == PHASE_FIRST && f->session) {
                _cleanup_(strv_freep) char **locked = calloc(f->n + 1, sizeof(char *));
                size_t n = 0;
                for (size_t i = 0; locked && i < f->n; i++) {
                        bool seen = false;
                        for (size_t k = 0; k < n; k++)
                                seen = seen || strcmp(locked[k], f->wanted[i].profile) == 0;
                        if (!f->wanted[i].searched && !seen && !(locked[n++] = strdup(f->wanted[i].profile)))
                                return fail(f, "out of memory"), 0;
                }
                if (locked && n > 0) {
                        log_warning("the Secret Service answered no search within %llu ms: it waits for its unlock "
                                    "dialog (KeePassXC: UnlockBeforeSearch); counting the vaults as locked",
                                    (unsigned long long) (f->timeout_usec / 1000));
                        FetchResult r = { .outcome = FETCH_VAULTS_LOCKED, .locked_profiles = locked,
                                          .reason = "the Secret Service is waiting for its unlock dialog" };
                        finish(f, &r);
                        return 0;
                }
        }
        char reason[128];
        snprintf(reason, sizeof(reason), "the Secret Service did not answer within %llu ms",
                 (unsigned long long) (f->timeout_usec / 1000));
        fail(f, reason);
        return 0;
}

int secret_fetch_start(SecretFetch **ret, sd_bus *bus, sd_event *event, const SecretWanted *wanted, size_t n,
                       uint64_t timeout_usec, secret_fetch_done_t done, void *userdata) {
        assert_return(bus && event && wanted && n > 0 && done, -EINVAL);
        if (n > MAX_CALLS / 4)
                return -E2BIG;
        SecretFetch *f = calloc(1, sizeof(*f));
        if (!f)
                return -ENOMEM;
        *f = (SecretFetch){ .bus = sd_bus_ref(bus), .event = sd_event_ref(event), .timeout_usec = timeout_usec,
                            .done = done, .userdata = userdata, .n = n };
        int r = (f->wanted = calloc(n, sizeof(Wanted))) ? 0 : -ENOMEM;
        for (size_t i = 0; r >= 0 && i < n; i++) {
                Wanted *w = &f->wanted[i];
                w->name = strdup(wanted[i].name);
                w->profile = strdup(wanted[i].profile);
                w->collection = wanted[i].collection ? strdup(wanted[i].collection) : NULL;
                if (!w->name || !w->profile || (wanted[i].collection && !w->collection))
                        r = -ENOMEM;
        }
        if (r >= 0)
                r = dh_session_new(&f->dh);
        if (r >= 0)
                r = sd_event_add_time_relative(event, &f->timer, CLOCK_MONOTONIC, timeout_usec, 0, on_timeout, f);
        if (r >= 0)
                r = send_first(f);
        if (r < 0) {
                secret_fetch_cancel(f);
                return r;
        }
        if (ret)
                *ret = f;
        return 0;
}
