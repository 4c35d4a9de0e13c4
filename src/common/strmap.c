/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/strmap.h"

typedef struct Slot {
        const char *key;
        void *value;
} Slot;

struct StrMap {
        Slot *slots;
        size_t n_slots; /* a power of two */
        size_t n_used;
};

static uint64_t hash(const char *s) {
        /* FNV-1a: fast, good enough for file names and profile names. */
        uint64_t h = 0xcbf29ce484222325ULL;
        for (; *s; s++)
                h = (h ^ (unsigned char) *s) * 0x100000001b3ULL;
        return h;
}

StrMap *strmap_new(void) {
        StrMap *m = calloc(1, sizeof(*m));
        if (!m)
                return NULL;
        m->n_slots = 16;
        m->slots = calloc(m->n_slots, sizeof(Slot));
        if (!m->slots) {
                free(m);
                return NULL;
        }
        return m;
}

StrMap *strmap_free(StrMap *m) {
        if (m) {
                free(m->slots);
                free(m);
        }
        return NULL;
}

static Slot *find(Slot *slots, size_t n_slots, const char *key) {
        for (size_t i = hash(key) & (n_slots - 1);; i = (i + 1) & (n_slots - 1))
                if (!slots[i].key || strcmp(slots[i].key, key) == 0)
                        return &slots[i];
}

static int grow(StrMap *m) {
        size_t n = m->n_slots * 2;
        Slot *slots = calloc(n, sizeof(Slot));
        if (!slots)
                return -ENOMEM;
        for (size_t i = 0; i < m->n_slots; i++)
                if (m->slots[i].key)
                        *find(slots, n, m->slots[i].key) = m->slots[i];
        free(m->slots);
        m->slots = slots;
        m->n_slots = n;
        return 0;
}

int strmap_put(StrMap *m, const char *key, void *value) {
        assert_return(m && key, -EINVAL);
        /* Keep the load under 3/4 so probes stay short and always end. */
        if ((m->n_used + 1) * 4 > m->n_slots * 3 && grow(m) < 0)
                return -ENOMEM;
        Slot *s = find(m->slots, m->n_slots, key);
        if (s->key)
                return 1;
        *s = (Slot){ .key = key, .value = value };
        m->n_used++;
        return 0;
}

void *strmap_get(const StrMap *m, const char *key) {
        if (!m || !key)
                return NULL;
        Slot *s = find(m->slots, m->n_slots, key);
        return s->key ? s->value : NULL;
}

