/* SPDX-License-Identifier: MIT */
#pragma once

/* Inside the search module: folding and scoring one term (match.c). */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "search/search.h"

/* A query term this long or longer may have one typo. */
#define MATCH_TYPO_MIN 4

/* Up to `max` characters of s[0..len) folded — lower case, accents off
 * (é -> e, ł -> l; a combining accent becomes 0, which matches nothing),
 * white space a ' ' —
 * and, with `bonus`, what a match at each is worth for where it stands (a
 * word start, a camelCase hump...). One folded character per character of
 * the text, so positions are the text's. Returns how many. */
size_t fold_text(const char *s, size_t len, uint32_t *chars, uint8_t *bonus, size_t max);

/* A query folded the same way, without accents of its own, leading and
 * trailing white space, each run of it one ' '. */
size_t fold_query(const char *s, uint32_t *chars, size_t max);

/* The fzf-style score of a term as a subsequence of a text, -1 when it is
 * not one, -ENOMEM; `positions` (m of them, or NULL) gets where it fell. */
int32_t match_term(const uint32_t *q, size_t m, const uint32_t *t, const uint8_t *bonus, size_t n,
                   uint32_t *positions);

/* A score as a share of the best a term of m characters can get: 0..1. */
double match_normalize(int32_t score, size_t m);

/* Whether the term, with one typo, is the start of a word of the text (a
 * term of MATCH_TYPO_MIN characters or more). */
bool match_typo(const uint32_t *q, size_t m, const uint32_t *t, const uint8_t *bonus, size_t n);
