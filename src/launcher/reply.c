/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"
#include "ipc/proto.h"
#include "launcher/reply.h"

char *reply_json(json_t *o) {
        char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
        json_decref(o);
        return s;
}

static json_t *actions_to_json(const DesktopEntry *d) {
        json_t *a = json_array();
        for (size_t i = 0; a && i < d->n_actions; i++)
                json_array_append_new(a, json_pack("{s:s,s:s,s:s?}", "id", d->actions[i].id, "name",
                                                   d->actions[i].name, "icon", d->actions[i].icon));
        return a;
}

static json_t *entry_json(const DesktopEntry *d) {
        return json_pack("{s:s,s:s,s:s?,s:s?,s:s?,s:o*,s:o*,s:b,s:s?,s:o*,s:s,s:s,s:b,s:b,s:o*}", "id", d->id, "name",
                         d->name, "generic_name", d->generic_name, "comment", d->comment, "icon", d->icon, "keywords",
                         json_strv(d->keywords), "categories", json_strv(d->categories), "terminal", d->terminal,
                         "path", d->path, "exec", json_strv(d->argv), "exec_raw", d->exec, "file", d->file,
                         "no_display", d->no_display, "program_missing", d->program_missing, "actions",
                         actions_to_json(d));
}

json_t *entries_page(const EntryCache *c, bool all, const char *desktop, size_t offset, size_t limit) {
        json_t *array = json_array();
        size_t total = 0;
        for (size_t i = 0; array && i < entry_cache_size(c); i++) {
                const DesktopEntry *d = entry_cache_at(c, i);
                if (!all && !desktop_entry_listed(d, desktop))
                        continue;
                /* Counted, and built only when on the page. */
                if (total++ < offset || (limit > 0 && json_array_size(array) >= limit))
                        continue;
                json_t *o = entry_json(d);
                if (!o || json_array_append_new(array, o) < 0) {
                        json_decref(array);
                        return NULL;
                }
        }
        if (!array)
                return NULL;
        size_t next = offset + json_array_size(array);
        json_t *next_offset = next < total ? json_integer((json_int_t) next) : json_null();
        return json_pack("{s:o,s:I,s:o*}", "entries", array, "total", (json_int_t) total, "next_offset", next_offset);
}

char *reply_denial(const Denial *d) {
        char message[1024];
        denial_format(d, message, sizeof(message));
        json_t *o = json_pack("{s:s,s:s}", "error", denial_name(d->kind), "message", message);
        const struct {
                const char *key, *value;
        } fields[] = {
                { "entry_id", d->entry_id },       { "profile", d->profile }, { "launch_profile", d->launch_profile },
                { "secret", d->secret },           { "variable", d->variable }, { "reason", d->reason },
        };
        for (size_t i = 0; o && i < ELEMENTSOF(fields); i++)
                if (fields[i].value)
                        json_object_set_new(o, fields[i].key, json_string(fields[i].value));
        if (o && d->kind == DENIAL_LAUNCH_PROFILE_NOT_FOUND)
                json_object_set_new(o, "profiles", json_strv(d->known));
        if (o && d->kind == DENIAL_ENTRY_NOT_FOUND && !d->reason)
                json_object_set_new(o, "suggestions", json_strv(d->known));
        if (o && d->config_errors > 0)
                json_object_set_new(o, "config_errors", json_integer((json_int_t) d->config_errors));
        return reply_json(o);
}

char *reply_error(const char *name, const char *message) {
        /* A message may quote what a client sent or a file held: made
         * UTF-8 here, so that it can always be sent. */
        _cleanup_free_ char *text = utf8_sanitize(message ? message : name);
        return reply_json(json_pack("{s:s,s:s}", "error", name, "message", text ? text : name));
}

const char *reply_unserializable(void) {
        return "{\"error\":\"InternalError\",\"message\":\"the launcher could not make its reply (out of "
               "memory, or text that is not UTF-8)\"}";
}

static json_t *instance_json(const LaunchedInstance *in) {
        return json_pack("{s:i,s:s?,s:b}", "pid", (int) in->pid, "unit", in->unit, "via_scope", in->via_scope);
}

char *reply_launched(const LaunchedInstance *instances, size_t n) {
        json_t *started = json_array();
        const LaunchedInstance *failed = NULL;
        size_t n_failed = 0;
        for (size_t i = 0; started && i < n; i++) {
                if (instances[i].error) {
                        failed = failed ?: &instances[i];
                        n_failed++;
                } else if (json_array_append_new(started, instance_json(&instances[i])) < 0)
                        started = (json_decref(started), NULL);
        }
        if (!started)
                return NULL;
        if (failed) {
                char message[1024];
                if (n > 1)
                        utf8_snprintf(message, sizeof(message), "%zu of %zu instances not started: %s", n_failed, n,
                                      failed->error);
                else
                        utf8_snprintf(message, sizeof(message), "%s", failed->error);
                _cleanup_free_ char *text = utf8_sanitize(message);
                return reply_json(json_pack("{s:s,s:s,s:o}", "error", "SpawnFailed", "message",
                                            text ? text : "SpawnFailed", "instances", started));
        }
        json_t *o = instance_json(&instances[0]);
        if (o && json_object_set_new(o, "instances", started) < 0)
                o = (json_decref(o), NULL);
        else if (!o)
                json_decref(started);
        return reply_json(o);
}

char *reply_plan(const LaunchPlan *p) {
        json_t *names = json_array(), *secrets = json_array();
        for (char **a = p->environment; names && *a; a++) {
                /* Names only: values may be private even when not secrets. */
                json_array_append_new(names, json_stringn(*a, strcspn(*a, "=")));
        }
        for (char **a = p->implicit; names && *a; a++)
                json_array_append_new(names, json_stringn(*a, strcspn(*a, "=")));
        for (size_t i = 0; secrets && i < p->n_secrets; i++)
                json_array_append_new(secrets, json_pack("{s:s,s:s,s:s}", "name", p->secrets[i].name, "profile",
                                                         p->secrets[i].profile, "variable", p->secrets[i].variable));
        json_t *instances = json_array();
        for (char ***a = p->argvs; instances && *a; a++)
                json_array_append_new(instances, json_strv(*a));
        /* The unit settings as written: "MemoryMax=4G". */
        json_t *unit = json_array();
        for (size_t i = 0; unit && i < p->n_unit_properties; i++) {
                char *setting = NULL;
                if (asprintf(&setting, "%s=%s", p->unit_properties[i].setting, p->unit_properties[i].text) >= 0)
                        json_array_append_new(unit, json_string(setting));
                free(setting);
        }
        return reply_json(json_pack("{s:b,s:s,s:s?,s:b,s:s,s:s,s:o*,s:o*,s:s?,s:s?,s:o*,s:o*,s:s?,s:o*,s:b,s:b,s:s}",
                                    "dry_run", 1, "entry_id", p->entry_id, "action", p->action, "command", p->command, "profile",
                                    p->profile, "description", p->description, "argv", json_strv(p->argvs[0]), "instances",
                                    instances, "cwd", p->cwd, "devshell", p->devshell, "variables", names, "secrets",
                                    secrets, "slice", p->slice, "unit_properties", unit, "strict", p->strict, "single",
                                    p->single, "unit_type", p->service ? "service" : "scope"));
}

char *reply_vaults_locked(char *const *profiles, const char *reason) {
        char message[1024];
        size_t n = (size_t) snprintf(message, sizeof(message), "vaults locked:");
        for (char *const *p = profiles; p && *p && n < sizeof(message); p++)
                n += (size_t) snprintf(message + n, sizeof(message) - n, "%s %s", p == profiles ? "" : ",", *p);
        if (n < sizeof(message))
                n += (size_t) snprintf(message + n, sizeof(message) - n, "%s%s; unlock them all, then retry",
                                       reason ? " — " : "", reason ? reason : "");
        return reply_json(json_pack("{s:s,s:o*,s:s,s:s*}", "error", "VaultsLocked", "locked_profiles",
                                    json_strv(profiles), "message", message, "reason", reason));
}

char *reply_secret_service_unreachable(int error) {
        char reason[256];
        snprintf(reason, sizeof(reason), "cannot reach the Secret Service: %s", strerror(-error));
        return reply_error("SecretServiceUnavailable", reason);
}

char *reply_secret_not_found(const PlanSecret *secrets, const size_t *missing, unsigned n_missing) {
        json_t *list = json_array();
        char names[600] = "", message[1024];
        size_t used = 0;
        for (unsigned i = 0; list && i < n_missing; i++) {
                const PlanSecret *s = &secrets[missing[i]];
                if (json_array_append_new(list, json_pack("{s:s,s:s}", "name", s->name, "profile", s->profile)) < 0)
                        list = (json_decref(list), NULL);
                if (used < sizeof(names))
                        used += (size_t) snprintf(names + used, sizeof(names) - used, "%s%s (trust profile %s)",
                                                  i == 0 ? "" : ", ", s->name, s->profile);
        }
        if (!list)
                return NULL;
        /* What to run: for one, the very command. */
        const PlanSecret *first = &secrets[missing[0]];
        bool default_profile = strcmp(first->profile, CONFIG_DEFAULT_PROFILE) == 0;
        if (n_missing == 1)
                utf8_snprintf(message, sizeof(message), "secret %s is not stored; store it: sesame secret set%s%s %s",
                              names, default_profile ? "" : " --profile ", default_profile ? "" : first->profile,
                              first->name);
        else
                utf8_snprintf(message, sizeof(message),
                              "%u secrets are not stored: %s; store each: sesame secret set [--profile PROFILE] "
                              "NAME (see: sesame secret list)",
                              n_missing, names);
        return reply_json(json_pack("{s:s,s:I,s:o,s:s}", "error", "SecretNotFound", "missing_count",
                                    (json_int_t) n_missing, "missing", list, "message", message));
}

char *reply_secret_invalid(const char *name, const char *profile) {
        char message[512];
        snprintf(message, sizeof(message), "secret %s of trust profile %s is not UTF-8 text without NUL; store it again",
                 name, profile);
        return reply_json(json_pack("{s:s,s:s,s:s,s:s}", "error", "SecretInvalid", "secret", name, "profile", profile,
                              "message", message));
}

static json_t *app_json(const App *a, const char *wm_class) {
        json_t *o = json_pack("{s:s?,s:i,s:s?,s:s?,s:s?,s:o*,s:s?}", "unit", a->unit, "pid", (int) a->pid, "entry_id",
                              a->entry_id, "action", a->action, "profile", a->profile, "tags", json_strv(a->tags),
                              "wm_class", wm_class);
        /* Unknown is null: no record, or a manager without that controller. */
        if (o)
                json_object_set_new(o, "started_usec", a->started_usec ? json_integer((json_int_t) a->started_usec)
                                                                       : json_null());
        if (o)
                json_object_set_new(o, "memory_bytes", a->memory_bytes != UINT64_MAX
                                                               ? json_integer((json_int_t) a->memory_bytes)
                                                               : json_null());
        if (o)
                json_object_set_new(o, "cpu_nsec", a->cpu_nsec != UINT64_MAX ? json_integer((json_int_t) a->cpu_nsec)
                                                                             : json_null());
        return o;
}

char *reply_apps(const App *apps, const char *const *wm_classes, size_t n) {
        json_t *a = json_array();
        for (size_t i = 0; a && i < n; i++)
                if (json_array_append_new(a, app_json(&apps[i], wm_classes[i])) < 0)
                        a = (json_decref(a), NULL);
        return reply_json(json_pack("{s:o*}", "apps", a));
}

char *reply_already_running(const App *app) {
        LaunchedInstance in = { .pid = app->pid, .unit = app->unit, .via_scope = app->unit != NULL };
        json_t *o = instance_json(&in), *list = json_array();
        if (o && list && json_array_append_new(list, instance_json(&in)) == 0)
                json_object_set_new(o, "instances", list);
        else
                json_decref(list);
        if (o)
                json_object_set_new(o, "already_running", json_true());
        return reply_json(o);
}

static json_t *units_json(const App *apps, size_t n) {
        json_t *a = json_array();
        for (size_t i = 0; a && i < n; i++)
                json_array_append_new(a, json_pack("{s:s?,s:i}", "unit", apps[i].unit, "pid", (int) apps[i].pid));
        return a;
}

char *reply_stopped(const App *apps, size_t n) {
        return reply_json(json_pack("{s:o*}", "stopped", units_json(apps, n)));
}

char *reply_ambiguous(const App *apps, size_t n) {
        return reply_json(json_pack("{s:s,s:s,s:o*}", "error", "Ambiguous", "message",
                                    "several apps match; name one, or stop them all with --all", "matches",
                                    units_json(apps, n)));
}

char *reply_exited_at_once(const char *sentence, json_t *details) {
        json_t *o = details ? details : json_object();
        if (o && (json_object_set_new(o, "error", json_string("ExitedAtOnce")) < 0 ||
                  json_object_set_new(o, "message", json_string(sentence ? sentence : "the app exited at once")) < 0))
                o = (json_decref(o), NULL);
        return reply_json(o);
}
