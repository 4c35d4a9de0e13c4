/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "common/secure.h"
#include "common/strv.h"
#include "secrets/secret-bus.h"

int secret_bus_error(int r, const sd_bus_error *error, const char *what, Error *e) {
        if (sd_bus_error_has_names(error, SD_BUS_ERROR_SERVICE_UNKNOWN, SD_BUS_ERROR_NAME_HAS_NO_OWNER))
                return error_setf(e, -EHOSTUNREACH, "no Secret Service on the session bus (%s)", what);
        if (r == -ETIMEDOUT || sd_bus_error_has_name(error, SD_BUS_ERROR_NO_REPLY))
                return error_setf(e, -ETIMEDOUT, "the Secret Service did not answer in time (%s)", what);
        return error_setf(e, r < 0 ? r : -EIO, "the Secret Service failed (%s): %s", what,
                          error && error->message ? error->message : strerror(r < 0 ? -r : EIO));
}

int secret_bus_new_open_session(sd_bus *bus, const DhSession *dh, sd_bus_message **ret) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        int r = sd_bus_message_new_method_call(bus, &m, SECRET_BUS_NAME, SECRET_BUS_PATH, SECRET_IFACE_SERVICE,
                                               "OpenSession");
        if (r >= 0)
                r = sd_bus_message_append(m, "s", dh ? SECRET_ALGORITHM_DH : "plain");
        if (r >= 0 && dh) {
                r = sd_bus_message_open_container(m, 'v', "ay");
                if (r >= 0)
                        r = sd_bus_message_append_array(m, 'y', dh_session_public_key(dh), DH_PUBLIC_LEN);
                if (r >= 0)
                        r = sd_bus_message_close_container(m);
        } else if (r >= 0)
                r = sd_bus_message_append(m, "v", "s", "");
        if (r < 0)
                return r;
        *ret = TAKE_PTR(m);
        return 0;
}

int secret_bus_read_session(sd_bus_message *reply, DhSession *dh, char **ret_session) {
        const uint8_t *peer = NULL;
        size_t peer_len = 0;
        const char *path;
        int r = dh ? sd_bus_message_enter_container(reply, 'v', "ay") : sd_bus_message_skip(reply, "v");
        if (r >= 0 && dh)
                r = sd_bus_message_read_array(reply, 'y', (const void **) &peer, &peer_len);
        if (r >= 0 && dh)
                r = sd_bus_message_exit_container(reply);
        if (r >= 0)
                r = sd_bus_message_read(reply, "o", &path);
        if (r < 0 || (dh && dh_session_derive(dh, peer, peer_len) < 0))
                return -EBADMSG;
        return (*ret_session = strdup(path)) ? 0 : -ENOMEM;
}

int secret_bus_read_secret(sd_bus_message *m, const DhSession *dh, char **ret_value, size_t *ret_len,
                           size_t *ret_size) {
        const char *session, *content_type;
        const void *params = NULL, *value = NULL;
        size_t params_len = 0, value_len = 0;
        int r = sd_bus_message_enter_container(m, 'r', "oayays");
        if (r >= 0)
                r = sd_bus_message_read(m, "o", &session);
        if (r >= 0)
                r = sd_bus_message_read_array(m, 'y', &params, &params_len);
        if (r >= 0)
                r = sd_bus_message_read_array(m, 'y', &value, &value_len);
        if (r >= 0)
                r = sd_bus_message_read(m, "s", &content_type);
        if (r >= 0)
                r = sd_bus_message_exit_container(m);
        if (r < 0)
                return -EBADMSG;
        return secret_bus_decode_value(dh, params, params_len, value, value_len, ret_value, ret_len, ret_size);
}

int secret_bus_decode_value(const DhSession *dh, const void *params, size_t params_len, const void *value,
                            size_t value_len, char **ret_value, size_t *ret_len, size_t *ret_size) {
        /* The ciphertext is at most one block longer than the value. */
        if (value_len > SECRET_VALUE_MAX + 16)
                return -E2BIG;

        size_t size = value_len + 1;
        char *out = secure_alloc(size);
        if (!out)
                return -ENOMEM;
        ssize_t n = dh ? dh_session_decrypt(dh, params, params_len, value, value_len, (uint8_t *) out)
                       : (memcpy(out, value, value_len), (ssize_t) value_len);
        if (n >= 0)
                out[n] = 0;
        if (n < 0 || !secret_value_is_valid(out, (size_t) n)) {
                /* Wiped before anything else can see it. */
                secure_free(out, size);
                return n < 0 ? -EIO : -EILSEQ;
        }
        *ret_value = out;
        *ret_len = (size_t) n;
        *ret_size = size;
        return 0;
}

int secret_bus_resolve_collection(const char *name, const char *alias_path, char *const *paths,
                                  char *const *labels, const char **ret_path) {
        assert_return(name && ret_path, -EINVAL);
        if (alias_path && strcmp(alias_path, "/") != 0) {
                *ret_path = alias_path;
                return 0;
        }
        for (char *const *p = paths; p && *p; p++) {
                const char *slash = strrchr(*p, '/');
                if (slash && strcmp(slash + 1, name) == 0) {
                        *ret_path = *p;
                        return 0;
                }
        }
        if (!labels)
                return -EAGAIN;
        for (size_t i = 0; paths && paths[i] && labels[i]; i++)
                if (strcmp(labels[i], name) == 0) {
                        *ret_path = paths[i];
                        return 0;
                }
        return -ENOENT;
}

int secret_bus_read_paths(sd_bus_message *m, char ***ret) {
        _cleanup_(strv_freep) char **l = calloc(1, sizeof(char *));
        const char *p;
        int r = l ? sd_bus_message_enter_container(m, 'a', "o") : -ENOMEM;
        while (r >= 0 && (r = sd_bus_message_read(m, "o", &p)) > 0)
                r = strv_push(&l, strdup(p));
        if (r < 0 || (r = sd_bus_message_exit_container(m)) < 0)
                return r;
        *ret = TAKE_PTR(l);
        return 0;
}
