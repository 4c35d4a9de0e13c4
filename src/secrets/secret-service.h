/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <systemd/sd-bus.h>

#include "common/error.h"
#include "secrets/secret-bus.h"

/* A client of the freedesktop Secret Service (org.freedesktop.secrets on the
 * session bus: GNOME Keyring, KeePassXC, KWallet). A trust profile is a
 * vault: its secrets are items with the attributes sesame-profile=<trust
 * profile> and sesame-secret=<name>.
 *
 * These calls block, each with the service's time limit: they are for the
 * command line. Secret values never reach a log line or an error message. */


typedef struct SecretService SecretService;

/* Opens a session, dh-ietf1024-sha256-aes128-cbc-pkcs7 unless the service
 * refuses it (then "plain", logged). -EHOSTUNREACH when no Secret Service
 * is on the bus, -ETIMEDOUT when it does not answer. */
int secret_service_open(SecretService **ret, sd_bus *bus, uint64_t timeout_usec, Error *e);
SecretService *secret_service_free(SecretService *s);
DEFINE_TRIVIAL_CLEANUP_FUNC(SecretService *, secret_service_free);
const char *secret_service_algorithm(const SecretService *s);

/* Items of (profile, name); either may be NULL for "any". With both NULL:
 * every item of every collection (the caller keeps its own by their
 * attributes), locked or not by its collection's Locked property; a locked
 * collection that shows no items is among the locked itself. */
int secret_service_search(SecretService *s, const char *profile, const char *name, char ***ret_unlocked,
                          char ***ret_locked, Error *e);
/* The value of an unlocked item, in a secure buffer (secure_free(v, len+1)).
 * -EILSEQ (value wiped) when it is not UTF-8 or holds a NUL. */
int secret_service_get(SecretService *s, const char *item, char **ret_value, size_t *ret_len, Error *e);
/* Stores (replacing) the secret in the collection `collection` (an alias
 * such as "default" or "login", or a label; NULL: the default collection). */
int secret_service_store(SecretService *s, const char *profile, const char *name, const char *label,
                         const char *collection, const char *value, size_t len, Error *e);
int secret_service_delete(SecretService *s, const char *item, Error *e);
/* The sesame attributes of an item (new strings). */
int secret_service_item_attributes(SecretService *s, const char *item, char **ret_profile, char **ret_name, Error *e);

/* The object path of a collection: an alias ("default", "login") or a
 * collection's label; NULL is the default collection. */
int secret_service_collection(SecretService *s, const char *collection, char **ret, Error *e);
/* Unlocks the collections and items (object paths; an item's collection
 * is unlocked with it). When the service needs a person
 * to answer, it follows the prompt and waits for it, without a time limit
 * (only the Unlock call itself has one): 0 once all are unlocked,
 * -ECANCELED when the prompt was dismissed, -EHOSTUNREACH when the service
 * left the bus meanwhile. */
int secret_service_unlock(SecretService *s, char **objects, Error *e);

/* How long a prompt (unlock, a store or removal the service asks about) is
 * waited for before it is dismissed and the call fails with -ETIME. */
#define SECRET_PROMPT_TIMEOUT_USEC (120ULL * 1000000)
extern uint64_t secret_service_prompt_timeout_usec;
