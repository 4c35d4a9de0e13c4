/* SPDX-License-Identifier: MIT */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "common/wipe.h"
#include "ipc/frame.h"

static uint32_t get_u32(const uint8_t *p) {
        return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 | (uint32_t) p[2] << 8 | p[3];
}

static void put_u32(uint8_t *p, uint32_t v) {
        p[0] = (uint8_t) (v >> 24);
        p[1] = (uint8_t) (v >> 16);
        p[2] = (uint8_t) (v >> 8);
        p[3] = (uint8_t) v;
}

ssize_t frame_reader_feed(FrameReader *r, const uint8_t *data, size_t len, bool *ret_frame) {
        assert_return(r && (data || len == 0) && ret_frame, -EINVAL);
        *ret_frame = false;
        size_t used = 0;

        if (r->header_got < 4) {
                size_t n = 4 - r->header_got < len ? 4 - r->header_got : len;
                memcpy(r->header + r->header_got, data, n);
                r->header_got += n;
                used += n;
                if (r->header_got < 4)
                        return (ssize_t) used;
                r->length = get_u32(r->header);
                /* Checked before anything is read into the body. */
                if (r->length == 0 || r->length > FRAME_MAX)
                        return -EBADMSG;
                r->got = 0;
        }

        size_t n = r->length - r->got < len - used ? r->length - r->got : len - used;
        memcpy(r->body + r->got, data + used, n);
        r->got += n;
        if (r->got > r->used_max)
                r->used_max = r->got;
        used += n;
        *ret_frame = r->got == r->length;
        return (ssize_t) used;
}

const uint8_t *frame_reader_frame(FrameReader *r, size_t *ret_len) {
        if (!r || r->header_got < 4 || r->got != r->length)
                return NULL;
        *ret_len = r->length;
        /* The next feed starts over; the body stays valid until then. */
        r->header_got = 0;
        return r->body;
}

void frame_reader_reset(FrameReader *r) {
        if (!r)
                return;
        /* Only what was written: the rest of the 64 KiB body was never
         * touched, and touching it costs a one-shot client 16 page faults. */
        wipe(r->body, r->used_max);
        wipe(r, offsetof(FrameReader, body));
}

void message_assembler_reset(MessageAssembler *a) {
        if (!a)
                return;
        if (a->data) {
                wipe(a->data, a->filled);
                free(a->data);
        }
        *a = (MessageAssembler){ .limit = a->limit };
}

bool message_assembler_partial(const MessageAssembler *a) {
        return a->in_message && !a->discarding && a->count > 1;
}

int message_assembler_add(MessageAssembler *a, const uint8_t *plain, size_t len) {
        assert_return(a && (plain || len == 0), -EINVAL);

        if (!a->in_message) {
                if (len != 8)
                        return -EBADMSG;
                uint32_t count = get_u32(plain), total = get_u32(plain + 4);
                /* The limits, and the one count that fits the total, before
                 * any allocation. */
                if (total > FRAME_MESSAGE_MAX || count > FRAME_CHUNKS_MAX ||
                    count != (total + FRAME_CHUNK_MAX - 1) / FRAME_CHUNK_MAX)
                        return -EBADMSG;
                *a = (MessageAssembler){ .limit = a->limit, .in_message = true, .count = count, .total = total };
                if (total > (a->limit ? a->limit : FRAME_MESSAGE_MAX)) {
                        a->discarding = true;
                        return -EMSGSIZE;
                }
                if (count == 0 && !(a->data = malloc(1)))
                        return -ENOMEM;
                return count == 0 ? 1 : 0;
        }

        bool last = a->received + 1 == a->count;
        size_t expected = last ? a->total - a->filled : FRAME_CHUNK_MAX;
        if (len != expected)
                return -EBADMSG;
        if (a->discarding) {
                a->filled += len;
                a->received++;
                if (last)
                        message_assembler_reset(a);
                return 0;
        }
        if (a->filled + len > a->allocated) {
                /* Doubling, so that what is held is at most twice what came;
                 * the old room wiped, as every copy of a message is. */
                size_t room = a->allocated ? 2 * a->allocated : len;
                if (room < a->filled + len)
                        room = a->filled + len;
                if (room > a->total)
                        room = a->total;
                uint8_t *d = malloc(room);
                if (!d)
                        return -ENOMEM;
                if (a->data) {
                        memcpy(d, a->data, a->filled);
                        wipe(a->data, a->filled);
                        free(a->data);
                }
                a->data = d;
                a->allocated = room;
        }
        memcpy(a->data + a->filled, plain, len);
        a->filled += len;
        a->received++;
        return last ? 1 : 0;
}

uint8_t *message_assembler_take(MessageAssembler *a, size_t *ret_len) {
        if (!a || !a->in_message || a->received != a->count)
                return NULL;
        uint8_t *data = a->data;
        *ret_len = a->total;
        *a = (MessageAssembler){ .limit = a->limit };
        return data;
}

static int append(uint8_t **out, size_t *out_len, size_t add, uint8_t **ret_at) {
        uint8_t *b = realloc(*out, *out_len + add);
        if (!b)
                return -ENOMEM;
        *out = b;
        *ret_at = b + *out_len;
        *out_len += add;
        return 0;
}

int frame_encode(const uint8_t *data, size_t len, uint8_t **out, size_t *out_len) {
        assert_return((data || len == 0) && out && out_len, -EINVAL);
        if (len == 0 || len > FRAME_MAX)
                return -EMSGSIZE;
        uint8_t *at;
        if (append(out, out_len, 4 + len, &at) < 0)
                return -ENOMEM;
        put_u32(at, (uint32_t) len);
        memcpy(at + 4, data, len);
        return 0;
}

/* Encrypts one transport message straight into a new frame of *out. */
static int frame_encrypt(NoiseCipher *send, const uint8_t *plain, size_t len, uint8_t **out, size_t *out_len) {
        uint8_t *at;
        if (append(out, out_len, 4 + len + NOISE_TAGLEN, &at) < 0)
                return -ENOMEM;
        ssize_t n = noise_cipher_encrypt(send, NULL, 0, plain, len, at + 4);
        if (n < 0)
                return (int) n;
        put_u32(at, (uint32_t) n);
        return 0;
}

int frame_encode_message(NoiseCipher *send, const uint8_t *msg, size_t len, uint8_t **out, size_t *out_len) {
        assert_return(send && (msg || len == 0) && out && out_len, -EINVAL);
        if (len > FRAME_MESSAGE_MAX)
                return -EMSGSIZE;

        uint32_t count = (uint32_t) ((len + FRAME_CHUNK_MAX - 1) / FRAME_CHUNK_MAX);
        uint8_t header[8];
        put_u32(header, count);
        put_u32(header + 4, (uint32_t) len);
        int r = frame_encrypt(send, header, sizeof(header), out, out_len);
        for (size_t off = 0; r >= 0 && off < len; off += FRAME_CHUNK_MAX)
                r = frame_encrypt(send, msg + off, len - off < FRAME_CHUNK_MAX ? len - off : FRAME_CHUNK_MAX, out,
                                  out_len);
        return r;
}
