/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "common/macro.h"
#include "desktop/exec.h"

/* Desktop entries, found as the Desktop Entry and XDG Base Directory
 * Specifications say and indexed for launching. */

/* A [Desktop Action ID] group that the entry's Actions= lists, with an
 * Exec (an action without one is D-Bus activation only: not kept). */
typedef struct DesktopAction {
        char *id;
        char *name;        /* localized Name, or the ID */
        char *icon;        /* or NULL */
        char *exec;        /* as DesktopEntry.exec */
        char **exec_words; /* as DesktopEntry.exec_words */
} DesktopAction;

typedef struct DesktopEntry {
        char *id;           /* desktop file ID: path below applications/, '/' -> '-', no ".desktop" */
        char *name;         /* localized Name, or the ID */
        char *generic_name; /* localized GenericName, or NULL */
        char *comment;      /* localized Comment, or NULL */
        char **keywords;    /* localized Keywords, or NULL */
        char **categories;  /* or NULL */
        char *icon;         /* or NULL */
        char *path;         /* Path=, the default working directory, or NULL */
        char *startup_wm_class; /* StartupWMClass=: the app_id or WM_CLASS its windows have, or NULL */
        bool terminal;
        bool no_display;    /* NoDisplay=true: launched by its exact ID, not listed */
        bool program_missing; /* Exec's program is not found (in PATH, or Path= for a relative
                               * one): not listed, as GLib leaves it out; a launch tries */
        bool no_fuse;       /* X-GIO-NoFuse=true: %u takes local files as file:// URIs */
        char *exec;         /* Exec with its string escapes undone, field codes still in */
        char **exec_words;  /* Exec split into words, field codes still in (exec_parse) */
        char **argv;        /* what a launch with no arguments runs (exec_expand) */
        char *file;
        DesktopAction *actions; /* in the order of Actions= */
        size_t n_actions;
        char **only_show_in; /* or NULL */
        char **not_show_in;  /* or NULL */
        char **mime_types;   /* MimeType=, or NULL */
        unsigned data_dir;   /* the index of its data directory in the scan's list */
} DesktopEntry;

typedef struct EntryCache EntryCache;

/* The data directories in order of precedence: $XDG_DATA_HOME (default
 * ~/.local/share), then each of $XDG_DATA_DIRS (default
 * /usr/local/share:/usr/share); relative paths are ignored, as the XDG
 * specification asks. */
char **xdg_data_dirs(void);

/* The locale names are matched against: LC_ALL, else LC_MESSAGES, else
 * LANG; NULL when none is set. */
const char *entries_locale(void);

/* Scans <dir>/applications of every data directory, recursively. The first
 * file for an ID wins before any filtering, so a Hidden=true entry masks
 * the ID in every directory after it. Skipped: Hidden, no Exec, a Type
 * other than Application, a TryExec that names no executable, and files
 * that do not parse, whose Exec is malformed, or whose Name or Exec is not
 * UTF-8 (those with a warning naming file and line; an optional key that
 * is not UTF-8 is dropped with one). NoDisplay entries are kept, marked.
 * Never fails for a bad file; -ENOMEM only. */
int entry_cache_scan(char *const *data_dirs, const char *locale, EntryCache **ret);
EntryCache *entry_cache_free(EntryCache *c);
DEFINE_TRIVIAL_CLEANUP_FUNC(EntryCache *, entry_cache_free);

/* Entries sorted by ID. */
size_t entry_cache_size(const EntryCache *c);
const DesktopEntry *entry_cache_at(const EntryCache *c, size_t i);

/* The entry of exactly this desktop file ID, with or without its
 * ".desktop" (as mimeapps.list names it), or NULL. */
const DesktopEntry *entry_cache_get(const EntryCache *c, const char *id);

/* The entry for a requested ID ("firefox", "org.mozilla.firefox.desktop"),
 * trying in order: the exact ID; the last dot-separated segment of IDs,
 * case-insensitively (firefox -> org.mozilla.firefox); the whole ID,
 * case-insensitively (alacritty -> Alacritty). NoDisplay entries match
 * only the first step. NULL when none matches. */
const DesktopEntry *entry_cache_resolve(const EntryCache *c, const char *requested);

/* An entry as a client names it: the absolute path of its file
 * (entry_cache_find_file), an ID (entry_cache_resolve), or ID:ACTION when no
 * entry has the whole ID; *ret_action (if not NULL) points at the ACTION
 * part of `requested`, or is NULL. */
const DesktopEntry *entry_cache_lookup(const EntryCache *c, const char *requested, const char **ret_action);

/* The entry whose file is `path` (an absolute path; the same file by
 * another name counts), or NULL: a file that is not in the index (masked by
 * another of its ID, hidden, elsewhere) is none. */
const DesktopEntry *entry_cache_find_file(const EntryCache *c, const char *path);

/* The one listed entry or action whose Exec, field codes removed, is
 * `argv` (exec_matches()); NULL when none or several are. *ret_action is
 * NULL for the entry itself. */
const DesktopEntry *entry_cache_match_exec(const EntryCache *c, char *const *argv,
                                           const DesktopAction **ret_action);

/* The action `id` of an entry, or NULL. */
const DesktopAction *desktop_entry_action(const DesktopEntry *e, const char *id);

/* How the Exec of `e` (or of its action `a`, or NULL) expands: %c the
 * name, %i the action's icon or else the entry's, %k the file; relative
 * paths among the arguments from `cwd`. */
ExecContext desktop_entry_exec_context(const DesktopEntry *e, const DesktopAction *a, const char *cwd);

/* Whether a listing shows `e` (without --all): not NoDisplay, its program
 * found, and shown in `current_desktop` (desktop_entry_shown_in()). */
bool desktop_entry_listed(const DesktopEntry *e, const char *current_desktop);
/* How many a listing shows: every entry with `all`, else those listed. */
size_t entry_cache_count_listed(const EntryCache *c, bool all, const char *current_desktop);

/* OnlyShowIn/NotShowIn against $XDG_CURRENT_DESKTOP (a ':'-separated list,
 * NULL when unset): for listing only, never for launching by ID. */
bool desktop_entry_shown_in(const DesktopEntry *e, const char *current_desktop);
