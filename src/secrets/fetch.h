/* SPDX-License-Identifier: MIT */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include "common/macro.h"

/* Fetching the secrets of one launch from the Secret Service, without
 * blocking: every call is asynchronous on the daemon's event loop, all
 * searches go out at once, all values come back in one GetSecrets, and one
 * time limit bounds the whole batch.
 *
 * The outcome follows design.md §2.6: every pair is looked at before
 * deciding; locked vaults win over missing secrets; a value that is not
 * UTF-8 text (or holds a NUL) is wiped and fails the batch, naming it. */

typedef struct SecretWanted {
        const char *name;
        const char *profile;
        const char *collection; /* an alias ("login") or the collection's path name; NULL: any */
} SecretWanted;

typedef enum FetchOutcome {
        FETCH_OK,
        FETCH_VAULTS_LOCKED,   /* locked_profiles */
        FETCH_NOT_FOUND,       /* missing, missing_count */
        FETCH_UNAVAILABLE,     /* reason */
        FETCH_INVALID_VALUE,   /* invalid_name, invalid_profile */
} FetchOutcome;

typedef struct FetchResult {
        FetchOutcome outcome;
        char **values;           /* FETCH_OK: one per wanted secret, secure buffers, wiped after the callback */
        char **locked_profiles;  /* de-duplicated, in request order */
        unsigned missing_count;
        const size_t *missing;   /* FETCH_NOT_FOUND: which of the wanted ones (indexes, in order) */
        const char *reason;
        const char *invalid_name, *invalid_profile;
        const char *algorithm;   /* the session's */
} FetchResult;

/* Called once. The values are wiped and freed when it returns: copy them
 * where they go (the child's environment map) and nowhere else. */
typedef void (*secret_fetch_done_t)(const FetchResult *r, void *userdata);

typedef struct SecretFetch SecretFetch;

int secret_fetch_start(SecretFetch **ret, sd_bus *bus, sd_event *event, const SecretWanted *wanted, size_t n,
                       uint64_t timeout_usec, secret_fetch_done_t done, void *userdata);
/* Stops a fetch whose callback has not run (it will not); wipes all. */
SecretFetch *secret_fetch_cancel(SecretFetch *f);
