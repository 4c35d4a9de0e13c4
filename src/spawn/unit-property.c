/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/strv.h"
#include "spawn/unit-name.h"
#include "spawn/unit-property.h"

typedef enum ValueKind {
        VALUE_SIZE_OR_PCT, /* bytes, K M G T; "infinity"; or N% of physical memory (the Scale property) */
        VALUE_WEIGHT,      /* 1-10000 */
        VALUE_QUOTA,       /* N% of one CPU */
        VALUE_TASKS,       /* a count, N% of the system's limit, or "infinity" */
        VALUE_WORD,        /* one of `words` */
        VALUE_UNITS,       /* unit names, space-separated */
} ValueKind;

static const struct Setting {
        const char *name;
        ValueKind kind;
        const char *scale_name; /* the property for a percentage */
        const char *words;      /* VALUE_WORD: '|'-separated */
} settings[] = {
        { "MemoryHigh", VALUE_SIZE_OR_PCT, "MemoryHighScale", NULL },
        { "MemoryMax", VALUE_SIZE_OR_PCT, "MemoryMaxScale", NULL },
        { "MemorySwapMax", VALUE_SIZE_OR_PCT, "MemorySwapMaxScale", NULL },
        { "CPUWeight", VALUE_WEIGHT, NULL, NULL },
        { "CPUQuota", VALUE_QUOTA, NULL, NULL },
        { "IOWeight", VALUE_WEIGHT, NULL, NULL },
        { "TasksMax", VALUE_TASKS, "TasksMaxScale", NULL },
        { "ManagedOOMMemoryPressure", VALUE_WORD, NULL, "auto|kill" },
        { "ManagedOOMPreference", VALUE_WORD, NULL, "none|avoid|omit" },
        { "PartOf", VALUE_UNITS, NULL, NULL },
        { "After", VALUE_UNITS, NULL, NULL },
};

_Static_assert(sizeof(settings) / sizeof(settings[0]) == UNIT_PROPERTIES_MAX, "one property per setting at most");

static const struct Setting *setting_find(const char *name) {
        for (size_t i = 0; name && i < ELEMENTSOF(settings); i++)
                if (strcmp(settings[i].name, name) == 0)
                        return &settings[i];
        return NULL;
}

bool unit_setting_known(const char *setting) {
        return setting_find(setting) != NULL;
}

void unit_property_done(UnitProperty *p) {
        if (!p)
                return;
        free(p->setting);
        free(p->text);
        strv_free(p->strings);
        *p = (UnitProperty){};
}

void unit_properties_free(UnitProperty *p, size_t n) {
        for (size_t i = 0; p && i < n; i++)
                unit_property_done(&p[i]);
        free(p);
}

int unit_property_copy(const UnitProperty *p, UnitProperty *ret) {
        *ret = (UnitProperty){ .bus_name = p->bus_name, .type = p->type, .number = p->number,
                               .setting = strdup(p->setting), .text = strdup(p->text) };
        if (p->strings)
                ret->strings = strv_copy(p->strings);
        if (!ret->setting || !ret->text || (p->strings && !ret->strings)) {
                unit_property_done(ret);
                return -ENOMEM;
        }
        return 0;
}

int unit_properties_put(UnitProperty **list, size_t *n, const UnitProperty *p) {
        UnitProperty copy;
        int r = unit_property_copy(p, &copy);
        if (r < 0)
                return r;
        for (size_t i = 0; i < *n; i++)
                if (strcmp((*list)[i].setting, p->setting) == 0) {
                        unit_property_done(&(*list)[i]);
                        (*list)[i] = copy;
                        return 0;
                }
        UnitProperty *l = realloc(*list, (*n + 1) * sizeof(*l));
        if (!l) {
                unit_property_done(&copy);
                return -ENOMEM;
        }
        l[(*n)++] = copy;
        *list = l;
        return 0;
}

/* A whole non-negative decimal number, no sign, no overflow. */
static bool parse_u64(const char *s, size_t len, uint64_t *ret) {
        uint64_t v = 0;
        if (len == 0)
                return false;
        for (size_t i = 0; i < len; i++) {
                if (s[i] < '0' || s[i] > '9' || v > (UINT64_MAX - (uint64_t) (s[i] - '0')) / 10)
                        return false;
                v = v * 10 + (uint64_t) (s[i] - '0');
        }
        *ret = v;
        return true;
}

/* "N%" with N in [0, 100] (decimals allowed, as systemd takes "12.5%"):
 * the fraction in millionths. */
static bool parse_percent(const char *s, uint64_t *ret_ppm) {
        size_t len = strlen(s);
        if (len < 2 || s[len - 1] != '%')
                return false;
        char *end;
        double v = strtod(s, &end);
        if (end != s + len - 1 || s[0] < '0' || s[0] > '9' || !(v >= 0 && v <= 100))
                return false;
        *ret_ppm = (uint64_t) (v * 10000 + 0.5);
        return true;
}

static bool parse_size(const char *s, uint64_t *ret) {
        static const char suffixes[] = "KMGT";
        size_t len = strlen(s);
        uint64_t mult = 1;
        const char *sfx = len ? strchr(suffixes, s[len - 1]) : NULL;
        if (sfx && *sfx) {
                for (const char *k = suffixes; k <= sfx; k++)
                        mult *= 1024;
                len--;
        }
        uint64_t v;
        if (!parse_u64(s, len, &v) || v > UINT64_MAX / mult)
                return false;
        *ret = v * mult;
        return true;
}

static bool word_in(const char *word, const char *words) {
        size_t n = strlen(word);
        for (const char *w = words; *w;) {
                size_t len = strcspn(w, "|");
                if (len == n && strncmp(w, word, n) == 0)
                        return true;
                w += len + (w[len] == '|');
        }
        return false;
}

static bool valid_unit_char(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr(":-_.\\", c);
}

static bool unit_name_with_suffix(const char *name, const char *suffix) {
        size_t len = strlen(name), slen = strlen(suffix);
        if (len <= slen || len > UNIT_NAME_MAX || name[0] == '-' || strcmp(name + len - slen, suffix) != 0)
                return false;
        for (size_t i = 0; i < len - slen; i++)
                if (!valid_unit_char(name[i]))
                        return false;
        return true;
}

bool unit_name_is_slice(const char *name) {
        /* The dashes of a slice's name are its path (a-b.slice is in
         * a.slice): none empty, as systemd's slice_name_is_valid() says. */
        if (!name || !unit_name_with_suffix(name, ".slice"))
                return false;
        size_t len = strlen(name) - strlen(".slice");
        return strcmp(name, "-.slice") != 0 && !strstr(name, "--") && name[len - 1] != '-';
}

bool unit_name_is_valid(const char *name) {
        static const char *const types[] = { ".service", ".socket", ".target", ".device", ".mount", ".automount",
                                             ".swap", ".timer", ".path", ".slice", ".scope" };
        for (size_t i = 0; name && i < ELEMENTSOF(types); i++)
                if (unit_name_with_suffix(name, types[i]))
                        return true;
        return false;
}

/* Unit names separated by blanks: a new vector, or NULL if one is not. */
static char **parse_units(const char *text, const char **ret_bad, size_t *ret_bad_len) {
        char **l = calloc(1, sizeof(char *));
        for (const char *p = text; l && *p;) {
                p += strspn(p, " \t");
                size_t len = strcspn(p, " \t");
                if (len == 0)
                        break;
                char *name = strndup(p, len);
                if (!name || !unit_name_is_valid(name)) {
                        *ret_bad = p;
                        *ret_bad_len = len;
                        free(name);
                        return strv_free(l);
                }
                if (strv_push(&l, name) < 0)
                        return strv_free(l);
                p += len;
        }
        return l;
}

int unit_property_parse(const char *setting, const char *text, UnitProperty *ret, Error *e) {
        const struct Setting *s = setting_find(setting);
        if (!s)
                return error_setf(e, -ENOENT, "unknown unit setting %s", setting);
        UnitProperty p = { .bus_name = s->name, .type = 't' };
        uint64_t v = 0, ppm;
        bool ok = true;
        switch (s->kind) {
        case VALUE_SIZE_OR_PCT:
        case VALUE_TASKS:
                if (parse_percent(text, &ppm)) {
                        /* systemd's *Scale properties: the fraction of
                         * UINT32_MAX. */
                        p.bus_name = s->scale_name;
                        p.type = 'u';
                        v = (uint64_t) ((double) ppm / 1000000.0 * UINT32_MAX + 0.5);
                        break;
                }
                if (strcmp(text, "infinity") == 0)
                        v = UINT64_MAX;
                else
                        ok = s->kind == VALUE_TASKS ? parse_u64(text, strlen(text), &v) && v > 0 : parse_size(text, &v);
                if (!ok)
                        return error_setf(e, -EINVAL, "%s: '%s' is not %s", setting, text,
                                          s->kind == VALUE_TASKS ? "a number of tasks, N%, or infinity"
                                                                 : "a size (bytes, K, M, G, T), N%, or infinity");
                break;
        case VALUE_WEIGHT:
                if (!parse_u64(text, strlen(text), &v) || v < 1 || v > 10000)
                        return error_setf(e, -EINVAL, "%s: '%s' is not a weight from 1 to 10000", setting, text);
                break;
        case VALUE_QUOTA:
                /* CPUQuotaPerSecUSec: the CPU time a second may use. Above
                 * 100% is several CPUs. */
                if (strlen(text) < 2 || text[strlen(text) - 1] != '%' ||
                    !parse_u64(text, strlen(text) - 1, &v) || v == 0 || v > 100000)
                        return error_setf(e, -EINVAL, "%s: '%s' is not a quota N%% (1%%, 50%%, 200%%)", setting, text);
                p.bus_name = "CPUQuotaPerSecUSec";
                v *= 10000;
                break;
        case VALUE_WORD:
                if (!word_in(text, s->words))
                        return error_setf(e, -EINVAL, "%s: '%s' is not one of %s", setting, text, s->words);
                p.type = 's';
                break;
        case VALUE_UNITS: {
                const char *bad = NULL;
                size_t bad_len = 0;
                char **units = parse_units(text, &bad, &bad_len);
                if (!units && bad)
                        return error_setf(e, -EINVAL, "%s: '%.*s' is not a unit name", setting, (int) bad_len, bad);
                if (!units)
                        return error_setf(e, -ENOMEM, "out of memory");
                if (!units[0]) {
                        strv_free(units);
                        return error_setf(e, -EINVAL, "%s: no unit named", setting);
                }
                p.type = 'a';
                p.strings = units;
                break;
        }
        }
        p.number = v;
        p.setting = strdup(setting);
        p.text = strdup(text);
        if (p.type == 's' && !p.strings && (p.strings = calloc(2, sizeof(char *))))
                p.strings[0] = strdup(text);
        if (!p.setting || !p.text || (p.type == 's' && (!p.strings || !p.strings[0]))) {
                unit_property_done(&p);
                return error_setf(e, -ENOMEM, "out of memory");
        }
        *ret = p;
        return 0;
}
