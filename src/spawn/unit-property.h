/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/error.h"

/* Unit settings a launch profile may give an app's scope, in systemd's own
 * names and syntax (systemd.resource-control(5), systemd.unit(5)), checked
 * when the configuration is read and typed as StartTransientUnit wants
 * them. No sd-bus here: the configuration uses this, the spawn engine puts
 * the properties into its call (systemd-bus.c) or onto systemd-run's
 * command line. */

typedef struct UnitProperty {
        char *setting;        /* as written: "MemoryMax" */
        char *text;           /* the value as written: "4G", for systemd-run -p and the dry run */
        const char *bus_name; /* the D-Bus property: "MemoryMax", "MemoryMaxScale", "CPUQuotaPerSecUSec" */
        char type;            /* 't', 'u', 's', or 'a' (as) */
        uint64_t number;      /* 't' and 'u' */
        char **strings;       /* 's' (one) and 'a' */
} UnitProperty;

/* Whether `setting` is one of ours (MemoryMax, CPUWeight, After, ...). */
bool unit_setting_known(const char *setting);
/* How many settings there are, so at most this many in one launch. */
#define UNIT_PROPERTIES_MAX 11

/* Parses `text` for `setting` into *ret: sizes with K M G T (1024-based),
 * a percentage or "infinity" where systemd takes them, weights 1-10000, a
 * quota "N%", the managed-OOM words, unit names for PartOf=/After=. An
 * error says what is wrong with the value. */
int unit_property_parse(const char *setting, const char *text, UnitProperty *ret, Error *e);
int unit_property_copy(const UnitProperty *p, UnitProperty *ret);
void unit_property_done(UnitProperty *p);
void unit_properties_free(UnitProperty *p, size_t n);

/* Sets or replaces (a later tag wins per setting) `p` in the array. */
int unit_properties_put(UnitProperty **list, size_t *n, const UnitProperty *p);

/* Whether systemd would take `name` as a slice unit: [A-Za-z0-9:_.\-]
 * and \x escapes, ending in ".slice", at most 255, and its dashes a path:
 * no leading, trailing or double dash. */
bool unit_name_is_slice(const char *name);
/* The same for any unit name (with a known type suffix). */
bool unit_name_is_valid(const char *name);
