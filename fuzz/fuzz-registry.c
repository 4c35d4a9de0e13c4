/* SPDX-License-Identifier: MIT */
/* libFuzzer: clients.conf (registry_parse), on any text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ipc/registry.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        Registry *r = NULL;
        Error e = {};
        if (registry_parse("clients.conf", (const char *) data, size, &r, &e) < 0) {
                if (!e.message[0])
                        abort(); /* a refusal always says why */
                return 0;
        }
        /* Valid names, and one client per key: the key finds its own. */
        for (size_t i = 0; i < r->n_clients; i++) {
                const RegistryClient *c = &r->clients[i];
                if (!registry_name_is_valid(c->name) || !clearance_to_string(c->clearance) ||
                    registry_find_key(r, c->public_key) != c || registry_find_name(r, c->name) != c)
                        abort();
        }
        registry_free(r);
        return 0;
}
