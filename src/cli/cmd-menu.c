/* SPDX-License-Identifier: MIT */
/* sesame menu: the launcher's ranked list through any dmenu-style picker,
 * and the pick launched. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/picker.h"
#include "common/path.h"
#include "common/strv.h"
#include "config/launcher-conf.h"
#include "ipc/proto.h"

static void menu_help(void) {
        printf("Usage: sesame menu [--picker COMMAND] [--icons=WHEN] [--tag TAG]... [--profile P]\n"
               "                   [--dry-run]\n"
               "\n"
               "Show every app (and each desktop action, as 'Name — Action') in a\n"
               "dmenu-style picker, ranked as sesame search ranks an empty query (most\n"
               "used lately first, then by name), and launch the one picked with the\n"
               "tags, as sesame launch does. Names that two results share get their ID\n"
               "in parentheses. A line the picker prints that is not in the list (text\n"
               "typed into it) is searched, and the best match launched. A picker that\n"
               "ends without printing anything (cancelled) launches nothing: exit 0.\n"
               "\n"
               "The picker: --picker, else Picker= in sesame-launcher.conf(5), else the\n"
               "first installed of: fuzzel --dmenu, wofi --dmenu, bemenu, tofi (with\n"
               "WAYLAND_DISPLAY), rofi -dmenu (with DISPLAY), and fzf on a terminal.\n"
               "COMMAND is run by /bin/sh: the list on its stdin, one name per line,\n"
               "the pick read from its stdout.\n"
               "\n"
               "Options:\n"
               "      --picker COMMAND  the picker's command line\n"
               "      --icons=WHEN      send each app's icon (rofi's dmenu extension:\n"
               "                        NAME\\0icon\\x1fICON): auto (for fuzzel and rofi, the\n"
               "                        default), always, never\n"
               "  -t, --tag TAG         a tag for the launch (repeatable)\n"
               "      --profile P       the trust profile of the launch\n"
               "      --dry-run         show the launch's plan instead of launching\n"
               "  -h, --help            show this help\n"
               "\n"
               "Exit status: 0 launched, or cancelled; 3 the typed text matches no app;\n"
               "4 the picker cannot be run; else as sesame launch.\n");
}

typedef struct Choice {
        const char *id, *action, *name; /* in the reply's lines */
        const char *icon;               /* the entry's Icon=, or NULL */
        char *line;                     /* as the picker shows it, or NULL: the name */
} Choice;

static int compare_names(const void *a, const void *b) {
        const Choice *x = *(const Choice *const *) a, *y = *(const Choice *const *) b;
        return strcmp(x->name, y->name);
}

/* The search's ID<TAB>ACTION<TAB>NAME[<TAB>ICON] lines (cut in place) as
 * choices, and the names two share made distinct with their ID. */
static int menu_choices(char *lines, Choice **ret, size_t *ret_n) {
        size_t n = 0, cap = 0;
        Choice *c = NULL;
        for (char *l = lines; *l;) {
                char *end = strchrnul(l, '\n'), *tab1 = strchr(l, '\t'), *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
                char *next = *end ? end + 1 : end;
                if (!tab2 || tab2 > end)
                        break;
                if (GROW(c, cap, n + 1, 256) < 0) {
                        free(c);
                        return -ENOMEM;
                }
                char *tab3 = memchr(tab2 + 1, '\t', (size_t) (end - tab2 - 1));
                *tab1 = *tab2 = *end = 0;
                if (tab3)
                        *tab3 = 0;
                c[n++] = (Choice){ .id = l, .action = tab1[1] ? tab1 + 1 : NULL, .name = tab2 + 1,
                                   .icon = tab3 && tab3[1] ? tab3 + 1 : NULL };
                l = next;
        }
        _cleanup_free_ Choice **by_name = calloc(n ? n : 1, sizeof(Choice *));
        if (!by_name) {
                free(c);
                return -ENOMEM;
        }
        for (size_t i = 0; i < n; i++)
                by_name[i] = &c[i];
        qsort(by_name, n, sizeof(*by_name), compare_names);
        for (size_t i = 0; i < n; i++) {
                bool shared = (i > 0 && strcmp(by_name[i]->name, by_name[i - 1]->name) == 0) ||
                              (i + 1 < n && strcmp(by_name[i]->name, by_name[i + 1]->name) == 0);
                Choice *ch = by_name[i];
                if (shared && asprintf(&ch->line, "%s (%s%s%s)", ch->name, ch->id, ch->action ? ":" : "",
                                       ch->action ?: "") < 0)
                        ch->line = NULL; /* then shown as its name */
        }
        *ret = c;
        *ret_n = n;
        return 0;
}

static const char *choice_line(const Choice *c) {
        return c->line ?: c->name;
}

/* The entry (and action) the picked line is: a line of the list, else the
 * best match for it as a query. */
static int resolve_pick(const char *pick, const Choice *c, size_t n, char **ret_id, char **ret_action) {
        for (size_t i = 0; i < n; i++)
                if (strcmp(choice_line(&c[i]), pick) == 0) {
                        *ret_id = strdup(c[i].id);
                        *ret_action = c[i].action ? strdup(c[i].action) : NULL;
                        return 0;
                }
        int status;
        json_t *reply = search_call("sesame menu", pick, 1, true, true, false, &status);
        if (!reply)
                return status;
        _cleanup_free_ char *lines = strdup(json_string_value(json_object_get(reply, "lines")) ?: "");
        json_decref(reply);
        Choice *top = NULL;
        size_t found = 0;
        if (!lines || menu_choices(lines, &top, &found) < 0)
                return 1;
        if (found == 0) {
                fprintf(stderr, "sesame menu: no app matches '%s'\n", pick);
                free(top);
                return EXIT_NO_MATCH;
        }
        *ret_id = strdup(top[0].id);
        *ret_action = top[0].action ? strdup(top[0].action) : NULL;
        free(top[0].line);
        free(top);
        return 0;
}

/* The picker started, the list (asked for meanwhile) written to it, its
 * pick mapped back or searched: 0 and the entry (NULL: cancelled) and
 * action, or an exit status after saying why. */
static int menu_pick(const char *picker_arg, bool icons, char **ret_id, char **ret_action) {
        Picker picker = { .pid = -1, .in = -1, .out = -1 };
        int r = picker_start(picker_arg, &picker), status = 0;
        if (r < 0) {
                fprintf(stderr, "sesame menu: cannot run the picker '%s': %s\n", picker_arg, strerror(-r));
                return EXIT_NO_PICKER;
        }
        json_t *reply = search_call("sesame menu", "", 0, true, true, icons, &status);
        bool answered = reply != NULL;
        _cleanup_free_ char *lines = reply ? strdup(json_string_value(json_object_get(reply, "lines")) ?: "") : NULL;
        json_decref(reply);
        Choice *choices = NULL;
        size_t n = 0;
        char *list = NULL;
        size_t len = 0;
        FILE *f = lines && menu_choices(lines, &choices, &n) == 0 ? open_memstream(&list, &len) : NULL;
        for (size_t i = 0; f && i < n; i++) {
                fputs(choice_line(&choices[i]), f);
                /* rofi's dmenu extension, which fuzzel reads too: the name,
                 * NUL, "icon", 0x1f, the icon's name or path. */
                if (icons && choices[i].icon)
                        fprintf(f, "%cicon\x1f%s", 0, choices[i].icon);
                fputc('\n', f);
        }
        if (!f || fclose(f) != 0) {
                if (answered)
                        fprintf(stderr, "sesame menu: out of memory\n");
                picker_abandon(&picker);
                return status ?: 1;
        }

        char *pick = NULL, *id = NULL, *action = NULL;
        r = picker_finish(&picker, list, len, &pick, &status);
        free(list);
        if (r < 0)
                fprintf(stderr, "sesame menu: the picker '%s': %s\n", picker_arg, strerror(-r));
        else if (!pick && WIFEXITED(status) && WEXITSTATUS(status) == 127)
                fprintf(stderr, "sesame menu: the picker '%s' was not found\n", picker_arg);
        if (r < 0 || (!pick && WIFEXITED(status) && WEXITSTATUS(status) == 127))
                r = EXIT_NO_PICKER;
        else if (pick)
                r = resolve_pick(pick, choices, n, &id, &action);
        for (size_t i = 0; i < n; i++)
                free(choices[i].line);
        free(choices);
        bool picked = pick != NULL;
        free(pick);
        if (r != 0 || !picked) /* nothing picked: cancelled, r is 0 */
                return r;
        if (!id) {
                fprintf(stderr, "sesame menu: out of memory\n");
                free(action);
                return 1;
        }
        *ret_id = id;
        *ret_action = action;
        return 0;
}

/* auto: for the pickers known to read rofi's icon extension in dmenu mode
 * (fuzzel since 1.8, rofi); another would show the bytes as text. */
static bool send_icons(const char *when, const char *picker) {
        if (strcmp(when, "auto") != 0)
                return strcmp(when, "always") == 0;
        char program[256];
        snprintf(program, sizeof(program), "%.*s", (int) strcspn(picker, " \t"), picker);
        const char *base = strrchr(program, '/') ? strrchr(program, '/') + 1 : program;
        return strcmp(base, "fuzzel") == 0 || strcmp(base, "rofi") == 0;
}

int cmd_menu(int argc, char *argv[]) {
        enum { ARG_PICKER = 0x100, ARG_PROFILE, ARG_DRY_RUN, ARG_ICONS };
        static const struct option options[] = {
                { "picker", required_argument, NULL, ARG_PICKER },
                { "icons", required_argument, NULL, ARG_ICONS },
                { "tag", required_argument, NULL, 't' },
                { "profile", required_argument, NULL, ARG_PROFILE },
                { "dry-run", no_argument, NULL, ARG_DRY_RUN },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        const char *picker_given = NULL, *profile = NULL, *icons = "auto";
        bool dry_run = false;
        _cleanup_(strv_freep) char **tags = calloc(1, sizeof(char *));
        int c;
        while ((c = getopt_long(argc, argv, "t:h", options, NULL)) >= 0) {
                switch (c) {
                case ARG_PICKER:
                        picker_given = optarg;
                        break;
                case 't':
                        if (strv_push(&tags, strdup(optarg)) < 0)
                                return 1;
                        break;
                case ARG_PROFILE:
                        profile = optarg;
                        break;
                case ARG_DRY_RUN:
                        dry_run = true;
                        break;
                case ARG_ICONS:
                        if (strcmp(optarg, "auto") != 0 && strcmp(optarg, "always") != 0 && strcmp(optarg, "never") != 0) {
                                fprintf(stderr, "sesame menu: --icons takes auto, always or never\n");
                                return EXIT_USAGE;
                        }
                        icons = optarg;
                        break;
                case 'h':
                        menu_help();
                        return 0;
                default:
                        fprintf(stderr, "sesame menu: see 'sesame menu --help'\n");
                        return EXIT_USAGE;
                }
        }
        if (optind < argc) {
                fprintf(stderr, "sesame menu: unexpected '%s' (see 'sesame menu --help')\n", argv[optind]);
                return EXIT_USAGE;
        }
        _cleanup_free_ char *picker_arg = picker_choose(picker_given);
        if (!picker_arg) {
                fprintf(stderr, "sesame menu: no picker found (fuzzel, wofi, rofi, bemenu, tofi, or fzf on a "
                                "terminal); name one with --picker or Picker= in launcher.conf\n");
                return EXIT_NO_PICKER;
        }

        char *id = NULL, *action = NULL;
        int r = menu_pick(picker_arg, send_icons(icons, picker_arg), &id, &action);
        if (r != 0 || !id) /* nothing picked: cancelled, r is 0 */
                return r;

        /* The launch, as sesame launch makes it (its reporting and exit
         * statuses included). */
        char *no_args[] = { NULL };
        Request req = { .method = REQUEST_LAUNCH,
                        .entry_id = id,
                        .action = action,
                        .profile = (char *) profile,
                        .tags = tags,
                        .args = no_args,
                        .dry_run = dry_run,
                        .activation_token = (char *) launch_activation_token() };
        LaunchOptions o = LAUNCH_OPTIONS_DEFAULT;
        r = launch_run(&o, &req);
        free(id);
        free(action);
        return r;
}
