/* SPDX-License-Identifier: MIT */
#include "common/event-util.h"

int event_reset_time_relative(sd_event *event, sd_event_source **s, uint64_t usec, uint64_t accuracy,
                              sd_event_time_handler_t handler, void *userdata) {
        if (!*s)
                return sd_event_add_time_relative(event, s, CLOCK_MONOTONIC, usec, accuracy, handler, userdata);
        int r = sd_event_source_set_time_relative(*s, usec);
        return r < 0 ? r : sd_event_source_set_enabled(*s, SD_EVENT_ONESHOT);
}

bool event_source_armed(sd_event_source *s) {
        int enabled = SD_EVENT_OFF;
        return s && sd_event_source_get_enabled(s, &enabled) >= 0 && enabled != SD_EVENT_OFF;
}
