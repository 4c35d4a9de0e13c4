/* SPDX-License-Identifier: MIT */
/* sesame restart: a service-mode app stopped, then launched again as it
 * was (entry, action, trust profile, tags) with an environment composed
 * afresh — secrets read again. Built from the requests that exist: the
 * entry resolved as launch resolves it (a dry run), the apps listed,
 * Stop, Launch. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/call.h"
#include "cli/cli.h"
#include "common/strv.h"
#include "ipc/proto.h"
#include "spawn/unit-name.h"

/* How long a stopped service may take to be gone before the new one. */
#define RESTART_STOP_WAIT_MS 15000

static void restart_help(void) {
        printf("Usage: sesame restart [--all] ENTRY|UNIT|PID\n"
               "\n"
               "Stop an app the launcher started as a transient service (sesame launch\n"
               "--service, or UnitType=service), wait until its unit is gone, and launch\n"
               "it again with the same entry, action, trust profile and tags: its\n"
               "environment is composed afresh, secrets read again from the Secret\n"
               "Service. The files it was first given are not given again. An app in a\n"
               "scope is not restarted: say so, and launch it with --service.\n"
               "\n"
               "Options:\n"
               "      --all         every service that matches (else several are listed)\n"
               "  -h, --help        show this help\n"
               "\n"
               "Exit status: as sesame launch for the new launch; 3 nothing of sesame's\n"
               "matches, or only apps in scopes; 4 several match (without --all); 1 the old\n"
               "one did not stop within 15 s; 14 Forbidden (this needs the secrets\n"
               "clearance).\n");
}

static bool app_matches(json_t *app, const AppTarget *t) {
        const char *unit = json_string_value(json_object_get(app, "unit"));
        const char *id = json_string_value(json_object_get(app, "entry_id"));
        if (t->pid > 0)
                return json_integer_value(json_object_get(app, "pid")) == t->pid;
        if (t->unit)
                return unit && strcmp(unit, t->unit) == 0;
        return id && strcmp(id, t->entry_id) == 0;
}

static bool unit_listed(const char *unit, int *ret_status) {
        json_t *reply = NULL;
        *ret_status = call_checked("sesame restart", "{\"method\":\"List\"}", &reply);
        bool listed = false;
        size_t i;
        json_t *app;
        json_array_foreach(json_object_get(reply, "apps"), i, app) {
                const char *u = json_string_value(json_object_get(app, "unit"));
                listed = listed || (u && strcmp(u, unit) == 0);
        }
        json_decref(reply);
        return listed;
}

static int stop_and_wait(const char *unit) {
        Request req = { .method = REQUEST_STOP, .target = (char *) unit };
        _cleanup_free_ char *text = request_format(&req);
        json_t *reply = NULL;
        int r = text ? call_checked("sesame restart", text, &reply) : 1;
        json_decref(reply);
        if (r != 0)
                return r;
        /* StopUnit answers when the stop is queued; the unit goes when its
         * processes have. */
        for (int waited = 0; waited < RESTART_STOP_WAIT_MS; waited += 20) {
                if (!unit_listed(unit, &r) || r != 0)
                        return r;
                nanosleep(&(struct timespec){ .tv_nsec = 20 * 1000 * 1000 }, NULL);
        }
        fprintf(stderr, "sesame restart: %s did not stop within %d s; not launched again\n", unit,
                RESTART_STOP_WAIT_MS / 1000);
        return 1;
}

/* The app as it was launched, in a service again. */
static int relaunch(json_t *app) {
        json_t *tags = json_object_get(app, "tags"), *v;
        size_t i;
        _cleanup_(strv_freep) char **list = calloc(json_array_size(tags) + 1, sizeof(char *));
        if (!list)
                return 1;
        json_array_foreach(tags, i, v) list[i] = strdup(json_string_value(v) ?: "");
        Request req = {
                .method = REQUEST_LAUNCH,
                .entry_id = (char *) json_string_value(json_object_get(app, "entry_id")),
                .action = (char *) json_string_value(json_object_get(app, "action")),
                .profile = (char *) json_string_value(json_object_get(app, "profile")),
                .tags = list,
                .service = true,
        };
        LaunchOptions o = LAUNCH_OPTIONS_DEFAULT;
        return launch_run(&o, &req);
}

static int restart_matched(json_t **matched, size_t n, size_t n_scopes, const char *target, bool all) {
        if (n == 0) {
                if (n_scopes > 0)
                        fprintf(stderr, "sesame restart: '%s' runs in a scope, which cannot be restarted: only an app "
                                "launched as a service can (sesame launch --service, or UnitType=service)\n", target);
                else
                        fprintf(stderr, "sesame restart: nothing of sesame's runs as '%s' (see: sesame ps)\n", target);
                return 3;
        }
        if (n > 1 && !all) {
                fprintf(stderr, "sesame restart: %zu services match '%s'; name one, or --all:\n", n, target);
                for (size_t i = 0; i < n; i++)
                        fprintf(stderr, "  %s (pid %lld)\n", json_string_value(json_object_get(matched[i], "unit")),
                                (long long) json_integer_value(json_object_get(matched[i], "pid")));
                return 4;
        }
        int status = 0;
        for (size_t i = 0; i < n; i++) {
                const char *unit = json_string_value(json_object_get(matched[i], "unit"));
                int r = stop_and_wait(unit);
                if (r == 0)
                        r = relaunch(matched[i]);
                if (r != 0 && status == 0)
                        status = r;
        }
        return status;
}

int cmd_restart(int argc, char *argv[]) {
        static const struct option options[] = {
                { "all", no_argument, NULL, 'a' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        bool all = false;
        int c;
        while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0) {
                switch (c) {
                case 'a':
                        all = true;
                        break;
                case 'h':
                        restart_help();
                        return 0;
                default:
                        fprintf(stderr, "sesame restart: see 'sesame restart --help'\n");
                        return EXIT_USAGE;
                }
        }
        if (optind + 1 != argc) {
                fprintf(stderr, "sesame restart: name one ENTRY, UNIT or PID (see 'sesame restart --help')\n");
                return EXIT_USAGE;
        }
        const char *target = argv[optind];
        AppTarget t;
        _cleanup_free_ char *entry_id = NULL;
        int r = call_parse_target("sesame restart", target, &t, &entry_id);
        if (r != 0)
                return r;

        json_t *reply = NULL;
        if ((r = call_checked("sesame restart", "{\"method\":\"List\"}", &reply)) != 0)
                return r;
        json_t *apps = json_object_get(reply, "apps"), *app;
        _cleanup_free_ json_t **matched = calloc(json_array_size(apps) + 1, sizeof(json_t *));
        size_t n = 0, n_scopes = 0, i;
        json_array_foreach(apps, i, app) {
                if (!matched || !app_matches(app, &t))
                        continue;
                if (unit_name_is_service(json_string_value(json_object_get(app, "unit"))))
                        matched[n++] = app;
                else
                        n_scopes++;
        }
        r = matched ? restart_matched(matched, n, n_scopes, target, all) : 1;
        json_decref(reply);
        return r;
}
