/* SPDX-License-Identifier: MIT */
#pragma once

/* What a launch was, as the table of apps (sesame ps), the history and the
 * log name it: borrowed strings, kept by whoever made the launch. */
typedef struct LaunchIdentity {
        const char *entry_id; /* the resolved entry ID, or a command's program's basename */
        const char *action;   /* a desktop action, or NULL */
        const char *profile;  /* the trust profile, or NULL */
        char *const *tags;    /* or NULL */
} LaunchIdentity;
