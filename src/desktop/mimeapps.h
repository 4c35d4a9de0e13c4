/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "common/macro.h"
#include "desktop/entries.h"

/* Which application opens a type: the MIME Applications Associations
 * Specification, as GIO 2.74 applies it (g_app_info_get_default_for_type),
 * so that sesame chooses what GTK apps and `gio open` choose.
 *
 * The directories, in order: $XDG_CONFIG_HOME, each of $XDG_CONFIG_DIRS,
 * then the applications/ of each data directory ($XDG_DATA_HOME, each of
 * $XDG_DATA_DIRS). In each: <desktop>-mimeapps.list for each desktop of
 * XDG_CURRENT_DESKTOP, lower-cased (its [Default Applications] only), then
 * mimeapps.list ([Default Applications], [Added Associations], [Removed
 * Associations]); in a data directory also defaults.list (its defaults,
 * GLib's own old file) and mimeinfo.cache (its entries' MimeType= lines,
 * which update-desktop-database gathers). A data directory without a
 * mimeinfo.cache has its entries' MimeType= lines read instead, in ID
 * order (GIO 2.74 ignores them there). Types are unaliased; a file that
 * cannot be read or parsed counts as absent, as with GIO. */

typedef struct MimeApps MimeApps;

/* Reads every file, and the MimeType= lines of `entries` in data
 * directories without a mimeinfo.cache. `data_dirs`: as the entries were
 * scanned (their `data_dir` indexes it); `desktops`: XDG_CURRENT_DESKTOP,
 * or NULL. What it keeps needs the MIME database no more
 * (mime_type_release()). */
int mimeapps_load(char *const *data_dirs, const char *desktops, const EntryCache *entries, MimeApps **ret);
MimeApps *mimeapps_free(MimeApps *m);
DEFINE_TRIVIAL_CLEANUP_FUNC(MimeApps *, mimeapps_free);

/* Whether a file was made, changed or removed since it was read, the
 * environment names other directories, or `desktops` differ: then load
 * again (as when the entries change). */
bool mimeapps_outdated(const MimeApps *m, char *const *data_dirs, const char *desktops);

/* An entry the caller never opens with (sesame's own, one that calls the
 * opener back): passed over as if it were not installed. */
typedef bool (*mimeapps_skip_t)(const DesktopEntry *e, void *userdata);

/* The default application of the first of `types` (mime_type_fallbacks():
 * a type, then its parents) that has one: for each type, the defaults of
 * every directory, then the associations not removed by a directory before
 * them, the first installed and not skipped winning. NULL when none. */
const DesktopEntry *mimeapps_default(const MimeApps *m, const EntryCache *c, char *const *types,
                                     mimeapps_skip_t skip, void *userdata);

/* Every application for `types`: the default first, then the associations
 * of each type in turn (GIO's g_app_info_get_all_for_type()), each once,
 * installed and not skipped. A new array of `*ret_n` borrowed entries. */
int mimeapps_all(const MimeApps *m, const EntryCache *c, char *const *types, mimeapps_skip_t skip,
                 void *userdata, const DesktopEntry ***ret, size_t *ret_n);

/* The text of a mimeapps.list with `key` of `group` set to `value` (NULL:
 * the key removed), every other line kept as it was; the group is added at
 * the end when there is none. A new string. */
int mimeapps_edit(const char *text, const char *group, const char *key, const char *value, char **ret);
