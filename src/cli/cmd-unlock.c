/* SPDX-License-Identifier: MIT */
/* sesame unlock, through the launcher when it runs: the unlock then happens
 * on the launcher's own connection to the Secret Service, which is where a
 * service that grants access per connection (KeePassXC) must see it. With
 * no launcher, sesame-dbus unlocks itself (cmd-secret.c). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "common/strv.h"
#include "config/launcher-conf.h"
#include "ipc/proto.h"

int unlock_through_daemon(char **profiles, bool absent_ok, const char *who) {
        Request req = { .method = REQUEST_UNLOCK, .profiles = profiles };
        _cleanup_free_ char *text = request_format(&req);
        json_t *reply = NULL;
        int r = call_daemon(who, text, &reply, absent_ok);
        if (r != 0)
                return r;
        size_t i;
        json_t *p;
        if (!reply_error_name(reply))
                json_array_foreach(json_object_get(reply, "unlocked"), i, p) printf("unlocked %s\n", json_string_value(p));
        else {
                /* sesame unlock's statuses (sesame(1)): still locked, or 1. */
                r = call_error(who, reply);
                if (r != EXIT_VAULTS_LOCKED)
                        r = 1;
        }
        json_decref(reply);
        return r;
}

int cmd_unlock_front(int argc, char *argv[]) {
        for (int i = 1; i < argc; i++)
                if (argv[i][0] == '-')
                        return DAEMON_ABSENT; /* --help and the like: sesame-dbus answers */
        _cleanup_(strv_freep) char **profiles = NULL;
        if (argc > 1)
                profiles = strv_copy(argv + 1);
        else {
                _cleanup_free_ char *path = config_default_path();
                _cleanup_(config_freep) Config *config = NULL;
                if (!path || config_load(path, true, &config) < 0)
                        return DAEMON_ABSENT; /* sesame-dbus says what is wrong */
                profiles = calloc(2, sizeof(char *));
                if (profiles)
                        profiles[0] = strdup(config->default_profile);
        }
        if (!profiles || !profiles[0])
                return 1;
        return unlock_through_daemon(profiles, true, "sesame unlock");
}
