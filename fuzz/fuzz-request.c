/* SPDX-License-Identifier: MIT */
/* libFuzzer: the request parser, on any message a client may send after
 * the handshake; a parsed request is formatted and parsed again. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ipc/proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        Request *r = NULL;
        char *why = NULL;
        if (request_parse((const char *) data, size, &r, &why) == 0) {
                char *text = request_format(r);
                Request *again = NULL;
                if (!text || request_parse(text, strlen(text), &again, NULL) != 0)
                        abort();
                request_free(again);
                free(text);
        } else
                free(reply_invalid_request(why));
        free(why);
        request_free(r);
        return 0;
}
