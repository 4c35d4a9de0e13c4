/* SPDX-License-Identifier: MIT */
/* libFuzzer: launcher.conf (config_parse), on any text. */
#include <stdint.h>
#include <stdlib.h>

#include "common/strv.h"
#include "config/launcher-conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        Config *c = NULL;
        char **errors = NULL;
        if (config_parse("fuzz.conf", (const char *) data, size, &c, &errors) == 0) {
                /* What every accepted configuration promises. */
                if (errors || !config_has_trust_profile(c, c->default_profile) || !c->terminal || !c->terminal[0] ||
                    c->secret_timeout_usec == 0 || c->scope_timeout_usec == 0)
                        abort();
                for (size_t i = 0; i < c->n_launch_profiles; i++)
                        if (!config_launch_profile(c, c->launch_profiles[i].trust, c->launch_profiles[i].name))
                                abort();
                config_free(c);
        } else if (!errors || !errors[0])
                abort(); /* a refusal always says why */
        strv_free(errors);
        return 0;
}
