/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "spawn/scope-mode.h"
#include "spawn/unit-name.h"
#include "spawn/unit-property.h"

/* The launcher's configuration, $XDG_CONFIG_HOME/sesame/launcher.conf, in
 * keyfile syntax (with " # comments" after values):
 *
 *   [Launcher]                 DefaultProfile= Scope= Slice= Terminal=
 *                              AllowEphemeralClients= SecretTimeoutSec=
 *                              ScopeTimeoutSec= UnlockOnLaunch= UnlockTimeoutSec=
 *                              UnitNames= History= HistoryHalfLifeDays= Picker=
 *                              PartOf= After= (for every app's scope)
 *   [TrustProfile NAME]        Collection=
 *   [LaunchProfile NAME]       of trust profile "default"
 *   [LaunchProfile TRUST:NAME] of trust profile TRUST
 *                              Environment= Secret= Devshell= WorkingDirectory=
 *                              Slice= Description= Strict= Single= and the
 *                              unit settings of unit-property.h
 *   [Open NAME]                a rule of sesame open: Match= MimeType= From=
 *                              (what it applies to) Entry= Action= Tags= Ask=
 *
 * Environment= and Secret= follow systemd.exec(5): space-separated words
 * with double or single quotes and C escapes, repeated lines accumulate, an
 * empty assignment resets the list.
 *
 * A file with errors still serves with every valid part: a [Launcher] key
 * in error keeps its default, a profile with an error is left out (its
 * `invalid` holds the first one), and the errors in force are listed. */

/* Where an app's stderr goes (Output=): its own journal stream, the
 * launcher's stderr, or nowhere. */
typedef enum AppOutput {
        APP_OUTPUT_JOURNAL,
        APP_OUTPUT_INHERIT,
        APP_OUTPUT_NULL,
        _APP_OUTPUT_MAX,
        APP_OUTPUT_UNSET = -1,
} AppOutput;

/* What the app runs in (UnitType=): a transient scope the launcher puts
 * its process in, or a transient service the user manager starts. */
typedef enum AppUnitType {
        APP_UNIT_SCOPE,
        APP_UNIT_SERVICE,
        _APP_UNIT_TYPE_MAX,
        APP_UNIT_TYPE_UNSET = -1,
} AppUnitType;

typedef struct LaunchProfile {
        char *trust;             /* trust profile */
        char *name;
        char **environment;      /* "NAME=VALUE", in order; later ones win */
        char **secrets;          /* secret names, in order */
        char *devshell;          /* flake reference, or NULL */
        char *working_directory; /* absolute, or NULL */
        char *slice;             /* the scope's slice, or NULL */
        char *description;       /* the scope's Description=, or NULL */
        UnitProperty *unit_properties; /* MemoryMax=, CPUWeight=, ...: one per setting, the last line wins */
        size_t n_unit_properties;
        int strict;              /* Strict=: -1 unset; 1: a property the manager refuses fails the launch */
        int single;              /* Single=: -1 unset; 1: one instance of the entry at a time */
        AppOutput output;        /* Output=, or APP_OUTPUT_UNSET */
        int stdout_journal;      /* StandardOutput=journal: -1 unset; 1: stdout to the journal stream too */
        AppUnitType unit_type;   /* UnitType=, or APP_UNIT_TYPE_UNSET */
        unsigned line;
        char *invalid;           /* left out: "FILE:LINE: message" of its first error, or NULL */
} LaunchProfile;

typedef struct TrustProfile {
        char *name;
        char *collection; /* Secret Service collection (alias or label), or NULL: all */
        char *invalid;    /* left out: "FILE:LINE: message", or NULL */
} TrustProfile;

/* [Open NAME]: where sesame open sends what it matches. Rules are tried in
 * the file's order; the first whose every condition given holds wins. Each
 * condition is a list of fnmatch(3) globs, any of which may match. */
typedef struct OpenRule {
        char *name;
        char **match;      /* Match=: the target as a URL (a file as its file:// URI) */
        char **mime_types; /* MimeType=: the target's type */
        char **from;       /* From=: the entry ID of the app that asked */
        char *entry;       /* Entry=: the app, or NULL for the type's default */
        char *action;      /* Action=: a desktop action of it, or NULL */
        char **tags;       /* Tags=: the launch profiles the app gets */
        bool ask;          /* Ask=: the person picks among the type's apps */
        unsigned line;
        char *invalid;     /* left out: "FILE:LINE: message", or NULL */
} OpenRule;

typedef struct Config {
        char *path; /* where it was read from, or NULL for the built-in defaults */
        char *default_profile;
        ScopeMode scope;
        char *slice;
        char **terminal; /* command prepended for Terminal=true entries */
        bool allow_ephemeral_clients; /* unknown client keys get the launch clearance */
        uint64_t secret_timeout_usec; /* for one launch's secrets (SecretTimeoutSec=, default 5 s) */
        bool unlock_on_launch;        /* sesame launch unlocks locked vaults and tries again */
        UnitNameStyle unit_names;     /* UnitNames=seed|xdg */
        UnitProperty *unit_properties; /* PartOf=, After= for every launch */
        size_t n_unit_properties;
        uint64_t scope_timeout_usec;  /* for systemd to make an app's scope (ScopeTimeoutSec=, default 5 s) */
        uint64_t unlock_timeout_usec; /* for a person to answer an unlock prompt (UnlockTimeoutSec=, default 50 s) */
        bool history;                 /* launches are remembered for search (History=, default yes) */
        uint64_t history_half_life_sec; /* a launch counts half after this long (HistoryHalfLifeDays=, 30) */
        char *picker;                 /* sesame menu's picker, a shell command line (Picker=), or NULL */
        uint64_t early_exit_usec;     /* an app that fails within this of its start is reported (EarlyExitSec=, 1 s) */
        AppOutput output;             /* Output= for every app (default journal) */
        AppUnitType unit_type;        /* UnitType= for every app (default scope) */
        TrustProfile *trust_profiles;
        size_t n_trust_profiles;
        LaunchProfile *launch_profiles;
        size_t n_launch_profiles;
        OpenRule *open_rules; /* in the file's order */
        size_t n_open_rules;
        char **errors;    /* "FILE:LINE: message" in line order, or NULL: the errors in force */
} Config;

#define CONFIG_DEFAULT_PROFILE "default"

/* $XDG_CONFIG_HOME/sesame/launcher.conf, or ~/.config/sesame/launcher.conf. */
char *config_default_path(void);

/* The defaults, as with an empty file. */
int config_new_default(Config **ret);
/* Parses a file: always a configuration, with the number of errors in
 * force (listed in its `errors`); negative only when out of memory. A file
 * that cannot be read or trusted is the built-in defaults with that error;
 * `missing_ok`: a file that does not exist is the defaults, no error. */
int config_load(const char *path, bool missing_ok, Config **ret);
int config_parse(const char *path, const char *text, size_t size, Config **ret);
Config *config_free(Config *c);
DEFINE_TRIVIAL_CLEANUP_FUNC(Config *, config_free);

/* A trust profile exists if it has a [TrustProfile] group or any launch
 * profile; "default" always exists. */
bool config_has_trust_profile(const Config *c, const char *trust);
const TrustProfile *config_trust_profile(const Config *c, const char *trust); /* NULL when implicit */
const LaunchProfile *config_launch_profile(const Config *c, const char *trust, const char *name);

/* systemd.exec(5) word splitting, for Environment=, Secret= and Terminal=. */
int config_split_words(const char *value, char ***ret, Error *e);
