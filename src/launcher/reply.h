/* SPDX-License-Identifier: MIT */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <sys/types.h>

#include "desktop/entries.h"
#include "launcher/apps.h"
#include "launcher/plan.h"

/* The launcher's replies as JSON (docs/protocol.md). Every builder returns a
 * new string (or json_t) and never puts a secret value in it. */

/* {"entries":[{"id","name","exec":[...],"exec_raw","file",...}...],
 * "total":N,"next_offset":M or null}: `all`, every entry (else those
 * desktop_entry_listed() for `desktop`); of those, `limit` (0: all) from
 * the `offset`-th on; next_offset is where the next page starts. */
json_t *entries_page(const EntryCache *c, bool all, const char *desktop, size_t offset, size_t limit);

/* {"error":"EntryNotFound","entry_id":...,"message":...} and the like. */
char *reply_denial(const Denial *d);
/* {"error":NAME,"message":MESSAGE} for denials that come from no plan;
 * bytes of MESSAGE that are not UTF-8 become U+FFFD. */
char *reply_error(const char *name, const char *message);
/* The compact JSON text of `o`, which it takes; NULL for NULL or out of memory. */
char *reply_json(json_t *o);
/* The reply sent when a reply could not be made: every request is
 * answered. A constant. */
const char *reply_unserializable(void);
/* {"error":"VaultsLocked","locked_profiles":[...],"message":...[,"reason":...]} */
char *reply_vaults_locked(char *const *profiles, const char *reason);
/* {"error":"SecretServiceUnavailable","message":"cannot reach the Secret
 * Service: ..."}: the session bus could not be had (`error`, negative). */
char *reply_secret_service_unreachable(int error);
/* {"error":"SecretNotFound","missing_count":N,"missing":[{"name","profile"}],"message":...}:
 * the names of the secrets not stored (names are not secret), which of
 * `secrets` the indexes `missing` say. */
/* {"error":"ExitedAtOnce","message":SENTENCE,"pid","status","signal","lines"}:
 * `details` taken. */
char *reply_exited_at_once(const char *sentence, json_t *details);
char *reply_secret_not_found(const PlanSecret *secrets, const size_t *missing, unsigned n_missing);
/* {"error":"SecretInvalid","secret":NAME,"profile":P,"message":...}: names it, never its value */
char *reply_secret_invalid(const char *name, const char *profile);
/* One instance of a launch: started (pid, unit or NULL, via_scope), or
 * not (error, a sentence). */
typedef struct LaunchedInstance {
        pid_t pid;
        const char *unit;
        bool via_scope;
        const char *error;
} LaunchedInstance;
/* All started: {"pid":N,"unit":"..."|null,"via_scope":B,"instances":[{...},...]},
 * the first instance also at the top. Any not started: {"error":
 * "SpawnFailed","message":...,"instances":[the started ones]}. */
char *reply_launched(const LaunchedInstance *instances, size_t n);
/* {"dry_run":true,"entry_id",...,"argv",...,"instances":[argv,...],"cwd",
 *  "description","variables":[names],"secrets":[{"name","profile","variable"}]} */
char *reply_plan(const LaunchPlan *p);

/* {"apps":[{"unit"|null,"pid","entry_id"|null,"action","profile","tags":[...],
 * "started_usec"|null,"memory_bytes"|null,"cpu_nsec"|null}...]} */
/* `wm_classes[i]`: the StartupWMClass= of apps[i]'s entry, or NULL. */
char *reply_apps(const App *apps, const char *const *wm_classes, size_t n);
/* --single found the entry running: {"pid","unit","via_scope","already_running":true,"instances":[...]} */
char *reply_already_running(const App *app);
/* {"stopped":[{"unit","pid"}...]} */
char *reply_stopped(const App *apps, size_t n);
/* Stop matched several and stopped none: {"error":"Ambiguous","message","matches":[{"unit","pid"}...]} */
char *reply_ambiguous(const App *apps, size_t n);
