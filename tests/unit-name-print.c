/* SPDX-License-Identifier: MIT */
/* unit-name-print STYLE ID PID ATTEMPT: the scope name sesame gives an app
 * (unit_name_for_scope()), for tests/integration/test-unit-name-peers.py to
 * hold against the parsers of the desktops that read app IDs back from it.
 * STYLE is seed or xdg. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spawn/unit-name.h"

int main(int argc, char *argv[]) {
        if (argc != 5 || (strcmp(argv[1], "seed") != 0 && strcmp(argv[1], "xdg") != 0)) {
                fprintf(stderr, "usage: unit-name-print seed|xdg ID PID ATTEMPT\n");
                return 2;
        }
        char buf[UNIT_NAME_MAX + 1];
        UnitNameStyle style = strcmp(argv[1], "xdg") == 0 ? UNIT_NAMES_XDG : UNIT_NAMES_SEED;
        if (unit_name_for_scope(style, argv[2], (pid_t) atoi(argv[3]), (unsigned) atoi(argv[4]), buf) < 0) {
                fprintf(stderr, "unit-name-print: no name for this ID\n");
                return 1;
        }
        puts(buf);
        return 0;
}
