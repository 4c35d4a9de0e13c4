/* SPDX-License-Identifier: MIT */
#pragma once

/* Exit statuses of the sesame command, after env(1) and the shells, so that
 * `sesame run --wait` can stand in for running the program itself. */
enum {
        EXIT_USAGE = 2,       /* bad command line */
        EXIT_VAULTS_LOCKED = 15, /* a vault is locked (sesame launch, sesame unlock) */
        EXIT_NOT_LAUNCHED = 125, /* sesame failed before the program ran */
        EXIT_CANNOT_EXEC = 126,  /* the program exists but cannot be executed */
        EXIT_NOT_FOUND = 127,    /* the program was not found */
};

/* run is NULL for the commands that sesame-dbus carries (see sesame.c). */
typedef struct Command {
        const char *name;
        int (*run)(int argc, char *argv[]);
        const char *summary;
} Command;

int cmd_config(int argc, char *argv[]);
int cmd_entries(int argc, char *argv[]);
int cmd_keys(int argc, char *argv[]);
int cmd_launch(int argc, char *argv[]);
int cmd_status(int argc, char *argv[]);
/* In sesame-dbus, which links libsystemd and libcrypto: */
int cmd_run(int argc, char *argv[]);
int cmd_secret(int argc, char *argv[]);
int cmd_unlock(int argc, char *argv[]);
