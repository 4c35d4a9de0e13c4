/* SPDX-License-Identifier: MIT */
/* libFuzzer: the keyfile parser, every combination of its flags, and the
 * value helpers on every value it returns; a line kept as an error names
 * its line and, if any, a group the file has. */
#include <stdint.h>
#include <stdlib.h>

#include "common/strv.h"
#include "desktop/keyfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        for (int flags = 0; flags <= (KEYFILE_TRAILING_COMMENTS | KEYFILE_SKIP_BAD_LINES); flags++) {
                Keyfile *k = NULL;
                Error e = {};
                if (keyfile_parse("fuzz", (const char *) data, size, (KeyfileFlags) flags, &k, &e) < 0)
                        continue;
                for (size_t i = 0; i < keyfile_n_entries(k); i++) {
                        const KeyfileEntry *en = keyfile_entry(k, i);
                        free(keyfile_unescape(en->value));
                        strv_free(keyfile_split_list(en->value));
                        (void) keyfile_parse_boolean(en->value);
                        (void) keyfile_get_locale(k, en->group, en->key, en->locale ? en->locale : "de_AT.UTF-8@x");
                }
                for (size_t i = 0; i < keyfile_n_line_errors(k); i++) {
                        const KeyfileLineError *le = keyfile_line_error(k, i);
                        if (!(flags & KEYFILE_SKIP_BAD_LINES) || le->line == 0 || !le->message ||
                            (le->group && !keyfile_has_group(k, le->group)))
                                abort();
                }
                keyfile_free(k);
        }
        return 0;
}
