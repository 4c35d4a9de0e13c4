/* SPDX-License-Identifier: MIT */
/* libFuzzer: launcher.conf (config_parse), on any text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/strv.h"
#include "config/launcher-conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        Config *c = NULL;
        int r = config_parse("fuzz.conf", (const char *) data, size, &c);
        if (r < 0)
                return 0; /* out of memory */
        /* What every configuration promises, errors or not: it serves. */
        if ((size_t) r != strv_length(c->errors) || !config_has_trust_profile(c, c->default_profile) ||
            !c->terminal || !c->terminal[0] || c->secret_timeout_usec == 0 || c->scope_timeout_usec == 0)
                abort();
        for (size_t i = 0; i < c->n_launch_profiles; i++) {
                const LaunchProfile *p = &c->launch_profiles[i];
                if (config_launch_profile(c, p->trust, p->name) != p)
                        abort();
                /* A profile left out says why, with its file and line. */
                if (p->invalid && strncmp(p->invalid, "fuzz.conf:", 10) != 0)
                        abort();
        }
        for (size_t i = 0; i < c->n_open_rules; i++) {
                const OpenRule *r = &c->open_rules[i];
                /* A rule that serves says what it applies to; one left out says why. */
                if (!r->invalid && !r->match && !r->mime_types && !r->from)
                        abort();
                if (r->invalid && strncmp(r->invalid, "fuzz.conf:", 10) != 0)
                        abort();
        }
        config_free(c);
        return 0;
}
