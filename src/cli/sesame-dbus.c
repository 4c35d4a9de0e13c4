/* SPDX-License-Identifier: MIT */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <systemd/sd-journal.h>

#include "cli/cli.h"
#include "cli/launcher-units.h"
#include "common/log.h"
#include "spawn/spawn.h"

/* The sesame commands that speak D-Bus, executed by sesame with its own
 * arguments (sesame.c says why): argv[1] is the command. */
static const Command commands[] = {
        { "run", cmd_run, NULL },
        { "secret", cmd_secret, NULL },
        { "unlock", cmd_unlock, NULL },
        { "notify", cmd_notify, NULL },
        { "launcher-state", cmd_launcher_state, NULL },
        { "doctor", cmd_doctor, NULL },
        { "logs", cmd_logs, NULL },
};

int main(int argc, char *argv[]) {
        /* Before anything changes them: the limits children get back
         * (exec kept sesame's, which changed none). */
        spawn_save_rlimits();
        /* A child that dies before we write to its pipe is an EPIPE to handle,
         * not a signal that kills us. Children get default dispositions. */
        signal(SIGPIPE, SIG_IGN);
        log_setup("sesame", LOG_TARGET_AUTO, false, sd_journal_sendv);

        for (size_t i = 0; argc >= 2 && i < ELEMENTSOF(commands); i++)
                if (strcmp(argv[1], commands[i].name) == 0)
                        return commands[i].run(argc - 1, argv + 1);
        fprintf(stderr, "sesame-dbus: run through sesame: sesame run|secret|unlock ...\n");
        return EXIT_USAGE;
}
