/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/picker.h"
#include "common/path.h"
#include "config/launcher-conf.h"

static bool on_terminal(void) {
        return isatty(STDIN_FILENO) && isatty(STDERR_FILENO);
}

char *picker_choose(const char *given) {
        if (given)
                return strdup(given);
        _cleanup_free_ char *path = config_default_path();
        _cleanup_(config_freep) Config *config = NULL;
        if (path && config_load(path, true, &config) >= 0 && config->picker)
                return strdup(config->picker);
        bool wayland = getenv("WAYLAND_DISPLAY") && *getenv("WAYLAND_DISPLAY");
        bool x11 = getenv("DISPLAY") && *getenv("DISPLAY");
        static const struct {
                const char *program, *command;
                bool wayland, x11;
        } known[] = {
                { "fuzzel", "fuzzel --dmenu", true, false }, { "wofi", "wofi --dmenu", true, false },
                { "rofi", "rofi -dmenu", false, true },      { "bemenu", "bemenu", true, true },
                { "tofi", "tofi", true, false },
        };
        for (size_t i = 0; i < ELEMENTSOF(known); i++) {
                if (!((known[i].wayland && wayland) || (known[i].x11 && x11)))
                        continue;
                _cleanup_free_ char *exe = path_find_executable(known[i].program);
                if (exe)
                        return strdup(known[i].command);
        }
        _cleanup_free_ char *fzf = on_terminal() ? path_find_executable("fzf") : NULL;
        return fzf ? strdup("fzf") : NULL;
}
