/* SPDX-License-Identifier: MIT */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

/* Unlocking on the launcher's own bus connection, without blocking: the
 * Secret Service grants access per connection (KeePassXC's
 * ConfirmAccessItem), so an unlock asked for by a short-lived client would
 * not help the launches the daemon serves.
 *
 * Each trust profile names its collection (Collection=: an alias, an object
 * path's name or a label, secret_bus_resolve_collection()) or none; a
 * profile without one stands for every locked collection, since its
 * secrets may be in any. The locked ones among them are unlocked with one
 * Unlock call; its prompt, if any, is followed to Completed within the time
 * limit (then dismissed); afterwards every one is read again, so "unlocked"
 * means their Locked property says false. */

typedef struct SecretUnlockResult {
        int error;              /* 0; -ECANCELED dismissed; -ETIME no answer in time; -ENOENT no such collection;
                                 * -EACCES still locked afterwards; another errno: the service failed */
        const char *reason;     /* a sentence for a person, with error */
        char **unlocked;        /* the collections' object paths that were locked and are not now */
} SecretUnlockResult;

typedef void (*secret_unlock_done_t)(const SecretUnlockResult *r, void *userdata);

/* `collections[i]` is the Collection= of `profiles[i]`, or NULL (every
 * locked collection); the profiles' items the service reports locked are
 * unlocked too (KeePassXC reports an open database's items locked to a
 * client it has not been allowed to serve: unlocking them makes it ask).
 * `prompt_timeout_usec` bounds the person's answer; each call to the
 * service has `call_timeout_usec`. */
int secret_unlock_start(sd_bus *bus, sd_event *event, char *const *profiles, char *const *collections, size_t n,
                        uint64_t call_timeout_usec, uint64_t prompt_timeout_usec, secret_unlock_done_t done,
                        void *userdata);
