/* SPDX-License-Identifier: MIT */
/* noise-peer initiator|responder PROTOCOL PRIVATE_HEX REMOTE_PUBLIC_HEX|- PROLOGUE_HEX
 *
 * Our Noise implementation as one end of a conversation with another
 * implementation, over stdin/stdout in [4-byte big-endian length][bytes]
 * frames. The responder answers every message, handshake or transport,
 * with "echo:" and what it decrypted; the initiator sends "sesame-init",
 * then "got:" and the responder's handshake payload, then "sesame-#1"..
 * "#3", and checks each reply is the echo. Exit 0 when everything matched,
 * 1 on any failure (a bad MAC among them). For tests/integration/
 * test-noise-interop.py. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipc/noise.h"

static uint8_t buf[NOISE_MAX_MESSAGE], plain[NOISE_MAX_MESSAGE];

static int unhex(const char *hex, uint8_t *out, size_t size, size_t *len) {
        size_t n = strlen(hex);
        if (n % 2 || n / 2 > size)
                return -1;
        for (size_t i = 0; i < n / 2; i++) {
                unsigned v;
                if (sscanf(hex + 2 * i, "%2x", &v) != 1)
                        return -1;
                out[i] = (uint8_t) v;
        }
        *len = n / 2;
        return 0;
}

static int read_full(int fd, void *p, size_t n) {
        for (size_t got = 0; got < n;) {
                ssize_t r = read(fd, (uint8_t *) p + got, n - got);
                if (r <= 0)
                        return -1;
                got += (size_t) r;
        }
        return 0;
}

static ssize_t recv_frame(uint8_t *out) {
        uint32_t len;
        if (read_full(0, &len, 4) < 0)
                return -1;
        len = ntohl(len);
        if (len > NOISE_MAX_MESSAGE || read_full(0, out, len) < 0)
                return -1;
        return len;
}

static int send_frame(const uint8_t *data, size_t n) {
        uint32_t len = htonl((uint32_t) n);
        return write(1, &len, 4) == 4 && write(1, data, n) == (ssize_t) n ? 0 : -1;
}

static int fail(const char *what) {
        fprintf(stderr, "noise-peer: %s\n", what);
        return 1;
}

int main(int argc, char *argv[]) {
        if (argc != 6)
                return fail("usage: noise-peer initiator|responder PROTOCOL PRIVATE REMOTE|- PROLOGUE");
        bool initiator = strcmp(argv[1], "initiator") == 0;
        uint8_t key[NOISE_DHLEN], prologue[1024];
        size_t len, prologue_len;
        NoiseKeypair s;
        _cleanup_(noise_handshake_freep) NoiseHandshake *hs = NULL;
        if (noise_handshake_new(&hs, argv[2], initiator) < 0 || unhex(argv[3], key, sizeof(key), &len) < 0 ||
            noise_keypair_from_private(&s, key) < 0 || noise_handshake_set_static(hs, &s) < 0 ||
            unhex(argv[5], prologue, sizeof(prologue), &prologue_len) < 0 ||
            noise_handshake_set_prologue(hs, prologue, prologue_len) < 0)
                return fail("bad arguments");
        if (strcmp(argv[4], "-") != 0 &&
            (unhex(argv[4], key, sizeof(key), &len) < 0 || noise_handshake_set_remote_static(hs, key) < 0))
                return fail("bad remote key");
        if (noise_handshake_start(hs) < 0)
                return fail("missing keys");

        /* Handshake: the initiator's payload is fixed; the responder echoes. */
        char reply[NOISE_MAX_MESSAGE];
        char got[NOISE_MAX_MESSAGE] = "";
        for (NoiseAction a; (a = noise_handshake_action(hs)) != NOISE_ACTION_SPLIT;) {
                if (a == NOISE_ACTION_FAILED)
                        return fail("handshake failed");
                if (a == NOISE_ACTION_WRITE) {
                        const char *payload = initiator ? "sesame-init" : reply;
                        ssize_t n = noise_handshake_write(hs, (const uint8_t *) payload, strlen(payload), buf);
                        if (n < 0 || send_frame(buf, (size_t) n) < 0)
                                return fail("cannot write a handshake message");
                } else {
                        ssize_t n = recv_frame(buf);
                        ssize_t p = n < 0 ? -1 : noise_handshake_read(hs, buf, (size_t) n, plain);
                        if (p < 0)
                                return fail("cannot read a handshake message");
                        snprintf(initiator ? got : reply, sizeof(reply), "%s%.*s", initiator ? "got:" : "echo:",
                                 (int) p, (const char *) plain);
                }
        }
        NoiseCipher send, receive;
        if (noise_handshake_split(hs, &send, &receive) < 0)
                return fail("split failed");

        if (!initiator) {
                for (;;) {
                        ssize_t n = recv_frame(buf);
                        if (n < 0)
                                return 0; /* the peer is done */
                        ssize_t p = noise_cipher_decrypt(&receive, NULL, 0, buf, (size_t) n, plain);
                        if (p < 0)
                                return fail("bad transport message");
                        int m = snprintf(reply, sizeof(reply), "echo:%.*s", (int) p, (const char *) plain);
                        ssize_t c = noise_cipher_encrypt(&send, NULL, 0, (const uint8_t *) reply, (size_t) m, buf);
                        if (c < 0 || send_frame(buf, (size_t) c) < 0)
                                return fail("cannot reply");
                }
        }

        const char *messages[] = { got, "sesame-#1", "sesame-#2", "sesame-#3" };
        for (size_t i = 0; i < ELEMENTSOF(messages); i++) {
                ssize_t c = noise_cipher_encrypt(&send, NULL, 0, (const uint8_t *) messages[i], strlen(messages[i]),
                                                 buf);
                if (c < 0 || send_frame(buf, (size_t) c) < 0)
                        return fail("cannot send");
                ssize_t n = recv_frame(buf);
                ssize_t p = n < 0 ? -1 : noise_cipher_decrypt(&receive, NULL, 0, buf, (size_t) n, plain);
                char expected[NOISE_MAX_MESSAGE];
                int e = snprintf(expected, sizeof(expected), "echo:%s", messages[i]);
                if (p != e || memcmp(plain, expected, (size_t) e) != 0)
                        return fail("the reply is not the echo");
        }
        noise_cipher_wipe(&send);
        noise_cipher_wipe(&receive);
        return 0;
}
