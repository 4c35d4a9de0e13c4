/* SPDX-License-Identifier: MIT */
#pragma once

#include <stddef.h>

#include "common/macro.h"

/* A map from strings to pointers, open addressing with linear probing. Keys
 * are borrowed: they must outlive the map (they usually live in the value). */
typedef struct StrMap StrMap;

StrMap *strmap_new(void);
StrMap *strmap_free(StrMap *m);
DEFINE_TRIVIAL_CLEANUP_FUNC(StrMap *, strmap_free);

/* 0 added, 1 already there (value unchanged), -ENOMEM. */
int strmap_put(StrMap *m, const char *key, void *value);
void *strmap_get(const StrMap *m, const char *key);
