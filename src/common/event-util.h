/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <systemd/sd-event.h>

/* One-shot timers kept in one sd_event_source for their owner's life, as
 * systemd's event_reset_time_relative() keeps them. */

/* Arms *s to fire once, `usec` from now (CLOCK_MONOTONIC): added on first
 * use, moved when it exists (a timer already armed is pushed back: a
 * debounce). 0 or a negative errno. */
int event_reset_time_relative(sd_event *event, sd_event_source **s, uint64_t usec, uint64_t accuracy,
                              sd_event_time_handler_t handler, void *userdata);

/* Whether *s exists and will fire: a burst arms a timer once. */
bool event_source_armed(sd_event_source *s);
