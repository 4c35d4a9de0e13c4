/* SPDX-License-Identifier: MIT */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

/* What the configuration's errors left out, said where it is looked at. */
static void print_config_errors(json_t *errors) {
        size_t i, n = json_is_integer(errors) ? (size_t) json_integer_value(errors) : json_array_size(errors);
        json_t *v;
        if (n == 0)
                return;
        if (json_is_integer(errors)) {
                printf("%-12s %zu in force (this client's clearance shows their number only)\n", "config errors", n);
                return;
        }
        printf("%-12s %zu in force: what each touches is left out, the rest serves\n", "config errors", n);
        json_array_foreach(errors, i, v)
                printf("  %s\n", json_string_value(v));
}

int cmd_status(int argc, char *argv[]) {
        bool json = argc > 1 && strcmp(argv[1], "--json") == 0;
        if (argc > 1 && !json) {
                printf("Usage: sesame status [--json]\n\nShow the running launcher's version, uptime, entries,\n"
                       "launches served and in flight, children alive, the configuration file\n"
                       "and its errors in force (each leaves out what it is in; the rest serves).\n");
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
                        else if (json_is_integer(v))
                                printf("%-12s %lld\n", key, (long long) json_integer_value(v));
                }
                print_config_errors(json_object_get(reply, "config_errors"));
        }
        json_decref(reply);
        return 0;
}
