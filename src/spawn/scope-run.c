/* SPDX-License-Identifier: MIT */
/* systemd-run mode: the child executes systemd-run --user --scope, which
 * ends in sesame-exec --ready: that tells us the scope was made, and
 * executes the program. */
#include <stdio.h>
#include <stdlib.h>

#include "common/log.h"
#include "common/path.h"
#include "common/strv.h"
#include "spawn/spawn-internal.h"

/* The unit settings as systemd-run's -p NAME=VALUE, in systemd's own
 * syntax, as they were written: into `argv` from *n on, the strings in
 * *ret_settings. */
static int settings_argv(const Launch *l, const char **argv, size_t *n, char ***ret_settings, Error *e) {
        if (l->n_properties > UNIT_PROPERTIES_MAX)
                return error_setf(e, -E2BIG, "too many unit settings: at most %d", UNIT_PROPERTIES_MAX);
        _cleanup_(strv_freep) char **settings = calloc(l->n_properties + 1, sizeof(char *));
        if (!settings)
                return error_setf(e, -ENOMEM, "out of memory");
        for (size_t i = 0; i < l->n_properties; i++) {
                if (asprintf(&settings[i], "%s=%s", l->properties[i].setting, l->properties[i].text) < 0) {
                        settings[i] = NULL;
                        return error_setf(e, -ENOMEM, "out of memory");
                }
                argv[(*n)++] = "-p";
                argv[(*n)++] = settings[i];
        }
        *ret_settings = TAKE_PTR(settings);
        return 0;
}

int launch_start_systemd_run(Launch *l, Error *e) {
        Spawner *s = l->spawner;

        _cleanup_free_ char *systemd_run = path_find_executable("systemd-run");
        if (!systemd_run) {
                log_warning("%s: systemd-run not found in PATH; starting it directly", l->entry_id);
                return launch_start_direct(l, e);
        }
        const char *helper = spawner_exec_helper(s);
        if (!helper)
                return error_setf(e, -ENOMEM, "out of memory");

        /* --unit=app-open-sesame-<id>-<pid>.scope: the child writes its own
         * PID into the slot after fork, which is also the app's PID, since
         * systemd-run and sesame-exec exec in place. */
        char prefix[UNIT_NAME_MAX + 1];
        int r = unit_name_prefix(s->unit_names, l->entry_id, prefix);
        if (r < 0)
                return error_setf(e, r, "unit name too long");
        char unit_arg[sizeof("--unit=") + UNIT_NAME_MAX + 1];
        int prefix_len = snprintf(unit_arg, sizeof(unit_arg), "--unit=%s", prefix);
        if (prefix_len < 0 || (size_t) prefix_len + 10 + sizeof(SCOPE_SUFFIX) > sizeof(unit_arg))
                return error_setf(e, -ENAMETOOLONG, "unit name too long");

        _cleanup_free_ char *slice_arg = NULL, *description_arg = NULL;
        if (asprintf(&slice_arg, "--slice=%s", l->slice ? l->slice : "app.slice") < 0 ||
            asprintf(&description_arg, "--description=%s", l->description) < 0)
                return error_setf(e, -ENOMEM, "out of memory");

        const char *prefix_argv[16 + 2 * UNIT_PROPERTIES_MAX];
        size_t n = 0;
        const char *const head[] = { systemd_run, "--user", "--scope", "--quiet", "--collect", unit_arg, slice_arg,
                                     description_arg };
        for (size_t i = 0; i < ELEMENTSOF(head); i++)
                prefix_argv[n++] = head[i];
        _cleanup_(strv_freep) char **settings = NULL;
        if ((r = settings_argv(l, prefix_argv, &n, &settings, e)) < 0)
                return r;
        /* sesame-exec --ready tells us systemd-run got as far as the scope. */
        const char *const tail[] = { "--", helper, "--ready", "--", NULL };
        for (size_t i = 0; i < ELEMENTSOF(tail); i++)
                prefix_argv[n++] = tail[i];
        _cleanup_free_ char **wrapper = launch_helper_argv(l, prefix_argv);
        if (!wrapper)
                return error_setf(e, -ENOMEM, "out of memory");

        l->state = LAUNCH_WRAPPED;
        r = launch_fork(l, systemd_run, wrapper, true, false, unit_arg + prefix_len, SCOPE_SUFFIX, e);
        if (r >= 0)
                r = launch_watch(l, e);
        if (r < 0)
                return r;
        /* The parent's copy of the name, with the same PID. */
        return unit_name_for_scope(s->unit_names, l->entry_id, l->pid, 0, l->unit);
}
