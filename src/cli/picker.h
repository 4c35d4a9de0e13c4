/* SPDX-License-Identifier: MIT */
#pragma once

/* The picker sesame menu runs: `given` (--picker), else Picker= of the
 * configuration, else the first installed of the known ones that can show
 * here (fuzzel, wofi, rofi, bemenu, tofi by the display; fzf on a
 * terminal). A new string, or NULL when there is none. sesame doctor asks
 * the same. */
char *picker_choose(const char *given);
