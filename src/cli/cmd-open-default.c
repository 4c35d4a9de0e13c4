/* SPDX-License-Identifier: MIT */
/* sesame open --set-default and --unset-default: sesame's handler
 * (sesame-open.desktop) made the first default of a type in the user's
 * mimeapps.list, the defaults that were there kept after it — where the
 * user sees them and changes them, and where sesame open finds them:
 * resolving, it passes over its own handler. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "common/fileio.h"
#include "common/strv.h"
#include "desktop/keyfile.h"
#include "desktop/mime-type.h"
#include "desktop/mimeapps.h"

#define WHO "sesame open"
#define OPENER "sesame-open.desktop"
#define GROUP_DEFAULT "Default Applications"

/* $XDG_CONFIG_HOME/mimeapps.list (~/.config/mimeapps.list): the file of
 * the user's choices, first in the MIME Applications Associations' order. */
static char *user_mimeapps(char **ret_dir) {
        const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
        char *dir = NULL, *path = NULL;
        if (xdg && xdg[0] == '/')
                dir = strdup(xdg);
        else if (home && home[0] == '/' && asprintf(&dir, "%s/.config", home) < 0)
                dir = NULL;
        if (dir && asprintf(&path, "%s/mimeapps.list", dir) < 0)
                path = NULL;
        *ret_dir = dir;
        return path;
}

/* The type's new defaults: ours first (or, unsetting, ours gone), the
 * others as they were. NULL for none. */
static char *new_defaults(const char *old, bool set) {
        _cleanup_(strv_freep) char **ids = old ? keyfile_split_list(old) : calloc(1, sizeof(char *));
        _cleanup_(strv_freep) char **kept = calloc(1, sizeof(char *));
        if (!ids || !kept || (set && strv_push(&kept, strdup(OPENER)) < 0))
                return NULL;
        for (char **id = ids; *id; id++)
                if (**id && strcmp(*id, OPENER) != 0 && strv_push(&kept, strdup(*id)) < 0)
                        return NULL;
        if (!kept[0])
                return strdup("");
        _cleanup_free_ char *joined = strv_join(kept, ";");
        char *value = NULL;
        return joined && asprintf(&value, "%s;", joined) >= 0 ? value : NULL;
}

static int say_oom(void) {
        fprintf(stderr, WHO ": out of memory\n");
        return 1;
}

int open_set_default(char **types, bool set) {
        const char *option = set ? "--set-default" : "--unset-default";
        if (!types || !types[0]) {
                fprintf(stderr, WHO ": %s needs the types, e.g. x-scheme-handler/http x-scheme-handler/https\n",
                        option);
                return EXIT_USAGE;
        }
        for (char **t = types; *t; t++)
                if (!mime_type_name_valid(*t, false)) {
                        fprintf(stderr, WHO ": %s: '%s' is not a MIME type (media/subtype)\n", option, *t);
                        return EXIT_USAGE;
                }
        _cleanup_free_ char *dir = NULL;
        _cleanup_free_ char *path = user_mimeapps(&dir);
        if (!path) {
                fprintf(stderr, WHO ": neither XDG_CONFIG_HOME nor HOME is an absolute path\n");
                return 1;
        }

        Error e = {};
        _cleanup_free_ char *text = NULL;
        size_t size = 0;
        int r = read_file(path, KEYFILE_MAX_SIZE, 0, &text, &size, &e);
        if (r == -ENOENT)
                r = (text = strdup("")) ? 0 : -ENOMEM;
        _cleanup_(keyfile_freep) Keyfile *k = NULL;
        if (r >= 0)
                r = keyfile_parse(path, text, size, 0, &k, &e);
        if (r < 0) {
                /* Not rewritten: a file we cannot read whole would lose what we did not read. */
                fprintf(stderr, WHO ": %s; not changed\n", r == -ENOMEM ? "out of memory" : error_message(&e));
                return 1;
        }

        for (char **t = types; *t; t++) {
                const char *old = keyfile_get(k, GROUP_DEFAULT, *t);
                _cleanup_free_ char *value = new_defaults(old, set), *edited = NULL;
                if (!value)
                        return say_oom();
                if (strcmp(value, old ?: "") == 0) {
                        printf("%s: %s\n", *t, set ? "sesame opens it already" : "sesame was not its default");
                        continue;
                }
                if (mimeapps_edit(text, GROUP_DEFAULT, *t, *value ? value : NULL, &edited) < 0)
                        return say_oom();
                free(text);
                text = TAKE_PTR(edited);
                const char *rest = set ? value + strlen(OPENER ";") : value;
                printf("%s: %s; %s %s\n", *t, set ? "sesame opens it" : "sesame no longer opens it",
                       set ? "it opens with" : "its defaults:",
                       *rest ? rest : "the default of the system (no other default here)");
        }
        (void) mkdir(dir, 0700);
        if (write_file_atomic(path, text, 0644, &e) < 0) {
                fprintf(stderr, WHO ": %s\n", error_message(&e));
                return 1;
        }
        return 0;
}
