/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "common/env-map.h"
#include "config/launcher-conf.h"
#include "desktop/entries.h"

/* From "the client named an entry and some tags" to what the spawn engine
 * needs: a pure function of (entry cache, configuration, request), with no
 * I/O. Secret values are not fetched here; the plan lists which (secret
 * name, trust profile) pairs the launch needs, and plan_environment() puts
 * the values in when the Secret Service has answered. */

typedef struct LaunchRequest {
        /* What to launch: an entry (entry_id) or a command, exactly one. */
        const char *entry_id;    /* an ID (entry_cache_resolve), ID:ACTION, or an entry file's absolute path */
        const char *action;      /* a desktop action of the entry, or NULL */
        char *const *command;    /* an argv, or NULL */
        const char *entry_hint;  /* with command: the entry the picker said the command is for, or NULL */
        bool recognize;          /* with command: the one entry or action whose Exec (codes removed) it is
                                  * launches that entry instead */
        const char *profile;     /* trust profile; NULL: the configuration's DefaultProfile */
        char *const *tags;       /* "name" or "trust:name"; may be NULL */
        char *const *args;       /* files or URLs for %f %F %u %U, else appended; may be NULL */
        const char *cwd;         /* the client's directory, for relative paths among args; or NULL */
        bool single;             /* one instance of the entry at a time (or a tag's Single=yes) */
        bool service;            /* in a transient service (or a tag's UnitType=service) */
        /* The client may pass only files and URLs, to an entry whose Exec
         * takes them, never an option: the `launch` clearance. */
        bool files_only;
        const char *socket_path; /* SESAME_SOCKET, or NULL */
} LaunchRequest;

typedef enum DenialKind {
        DENIAL_NONE,
        DENIAL_ENTRY_NOT_FOUND,          /* entry_id */
        DENIAL_PROFILE_NOT_FOUND,        /* profile */
        DENIAL_LAUNCH_PROFILE_NOT_FOUND, /* profile, launch_profile, known */
        DENIAL_PROFILE_INVALID,          /* profile, launch_profile (NULL: the trust profile), reason: its error */
        DENIAL_SECRET_VARIABLE_DENIED,   /* secret, variable */
        DENIAL_FORBIDDEN,                /* reason: the client's clearance does not allow it */
        DENIAL_INVALID_ARGUMENTS,        /* reason: the arguments do not fit the entry */
        _DENIAL_MAX,
} DenialKind;

typedef struct Denial {
        DenialKind kind;
        char *entry_id;
        char *profile;
        char *launch_profile;
        char *secret;
        char *variable;
        char *reason;
        char **known;           /* LaunchProfileNotFound: the trust profile's launch profiles;
                                 * EntryNotFound: the entries that come closest (did you mean) */
        size_t config_errors;   /* the configuration's errors in force: one may be why */
} Denial;

/* "EntryNotFound", "ProfileNotFound", ... as the protocol names them. */
const char *denial_name(DenialKind kind);
/* A sentence a person can act on. */
int denial_format(const Denial *d, char *buf, size_t size);
void denial_done(Denial *d);
/* A trust profile that exists and that the configuration did not leave
 * out: 0, else 1 with the denial filled in (or -ENOMEM). */
int plan_check_trust(const Config *config, const char *trust, Denial *denial);

typedef struct PlanSecret {
        char *name;     /* as in Secret= */
        char *profile;  /* the trust profile it is fetched from */
        char *variable; /* github-token -> GITHUB_TOKEN */
} PlanSecret;

typedef struct LaunchPlan {
        char *entry_id;      /* resolved; for a command, its program's basename */
        char *entry_file;    /* the entry's desktop file, or NULL for a command */
        char *action;        /* the desktop action, or NULL */
        bool command;        /* a command launch */
        char *description;   /* the entry's name ("Name — Action name"), or the command: the scope's
                              * Description= */
        char *profile;       /* the request's trust profile */
        char ***argvs;       /* one argv per instance: terminal, devshell wrapping, the entry's
                              * Exec with the arguments in place (several for %f or %u with
                              * several arguments, exec_expand) */
        char *cwd;           /* last tag's WorkingDirectory, else the entry's Path= (for a command the
                              * client's directory), else NULL */
        char *devshell;      /* last tag's Devshell, or NULL */
        char **environment;  /* "NAME=VALUE" of the profiles, merged: one per name, a later tag wins */
        PlanSecret *secrets; /* de-duplicated per (name, trust profile), in order */
        size_t n_secrets;
        char **implicit;     /* SESAME_PROFILE, SESAME_APP_ID, SESAME_SOCKET, and for an entry
                              * GIO_LAUNCHED_DESKTOP_FILE as GLib sets it (with
                              * GIO_LAUNCHED_DESKTOP_FILE_PID, which the spawner fills) */
        char *slice;         /* the last tag's Slice=, else the configuration's */
        UnitProperty *unit_properties; /* [Launcher]'s PartOf=/After=, then each tag's, the later winning
                                        * per setting */
        size_t n_unit_properties;
        bool strict;         /* the last tag's Strict=: a refused property fails the launch */
        AppOutput output;    /* the last tag's Output=, else the configuration's */
        bool stdout_journal; /* the last tag's StandardOutput=journal */
        bool single;         /* the request's, or any tag's Single=yes */
        bool service;        /* a transient service: the request's --service, else the last tag's
                              * UnitType=, else the configuration's */
} LaunchPlan;

#define SECRET_NAME_MAX 128

/* Secret name to variable: upper-case, '-' to '_'. */
int secret_variable_name(const char *secret, char buf[static SECRET_NAME_MAX + 1]);
/* Whether a variable may be set from a secret (case-insensitive deny list:
 * LD_*, DYLD_*, PATH, HOME, BASH_FUNC_*, SESAME_*, ...). */
bool secret_variable_allowed(const char *variable);

/* 0 and a plan, or 1 and a denial (nothing allocated in *ret), or -ENOMEM. */
int launch_plan_build(const EntryCache *entries, const Config *config, const LaunchRequest *req, LaunchPlan **ret,
                      Denial *denial);
LaunchPlan *launch_plan_free(LaunchPlan *p);
DEFINE_TRIVIAL_CLEANUP_FUNC(LaunchPlan *, launch_plan_free);

/* The child's environment, in this order, each step overriding the one
 * before: `base` (NAME=VALUE strings) without what the service manager
 * set for the launcher's own service (NOTIFY_SOCKET, LISTEN_FDS,
 * INVOCATION_ID, JOURNAL_STREAM...) and what launchers set about the app
 * they launched (GIO_LAUNCHED_DESKTOP_FILE, DESKTOP_STARTUP_ID, ...: the
 * session's copy is about some other app), the plan's environment, the secrets
 * (`secret_values[i]` for plan->secrets[i]; may be NULL when there are none),
 * the implicit variables. */
int plan_environment(const LaunchPlan *p, char *const *base, char *const *secret_values, EnvMap **ret, Error *e);
