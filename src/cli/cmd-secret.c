/* SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli.h"
#include "common/secure.h"
#include "common/strv.h"
#include "config/launcher-conf.h"
#include "secrets/secret-service.h"

#define TIMEOUT_USEC (25 * 1000000ULL)

static void help(void) {
        printf("Usage: sesame secret set NAME [--profile P] [--label L]\n"
               "       sesame secret list [--profile P]\n"
               "       sesame secret rm NAME [--profile P]\n"
               "\n"
               "Secrets live in the Secret Service (GNOME Keyring, KeePassXC, KWallet) as\n"
               "items with the attributes sesame-profile=P and sesame-secret=NAME, in the\n"
               "collection the trust profile names ([TrustProfile P] Collection=) or the\n"
               "default one. A launch profile's Secret=NAME puts the value in the app's\n"
               "environment as NAME in upper case with '-' as '_'.\n"
               "\n"
               "  set   read the value from standard input (without echo on a terminal; a\n"
               "        final newline is not part of it) and store it, replacing any\n"
               "        earlier value\n"
               "  list  names and trust profiles of the stored secrets; never values\n"
               "  rm    delete a secret\n"
               "\n"
               "  -p, --profile P  the trust profile (default: the configuration's)\n"
               "  -l, --label L    the item's label in the keyring\n");
}

/* The value from stdin, in a secure buffer; no echo on a terminal. */
static char *read_value(size_t *ret_len) {
        struct termios old, quiet;
        bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
        if (tty) {
                fprintf(stderr, "Secret value: ");
                quiet = old;
                quiet.c_lflag &= ~(tcflag_t) ECHO;
                tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
        }
        size_t cap = SECRET_VALUE_MAX + 2, len = 0;
        char *v = secure_alloc(cap);
        if (v) {
                ssize_t n;
                while (len < cap - 1 && (n = read(STDIN_FILENO, v + len, cap - 1 - len)) > 0) {
                        len += (size_t) n;
                        if (tty && memchr(v, '\n', len))
                                break;
                }
        }
        if (tty) {
                tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
                fputc('\n', stderr);
        }
        if (!v)
                return NULL;
        if (len > 0 && v[len - 1] == '\n')
                v[--len] = 0;
        if (tty && len > 0 && v[len - 1] == '\r')
                v[--len] = 0;
        *ret_len = len;
        return v;
}

static int open_service(const char *who, SecretService **ret, sd_bus **bus) {
        int r = sd_bus_open_user(bus);
        Error e = {};
        if (r < 0) {
                fprintf(stderr, "%s: no session bus: %s\n", who, strerror(-r));
                return 1;
        }
        if (secret_service_open(ret, *bus, TIMEOUT_USEC, &e) < 0) {
                fprintf(stderr, "%s: %s\n", who, error_message(&e));
                return 1;
        }
        return 0;
}

static int load_config(const char *who, Config **ret) {
        _cleanup_free_ char *path = config_default_path();
        if (config_load(path ? path : "/nonexistent", true, ret) < 0) {
                fprintf(stderr, "%s: out of memory\n", who);
                return -ENOMEM;
        }
        return 0;
}

/* A trust profile the configuration left out is not used: its collection
 * may be the line in error. */
static bool trust_profile_usable(const char *who, const Config *config, const char *profile) {
        const TrustProfile *tp = config_trust_profile(config, profile);
        if (!tp || !tp->invalid)
                return true;
        fprintf(stderr, "%s: trust profile '%s' is left out of the configuration: %s (sesame config check)\n", who,
                profile, tp->invalid);
        return false;
}

/* sesame secret set: the value from standard input, stored. */
static int secret_set(SecretService *s, const char *profile, const char *name, const char *label,
                      const TrustProfile *tp) {
        Error e = {};
        size_t len = 0;
        char *value = read_value(&len);
        if (!value) {
                fprintf(stderr, "sesame secret set: out of memory\n");
                return 1;
        }
        int r = len == 0 ? error_setf(&e, -EINVAL, "empty value: nothing stored")
                         : secret_service_store(s, profile, name, label, tp ? tp->collection : NULL, value, len, &e);
        secure_free(value, SECRET_VALUE_MAX + 2);
        if (r < 0) {
                fprintf(stderr, "sesame secret set: %s\n", error_message(&e));
                return 1;
        }
        printf("stored %s for trust profile %s\n", name, profile);
        return 0;
}

/* A trust profile's vault: the object path of its Collection= (*ret), or
 * NULL when it has none (then its secrets may be in any collection, as the
 * launcher looks for them). */
static int profile_collection(SecretService *s, const Config *config, const char *profile, char **ret) {
        const TrustProfile *tp = config_trust_profile(config, profile);
        *ret = NULL;
        if (!tp || !tp->collection)
                return 0;
        Error e = {};
        if (secret_service_collection(s, tp->collection, ret, &e) < 0) {
                fprintf(stderr, "sesame secret: trust profile %s: %s\n", profile, error_message(&e));
                return -ENOENT;
        }
        return 0;
}

/* Whether an object (an item, or a locked collection listed itself) is in
 * the collection `path` (NULL: any). */
static bool in_collection(const char *object, const char *path) {
        size_t n = path ? strlen(path) : 0;
        return !path || (strncmp(object, path, n) == 0 && (object[n] == '/' || object[n] == 0));
}

/* Whether any of `objects` is in the collection `path` (NULL: any). */
static bool any_in_collection(char **objects, const char *path) {
        for (char **i = objects; i && *i; i++)
                if (in_collection(*i, path))
                        return true;
        return false;
}

/* sesame secret rm: each of the unlocked items that is this secret, in the
 * trust profile's collection when it names one. */
static int secret_rm(SecretService *s, const Config *config, const char *profile, const char *name, char **unlocked,
                     char **locked) {
        Error e = {};
        _cleanup_free_ char *vault = NULL;
        if (profile_collection(s, config, profile, &vault) < 0)
                return 1;
        size_t removed = 0;
        for (char **i = unlocked; *i; i++) {
                _cleanup_free_ char *p = NULL, *n = NULL;
                if (!in_collection(*i, vault) || secret_service_item_attributes(s, *i, &p, &n, &e) < 0 || !p || !n ||
                    strcmp(p, profile) != 0 || strcmp(n, name) != 0)
                        continue;
                if (secret_service_delete(s, *i, &e) < 0) {
                        fprintf(stderr, "sesame secret rm: %s\n", error_message(&e));
                        return 1;
                }
                removed++;
        }
        /* Locked vaults are hinted at only when they may hold it. */
        if (removed == 0 && any_in_collection(locked, vault)) {
                fprintf(stderr, "sesame secret rm: no secret %s of trust profile %s in the unlocked vaults, "
                        "and some are locked; run: sesame unlock %s\n",
                        name, profile, profile);
                return 1;
        }
        if (removed == 0) {
                fprintf(stderr, "sesame secret rm: no secret %s in trust profile %s\n", name, profile);
                return 1;
        }
        printf("removed %s from trust profile %s\n", name, profile);
        return 0;
}

/* sesame secret list: ours, of `profile` (or all), each in its trust
 * profile's collection when that names one, the locked ones marked. */
static int secret_list(SecretService *s, const Config *config, const char *profile, char **unlocked, char **locked) {
        Error e = {};
        char **lists[] = { unlocked, locked };
        size_t listed = 0, hidden = 0;
        for (size_t l = 0; l < 2; l++)
                for (char **i = lists[l]; *i; i++) {
                        _cleanup_free_ char *p = NULL, *n = NULL, *vault = NULL;
                        if (secret_service_item_attributes(s, *i, &p, &n, &e) < 0) {
                                /* A locked collection that shows no items, or
                                 * an item it does not let us read. */
                                hidden += l;
                                continue;
                        }
                        if (!p || !n)
                                continue; /* not one of ours */
                        if ((profile && strcmp(p, profile) != 0) || profile_collection(s, config, p, &vault) < 0 ||
                            !in_collection(*i, vault))
                                continue;
                        printf("%s\t%s%s\n", p, n, l ? "\t(locked)" : "");
                        listed++;
                }
        /* Said on stderr: standard output stays the list, for a script. */
        if (hidden > 0)
                fprintf(stderr, "sesame secret list: %zu locked collection%s or item%s show%s nothing of what %s "
                        "hold%s (an unlock prompt may be open); run: sesame unlock\n",
                        hidden, hidden == 1 ? "" : "s", hidden == 1 ? "" : "s", hidden == 1 ? "s" : "",
                        hidden == 1 ? "it" : "they", hidden == 1 ? "s" : "");
        else if (listed == 0)
                fprintf(stderr, "sesame secret list: no secret of sesame's is stored%s%s (store one: sesame secret "
                        "set NAME)\n", profile ? " for trust profile " : "", profile ? profile : "");
        return 0;
}

int cmd_secret(int argc, char *argv[]) {
        static const struct option options[] = {
                { "profile", required_argument, NULL, 'p' },
                { "label", required_argument, NULL, 'l' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        const char *profile = NULL, *label = NULL;
        int c;
        while ((c = getopt_long(argc, argv, "p:l:h", options, NULL)) >= 0) {
                switch (c) {
                case 'p':
                        profile = optarg;
                        break;
                case 'l':
                        label = optarg;
                        break;
                case 'h':
                        help();
                        return 0;
                default:
                        fprintf(stderr, "sesame secret: see 'sesame secret --help'\n");
                        return EXIT_USAGE;
                }
        }
        const char *verb = optind < argc ? argv[optind] : NULL;
        const char *name = optind + 1 < argc ? argv[optind + 1] : NULL;
        bool needs_name = verb && (strcmp(verb, "set") == 0 || strcmp(verb, "rm") == 0);
        if (!verb || (needs_name && (!name || optind + 2 != argc)) || (!needs_name && strcmp(verb, "list") != 0) ||
            (!needs_name && optind + 1 != argc)) {
                fprintf(stderr, "sesame secret: expected set NAME, list or rm NAME (see 'sesame secret --help')\n");
                return EXIT_USAGE;
        }

        /* The trust profile's collection comes from the configuration. */
        _cleanup_(config_freep) Config *config = NULL;
        if (load_config("sesame secret", &config) < 0)
                return 1;
        if (!profile && strcmp(verb, "list") != 0)
                profile = config->default_profile;
        if (profile && !config_has_trust_profile(config, profile)) {
                fprintf(stderr,
                        "sesame secret: no trust profile '%s' in %s: nothing done (a [TrustProfile %s] section, or "
                        "a [LaunchProfile %s:NAME], makes one)\n",
                        profile, config->path ? config->path : "launcher.conf", profile, profile);
                return 1;
        }
        if (profile && !trust_profile_usable("sesame secret", config, profile))
                return 1;
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(secret_service_freep) SecretService *s = NULL;
        int r = open_service("sesame secret", &s, &bus);
        if (r != 0)
                return r;
        if (strcmp(verb, "set") == 0)
                return secret_set(s, profile, name, label, config_trust_profile(config, profile));

        /* The collections' items, never a search: a search of a locked
         * KeePassXC database waits for its unlock dialog. */
        Error e = {};
        _cleanup_(strv_freep) char **unlocked = NULL, **locked = NULL;
        if (secret_service_search(s, NULL, NULL, &unlocked, &locked, &e) < 0) {
                fprintf(stderr, "sesame secret %s: %s\n", verb, error_message(&e));
                return 1;
        }
        if (strcmp(verb, "rm") == 0)
                return secret_rm(s, config, profile, name, unlocked, locked);
        return secret_list(s, config, profile, unlocked, locked);
}

static void unlock_help(void) {
        printf("Usage: sesame unlock [PROFILE...]\n"
               "\n"
               "Asks the Secret Service to unlock the collections that hold the secrets of\n"
               "these trust profiles (default: the configuration's DefaultProfile), so that\n"
               "launches with their secrets are no longer refused with VaultsLocked. When\n"
               "the service asks for a password, its prompt appears on the desktop and this\n"
               "command waits for it to be answered.\n"
               "\n"
               "Exit status: 0 unlocked (or already unlocked); 1 error; 2 bad usage;\n"
               "15 still locked (the prompt was dismissed).\n");
}

int cmd_unlock(int argc, char *argv[]) {
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                {},
        };
        int c;
        while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0) {
                if (c != 'h') {
                        fprintf(stderr, "sesame unlock: see 'sesame unlock --help'\n");
                        return EXIT_USAGE;
                }
                unlock_help();
                return 0;
        }

        _cleanup_(config_freep) Config *config = NULL;
        if (load_config("sesame unlock", &config) < 0)
                return 1;
        char *default_profile[] = { config->default_profile, NULL };
        char **profiles = optind < argc ? argv + optind : default_profile;
        for (char **p = profiles; *p; p++)
                if (!config_has_trust_profile(config, *p)) {
                        fprintf(stderr, "sesame unlock: no trust profile '%s' in the configuration\n", *p);
                        return 1;
                } else if (!trust_profile_usable("sesame unlock", config, *p))
                        return 1;

        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(secret_service_freep) SecretService *s = NULL;
        int r = open_service("sesame unlock", &s, &bus);
        if (r != 0)
                return r;

        /* A profile with Collection= is that collection. One without keeps
         * its secrets wherever they were stored: the default collection
         * (where sesame secret set puts them) and whatever collections hold
         * its locked items; Unlock takes items as well and unlocks theirs.
         * Profiles that share a collection share one unlock. */
        _cleanup_(strv_freep) char **objects = NULL;
        Error e = {};
        for (char **p = profiles; *p; p++) {
                const TrustProfile *tp = config_trust_profile(config, *p);
                _cleanup_free_ char *path = NULL;
                _cleanup_(strv_freep) char **unlocked = NULL, **locked = NULL;
                if (secret_service_collection(s, tp ? tp->collection : NULL, &path, &e) < 0 ||
                    (!(tp && tp->collection) && secret_service_search(s, *p, NULL, &unlocked, &locked, &e) < 0)) {
                        fprintf(stderr, "sesame unlock: %s: %s\n", *p, error_message(&e));
                        return 1;
                }
                r = strv_contains(objects, path) ? 0 : strv_push(&objects, TAKE_PTR(path));
                for (char **i = locked; r >= 0 && i && *i; i++)
                        r = strv_contains(objects, *i) ? 0 : strv_push(&objects, strdup(*i));
                if (r < 0) {
                        fprintf(stderr, "sesame unlock: out of memory\n");
                        return 1;
                }
        }
        r = secret_service_unlock(s, objects, &e);
        if (r < 0) {
                fprintf(stderr, "sesame unlock: %s\n", error_message(&e));
                return r == -ECANCELED ? EXIT_VAULTS_LOCKED : 1;
        }
        for (char **p = profiles; *p; p++)
                printf("unlocked %s\n", *p);
        return 0;
}
