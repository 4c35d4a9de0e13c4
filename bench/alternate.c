/* SPDX-License-Identifier: MIT */
/* alternate [--parallel N] ROUNDS NAME_A CMD_A... :: NAME_B CMD_B...
 *
 * Runs two commands in turn, ROUNDS times each (after a few unmeasured warm
 * rounds), so that drift of the machine hits both alike; prints the median,
 * 10th and 90th percentile of each and the ratio of the medians (A / B).
 * With --parallel N, a run is N copies started at once and timed until the
 * last has exited (a burst). Commands run without a shell, stdout and
 * stderr to /dev/null; any failure stops the benchmark. */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "stats.h"

extern char **environ;

static int parallel = 1;

static uint64_t run_once(char **argv) {
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);

        uint64_t start = now_ns();
        for (int i = 0; i < parallel; i++) {
                pid_t pid;
                if (posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ) != 0) {
                        fprintf(stderr, "alternate: cannot run %s\n", argv[0]);
                        exit(1);
                }
        }
        int failed = 0;
        for (int i = 0; i < parallel; i++) {
                int status;
                if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
                        failed++;
        }
        uint64_t elapsed = now_ns() - start;
        posix_spawn_file_actions_destroy(&fa);
        if (failed) {
                fprintf(stderr, "alternate: %d of %d runs of %s failed\n", failed, parallel, argv[0]);
                exit(1);
        }
        return elapsed;
}

int main(int argc, char *argv[]) {
        if (argc > 2 && strcmp(argv[1], "--parallel") == 0) {
                parallel = atoi(argv[2]);
                argv[2] = argv[0];
                argv += 2;
                argc -= 2;
        }
        int split = 0;
        for (int i = 1; i < argc; i++)
                if (strcmp(argv[i], "::") == 0)
                        split = i;
        if (argc < 6 || split < 4 || split > argc - 3) {
                fprintf(stderr, "usage: alternate [--parallel N] ROUNDS NAME_A CMD_A... :: NAME_B CMD_B...\n");
                return 2;
        }
        int rounds = atoi(argv[1]);
        const char *name_a = argv[2], *name_b = argv[split + 1];
        argv[split] = NULL;
        char **cmd_a = argv + 3, **cmd_b = argv + split + 2;

        uint64_t *a = calloc((size_t) rounds, sizeof(uint64_t)), *b = calloc((size_t) rounds, sizeof(uint64_t));
        for (int i = 0; i < 5; i++) {
                run_once(cmd_a);
                run_once(cmd_b);
        }
        for (int i = 0; i < rounds; i++) {
                /* Alternate which goes first, too. */
                if (i % 2) {
                        a[i] = run_once(cmd_a);
                        b[i] = run_once(cmd_b);
                } else {
                        b[i] = run_once(cmd_b);
                        a[i] = run_once(cmd_a);
                }
        }
        double ma = percentile_ms(a, (size_t) rounds, 50), mb = percentile_ms(b, (size_t) rounds, 50);
        printf("%-40s median %7.3f ms  p10 %7.3f  p90 %7.3f\n", name_a, ma, percentile_ms(a, (size_t) rounds, 10),
               percentile_ms(a, (size_t) rounds, 90));
        printf("%-40s median %7.3f ms  p10 %7.3f  p90 %7.3f\n", name_b, mb, percentile_ms(b, (size_t) rounds, 10),
               percentile_ms(b, (size_t) rounds, 90));
        printf("ratio %s / %s = %.2f  (%d rounds each, alternating)\n", name_a, name_b, ma / mb, rounds);
        if (parallel > 1)
                printf("per launch: %.3f ms / %.3f ms  (%d at once)\n", ma / parallel, mb / parallel, parallel);
        free(a);
        free(b);
        return 0;
}
