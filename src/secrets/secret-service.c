/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/log.h"
#include "common/secure.h"
#include "common/strv.h"
#include "secrets/secret-bus.h"
#include "secrets/secret-service.h"
#include "secrets/session-crypto.h"


struct SecretService {
        sd_bus *bus;
        uint64_t timeout_usec;
        char *session;
        DhSession *dh; /* NULL for "plain" */
};

SecretService *secret_service_free(SecretService *s) {
        if (!s)
                return NULL;
        if (s->session && s->bus)
                (void) sd_bus_call_method(s->bus, SECRET_BUS_NAME, s->session, SECRET_IFACE_SESSION, "Close",
                                          NULL, NULL, "");
        free(s->session);
        dh_session_free(s->dh);
        sd_bus_unref(s->bus);
        free(s);
        return NULL;
}

const char *secret_service_algorithm(const SecretService *s) {
        return s && s->dh ? SECRET_ALGORITHM_DH : "plain";
}

/* One method call with the service's time limit. */
static int call(SecretService *s, sd_bus_message *m, sd_bus_message **reply, const char *what, Error *e) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        int r = sd_bus_call(s->bus, m, s->timeout_usec, &error, reply);
        if (r < 0)
                r = secret_bus_error(r, &error, what, e);
        sd_bus_error_free(&error);
        return r;
}

static int follow_prompt(SecretService *s, const char *prompt, const char *what, char **ret_path, Error *e);

static uint64_t now(clockid_t clock) {
        struct timespec ts;
        clock_gettime(clock, &ts);
        return (uint64_t) ts.tv_sec * 1000000 + (uint64_t) ts.tv_nsec / 1000;
}

static int new_call(SecretService *s, sd_bus_message **m, const char *path, const char *iface, const char *member) {
        return sd_bus_message_new_method_call(s->bus, m, SECRET_BUS_NAME, path, iface, member);
}

static int open_session(SecretService *s, Error *e) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
        int r = secret_bus_new_open_session(s->bus, s->dh, &m);
        if (r < 0)
                return error_setf(e, r, "cannot build OpenSession");
        sd_bus_error error = SD_BUS_ERROR_NULL;
        r = sd_bus_call(s->bus, m, s->timeout_usec, &error, &reply);
        if (r < 0) {
                r = sd_bus_error_has_name(&error, SD_BUS_ERROR_NOT_SUPPORTED) ? -EOPNOTSUPP
                                                                               : secret_bus_error(r, &error, "OpenSession", e);
                sd_bus_error_free(&error);
                return r;
        }
        r = secret_bus_read_session(reply, s->dh, &s->session);
        if (r == -ENOMEM)
                return error_setf(e, r, "out of memory");
        if (r < 0)
                return error_setf(e, r, "malformed OpenSession reply, or the service's public key is not usable");
        return 0;
}

int secret_service_open(SecretService **ret, sd_bus *bus, uint64_t timeout_usec, Error *e) {
        assert_return(ret && bus, error_setf(e, -EINVAL, "invalid argument"));
        _cleanup_(secret_service_freep) SecretService *s = calloc(1, sizeof(*s));
        if (!s)
                return error_setf(e, -ENOMEM, "out of memory");
        s->bus = sd_bus_ref(bus);
        s->timeout_usec = timeout_usec;
        if (dh_session_new(&s->dh) < 0)
                return error_setf(e, -EIO, "cannot make a Diffie-Hellman key");

        int r = open_session(s, e);
        if (r == -EOPNOTSUPP) {
                /* Values then cross the bus in clear: say so. */
                log_warning("the Secret Service refused %s; using the plain session", SECRET_ALGORITHM_DH);
                s->dh = dh_session_free(s->dh);
                r = open_session(s, e);
        }
        if (r < 0)
                return r;
        log_debug("Secret Service session %s (%s)", s->session, secret_service_algorithm(s));
        *ret = TAKE_PTR(s);
        return 0;
}

static int read_paths_property(SecretService *s, const char *path, const char *iface, const char *property,
                               char ***ret);

/* Every item of every collection, as unlocked or locked by its
 * collection's Locked property: a search with no attributes is not "every
 * item" everywhere (KeePassXC answers it with none). */
static int all_items(SecretService *s, char ***ret_unlocked, char ***ret_locked, Error *e) {
        _cleanup_(strv_freep) char **collections = NULL, **unlocked = calloc(1, sizeof(char *)),
                                   **locked = calloc(1, sizeof(char *));
        if (!unlocked || !locked)
                return error_setf(e, -ENOMEM, "out of memory");
        int r = read_paths_property(s, SECRET_BUS_PATH, SECRET_IFACE_SERVICE, "Collections", &collections);
        if (r < 0)
                return error_setf(e, r, "cannot list the Secret Service's collections: %s", strerror(-r));
        for (char **c = collections; *c; c++) {
                _cleanup_(strv_freep) char **items = NULL;
                int is_locked = 0;
                sd_bus_error error = SD_BUS_ERROR_NULL;
                r = sd_bus_get_property_trivial(s->bus, SECRET_BUS_NAME, *c, SECRET_IFACE_COLLECTION, "Locked", &error,
                                                'b', &is_locked);
                sd_bus_error_free(&error);
                if (r < 0 || read_paths_property(s, *c, SECRET_IFACE_COLLECTION, "Items", &items) < 0)
                        continue; /* gone meanwhile */
                for (char **i = items; *i; i++)
                        if (strv_push(is_locked ? &locked : &unlocked, strdup(*i)) < 0)
                                return error_setf(e, -ENOMEM, "out of memory");
                /* A locked KeePassXC database shows no items: the
                 * collection itself stands for what it hides. */
                if (is_locked && !items[0] && strv_push(&locked, strdup(*c)) < 0)
                        return error_setf(e, -ENOMEM, "out of memory");
        }
        *ret_unlocked = TAKE_PTR(unlocked);
        *ret_locked = TAKE_PTR(locked);
        return 0;
}

int secret_service_search(SecretService *s, const char *profile, const char *name, char ***ret_unlocked,
                          char ***ret_locked, Error *e) {
        assert_return(s && ret_unlocked && ret_locked, error_setf(e, -EINVAL, "invalid argument"));
        if (!profile && !name)
                return all_items(s, ret_unlocked, ret_locked, e);
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
        int r = new_call(s, &m, SECRET_BUS_PATH, SECRET_IFACE_SERVICE, "SearchItems");
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'a', "{ss}");
        if (r >= 0 && profile)
                r = sd_bus_message_append(m, "{ss}", SECRET_ATTR_PROFILE, profile);
        if (r >= 0 && name)
                r = sd_bus_message_append(m, "{ss}", SECRET_ATTR_NAME, name);
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        if (r < 0)
                return error_setf(e, r, "cannot build SearchItems");
        if ((r = call(s, m, &reply, "SearchItems", e)) < 0)
                return r;
        char **unlocked = NULL, **locked = NULL;
        if (secret_bus_read_paths(reply, &unlocked) < 0 || secret_bus_read_paths(reply, &locked) < 0) {
                strv_free(unlocked);
                return error_setf(e, -EBADMSG, "malformed SearchItems reply");
        }
        *ret_unlocked = unlocked;
        *ret_locked = locked;
        return 0;
}

int secret_service_get(SecretService *s, const char *item, char **ret_value, size_t *ret_len, Error *e) {
        assert_return(s && item && ret_value && ret_len, error_setf(e, -EINVAL, "invalid argument"));
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
        int r = new_call(s, &m, SECRET_BUS_PATH, SECRET_IFACE_SERVICE, "GetSecrets");
        if (r >= 0)
                r = sd_bus_message_append(m, "aoo", 1, item, s->session);
        if (r < 0)
                return error_setf(e, r, "cannot build GetSecrets");
        if ((r = call(s, m, &reply, "GetSecrets", e)) < 0)
                return r;
        /* The reply carries the secret: sd-bus wipes it when freed. */
        sd_bus_message_sensitive(reply);

        const char *path;
        if (sd_bus_message_enter_container(reply, 'a', "{o(oayays)}") <= 0 ||
            sd_bus_message_enter_container(reply, 'e', "o(oayays)") <= 0 || sd_bus_message_read(reply, "o", &path) < 0)
                return error_setf(e, -ENOENT, "the Secret Service returned no secret for %s", item);
        size_t size;
        r = secret_bus_read_secret(reply, s->dh, ret_value, ret_len, &size);
        switch (r) {
        case 0:
                return 0;
        case -E2BIG:
                return error_setf(e, r, "the secret of %s is larger than %d bytes", item, SECRET_VALUE_MAX);
        case -EIO:
                return error_setf(e, -EBADMSG, "the secret of %s could not be decrypted", item);
        case -EILSEQ:
                return error_setf(e, r, "the secret of %s is not valid UTF-8 text", item);
        case -ENOMEM:
                return error_setf(e, r, "out of memory");
        default:
                return error_setf(e, -EBADMSG, "malformed GetSecrets reply for %s", item);
        }
}

static int read_paths_property(SecretService *s, const char *path, const char *iface, const char *property,
                               char ***ret) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        sd_bus_error error = SD_BUS_ERROR_NULL;
        int r = sd_bus_get_property(s->bus, SECRET_BUS_NAME, path, iface, property, &error, &reply, "ao");
        sd_bus_error_free(&error);
        return r < 0 ? r : secret_bus_read_paths(reply, ret);
}

int secret_service_collection(SecretService *s, const char *collection, char **ret, Error *e) {
        assert_return(s && ret, error_setf(e, -EINVAL, "invalid argument"));
        const char *name = collection ? collection : "default";
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
        int r = new_call(s, &m, SECRET_BUS_PATH, SECRET_IFACE_SERVICE, "ReadAlias");
        if (r >= 0)
                r = sd_bus_message_append(m, "s", name);
        if (r < 0 || (r = call(s, m, &reply, "ReadAlias", e)) < 0)
                return r < 0 ? r : error_setf(e, r, "cannot build ReadAlias");
        const char *alias_path;
        if (sd_bus_message_read(reply, "o", &alias_path) < 0)
                return error_setf(e, -EBADMSG, "malformed ReadAlias reply");
        if (!collection && strcmp(alias_path, "/") == 0)
                return error_setf(e, -ENOENT,
                                  "the Secret Service has no default collection; create one, or name one with "
                                  "[TrustProfile] Collection=");

        _cleanup_(strv_freep) char **paths = NULL, **labels = NULL;
        if (strcmp(alias_path, "/") == 0 &&
            read_paths_property(s, SECRET_BUS_PATH, SECRET_IFACE_SERVICE, "Collections", &paths) < 0)
                return error_setf(e, -EBADMSG, "cannot list the Secret Service's collections");
        const char *path = NULL;
        r = secret_bus_resolve_collection(name, alias_path, paths, NULL, &path);
        if (r == -EAGAIN) {
                if (!(labels = calloc(strv_length(paths) + 1, sizeof(char *))))
                        return error_setf(e, -ENOMEM, "out of memory");
                for (size_t i = 0; paths[i]; i++)
                        if (sd_bus_get_property_string(s->bus, SECRET_BUS_NAME, paths[i], SECRET_IFACE_COLLECTION, "Label",
                                                       NULL, &labels[i]) < 0 &&
                            !(labels[i] = strdup("")))
                                return error_setf(e, -ENOMEM, "out of memory");
                r = secret_bus_resolve_collection(name, alias_path, paths, labels, &path);
        }
        if (r < 0)
                return error_setf(e, -ENOENT,
                                  "no Secret Service collection is called '%s' (by alias, object path or label)",
                                  name);
        return (*ret = strdup(path)) ? 0 : error_setf(e, -ENOMEM, "out of memory");
}

/* The default collection made, as libsecret makes it on an empty service
 * (CreateCollection with the alias "default", the service's prompt
 * followed). */
static int create_default_collection(SecretService *s, char **ret, Error *e) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
        int r = new_call(s, &m, SECRET_BUS_PATH, SECRET_IFACE_SERVICE, "CreateCollection");
        if (r >= 0)
                r = sd_bus_message_append(m, "a{sv}s", 1, "org.freedesktop.Secret.Collection.Label", "s",
                                          "Default keyring", "default");
        if (r < 0 || (r = call(s, m, &reply, "CreateCollection", e)) < 0)
                return r < 0 ? error_setf(e, r, "cannot build CreateCollection") : r;
        const char *path, *prompt;
        if (sd_bus_message_read(reply, "oo", &path, &prompt) < 0)
                return error_setf(e, -EBADMSG, "malformed CreateCollection reply");
        if (strcmp(path, "/") != 0)
                return (*ret = strdup(path)) ? 0 : error_setf(e, -ENOMEM, "out of memory");
        _cleanup_free_ char *created = NULL;
        if (strcmp(prompt, "/") == 0 || (r = follow_prompt(s, prompt, "new collection", &created, e)) < 0)
                return r < 0 ? r : error_setf(e, -EACCES, "the Secret Service made no default collection");
        if (!created || strcmp(created, "/") == 0)
                return error_setf(e, -EACCES, "the Secret Service made no default collection (its prompt ended "
                                  "without one)");
        *ret = TAKE_PTR(created);
        return 0;
}

static int collection_locked(SecretService *s, const char *path) {
        int locked = 0;
        sd_bus_error error = SD_BUS_ERROR_NULL;
        int r = sd_bus_get_property_trivial(s->bus, SECRET_BUS_NAME, path, SECRET_IFACE_COLLECTION, "Locked", &error,
                                            'b', &locked);
        sd_bus_error_free(&error);
        return r < 0 ? r : locked;
}

/* Where a secret is stored, ready for it: the collection named (NULL: the
 * default one, made when the service has none), unlocked through the
 * service's prompt when it is locked, as libsecret's store does. */
static int store_collection(SecretService *s, const char *collection, const char *profile, char **ret, Error *e) {
        _cleanup_free_ char *path = NULL;
        int r = secret_service_collection(s, collection, &path, e);
        if (r == -ENOENT && !collection) {
                *e = (Error){};
                r = create_default_collection(s, &path, e);
        }
        if (r < 0)
                return r;
        if (collection_locked(s, path) > 0) {
                Error why = {};
                if (secret_service_unlock(s, (char *[]){ path, NULL }, &why) < 0)
                        return error_setf(e, -EACCES,
                                          "the collection of trust profile %s is locked and was not unlocked (%s): "
                                          "nothing stored; run: sesame unlock %s",
                                          profile, error_message(&why), profile);
        }
        *ret = TAKE_PTR(path);
        return 0;
}

int secret_service_store(SecretService *s, const char *profile, const char *name, const char *label,
                         const char *collection, const char *value, size_t len, Error *e) {
        assert_return(s && profile && name && value, error_setf(e, -EINVAL, "invalid argument"));
        if (len > SECRET_VALUE_MAX)
                return error_setf(e, -E2BIG, "a secret may be at most %d bytes", SECRET_VALUE_MAX);
        if (!secret_value_is_valid(value, len))
                return error_setf(e, -EILSEQ, "a secret must be UTF-8 text without NUL");

        _cleanup_free_ char *path = NULL;
        int r = store_collection(s, collection, profile, &path, e);
        if (r < 0)
                return r;

        uint8_t iv[SESSION_IV_LEN] = {};
        uint8_t *cipher = secure_alloc(len + 32);
        if (!cipher)
                return error_setf(e, -ENOMEM, "out of memory");
        ssize_t n;
        if (s->dh)
                n = dh_session_encrypt(s->dh, iv, (const uint8_t *) value, len, cipher);
        else {
                memcpy(cipher, value, len);
                n = (ssize_t) len;
        }

        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
        char default_label[256];
        snprintf(default_label, sizeof(default_label), "sesame: %s (%s)", name, profile);
        r = n < 0 ? (int) n : new_call(s, &m, path, SECRET_IFACE_COLLECTION, "CreateItem");
        if (r >= 0) {
                /* The message will carry the secret. */
                sd_bus_message_sensitive(m);
                r = sd_bus_message_append(m, "a{sv}", 2, "org.freedesktop.Secret.Item.Label", "s",
                                          label ? label : default_label, "org.freedesktop.Secret.Item.Attributes",
                                          "a{ss}", 2, SECRET_ATTR_PROFILE, profile, SECRET_ATTR_NAME, name);
        }
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'r', "oayays");
        if (r >= 0)
                r = sd_bus_message_append(m, "o", s->session);
        if (r >= 0)
                r = sd_bus_message_append_array(m, 'y', iv, s->dh ? SESSION_IV_LEN : 0);
        if (r >= 0)
                r = sd_bus_message_append_array(m, 'y', cipher, (size_t) n);
        if (r >= 0)
                /* Plain "text/plain", as libsecret writes it: KeePassXC keeps any other
                 * type as an attachment, not the entry's password. */
                r = sd_bus_message_append(m, "s", "text/plain");
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        if (r >= 0)
                r = sd_bus_message_append(m, "b", 1);
        secure_free(cipher, len + 32);
        if (r < 0)
                return error_setf(e, r, "cannot build CreateItem");
        if ((r = call(s, m, &reply, "CreateItem", e)) < 0)
                return r;
        const char *item, *prompt;
        if (sd_bus_message_read(reply, "oo", &item, &prompt) < 0)
                return error_setf(e, -EBADMSG, "malformed CreateItem reply");
        if (strcmp(item, "/") != 0)
                return 0;
        if (strcmp(prompt, "/") == 0)
                return error_setf(e, -EACCES, "the collection is locked; unlock it first (sesame unlock %s)", profile);
        /* The item exists once its prompt has run (KeePassXC always asks
         * for one; the Completed signal names the item). */
        _cleanup_free_ char *created = NULL;
        r = follow_prompt(s, prompt, "store", &created, e);
        if (r < 0)
                return r;
        if (!created || strcmp(created, "/") == 0)
                return error_setf(e, -EACCES, "the Secret Service did not store the secret (its prompt ended without "
                                  "an item); unlock the collection (sesame unlock %s) and try again", profile);
        return 0;
}

int secret_service_delete(SecretService *s, const char *item, Error *e) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
        int r = new_call(s, &m, item, SECRET_IFACE_ITEM, "Delete");
        if (r < 0)
                return error_setf(e, r, "cannot build Delete");
        if ((r = call(s, m, &reply, "Delete", e)) < 0)
                return r;
        /* A service may ask first (KeePassXC's ConfirmDeleteItem): the
         * item is gone only once its prompt has run. */
        const char *prompt;
        if (sd_bus_message_read(reply, "o", &prompt) < 0)
                return error_setf(e, -EBADMSG, "malformed Delete reply");
        return strcmp(prompt, "/") == 0 ? 0 : follow_prompt(s, prompt, "removal", NULL, e);
}

int secret_service_item_attributes(SecretService *s, const char *item, char **ret_profile, char **ret_name,
                                   Error *e) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        sd_bus_error error = SD_BUS_ERROR_NULL;
        int r = sd_bus_get_property(s->bus, SECRET_BUS_NAME, item, SECRET_IFACE_ITEM, "Attributes", &error, &reply, "a{ss}");
        sd_bus_error_free(&error);
        if (r < 0)
                return error_setf(e, r, "cannot read the attributes of %s", item);
        *ret_profile = *ret_name = NULL;
        const char *k, *v;
        if (sd_bus_message_enter_container(reply, 'a', "{ss}") < 0)
                return error_setf(e, -EBADMSG, "malformed attributes");
        while (sd_bus_message_read(reply, "{ss}", &k, &v) > 0) {
                if (strcmp(k, SECRET_ATTR_PROFILE) == 0 && !*ret_profile)
                        *ret_profile = strdup(v);
                else if (strcmp(k, SECRET_ATTR_NAME) == 0 && !*ret_name)
                        *ret_name = strdup(v);
        }
        return 0;
}

/* What a pending prompt has come to. */
typedef struct PromptWait {
        int result;  /* 1 pending, 0 done, negative errno */
        char *path;  /* Completed's result, when it is an object path (CreateItem's item) */
} PromptWait;

static int on_prompt_completed(sd_bus_message *m, void *userdata, sd_bus_error *error) {
        PromptWait *w = userdata;
        int dismissed = 0;
        const char *contents = NULL, *path = NULL;
        if (sd_bus_message_read(m, "b", &dismissed) < 0) {
                w->result = -EBADMSG;
                return 0;
        }
        w->result = dismissed ? -ECANCELED : 0;
        /* The result: CreateItem's item ("o"), Unlock's and Delete's
         * objects ("ao", or nothing useful). */
        if (!dismissed && sd_bus_message_peek_type(m, NULL, &contents) > 0 && contents && strcmp(contents, "o") == 0 &&
            sd_bus_message_read(m, "v", "o", &path) >= 0)
                w->path = strdup(path);
        return 0;
}

static int on_service_gone(sd_bus_message *m, void *userdata, sd_bus_error *error) {
        PromptWait *w = userdata;
        const char *name, *old_owner, *new_owner;
        if (sd_bus_message_read(m, "sss", &name, &old_owner, &new_owner) >= 0 && new_owner[0] == 0 && w->result == 1)
                w->result = -EHOSTUNREACH;
        return 0;
}

uint64_t secret_service_prompt_timeout_usec = SECRET_PROMPT_TIMEOUT_USEC;

/* Shows the prompt and waits for its Completed signal, at most the prompt
 * time limit. The matches are in place before Prompt is called, so a
 * prompt that completes at once (no prompter, as on a machine without a
 * display; KeePassXC's CreateItem) is not missed. `what` names the prompt
 * in messages ("unlock", "store", "removal"); `ret_path`, if not NULL, gets
 * the object path the prompt completed with (or NULL). */
static int follow_prompt(SecretService *s, const char *prompt, const char *what, char **ret_path, Error *e) {
        _cleanup_free_ char *path = NULL;
        PromptWait w = { .result = 1 };
        _cleanup_(sd_bus_slot_unrefp) sd_bus_slot *completed = NULL, *gone = NULL;
        int r = sd_bus_match_signal(s->bus, &completed, SECRET_BUS_NAME, prompt, SECRET_IFACE_PROMPT, "Completed",
                                    on_prompt_completed, &w);
        if (r >= 0)
                r = sd_bus_add_match(s->bus, &gone,
                                     "type='signal',sender='org.freedesktop.DBus',interface='org.freedesktop.DBus',"
                                     "member='NameOwnerChanged',arg0='" SECRET_BUS_NAME "'",
                                     on_service_gone, &w);
        if (r < 0)
                return error_setf(e, r, "cannot watch the %s prompt", what);

        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
        r = new_call(s, &m, prompt, SECRET_IFACE_PROMPT, "Prompt");
        if (r >= 0)
                r = sd_bus_message_append(m, "s", ""); /* no parent window */
        if (r < 0 || (r = call(s, m, &reply, "Prompt", e)) < 0)
                return r < 0 ? r : error_setf(e, r, "cannot build Prompt");

        uint64_t deadline = now(CLOCK_MONOTONIC) + secret_service_prompt_timeout_usec;
        while (w.result == 1) {
                r = sd_bus_process(s->bus, NULL);
                if (r < 0)
                        return error_setf(e, r, "lost the session bus while waiting for the %s prompt", what);
                if (r > 0)
                        continue;
                uint64_t t = now(CLOCK_MONOTONIC);
                if (t >= deadline) {
                        /* Not left on the screen for nobody. */
                        _cleanup_(sd_bus_message_unrefp) sd_bus_message *dm = NULL;
                        if (new_call(s, &dm, prompt, SECRET_IFACE_PROMPT, "Dismiss") >= 0)
                                (void) sd_bus_call(s->bus, dm, 1000000, NULL, NULL);
                        return error_setf(e, -ETIME, "the %s prompt was not answered within %llu s", what,
                                          (unsigned long long) (secret_service_prompt_timeout_usec / 1000000));
                }
                if ((r = sd_bus_wait(s->bus, deadline - t)) < 0 && r != -EINTR)
                        return error_setf(e, r, "lost the session bus while waiting for the %s prompt", what);
        }
        path = w.path;
        if (w.result == -ECANCELED)
                return error_setf(e, -ECANCELED, "the %s prompt was dismissed", what);
        if (w.result == -EHOSTUNREACH)
                return error_setf(e, -EHOSTUNREACH, "the Secret Service left the bus during the %s prompt", what);
        if (w.result < 0)
                return error_setf(e, w.result, "malformed Completed signal from the %s prompt", what);
        if (ret_path)
                *ret_path = TAKE_PTR(path);
        return 0;
}

int secret_service_unlock(SecretService *s, char **objects, Error *e) {
        assert_return(s && objects, error_setf(e, -EINVAL, "invalid argument"));
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
        int r = new_call(s, &m, SECRET_BUS_PATH, SECRET_IFACE_SERVICE, "Unlock");
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'a', "o");
        for (char **c = objects; r >= 0 && *c; c++)
                r = sd_bus_message_append(m, "o", *c);
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        if (r < 0 || (r = call(s, m, &reply, "Unlock", e)) < 0)
                return r < 0 ? r : error_setf(e, r, "cannot build Unlock");
        const char *prompt;
        if (sd_bus_message_skip(reply, "ao") < 0 || sd_bus_message_read(reply, "o", &prompt) < 0)
                return error_setf(e, -EBADMSG, "malformed Unlock reply");
        if (strcmp(prompt, "/") == 0)
                return 0; /* nothing needed a person */
        return follow_prompt(s, prompt, "unlock", NULL, e);
}
