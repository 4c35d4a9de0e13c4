/* SPDX-License-Identifier: MIT */
#include <assert.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/event-util.h"
#include "common/log.h"
#include "ipc/frame.h"
#include "launcher/reply.h"
#include "launcher/state.h"
#include "spawn/child.h"

/* Memory freed by a burst of launches goes back to the system this long
 * after the last one: not on any launch's path, and once per burst. */
#define TRIM_DELAY_USEC (1000 * 1000)

void daemon_reply(IpcConnection *c, char *json) {
        if (ipc_connection_is_open(c) && ipc_connection_reply(c, json ? json : reply_unserializable()) == -EMSGSIZE) {
                char message[256];
                snprintf(message, sizeof(message),
                         "the reply (%zu bytes) is over the %d MiB a message may hold; ask for it in pages "
                         "(offset, limit)", strlen(json), FRAME_MESSAGE_MAX >> 20);
                log_warning("a reply of %zu bytes is over the message limit; answered ReplyTooLarge", strlen(json));
                _cleanup_free_ char *error = reply_error("ReplyTooLarge", message);
                ipc_connection_reply(c, error ? error : reply_unserializable());
        }
        free(json);
}

void daemon_trim_memory(void) {
        (void) malloc_trim(0);
}

static int on_trim_timer(sd_event_source *s, uint64_t usec, void *userdata) {
        daemon_trim_memory();
        return 0;
}

void daemon_launch_begin(Daemon *d) {
        d->in_flight++;
}

void daemon_launch_end(Daemon *d) {
        assert(d->in_flight > 0);
        if (--d->in_flight > 0)
                return;
        if (d->stopping) {
                log_info("the launches in flight are answered; exiting");
                sd_event_exit(d->event, 0);
                return;
        }
        (void) event_reset_time_relative(d->event, &d->trim_timer, TRIM_DELAY_USEC, TRIM_DELAY_USEC / 10,
                                         on_trim_timer, d);
}

int daemon_secrets_bus(Daemon *d, sd_bus **ret) {
        if (!d->secrets_bus) {
                int r = sd_bus_open_user(&d->secrets_bus);
                if (r < 0)
                        return r;
                r = sd_bus_attach_event(d->secrets_bus, d->event, SD_EVENT_PRIORITY_NORMAL);
                if (r < 0) {
                        d->secrets_bus = sd_bus_flush_close_unref(d->secrets_bus);
                        return r;
                }
        }
        *ret = d->secrets_bus;
        return 0;
}

const char *daemon_app_journal(Daemon *d, const char *identifier) {
        struct stat st;
        int listens = stat(CHILD_JOURNAL_SOCKET, &st) == 0 && S_ISSOCK(st.st_mode);
        if (listens != d->journal_listens && !listens)
                log_warning("no systemd-journald listens on %s: apps' output goes to the launcher's own", CHILD_JOURNAL_SOCKET);
        d->journal_listens = listens;
        return listens ? identifier : NULL;
}
