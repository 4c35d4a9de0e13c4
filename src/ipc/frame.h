/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ipc/noise.h"

/* The wire, below the JSON messages (docs/protocol.md):
 *
 *   frame    := length:u32be bytes[length]        1 <= length <= 65535
 *
 * Each frame holds one Noise message: a handshake message, then transport
 * messages. An application message of up to 16 MiB travels as
 *
 *   header   := Noise(count:u32be total:u32be)
 *   chunk    := Noise(bytes[...])                  `count` of them
 *
 * where every chunk but the last carries FRAME_CHUNK_MAX bytes and
 * count == ceil(total / FRAME_CHUNK_MAX) (0 chunks for an empty message).
 * A receiver checks length, count and total against these limits before it
 * allocates anything. */

#define FRAME_MAX NOISE_MAX_MESSAGE
#define FRAME_CHUNK_MAX (NOISE_MAX_MESSAGE - NOISE_TAGLEN)
#define FRAME_MESSAGE_MAX (16 * 1024 * 1024)
#define FRAME_CHUNKS_MAX ((FRAME_MESSAGE_MAX + FRAME_CHUNK_MAX - 1) / FRAME_CHUNK_MAX)

/* Reads frames off a byte stream, in as many pieces as it comes. */
typedef struct FrameReader {
        uint8_t header[4];
        size_t header_got;
        uint32_t length;
        size_t got;
        size_t used_max; /* the most of body ever written: what a reset wipes */
        uint8_t body[FRAME_MAX];
} FrameReader;

/* Feeds bytes; returns how many were used, and sets *ret_frame when a frame
 * is complete (then the caller takes frame_reader_frame() before feeding
 * more). -EBADMSG for a length of 0 or above FRAME_MAX. */
ssize_t frame_reader_feed(FrameReader *r, const uint8_t *data, size_t len, bool *ret_frame);
/* The complete frame; the next feed starts a new one. */
const uint8_t *frame_reader_frame(FrameReader *r, size_t *ret_len);
/* Wipes what it held (it may have been plaintext-adjacent). */
void frame_reader_reset(FrameReader *r);

/* Reassembles application messages from decrypted transport messages. */
typedef struct MessageAssembler {
        size_t limit;       /* the largest message taken; 0: FRAME_MESSAGE_MAX */
        bool in_message;
        bool discarding;    /* over the limit: its chunks are checked and dropped */
        uint32_t count, received;
        uint32_t total;
        size_t filled, allocated; /* room grows with what came, not with what was announced */
        uint8_t *data;
} MessageAssembler;

/* Adds one decrypted transport message. 1: a message is complete
 * (message_assembler_take()), 0: more needed, -EBADMSG: it breaks the
 * rules (count or total out of range or inconsistent, a chunk of the
 * wrong size), -ENOMEM, -EMSGSIZE: a header announces a message over the
 * limit (nothing is allocated; its chunks, as they come, are checked and
 * dropped, each returning 0). */
int message_assembler_add(MessageAssembler *a, const uint8_t *plain, size_t len);
/* The complete message, now the caller's (free() it; wipe it if it held
 * secrets). */
uint8_t *message_assembler_take(MessageAssembler *a, size_t *ret_len);
/* Frees and wipes a partial message (the limit stays). */
void message_assembler_reset(MessageAssembler *a);
/* Whether a message of several chunks is under way, being kept. */
bool message_assembler_partial(const MessageAssembler *a);

/* Encrypts `msg` into header and chunk frames, appended to *out (which
 * grows; *out_len is its length). -EMSGSIZE above FRAME_MESSAGE_MAX. */
int frame_encode_message(NoiseCipher *send, const uint8_t *msg, size_t len, uint8_t **out, size_t *out_len);
/* One frame holding `data` as is (handshake messages). */
int frame_encode(const uint8_t *data, size_t len, uint8_t **out, size_t *out_len);
