/* SPDX-License-Identifier: MIT */
/* libFuzzer: the search's matcher, with any bytes (UTF-8 or not) as the
 * query (before the first newline) and as the text (after it). */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "search/search.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        char *s = malloc(size + 1);
        if (!s)
                return 0;
        memcpy(s, data, size);
        s[size] = 0;
        char *text = strchr(s, '\n');
        if (text)
                *text++ = 0;
        else
                text = s;

        MatchResult r;
        if (match_strings(s, text, &r) == 0) {
                if (r.kind < MATCH_NONE || r.kind >= _MATCH_KIND_MAX)
                        abort();
                if (r.kind != MATCH_NONE && !(r.score >= 0 && r.score <= 1))
                        abort();
                if (r.kind == MATCH_EXACT && r.score != 1)
                        abort();
                /* Positions ascend, within the text (a character is at
                 * least a byte), and there are no more of them than the
                 * query has characters. */
                for (size_t i = 0; i < r.n_positions; i++)
                        if (r.positions[i] >= strlen(text) || (i > 0 && r.positions[i] <= r.positions[i - 1]) ||
                            r.n_positions > strlen(s))
                                abort();
                /* A printable ASCII text without white space at its ends or
                 * two in a row (what a query would not keep) matches itself
                 * exactly. */
                bool plain = text[0] != ' ' && strlen(text) < SEARCH_TEXT_MAX && !strstr(text, "  ");
                for (const char *p = text; plain && *p; p++)
                        plain = *p >= ' ' && *p <= '~';
                if (plain && *text && text[strlen(text) - 1] != ' ') {
                        MatchResult self;
                        if (match_strings(text, text, &self) == 0) {
                                if (self.kind != MATCH_EXACT)
                                        abort();
                                match_result_done(&self);
                        }
                }
                match_result_done(&r);
        }
        free(s);
        return 0;
}
