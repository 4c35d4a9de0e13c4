/* SPDX-License-Identifier: MIT */
/* The Open request: for each target, the rule of launcher.conf that takes
 * it (first match), else the default application of its type (mimeapps.h),
 * and the launch profiles it gets. Nothing is started here: sesame open
 * launches what this answers, as sesame launch does. */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/strv.h"
#include "desktop/mime-type.h"
#include "desktop/mimeapps.h"
#include "launcher/open.h"
#include "launcher/reply.h"

/* sesame's own handler (contrib/sesame-open.desktop): never the answer. */
#define OPENER_ID "sesame-open"

/* What an Open works with for one request. */
typedef struct OpenContext {
        Daemon *daemon;
        const Request *req;
        char *caller;     /* the entry ID of the app that asked, or NULL */
        bool skipped_own; /* an opener that would call sesame open again was passed over */
} OpenContext;

/* An entry whose program opens the target the way that brought it here:
 * xdg-open (sesame's drop-in, or the real one with sesame as the default),
 * `sesame open`, `gio open`. Taking it would loop. */
static bool calls_opener(const DesktopEntry *e) {
        char **w = e->exec_words;
        if (!w || !w[0])
                return false;
        const char *program = strrchr(w[0], '/') ? strrchr(w[0], '/') + 1 : w[0];
        if (strcmp(program, "xdg-open") == 0)
                return true;
        return (strcmp(program, "sesame") == 0 || strcmp(program, "gio") == 0) && w[1] && strcmp(w[1], "open") == 0;
}

static bool skip_opener(const DesktopEntry *e, void *userdata) {
        OpenContext *ctx = userdata;
        bool skip = strcmp(e->id, OPENER_ID) == 0 || calls_opener(e);
        ctx->skipped_own |= skip;
        return skip;
}

static bool any_matches(char *const *globs, const char *s) {
        for (char *const *g = globs; s && g && *g; g++)
                if (fnmatch(*g, s, 0) == 0)
                        return true;
        return false;
}

/* The first rule whose every condition holds for the target; a rule its
 * errors left out takes nothing. */
static const OpenRule *rule_for(const OpenContext *ctx, const char *target, const char *type) {
        const Config *c = ctx->daemon->config;
        for (size_t i = 0; i < c->n_open_rules; i++) {
                const OpenRule *r = &c->open_rules[i];
                if (r->invalid)
                        continue;
                if ((r->match && !any_matches(r->match, target)) || (r->mime_types && !any_matches(r->mime_types, type)) ||
                    (r->from && !any_matches(r->from, ctx->caller)))
                        continue;
                return r;
        }
        return NULL;
}

/* The associations as they are now: read again when a file or the entries
 * changed. The MIME database (for aliases) is mapped only meanwhile. */
static int mimeapps_current(Daemon *d, const char *desktops, char *const *data_dirs) {
        if (d->mimeapps && d->mimeapps_generation == d->entries_generation &&
            !mimeapps_outdated(d->mimeapps, data_dirs, desktops))
                return 0;
        MimeApps *m;
        int r = mimeapps_load(data_dirs, desktops, d->entries, &m);
        mime_type_release();
        if (r < 0)
                return r;
        mimeapps_free(d->mimeapps);
        d->mimeapps = m;
        d->mimeapps_generation = d->entries_generation;
        return 0;
}

/* The type's default application; a file is first the file scheme's, as
 * GIO's g_file_query_default_handler() asks. */
static const DesktopEntry *default_for(OpenContext *ctx, const char *target, char *const *types) {
        Daemon *d = ctx->daemon;
        if (strncmp(target, "file:", 5) == 0) {
                char *file_scheme[] = { "x-scheme-handler/file", NULL };
                const DesktopEntry *e = mimeapps_default(d->mimeapps, d->entries, file_scheme, skip_opener, ctx);
                if (e)
                        return e;
        }
        return mimeapps_default(d->mimeapps, d->entries, types, skip_opener, ctx);
}

static json_t *candidates_json(OpenContext *ctx, char *const *types) {
        _cleanup_free_ const DesktopEntry **list = NULL;
        size_t n = 0;
        if (mimeapps_all(ctx->daemon->mimeapps, ctx->daemon->entries, types, skip_opener, ctx, &list, &n) < 0)
                return NULL;
        json_t *a = json_array();
        for (size_t i = 0; a && i < n; i++)
                if (json_array_append_new(a, json_pack("{s:s, s:s}", "id", list[i]->id, "name", list[i]->name)) < 0)
                        a = (json_decref(a), NULL);
        return a;
}

/* "text/x-csrc;text/plain": the type, then those it derives from, as the
 * client read them from the MIME database (the launcher maps none of it). */
static char **split_types(const char *list) {
        _cleanup_(strv_freep) char **types = calloc(1, sizeof(char *));
        for (const char *p = list; types && *p;) {
                size_t n = strcspn(p, ";");
                if (n > 0 && strv_push(&types, strndup(p, n)) < 0)
                        return NULL;
                p += n + (p[n] == ';');
        }
        return types && types[0] ? TAKE_PTR(types) : NULL;
}

/* {"target","type","rule","entry_id","action","tags"[,"candidates"]} or,
 * with no app for it, {"target","type","rule","error","message"}. */
static json_t *resolve_target(OpenContext *ctx, const char *target, const char *given_types) {
        Daemon *d = ctx->daemon;
        const Request *req = ctx->req;
        _cleanup_(strv_freep) char **types = split_types(given_types);
        if (!types)
                return NULL;
        const OpenRule *rule = rule_for(ctx, target, types[0]);
        const char *action = req->entry_id ? req->action : rule ? rule->action : NULL;
        char *const *tags = strv_length(req->tags) > 0 ? req->tags : rule ? rule->tags : NULL;
        bool ask = req->ask || (rule && rule->ask);
        const char *wanted = req->entry_id ?: rule ? rule->entry : NULL;

        const DesktopEntry *e = NULL;
        ctx->skipped_own = false;
        json_t *candidates = ask ? candidates_json(ctx, types) : NULL;
        char message[512] = "";
        const char *error = NULL;
        if (wanted) {
                if (!(e = entry_cache_resolve(d->entries, wanted))) {
                        error = "EntryNotFound";
                        snprintf(message, sizeof(message), "%s%s%s names the entry '%s', which is not installed",
                                 req->entry_id ? "--entry" : "the rule [Open ", req->entry_id ? "" : rule->name,
                                 req->entry_id ? "" : "]", wanted);
                }
        } else if (!(e = default_for(ctx, target, types)) && json_array_size(candidates) == 0) {
                /* Nothing to open with, nor to pick from. */
                error = "NoHandler";
                snprintf(message, sizeof(message), "no application opens %s%s", types[0],
                         ctx->skipped_own ? " but sesame itself (sesame open --unset-default restores the one before)"
                                          : "");
        }

        json_t *o = json_pack("{s:s, s:s, s:s?}", "target", target, "type", types[0], "rule", rule ? rule->name : NULL);
        if (o && error)
                json_object_update_new(o, json_pack("{s:s, s:s}", "error", error, "message", message));
        else if (o)
                json_object_update_new(o, json_pack("{s:s?, s:s?, s:o}", "entry_id", e ? e->id : NULL, "action", action,
                                                    "tags", json_strv(tags)));
        if (o && candidates && !error)
                json_object_set_new(o, "candidates", TAKE_PTR(candidates));
        json_decref(candidates);
        return o;
}

void open_handle(Daemon *d, IpcConnection *c, const Request *req) {
        _cleanup_(strv_freep) char **data_dirs = xdg_data_dirs();
        int r = data_dirs ? mimeapps_current(d, req->desktop, data_dirs) : -ENOMEM;
        if (r < 0)
                return daemon_reply(c, reply_error("InternalError", strerror(-r)));

        OpenContext ctx = { .daemon = d, .req = req, .caller = apps_entry_of_pid(d->apps, ipc_connection_peer(c)->pid) };
        json_t *targets = json_array();
        for (size_t i = 0; targets && req->targets[i]; i++)
                if (json_array_append_new(targets, resolve_target(&ctx, req->targets[i], req->types[i])) < 0)
                        targets = (json_decref(targets), NULL);
        json_t *o = targets ? json_pack("{s:s?, s:o}", "caller", ctx.caller, "targets", targets) : NULL;
        free(ctx.caller);
        daemon_reply(c, reply_json(o));
}
