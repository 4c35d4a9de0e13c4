/* SPDX-License-Identifier: MIT */
#pragma once

#include <stddef.h>

/* The picker sesame menu runs: `given` (--picker), else Picker= of the
 * configuration, else the first installed of the known ones that can show
 * here (fuzzel, wofi, rofi, bemenu, tofi by the display; fzf on a
 * terminal). A new string, or NULL when there is none. sesame doctor asks
 * the same. */
char *picker_choose(const char *given);

/* A picker running: started before its list is ready (a picker takes
 * longer to start than the launcher to answer). */
typedef struct Picker {
        int pid; /* a pid_t */
        int in, out; /* its stdin and stdout */
} Picker;

/* Starts the picker's command line (as its words when nothing in it needs
 * a shell, else through sh -c): 0, or a negative errno. */
int picker_start(const char *command, Picker *ret);
/* Gives it `list` (lines) and reads its first line of output into *ret
 * (NULL: nothing, cancelled), then waits for it; its wait status in
 * *ret_status. 0, or -ENOMEM. */
int picker_finish(Picker *p, const char *list, size_t len, char **ret, int *ret_status);
/* A picker whose list could not be made: ended. */
void picker_abandon(Picker *p);
