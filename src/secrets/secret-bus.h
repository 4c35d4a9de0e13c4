/* SPDX-License-Identifier: MIT */
#pragma once

#include <systemd/sd-bus.h>

#include "common/error.h"
#include "common/utf8.h"
#include "secrets/session-crypto.h"

/* The Secret Service's wire format, shared by the blocking client
 * (secret-service.c) and the daemon's asynchronous batch (fetch.c): names,
 * the session's messages, the Secret struct, errors named for people. */

#define SECRET_BUS_NAME "org.freedesktop.secrets"
#define SECRET_BUS_PATH "/org/freedesktop/secrets"
#define SECRET_IFACE_SERVICE "org.freedesktop.Secret.Service"
#define SECRET_IFACE_COLLECTION "org.freedesktop.Secret.Collection"
#define SECRET_IFACE_ITEM "org.freedesktop.Secret.Item"
#define SECRET_IFACE_SESSION "org.freedesktop.Secret.Session"
#define SECRET_IFACE_PROMPT "org.freedesktop.Secret.Prompt"

/* A trust profile's secrets are items with these attributes:
 * sesame-profile=<trust profile>, sesame-secret=<name>. */
#define SECRET_ATTR_PROFILE "sesame-profile"
#define SECRET_ATTR_NAME "sesame-secret"
#define SECRET_ALGORITHM_DH "dh-ietf1024-sha256-aes128-cbc-pkcs7"
/* The largest value we take or store. */
#define SECRET_VALUE_MAX (64 * 1024)

/* UTF-8 without NUL: the only values a variable can carry. */
static inline bool secret_value_is_valid(const char *value, size_t len) {
        return utf8_is_valid(value, len);
}

/* A failed call: no service on the bus (-EHOSTUNREACH), no answer in time
 * (-ETIMEDOUT), else the service's own message. */
int secret_bus_error(int r, const sd_bus_error *error, const char *what, Error *e);

/* Service.OpenSession offering `dh`'s public key, or "plain" when dh is
 * NULL. */
int secret_bus_new_open_session(sd_bus *bus, const DhSession *dh, sd_bus_message **ret);
/* Its reply: derives dh's key from the service's public key (when dh is not
 * NULL) and returns the session's path. -EBADMSG when malformed or the key
 * is not usable. */
int secret_bus_read_session(sd_bus_message *reply, DhSession *dh, char **ret_session);

/* One Secret struct (oayays) at the message's position, decrypted into a
 * secure buffer of *ret_size bytes (secure_free(value, size)), NUL-ended.
 * -EBADMSG malformed, -E2BIG larger than SECRET_VALUE_MAX, -EIO not
 * decryptable, -EILSEQ not UTF-8 or holding a NUL (wiped already). */
int secret_bus_read_secret(sd_bus_message *m, const DhSession *dh, char **ret_value, size_t *ret_len,
                           size_t *ret_size);

/* What a trust profile's Collection= names, decided one way for every
 * client: an alias ("default", "login"), else the collection whose object
 * path ends in /NAME, else the collection whose label is NAME. The caller
 * asks the service for `alias_path` (ReadAlias(NAME), "/" when there is no
 * such alias), for `paths` (the Collections property) and, only if this
 * says so, for `labels` (each collection's Label, NULL until read):
 * 0 and *ret_path, -EAGAIN labels are needed, -ENOENT no such collection. */
int secret_bus_resolve_collection(const char *name, const char *alias_path, char *const *paths,
                                  char *const *labels, const char **ret_path);

/* The value part of that: `params` (the IV) and `value` decrypted with dh
 * (taken as is when dh is NULL, the plain session), checked as above. */
int secret_bus_decode_value(const DhSession *dh, const void *params, size_t params_len, const void *value,
                            size_t value_len, char **ret_value, size_t *ret_len, size_t *ret_size);

/* An `ao` as a string vector. */
int secret_bus_read_paths(sd_bus_message *m, char ***ret);
