/* SPDX-License-Identifier: MIT */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fileio.h"
#include "desktop/keyfile.h"
#include "ipc/keys.h"
#include "ipc/registry.h"

#define PREFIX "Client "

static const char *const clearance_names[_CLEARANCE_MAX] = {
        [CLEARANCE_LAUNCH] = "launch",
        [CLEARANCE_SECRETS] = "secrets",
};

const char *clearance_to_string(Clearance c) {
        return c >= 0 && c < _CLEARANCE_MAX ? clearance_names[c] : NULL;
}

int clearance_from_string(const char *s) {
        for (int i = 0; s && i < _CLEARANCE_MAX; i++)
                if (strcmp(s, clearance_names[i]) == 0)
                        return i;
        return -EINVAL;
}

bool registry_name_is_valid(const char *name) {
        size_t n = name ? strlen(name) : 0;
        if (n == 0 || n > 64)
                return false;
        for (size_t i = 0; i < n; i++) {
                char c = name[i];
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '_' || c == '.'))
                        return false;
        }
        return true;
}

Registry *registry_free(Registry *r) {
        if (!r)
                return NULL;
        for (size_t i = 0; i < r->n_clients; i++)
                free(r->clients[i].name);
        free(r->clients);
        free(r->path);
        free(r);
        return NULL;
}

static RegistryClient *find_name(Registry *r, const char *name) {
        for (size_t i = 0; i < r->n_clients; i++)
                if (strcmp(r->clients[i].name, name) == 0)
                        return &r->clients[i];
        return NULL;
}

static int add(Registry *r, const char *name, const uint8_t key[NOISE_DHLEN], Clearance c) {
        RegistryClient *existing = find_name(r, name);
        if (existing) {
                memcpy(existing->public_key, key, NOISE_DHLEN);
                existing->clearance = c;
                return 0;
        }
        RegistryClient *l = realloc(r->clients, (r->n_clients + 1) * sizeof(*l));
        if (!l)
                return -ENOMEM;
        r->clients = l;
        RegistryClient *n = &l[r->n_clients];
        *n = (RegistryClient){ .name = strdup(name), .clearance = c };
        if (!n->name)
                return -ENOMEM;
        memcpy(n->public_key, key, NOISE_DHLEN);
        r->n_clients++;
        return 0;
}

static int registry_new(const char *path, Registry **ret, Error *e) {
        Registry *r = calloc(1, sizeof(*r));
        if (!r || !(r->path = strdup(path))) {
                free(r);
                return error_setf(e, -ENOMEM, "out of memory");
        }
        *ret = r;
        return 0;
}

/* The groups of a parsed clients.conf into r. */
static int registry_fill(Registry *r, const Keyfile *k, Error *e) {
        const char *path = r->path;
        for (size_t i = 0; i < keyfile_n_groups(k); i++) {
                unsigned line;
                const char *g = keyfile_group(k, i, &line);
                const char *name = g + strlen(PREFIX);
                if (strncmp(g, PREFIX, strlen(PREFIX)) != 0 || !registry_name_is_valid(name))
                        return error_setf(e, -EINVAL, "%s:%u: expected [Client NAME], got [%s]", path, line, g);
                const KeyfileEntry *key = keyfile_lookup(k, g, "PublicKey"), *cl = keyfile_lookup(k, g, "Clearance");
                uint8_t pub[NOISE_DHLEN];
                if (!key || key_from_hex(key->value, pub) < 0)
                        return error_setf(e, -EINVAL, "%s:%u: [%s] needs PublicKey= with 64 hex digits", path,
                                          key ? key->line : line, g);
                int c = cl ? clearance_from_string(cl->value) : CLEARANCE_LAUNCH;
                if (c < 0)
                        return error_setf(e, -EINVAL, "%s:%u: Clearance: '%s' is not launch or secrets", path,
                                          cl->line, cl->value);
                /* One key, one client: else which clearance it has would
                 * depend on the order of the file. */
                const RegistryClient *twin = registry_find_key(r, pub);
                if (twin && strcmp(twin->name, name) != 0)
                        return error_setf(e, -EINVAL, "%s:%u: [%s] has the key of [" PREFIX "%s]", path, key->line, g,
                                          twin->name);
                if (add(r, name, pub, (Clearance) c) < 0)
                        return error_setf(e, -ENOMEM, "out of memory");
        }
        for (size_t i = 0; i < keyfile_n_entries(k); i++) {
                const KeyfileEntry *en = keyfile_entry(k, i);
                if (strcmp(en->key, "PublicKey") != 0 && strcmp(en->key, "Clearance") != 0)
                        return error_setf(e, -EINVAL, "%s:%u: unknown key '%s'", path, en->line, en->key);
        }
        return 0;
}

int registry_parse(const char *path, const char *text, size_t size, Registry **ret, Error *e) {
        assert_return(path && (text || size == 0) && ret, error_setf(e, -EINVAL, "invalid argument"));
        _cleanup_(registry_freep) Registry *r = NULL;
        _cleanup_(keyfile_freep) Keyfile *k = NULL;
        int rr = registry_new(path, &r, e);
        if (rr >= 0)
                rr = keyfile_parse(path, text, size, KEYFILE_TRAILING_COMMENTS, &k, e);
        if (rr >= 0)
                rr = registry_fill(r, k, e);
        if (rr < 0)
                return rr;
        *ret = TAKE_PTR(r);
        return 0;
}

int registry_load(const char *path, Registry **ret, Error *e) {
        assert_return(path && ret, error_setf(e, -EINVAL, "invalid argument"));
        _cleanup_free_ char *text = NULL;
        size_t size = 0;
        int r = read_file(path, KEYFILE_MAX_SIZE, READ_FILE_TRUSTED, &text, &size, e);
        if (r == -ENOENT)
                /* No file: nobody is authorized yet. */
                return registry_parse(path, "", 0, ret, e);
        return r < 0 ? r : registry_parse(path, text, size, ret, e);
}

const RegistryClient *registry_find_key(const Registry *r, const uint8_t public_key[NOISE_DHLEN]) {
        for (size_t i = 0; r && i < r->n_clients; i++)
                if (sodium_memcmp(r->clients[i].public_key, public_key, NOISE_DHLEN) == 0)
                        return &r->clients[i];
        return NULL;
}

const RegistryClient *registry_find_name(const Registry *r, const char *name) {
        return r && name ? find_name((Registry *) r, name) : NULL;
}

static int registry_save(const Registry *r, Error *e) {
        size_t size = 128 + r->n_clients * 256;
        _cleanup_free_ char *text = malloc(size);
        if (!text)
                return error_setf(e, -ENOMEM, "out of memory");
        size_t n = (size_t) snprintf(text, size, "# Clients allowed to use the launcher (sesame keys authorize|revoke).\n");
        for (size_t i = 0; i < r->n_clients; i++) {
                char hex[2 * NOISE_DHLEN + 1];
                key_to_hex(r->clients[i].public_key, hex);
                n += (size_t) snprintf(text + n, size - n, "\n[" PREFIX "%s]\nPublicKey=%s\nClearance=%s\n",
                                       r->clients[i].name, hex, clearance_to_string(r->clients[i].clearance));
        }
        return write_file_atomic(r->path, text, 0600, e);
}

int registry_authorize(Registry *r, const char *name, const uint8_t public_key[NOISE_DHLEN], Clearance c, Error *e) {
        assert_return(r && public_key, error_setf(e, -EINVAL, "invalid argument"));
        if (!registry_name_is_valid(name))
                return error_setf(e, -EINVAL, "'%s' is not a valid client name (letters, digits, '-', '_', '.')",
                                  name ? name : "");
        if (!clearance_to_string(c))
                return error_setf(e, -EINVAL, "invalid clearance");
        const RegistryClient *twin = registry_find_key(r, public_key);
        if (twin && strcmp(twin->name, name) != 0)
                return error_setf(e, -EEXIST,
                                  "this key is already authorized as '%s' (clearance %s): to change its clearance, "
                                  "authorize it as '%s'; to rename it, revoke '%s' first",
                                  twin->name, clearance_to_string(twin->clearance), twin->name, twin->name);
        if (add(r, name, public_key, c) < 0)
                return error_setf(e, -ENOMEM, "out of memory");
        return registry_save(r, e);
}

int registry_revoke(Registry *r, const char *name, Error *e) {
        assert_return(r && name, error_setf(e, -EINVAL, "invalid argument"));
        RegistryClient *c = find_name(r, name);
        if (!c)
                return error_setf(e, -ENOENT, "no client named '%s'", name);
        free(c->name);
        memmove(c, c + 1, (size_t) (r->clients + r->n_clients - (c + 1)) * sizeof(*c));
        r->n_clients--;
        return registry_save(r, e);
}
