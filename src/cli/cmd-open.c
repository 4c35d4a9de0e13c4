/* SPDX-License-Identifier: MIT */
/* sesame open: files and URLs, each opened by the app a rule of
 * launcher.conf or its type's default names, launched by the launcher as
 * sesame launch launches: in a scope of its own, with the launch profiles
 * it gets, never with this process's environment. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/picker.h"
#include "common/strv.h"
#include "desktop/exec.h"
#include "desktop/mime-type.h"
#include "ipc/proto.h"

#define WHO "sesame open"

static void open_help(void) {
        printf("Usage: sesame open [OPTIONS...] TARGET...\n"
               "       sesame open --set-default TYPE...\n"
               "       sesame open --unset-default TYPE...\n"
               "\n"
               "Open files and URLs. Each TARGET is a path (relative ones from here),\n"
               "a file:// URI or any URL. A file's type comes from the shared MIME-info\n"
               "database (its name, else its first bytes), a URL's is\n"
               "x-scheme-handler/SCHEME. The first [Open NAME] rule of launcher.conf that\n"
               "matches names the app and its tags; without one, the type's default\n"
               "application does, as GIO chooses it (mimeapps.list). The launcher starts\n"
               "it in its own scope with the launch profiles of the tags: nothing of the\n"
               "program that called sesame open (its variables, its secrets) reaches it.\n"
               "Targets for the same app are opened together (one instance each where\n"
               "its Exec takes %%f or %%u).\n"
               "\n"
               "  -t, --tag TAG          a launch profile for the app (repeatable; instead\n"
               "                         of the rule's Tags=)\n"
               "      --profile NAME     the trust profile (default: DefaultProfile)\n"
               "  -e, --entry ID         open with this entry, whatever the rules and the\n"
               "                         defaults say\n"
               "      --action ACTION    a desktop action of it\n"
               "      --ask              pick the app among those for the type (the default\n"
               "                         first) in sesame menu's picker\n"
               "      --picker COMMAND   the picker for --ask (default: as sesame menu)\n"
               "      --dry-run          show each target's type, rule, app, tags and argv;\n"
               "                         start nothing\n"
               "      --json             print the launcher's replies as JSON\n"
               "      --notify WHEN      auto (default: when not on a terminal), always or\n"
               "                         never: say failures as desktop notifications\n"
               "      --set-default      make sesame the default application of each TYPE\n"
               "                         (x-scheme-handler/https, text/html...) in\n"
               "                         $XDG_CONFIG_HOME/mimeapps.list, keeping the ones\n"
               "                         before after it: sesame opens with those\n"
               "      --unset-default    take sesame out of each TYPE's defaults again\n"
               "  -h, --help             show this help\n"
               "\n"
               "Exit status: 0 opened; 32 no application opens a target's type; 33 a\n"
               "target is not there; else as sesame launch. See sesame(1).\n");
}

typedef struct OpenArgs {
        LaunchOptions o;
        char **tags;
        const char *profile, *entry, *action, *picker;
        bool ask, dry_run, set_default, unset_default;
} OpenArgs;

/* One target as the launcher is told of it. */
typedef struct Target {
        const char *given;
        char *uri;  /* a URL; a file as its file:// URI */
        char *type;
} Target;

static void targets_free(Target *t, size_t n) {
        for (size_t i = 0; t && i < n; i++) {
                free(t[i].uri);
                free(t[i].type);
        }
        free(t);
}

/* "https://x" -> "x-scheme-handler/https" (schemes are case-insensitive). */
static char *scheme_type(const char *url) {
        size_t n = strcspn(url, ":");
        char *type = NULL;
        if (asprintf(&type, "x-scheme-handler/%.*s", (int) n, url) < 0)
                return NULL;
        for (char *c = type + strlen("x-scheme-handler/"); *c; c++)
                if (*c >= 'A' && *c <= 'Z')
                        *c = (char) (*c - 'A' + 'a');
        return type;
}

/* A target read: 0, or an exit status after saying why. A file must be
 * there: its type is read from it, and an app given a file that is not
 * would say so less clearly, or make it. */
static int target_read(const char *arg, const char *cwd, Target *t) {
        t->given = arg;
        if (exec_is_uri(arg) && strncasecmp(arg, "file:", 5) != 0) {
                if (strlen(arg) > REQUEST_STRING_MAX) {
                        fprintf(stderr, WHO ": a URL of %zu bytes: at most %d are passed to an app\n", strlen(arg),
                                REQUEST_STRING_MAX);
                        return EXIT_USAGE;
                }
                t->uri = strdup(arg);
                t->type = scheme_type(arg);
                return t->uri && t->type ? 0 : 1;
        }

        Error e = {};
        _cleanup_free_ char *path = NULL;
        int r = strncasecmp(arg, "file:", 5) == 0 ? exec_uri_to_path(arg, &path, &e)
                : arg[0] == '/'              ? ((path = strdup(arg)) ? 0 : -ENOMEM)
                                             : (asprintf(&path, "%s/%s", cwd, arg) < 0 ? -ENOMEM : 0);
        if (r < 0) {
                fprintf(stderr, WHO ": %s\n", r == -ENOMEM ? "out of memory" : error_message(&e));
                return r == -ENOMEM ? 1 : EXIT_USAGE;
        }
        if ((r = mime_type_of_file(path, &t->type, &e)) < 0) {
                fprintf(stderr, WHO ": %s\n", r == -ENOMEM ? "out of memory" : error_message(&e));
                return r == -ENOMEM ? 1 : EXIT_NO_TARGET;
        }
        if (!(t->uri = exec_path_to_uri(path)))
                return 1;
        /* The type and its parents, where a handler may be found: read here,
         * where the database is loaded already (the launcher loads none). */
        _cleanup_(strv_freep) char **fallbacks = mime_type_fallbacks(t->type);
        free(t->type);
        t->type = fallbacks ? strv_join(fallbacks, ";") : NULL;
        if (!t->type)
                return 1;
        if (strlen(t->uri) > REQUEST_STRING_MAX) {
                fprintf(stderr, WHO ": %s: a path this long (%zu bytes as a URI) is not passed to an app\n", arg,
                        strlen(t->uri));
                return EXIT_USAGE;
        }
        return 0;
}

/* The Open request's reply: which app for each target. */
static json_t *ask_launcher(const OpenArgs *a, const Target *t, size_t n, int *ret_status) {
        _cleanup_free_ char **uris = calloc(n + 1, sizeof(char *)), **types = calloc(n + 1, sizeof(char *));
        if (!uris || !types) {
                *ret_status = 1;
                return NULL;
        }
        for (size_t i = 0; i < n; i++) {
                uris[i] = t[i].uri;
                types[i] = t[i].type;
        }
        Request req = { .method = REQUEST_OPEN, .targets = uris, .types = types, .tags = a->tags,
                        .entry_id = (char *) a->entry, .action = (char *) a->action, .profile = (char *) a->profile,
                        .desktop = getenv("XDG_CURRENT_DESKTOP"), .ask = a->ask };
        _cleanup_free_ char *text = request_format(&req);
        json_t *reply = NULL;
        int r = text ? call_checked(WHO, text, &reply) : 1;
        if (r != 0) {
                *ret_status = r;
                if (call_failure())
                        *ret_status = launch_notify(&a->o, &(Request){ .method = REQUEST_LAUNCH }, r, call_failure());
                return NULL;
        }
        return reply;
}

/* --ask: the app picked among the candidates, or NULL (cancelled: nothing
 * opened, not an error), as a new string; an exit status in *ret_status. */
static char *pick_app(const OpenArgs *a, json_t *candidates, const char *type, int *ret_status) {
        _cleanup_free_ char *command = picker_choose(a->picker);
        *ret_status = 0;
        if (!command) {
                fprintf(stderr, WHO ": --ask: no picker (give one with --picker, or Picker= in launcher.conf)\n");
                *ret_status = EXIT_NO_PICKER;
                return NULL;
        }
        char *list = NULL;
        size_t len = 0, i;
        json_t *c;
        FILE *f = open_memstream(&list, &len);
        json_array_foreach(f ? candidates : NULL, i, c) fprintf(f, "%s (%s)\n",
                                                                 json_string_value(json_object_get(c, "name")),
                                                                 json_string_value(json_object_get(c, "id")));
        if (!f || fclose(f) != 0) {
                *ret_status = 1;
                return NULL;
        }
        Picker p;
        char *pick = NULL;
        int status = 0, r = picker_start(command, &p);
        if (r >= 0)
                r = picker_finish(&p, list, len, &pick, &status);
        free(list);
        if (r < 0 || (!pick && WIFEXITED(status) && WEXITSTATUS(status) == 127)) {
                fprintf(stderr, WHO ": --ask: cannot run the picker '%s'\n", command);
                *ret_status = EXIT_NO_PICKER;
                return NULL;
        }
        char *id = NULL;
        json_array_foreach(pick ? candidates : NULL, i, c) {
                char line[1024];
                snprintf(line, sizeof(line), "%s (%s)", json_string_value(json_object_get(c, "name")),
                         json_string_value(json_object_get(c, "id")));
                if (!id && strcmp(line, pick) == 0)
                        id = strdup(json_string_value(json_object_get(c, "id")));
        }
        if (pick && !id) {
                fprintf(stderr, WHO ": --ask: '%s' is none of the apps for %s\n", pick, type);
                *ret_status = EXIT_NO_MATCH;
        }
        free(pick);
        return id;
}

/* The targets one app opens with the same profiles, in their order. */
typedef struct Group {
        char *entry_id;
        const char *action;
        json_t *tags;
        char **args;
        size_t *members; /* indexes of the targets */
        size_t n;
} Group;

static bool same_group(const Group *g, const char *entry_id, const char *action, json_t *tags) {
        return strcmp(g->entry_id, entry_id) == 0 && !strcmp(g->action ?: "", action ?: "") && json_equal(g->tags, tags);
}

static int group_add(Group **groups, size_t *n, size_t target, const char *uri, const char *entry_id,
                     const char *action, json_t *tags) {
        Group *g = NULL;
        for (size_t i = 0; !g && i < *n; i++)
                if (same_group(&(*groups)[i], entry_id, action, tags))
                        g = &(*groups)[i];
        if (!g) {
                Group *l = realloc(*groups, (*n + 1) * sizeof(*l));
                if (!l)
                        return -ENOMEM;
                *groups = l;
                g = &l[(*n)++];
                *g = (Group){ .entry_id = strdup(entry_id), .action = action, .tags = json_incref(tags) };
                if (!g->entry_id)
                        return -ENOMEM;
        }
        size_t *m = realloc(g->members, (g->n + 1) * sizeof(*m));
        if (!m)
                return -ENOMEM;
        g->members = m;
        g->members[g->n++] = target;
        return strv_push(&g->args, strdup(uri));
}

static void groups_free(Group *g, size_t n) {
        for (size_t i = 0; i < n; i++) {
                free(g[i].entry_id);
                json_decref(g[i].tags);
                strv_free(g[i].args);
                free(g[i].members);
        }
        free(g);
}

/* A target no app opens: said, notified, and its status. */
static int target_failed(const OpenArgs *a, const Target *t, json_t *r) {
        const char *message = json_string_value(json_object_get(r, "message")) ?: "cannot be opened";
        char sentence[1200];
        snprintf(sentence, sizeof(sentence), "%s: %s", t->given, message);
        fprintf(stderr, WHO ": %s\n", sentence);
        int status = exit_status_for_error(json_string_value(json_object_get(r, "error")));
        LaunchOptions o = a->o;
        o.more = true;
        return launch_notify(&o, &(Request){ .method = REQUEST_LAUNCH }, status, sentence);
}

/* Each target's app (the reply's, or the one picked): into groups. */
static int make_groups(const OpenArgs *a, const Target *t, json_t *reply, Group **groups, size_t *n_groups) {
        json_t *targets = json_object_get(reply, "targets"), *r;
        size_t i;
        int status = 0;
        /* --ask picks once per type: several files of a type go to one app. */
        json_t *picked = json_object();
        json_array_foreach(targets, i, r) {
                const char *entry_id = json_string_value(json_object_get(r, "entry_id"));
                const char *type = json_string_value(json_object_get(r, "type")) ?: t[i].type;
                json_t *candidates = json_object_get(r, "candidates");
                if (json_object_get(r, "error")) {
                        int s = target_failed(a, &t[i], r);
                        status = status ?: s;
                        continue;
                }
                if (candidates && !a->dry_run) {
                        json_t *p = json_object_get(picked, type);
                        if (!p) {
                                int s = 0;
                                char *id = pick_app(a, candidates, type, &s);
                                status = status ?: s;
                                json_object_set_new(picked, type, p = id ? json_string(id) : json_null());
                                free(id);
                        }
                        entry_id = json_string_value(p);
                }
                if (!entry_id) /* cancelled */
                        continue;
                if (group_add(groups, n_groups, i, t[i].uri, entry_id, json_string_value(json_object_get(r, "action")),
                              json_object_get(r, "tags")) < 0) {
                        status = 1;
                        break;
                }
        }
        json_decref(picked);
        return status;
}

/* A group's Launch request, as sesame launch makes one. */
static Request group_request(const OpenArgs *a, const Group *g, char **tags) {
        return (Request){ .method = REQUEST_LAUNCH, .entry_id = g->entry_id, .action = (char *) g->action,
                          .tags = tags, .args = g->args, .profile = (char *) a->profile, .dry_run = a->dry_run,
                          .activation_token = (char *) launch_activation_token() };
}

static char **tags_of(const Group *g) {
        size_t i, n = json_array_size(g->tags);
        json_t *v;
        char **l = calloc(n + 1, sizeof(char *));
        json_array_foreach(l ? g->tags : NULL, i, v) l[i] = (char *) json_string_value(v);
        return l;
}

/* --dry-run: each target with its type, rule, app, tags, and the argv of
 * the instance that takes it (the launcher's plan). */
static int dry_run(const OpenArgs *a, const Target *t, json_t *reply, const Group *groups, size_t n_groups) {
        json_t *targets = json_object_get(reply, "targets");
        int status = 0;
        for (size_t i = 0; i < n_groups; i++) {
                _cleanup_free_ char **tags = tags_of(&groups[i]);
                Request req = group_request(a, &groups[i], tags);
                _cleanup_free_ char *text = tags ? request_format(&req) : NULL;
                json_t *plan = NULL;
                int r = text ? call_checked(WHO, text, &plan) : 1;
                if (r != 0) {
                        status = status ?: r;
                        continue;
                }
                json_t *instances = json_object_get(plan, "instances");
                bool each = json_array_size(instances) == groups[i].n && groups[i].n > 1;
                for (size_t k = 0; k < groups[i].n; k++) {
                        json_t *o = json_array_get(targets, groups[i].members[k]);
                        json_object_set(o, "argv", json_array_get(instances, each ? k : 0));
                        json_object_set(o, "profile", json_object_get(plan, "profile"));
                }
                json_decref(plan);
        }
        if (a->o.json) {
                print_json(reply);
                return status;
        }
        size_t i;
        json_t *o;
        json_array_foreach(targets, i, o) {
                printf("%s\n", t[i].given);
                printf("  %-9s%s\n", "type:", json_string_value(json_object_get(o, "type")));
                printf("  %-9s%s\n", "rule:", json_string_value(json_object_get(o, "rule")) ?: "(none)");
                printf("  %-9s%s\n", "entry:", json_string_value(json_object_get(o, "entry_id")) ?: "(none)");
                if (json_object_get(o, "action") && !json_is_null(json_object_get(o, "action")))
                        printf("  %-9s%s\n", "action:", json_string_value(json_object_get(o, "action")));
                print_words("  tags:", 11, json_object_get(o, "tags"));
                size_t k;
                json_t *v;
                json_array_foreach(json_object_get(o, "candidates"), k, v) printf(
                        "  %-9s%s (%s)\n", k ? "" : "apps:", json_string_value(json_object_get(v, "name")),
                        json_string_value(json_object_get(v, "id")));
                if (json_array_size(json_object_get(o, "argv")))
                        print_words("  argv:", 11, json_object_get(o, "argv"));
                if (json_object_get(o, "error"))
                        printf("  %-9s%s\n", "error:", json_string_value(json_object_get(o, "message")));
        }
        return status;
}

/* Each group launched as sesame launch launches; the first failure's status. */
static int launch_groups(const OpenArgs *a, const Group *groups, size_t n_groups) {
        _cleanup_free_ char *cwd = get_current_dir_name();
        int status = 0;
        for (size_t i = 0; i < n_groups; i++) {
                _cleanup_free_ char **tags = tags_of(&groups[i]);
                if (!tags)
                        return 1;
                Request req = group_request(a, &groups[i], tags);
                req.cwd = cwd;
                LaunchOptions o = a->o;
                o.more = i + 1 < n_groups;
                int r = launch_run(&o, &req);
                status = status ?: r;
        }
        return status;
}

static int parse_options(OpenArgs *a, int argc, char *argv[]) {
        enum { ARG_PROFILE = 0x100, ARG_ACTION, ARG_ASK, ARG_PICKER, ARG_DRY_RUN, ARG_JSON, ARG_NOTIFY, ARG_SET,
               ARG_UNSET };
        static const struct option options[] = {
                { "tag", required_argument, NULL, 't' },
                { "profile", required_argument, NULL, ARG_PROFILE },
                { "entry", required_argument, NULL, 'e' },
                { "action", required_argument, NULL, ARG_ACTION },
                { "ask", no_argument, NULL, ARG_ASK },
                { "picker", required_argument, NULL, ARG_PICKER },
                { "dry-run", no_argument, NULL, ARG_DRY_RUN },
                { "json", no_argument, NULL, ARG_JSON },
                { "notify", required_argument, NULL, ARG_NOTIFY },
                { "set-default", no_argument, NULL, ARG_SET },
                { "unset-default", no_argument, NULL, ARG_UNSET },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        int c;
        while ((c = getopt_long(argc, argv, "t:e:h", options, NULL)) >= 0) {
                switch (c) {
                case 't':
                        if (strv_push(&a->tags, strdup(optarg)) < 0)
                                return 1;
                        break;
                case ARG_PROFILE:
                        a->profile = optarg;
                        break;
                case 'e':
                        a->entry = optarg;
                        break;
                case ARG_ACTION:
                        a->action = optarg;
                        break;
                case ARG_ASK:
                        a->ask = true;
                        break;
                case ARG_PICKER:
                        a->picker = optarg;
                        break;
                case ARG_DRY_RUN:
                        a->dry_run = true;
                        break;
                case ARG_JSON:
                        a->o.json = true;
                        break;
                case ARG_NOTIFY:
                        if (launch_parse_notify(WHO, optarg, &a->o.notify) < 0)
                                return EXIT_USAGE;
                        break;
                case ARG_SET:
                        a->set_default = true;
                        break;
                case ARG_UNSET:
                        a->unset_default = true;
                        break;
                case 'h':
                        open_help();
                        return -1;
                default:
                        fprintf(stderr, WHO ": see 'sesame open --help'\n");
                        return EXIT_USAGE;
                }
        }
        if (a->action && !a->entry) {
                fprintf(stderr, WHO ": --action goes with --entry\n");
                return EXIT_USAGE;
        }
        if (a->set_default && a->unset_default) {
                fprintf(stderr, WHO ": --set-default or --unset-default, not both\n");
                return EXIT_USAGE;
        }
        return 0;
}

int cmd_open(int argc, char *argv[]) {
        OpenArgs a = { .o = LAUNCH_OPTIONS_DEFAULT };
        a.o.who = WHO;
        int r = parse_options(&a, argc, argv);
        _cleanup_(strv_freep) char **tags = a.tags;
        if (r != 0)
                return r < 0 ? 0 : r;
        char **words = argv + optind;
        size_t n = strv_length(words);
        if (a.set_default || a.unset_default)
                return open_set_default(words, a.set_default);
        if (n == 0) {
                fprintf(stderr, WHO ": nothing to open (see 'sesame open --help')\n");
                return EXIT_USAGE;
        }
        if (n > REQUEST_ARGS_MAX) {
                fprintf(stderr, WHO ": %zu targets: at most %d at once\n", n, REQUEST_ARGS_MAX);
                return EXIT_USAGE;
        }
        _cleanup_free_ char *cwd = get_current_dir_name();
        Target *t = calloc(n, sizeof(*t));
        for (size_t i = 0; t && cwd && r == 0 && i < n; i++)
                r = target_read(words[i], cwd, &t[i]);
        if (!t || !cwd)
                r = 1;
        json_t *reply = r == 0 ? ask_launcher(&a, t, n, &r) : NULL;
        Group *groups = NULL;
        size_t n_groups = 0;
        int status = reply ? make_groups(&a, t, reply, &groups, &n_groups) : r;
        if (reply && a.dry_run)
                r = dry_run(&a, t, reply, groups, n_groups);
        else if (reply)
                r = launch_groups(&a, groups, n_groups);
        groups_free(groups, n_groups);
        json_decref(reply);
        targets_free(t, n);
        return status ?: r;
}
