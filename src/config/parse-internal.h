/* SPDX-License-Identifier: MIT */
#pragma once

/* Inside the configuration parser: where errors go, and the parsers of
 * single values that its table of keys (launcher-conf.c) names. */

#include <stdbool.h>
#include <stddef.h>

#include "config/launcher-conf.h"
#include "desktop/keyfile.h"

/* One error, with its line: they are reported in line order, whatever
 * order they are found in. */
typedef struct ConfigError {
        unsigned line;
        size_t seq;
        char *text;
} ConfigError;

/* What every parser is handed: where it is, and where errors go. */
typedef struct ParseContext {
        const char *path;
        ConfigError *errors;
        size_t n_errors, allocated;
        bool oom;
} ParseContext;

/* "PATH:LINE: message"; line 0: the message alone. */
void add_error(ParseContext *ctx, unsigned line, const char *fmt, ...) _printf_(3, 4);
/* Keeps `msg` (taken) as it is, to be reported at `line`. */
void keep_error(ParseContext *ctx, unsigned line, char *msg);
/* The newest error, or NULL. */
const char *last_error(const ParseContext *ctx);
/* The errors as a list in line order (NULL when out of memory), or freed. */
char **errors_take(ParseContext *ctx, bool keep);

bool is_profile_name(const char *s, size_t len);
bool is_secret_name(const char *s);
bool is_assignment(const char *word);
bool is_url_glob(const char *word);
bool is_type_glob(const char *word);
bool is_entry_glob(const char *word);
bool is_tag(const char *word);

/* ---- the parsers: each reads one value into its field, or adds an error */

typedef struct ConfigItem ConfigItem;
/* `object` is the Config, TrustProfile, LaunchProfile or OpenRule the key is in. */
typedef void (*config_parser_t)(ParseContext *ctx, const KeyfileEntry *en, const ConfigItem *item, void *object);

/* One key of one group: adding a key is one row of launcher-conf.c's table. */
struct ConfigItem {
        const char *group; /* GROUP_LAUNCHER, PREFIX_TRUST, PREFIX_LAUNCH or PREFIX_OPEN */
        const char *key;   /* NULL: any of systemd's unit settings (unit-property.h) */
        config_parser_t parse;
        size_t offset;     /* of the field in the object */
        size_t offset_n;   /* of a list's count, for unit settings */
        double min, max;   /* numbers: the bounds (min exclusive when 0) */
        const char *what;  /* what the value is, for the error */
        bool (*check)(const char *word); /* word lists: each word must pass */
};

#define FIELD(object, item, type) ((type *) ((char *) (object) + (item)->offset))

void set_string(ParseContext *ctx, char **field, const char *value);
void parse_nonempty(ParseContext *ctx, const KeyfileEntry *en, const ConfigItem *item, void *object);
void parse_profile_name(ParseContext *ctx, const KeyfileEntry *en, const ConfigItem *item, void *object);
void parse_absolute_path(ParseContext *ctx, const KeyfileEntry *en, const ConfigItem *item, void *object);
void parse_slice(ParseContext *ctx, const KeyfileEntry *en, const ConfigItem *item, void *object);
void parse_scope_mode(ParseContext *ctx, const KeyfileEntry *en, const ConfigItem *item, void *object);
void parse_unit_names(ParseContext *ctx, const KeyfileEntry *en, const ConfigItem *item, void *object);
void parse_bool(ParseContext *ctx, const KeyfileEntry *en, const ConfigItem *item, void *object);
void parse_tristate(ParseContext *ctx, const KeyfileEntry *en, const ConfigItem *item, void *object);
void parse_seconds(ParseContext *ctx, const KeyfileEntry *en, const ConfigItem *item, void *object);
void parse_days(ParseContext *ctx, const KeyfileEntry *en, const ConfigItem *item, void *object);
void parse_unit_setting(ParseContext *ctx, const KeyfileEntry *en, const ConfigItem *item, void *object);
void parse_command(ParseContext *ctx, const KeyfileEntry *en, const ConfigItem *item, void *object);
void parse_output(ParseContext *ctx, const KeyfileEntry *en, const ConfigItem *item, void *object);
void parse_unit_type(ParseContext *ctx, const KeyfileEntry *en, const ConfigItem *item, void *object);
void parse_standard_output(ParseContext *ctx, const KeyfileEntry *en, const ConfigItem *item, void *object);
void parse_word_list(ParseContext *ctx, const KeyfileEntry *en, const ConfigItem *item, void *object);
