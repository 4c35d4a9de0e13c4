/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "common/error.h"

/* The environment of one child, owned by exactly the code that builds and
 * spawns it. Each variable is stored once, as a "KEY=VALUE" string, and the
 * envp handed to exec points at those strings: the map is the only copy of
 * every value in this process, so wiping it wipes them all.
 *
 * Reference-counted so that a test can keep the map alive past the spawn
 * engine's unref and check that the values really are zero. */
typedef struct EnvMap EnvMap;

/* Upper bounds checked before allocating: a launch never needs more. */
#define ENV_MAP_MAX_VARS 4096
#define ENV_MAP_MAX_ASSIGNMENT (128 * 1024)

int env_map_new(EnvMap **ret);
EnvMap *env_map_ref(EnvMap *m);
/* Wipes every value before freeing when the last reference goes. */
EnvMap *env_map_unref(EnvMap *m);
DEFINE_TRIVIAL_CLEANUP_FUNC(EnvMap *, env_map_unref);

bool env_name_is_valid(const char *name, size_t len);

/* A later set of the same name replaces the value (the old one is wiped). */
int env_map_set(EnvMap *m, const char *name, const char *value, Error *e);
/* The same for a secret's value: its "NAME=VALUE" lives in a secure
 * buffer (locked, undumpable pages of its own; secure.h). */
int env_map_set_secret(EnvMap *m, const char *name, const char *value, Error *e);
/* "NAME=VALUE" */
int env_map_put(EnvMap *m, const char *assignment, Error *e);
/* Every valid NAME=VALUE of a NULL-terminated array such as environ. */
int env_map_import(EnvMap *m, char *const *assignments);
/* The same, leaving out the names in `except` (NULL-terminated; "NAME_*"
 * leaves out every name that starts with NAME_). */
int env_map_import_except(EnvMap *m, char *const *assignments, char *const *except);

const char *env_map_get(const EnvMap *m, const char *name);
size_t env_map_size(const EnvMap *m);
/* The i-th "NAME=VALUE" in insertion order (replacements keep their place). */
const char *env_map_entry(const EnvMap *m, size_t i);

/* NULL-terminated array of the map's own strings, valid until the map
 * changes; not a copy. */
char **env_map_envp(EnvMap *m);

/* Overwrites every string and the envp array with zeros, keeping the
 * allocations so the map can still be inspected; afterwards the map is empty
 * to every lookup. */
void env_map_wipe(EnvMap *m);
