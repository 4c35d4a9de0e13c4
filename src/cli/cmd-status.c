/* SPDX-License-Identifier: MIT */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

int cmd_status(int argc, char *argv[]) {
        bool json = argc > 1 && strcmp(argv[1], "--json") == 0;
        if (argc > 1 && !json) {
                printf("Usage: sesame status [--json]\n\nShow the running launcher's version, uptime, entries,\n"
                       "launches served and in flight, and children alive.\n");
                return strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ? 0 : EXIT_USAGE;
        }
        json_t *reply = NULL;
        int r = call_daemon("sesame status", "{\"method\":\"Status\"}", &reply, false);
        if (r != 0)
                return r;
        if (json) {
                print_json(reply);
        } else {
                const char *key;
                json_t *v;
                json_object_foreach(reply, key, v) {
                        if (json_is_string(v))
                                printf("%-12s %s\n", key, json_string_value(v));
                        else
                                printf("%-12s %lld\n", key, (long long) json_integer_value(v));
                }
        }
        json_decref(reply);
        return 0;
}
