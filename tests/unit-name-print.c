/* SPDX-License-Identifier: MIT */
/* unit-name-print STYLE ID PID ATTEMPT: the scope name sesame gives an app
 * (unit_name_for_scope()), for tests/integration/test-unit-name-peers.py to
 * hold against the parsers of the desktops that read app IDs back from it.
 * STYLE is seed or xdg, or seed-service or xdg-service for the name of a
 * transient service (unit_name_for_service(), PID as its number). */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spawn/unit-name.h"

int main(int argc, char *argv[]) {
        bool service = argc == 5 && strstr(argv[1], "-service");
        size_t style_len = service ? strlen(argv[1]) - strlen("-service") : argc == 5 ? strlen(argv[1]) : 0;
        if (argc != 5 || ((style_len != 4 || strncmp(argv[1], "seed", 4) != 0) &&
                          (style_len != 3 || strncmp(argv[1], "xdg", 3) != 0))) {
                fprintf(stderr, "usage: unit-name-print seed|xdg|seed-service|xdg-service ID PID ATTEMPT\n");
                return 2;
        }
        char buf[UNIT_NAME_MAX + 1];
        UnitNameStyle style = argv[1][0] == 'x' ? UNIT_NAMES_XDG : UNIT_NAMES_SEED;
        int r = service ? unit_name_for_service(style, argv[2], (uint32_t) strtoul(argv[3], NULL, 10), buf)
                        : unit_name_for_scope(style, argv[2], (pid_t) atoi(argv[3]), (unsigned) atoi(argv[4]), buf);
        if (r < 0) {
                fprintf(stderr, "unit-name-print: no name for this ID\n");
                return 1;
        }
        puts(buf);
        return 0;
}
