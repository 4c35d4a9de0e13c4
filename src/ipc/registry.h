/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdint.h>

#include "common/error.h"
#include "ipc/noise.h"

/* The clients allowed to talk to the launcher: $XDG_CONFIG_HOME/sesame/
 * clients.conf, one group per client,
 *
 *   [Client NAME]
 *   PublicKey=<64 hex digits>
 *   Clearance=launch|secrets
 *
 * "launch" may start applications with tags that carry no secrets;
 * "secrets" may use any tag. The daemon reads the file at every connection,
 * so a change applies from the next one without a restart. */

typedef enum Clearance {
        CLEARANCE_LAUNCH,
        CLEARANCE_SECRETS,
        _CLEARANCE_MAX,
} Clearance;

const char *clearance_to_string(Clearance c);
int clearance_from_string(const char *s); /* Clearance or -EINVAL */

typedef struct RegistryClient {
        char *name;
        uint8_t public_key[NOISE_DHLEN];
        Clearance clearance;
} RegistryClient;

typedef struct Registry {
        char *path;
        RegistryClient *clients;
        size_t n_clients;
} Registry;

/* A missing file is an empty registry. Errors are "FILE:LINE: message". */
int registry_load(const char *path, Registry **ret, Error *e);
/* The same from text (`path` names it in errors). */
int registry_parse(const char *path, const char *text, size_t size, Registry **ret, Error *e);
Registry *registry_free(Registry *r);
DEFINE_TRIVIAL_CLEANUP_FUNC(Registry *, registry_free);

const RegistryClient *registry_find_key(const Registry *r, const uint8_t public_key[NOISE_DHLEN]);
const RegistryClient *registry_find_name(const Registry *r, const char *name);

/* Adds or replaces the client of that name; saves the file atomically. A
 * key has one entry: -EEXIST, naming it, when another client has it. A
 * file in which two clients share a key does not load. */
int registry_authorize(Registry *r, const char *name, const uint8_t public_key[NOISE_DHLEN], Clearance c, Error *e);
/* -ENOENT when there is no such client. */
int registry_revoke(Registry *r, const char *name, Error *e);

bool registry_name_is_valid(const char *name);
