/* SPDX-License-Identifier: MIT */
/* Folding texts for matching, and scoring one query term against one text:
 * fzf's model (a subsequence, scored for where its characters fall — word
 * starts, runs, few and short gaps), and one typo when no subsequence
 * exists. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "search/match.h"

/* fzf's figures (its algo.go): they give a match at a word start, a run of
 * consecutive characters and a short gap their known weight. */
enum {
        SCORE_MATCH = 16,
        SCORE_GAP_START = -3,
        SCORE_GAP_EXTENSION = -1,
        BONUS_BOUNDARY_WHITE = 10, /* after a space, or at the start */
        BONUS_BOUNDARY_DELIMITER = 9,
        BONUS_BOUNDARY = 8,
        BONUS_NON_WORD = 8,
        BONUS_CAMEL_123 = 7,
        BONUS_CONSECUTIVE = 4,
        BONUS_FIRST_CHAR_MULTIPLIER = 2,
};

typedef enum CharClass {
        CHAR_WHITE,
        CHAR_NON_WORD,
        CHAR_DELIMITER,
        CHAR_LOWER,
        CHAR_UPPER,
        CHAR_LETTER,
        CHAR_NUMBER,
} CharClass;

/* U+00C0..U+00FF and U+0100..U+017F to their base letter; '\0': kept as
 * it is (lower-cased when it has a lower case in the same block). */
static const char latin1[] = "aaaaaaaceeeeiiiidnooooo\0ouuuuy\0\0aaaaaaaceeeeiiiidnooooo\0ouuuuy\0y";
static const char latin_extended_a[] = "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiiijjkkklllllllllln"
                                       "nnnnnnnnoooooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

static uint32_t fold_char(uint32_t c) {
        if (c < 0x80)
                return c >= 'A' && c <= 'Z' ? c + 32 : c;
        if (c >= 0xC0 && c <= 0xFF) {
                char base = latin1[c - 0xC0];
                if (base)
                        return (uint32_t) base;
                return c == 0xDE ? 0xFE : c; /* Þ -> þ; × ß ÷ þ stay */
        }
        if (c >= 0x100 && c <= 0x17F)
                return (uint32_t) latin_extended_a[c - 0x100];
        if (c >= 0x300 && c <= 0x36F)
                return 0; /* a combining accent: no character of its own */
        if ((c >= 0x391 && c <= 0x3A9) || (c >= 0x410 && c <= 0x42F))
                return c + 0x20; /* Greek, Cyrillic capitals */
        if (c >= 0x400 && c <= 0x40F)
                return c + 0x50;
        return c;
}

static CharClass char_class(uint32_t c) {
        if (c >= 'a' && c <= 'z')
                return CHAR_LOWER;
        if (c >= 'A' && c <= 'Z')
                return CHAR_UPPER;
        if (c >= '0' && c <= '9')
                return CHAR_NUMBER;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xA0 || (c >= 0x2000 && c <= 0x200A))
                return CHAR_WHITE;
        if (strchr("/,:;|-_.", (int) c) && c)
                return CHAR_DELIMITER;
        /* ASCII, Latin-1's and general punctuation (’ « — …) */
        if (c < 0x80 || (c >= 0xA1 && c <= 0xBF && c != 0xAA && c != 0xB5 && c != 0xBA) || c == 0xD7 || c == 0xF7 ||
            (c >= 0x2010 && c <= 0x206F))
                return CHAR_NON_WORD;
        if ((c >= 0xC0 && c <= 0xDE) || (c >= 0x391 && c <= 0x3A9) || (c >= 0x400 && c <= 0x42F))
                return CHAR_UPPER;
        return CHAR_LETTER;
}

static uint8_t bonus_for(CharClass prev, CharClass cur) {
        if (cur > CHAR_DELIMITER) {
                if (prev == CHAR_WHITE)
                        return BONUS_BOUNDARY_WHITE;
                if (prev == CHAR_DELIMITER)
                        return BONUS_BOUNDARY_DELIMITER;
                if (prev == CHAR_NON_WORD)
                        return BONUS_BOUNDARY;
        }
        if ((prev == CHAR_LOWER && cur == CHAR_UPPER) || (prev != CHAR_NUMBER && cur == CHAR_NUMBER))
                return BONUS_CAMEL_123;
        if (cur == CHAR_NON_WORD || cur == CHAR_DELIMITER)
                return BONUS_NON_WORD;
        if (cur == CHAR_WHITE)
                return BONUS_BOUNDARY_WHITE;
        return 0;
}

/* One character of UTF-8 at *s (len > 0), leniently: a byte that does not
 * begin a valid character is a character of its own (U+FFFD). */
static uint32_t next_char(const unsigned char **s, size_t *len) {
        const unsigned char *p = *s;
        uint32_t c = p[0];
        size_t n = 1;
        if (c >= 0xC2 && c <= 0xDF && *len >= 2 && (p[1] & 0xC0) == 0x80) {
                c = ((c & 0x1Fu) << 6) | (p[1] & 0x3Fu);
                n = 2;
        } else if (c >= 0xE0 && c <= 0xEF && *len >= 3 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
                c = ((c & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
                n = 3;
                if (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF))
                        c = 0xFFFD, n = 1;
        } else if (c >= 0xF0 && c <= 0xF4 && *len >= 4 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80 &&
                   (p[3] & 0xC0) == 0x80) {
                c = ((c & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu);
                n = 4;
                if (c < 0x10000 || c > 0x10FFFF)
                        c = 0xFFFD, n = 1;
        } else if (c >= 0x80)
                c = 0xFFFD;
        *s += n;
        *len -= n;
        return c;
}

size_t fold_text(const char *s, size_t len, uint32_t *chars, uint8_t *bonus, size_t max) {
        const unsigned char *p = (const unsigned char *) s;
        CharClass prev = CHAR_WHITE;
        size_t n = 0;
        while (len > 0 && n < max) {
                uint32_t c = next_char(&p, &len);
                CharClass cls = char_class(c);
                chars[n] = cls == CHAR_WHITE ? ' ' : fold_char(c);
                if (bonus)
                        bonus[n] = bonus_for(prev, cls);
                /* An accent belongs to the letter before it. */
                if (chars[n] != 0)
                        prev = cls;
                n++;
        }
        return n;
}

size_t fold_query(const char *s, uint32_t *chars, size_t max) {
        const unsigned char *p = (const unsigned char *) s;
        size_t len = strlen(s), n = 0;
        bool space = true; /* no leading space, one for each run */
        while (len > 0 && n < max) {
                uint32_t c = fold_char(next_char(&p, &len));
                if (c == 0)
                        continue;
                bool white = char_class(c) == CHAR_WHITE;
                if (white && space)
                        continue;
                space = white;
                chars[n++] = white ? ' ' : c;
        }
        while (n > 0 && chars[n - 1] == ' ')
                n--;
        return n;
}

static int32_t max_i32(int32_t a, int32_t b) {
        return a > b ? a : b;
}

/* No alignment ends here. */
#define MATCH_NONE (INT32_MIN / 2)

/* Where a match of q in t can begin and end: the first place the
 * subsequence starts (*ret_first), and the width up to the last place its
 * last character is; 0 when q is no subsequence of t. */
static size_t match_window(const uint32_t *q, size_t m, const uint32_t *t, size_t n, size_t *ret_first) {
        size_t first = n, i = 0;
        for (size_t j = 0; j < n && i < m; j++)
                if (t[j] == q[i]) {
                        if (i == 0)
                                first = j;
                        i++;
                }
        if (i < m)
                return 0;
        size_t last = n;
        while (last > first && t[last - 1] != q[m - 1])
                last--;
        *ret_first = first;
        return last - first;
}

/* M[i][j]: the best score of q[0..i] with q[i] at t[j] (t from the
 * window's first place); R: the run of consecutive matches it ends; F:
 * where q[i-1] was, for a backtrack. Whole matrices only when positions
 * are asked; else two rows in turn. */
typedef struct Matrix {
        size_t rows, w;
        int32_t *M;
        uint16_t *R;
        int16_t *F;
} Matrix;

static void matrix_done(Matrix *x) {
        free(x->M);
        free(x->R);
        free(x->F);
}

static int matrix_init(Matrix *x, size_t m, size_t w, bool positions) {
        *x = (Matrix){ .rows = positions ? m : 2, .w = w };
        x->M = malloc(x->rows * w * sizeof(int32_t));
        x->R = malloc(x->rows * w * sizeof(uint16_t));
        x->F = positions ? malloc(m * w * sizeof(int16_t)) : NULL;
        if (!x->M || !x->R || (positions && !x->F)) {
                matrix_done(x);
                return -ENOMEM;
        }
        return 0;
}

static void match_first_row(const Matrix *x, uint32_t q0, const uint32_t *t, const uint8_t *bonus) {
        for (size_t j = 0; j < x->w; j++) {
                x->M[j] = t[j] == q0 ? SCORE_MATCH + bonus[j] * BONUS_FIRST_CHAR_MULTIPLIER : MATCH_NONE;
                x->R[j] = 1;
                if (x->F)
                        x->F[j] = -1;
        }
}

/* Row i (the query's character qi) from row i-1: each place of qi reached
 * diagonally (a run, whose first character's bonus it keeps unless this
 * one starts a better word) or across a gap (affine: a start, then an
 * extension per character). */
static void match_row(const Matrix *x, size_t i, uint32_t qi, const uint32_t *t, const uint8_t *bonus) {
        size_t w = x->w;
        const int32_t *prev = x->M + ((i - 1) % x->rows) * w;
        const uint16_t *prev_run = x->R + ((i - 1) % x->rows) * w;
        int32_t *cur = x->M + (i % x->rows) * w;
        uint16_t *cur_run = x->R + (i % x->rows) * w;
        int16_t *from = x->F ? x->F + i * w : NULL;
        /* gap: the best of prev[k] for k < j-1 with the gap from k to j paid. */
        int32_t gap = MATCH_NONE, gap_at = -1;
        cur[0] = MATCH_NONE;
        cur_run[0] = 0;
        if (from)
                from[0] = -1;
        for (size_t j = 1; j < w; j++) {
                if (j >= 2) {
                        int32_t opened = prev[j - 2] + SCORE_GAP_START;
                        gap += SCORE_GAP_EXTENSION;
                        if (opened >= gap) {
                                gap = opened;
                                gap_at = (int32_t) j - 2;
                        }
                }
                cur[j] = MATCH_NONE;
                cur_run[j] = 0;
                if (from)
                        from[j] = -1;
                if (t[j] != qi)
                        continue;
                int32_t b = bonus[j];
                int32_t diagonal = MATCH_NONE;
                uint16_t run = 1;
                if (prev[j - 1] > MATCH_NONE) {
                        run = prev_run[j - 1] + 1;
                        int32_t run_bonus = bonus[j + 1 - run];
                        int32_t bb = b;
                        if (b >= BONUS_BOUNDARY && b > run_bonus)
                                run = 1;
                        else
                                bb = max_i32(b, max_i32(BONUS_CONSECUTIVE, run_bonus));
                        diagonal = prev[j - 1] + SCORE_MATCH + bb;
                }
                int32_t gapped = gap > MATCH_NONE ? gap + SCORE_MATCH + b : MATCH_NONE;
                if (diagonal >= gapped && diagonal > MATCH_NONE) {
                        cur[j] = diagonal;
                        cur_run[j] = run;
                        if (from)
                                from[j] = (int16_t) (j - 1);
                } else if (gapped > MATCH_NONE) {
                        cur[j] = gapped;
                        cur_run[j] = 1;
                        if (from)
                                from[j] = (int16_t) gap_at;
                }
        }
}

/* The best score of `q` as a subsequence of `t` (fzf's second algorithm:
 * every alignment, not only the first found), or -1 when it is not one;
 * with `positions`, where its characters fell. */
int32_t match_term(const uint32_t *q, size_t m, const uint32_t *t, const uint8_t *bonus, size_t n,
                   uint32_t *positions) {
        if (m == 0 || m > SEARCH_TERM_MAX || n < m)
                return -1;
        size_t first = 0, w = match_window(q, m, t, n, &first);
        if (w == 0)
                return -1;
        Matrix x;
        if (matrix_init(&x, m, w, positions != NULL) < 0)
                return -ENOMEM;
        match_first_row(&x, q[0], t + first, bonus + first);
        for (size_t i = 1; i < m; i++)
                match_row(&x, i, q[i], t + first, bonus + first);

        const int32_t *final = x.M + ((m - 1) % x.rows) * w;
        int32_t best = MATCH_NONE;
        size_t best_at = 0;
        for (size_t j = 0; j < w; j++)
                if (final[j] > best) {
                        best = final[j];
                        best_at = j;
                }
        if (positions && best > MATCH_NONE)
                for (size_t k = m; k-- > 0;) {
                        positions[k] = (uint32_t) (first + best_at);
                        if (k > 0)
                                best_at = (size_t) x.F[k * w + best_at];
                }
        matrix_done(&x);
        return best > MATCH_NONE ? max_i32(best, 0) : -1;
}

double match_normalize(int32_t score, size_t m) {
        /* The most a term of m characters can score: all of them in one run
         * at the start of a word after a space. */
        double best = (double) (SCORE_MATCH + BONUS_BOUNDARY_WHITE) * (double) m + BONUS_BOUNDARY_WHITE;
        double v = (double) score / best;
        return v > 1 ? 1 : v;
}

/* Whether the query q (m characters) is the text t (len characters: m or
 * m + 1) with at most one typo: a character replaced, two neighbours
 * swapped, or (len = m + 1) one left out. */
static bool one_typo(const uint32_t *q, size_t m, const uint32_t *t, size_t len) {
        size_t i = 0;
        while (i < m && q[i] == t[i])
                i++;
        if (i == m)
                return true; /* equal, or a prefix one shorter */
        if (len > m) /* t[i] left out of the query */
                return memcmp(q + i, t + i + 1, (m - i) * sizeof(*q)) == 0;
        if (i + 1 < m && q[i] == t[i + 1] && q[i + 1] == t[i]) /* swapped */
                i += 2;
        else
                i += 1; /* replaced */
        return memcmp(q + i, t + i, (m - i) * sizeof(*q)) == 0;
}

bool match_typo(const uint32_t *q, size_t m, const uint32_t *t, const uint8_t *bonus, size_t n) {
        if (m < MATCH_TYPO_MIN)
                return false;
        /* The query against the start of each word, as long as the query
         * (a letter replaced, two swapped) or one longer (a letter left
         * out). A query with a letter too many is not taken for a typo: the
         * word with one less would be, and short words would match almost
         * any query of four. */
        for (size_t w = 0; w + m <= n; w++) {
                if (w > 0 && bonus[w] < BONUS_CAMEL_123)
                        continue;
                /* One typo leaves the first character, or the second, or
                 * the first one place later: most words fail here. */
                if (t[w] != q[0] && t[w + 1] != q[0] && t[w + 1] != q[1])
                        continue;
                for (size_t len = m; len <= m + 1; len++)
                        if (w + len <= n && one_typo(q, m, t + w, len))
                                return true;
        }
        return false;
}
