/* SPDX-License-Identifier: MIT */
/* bench-noise [SECONDS]
 *
 * Client and server in one process over a socketpair, as the launcher's
 * socket will carry them:
 *   handshakes  a full Noise_IK handshake (fresh ephemeral keys, both
 *               sides) plus one small request and reply, repeatedly;
 *   requests    after one handshake: a 64-byte request and reply through
 *               the transport ciphers, against the same round trip in
 *               clear (the baseline), alternating in batches.
 * Frames are [4-byte length][bytes], as on the wire. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ipc/noise.h"
#include "stats.h"

#define IK "Noise_IK_25519_ChaChaPoly_BLAKE2s"

static int fds[2];
static uint8_t buf[NOISE_MAX_MESSAGE + 4], out[NOISE_MAX_MESSAGE], pl[NOISE_MAX_MESSAGE];

static void send_frame(int fd, const uint8_t *data, size_t n) {
        uint32_t len = htonl((uint32_t) n);
        memcpy(buf, &len, 4);
        memcpy(buf + 4, data, n);
        if (write(fd, buf, n + 4) != (ssize_t) (n + 4))
                abort();
}

static size_t recv_frame(int fd, uint8_t *data) {
        uint32_t len;
        if (read(fd, &len, 4) != 4)
                abort();
        len = ntohl(len);
        size_t got = 0;
        while (got < len) {
                ssize_t r = read(fd, data + got, len - got);
                if (r <= 0)
                        abort();
                got += (size_t) r;
        }
        return len;
}

static const uint8_t request[64] = "{\"method\":\"Status\"}";

static void handshake(const NoiseKeypair *cs, const NoiseKeypair *ss, NoiseCipher c[2], NoiseCipher s[2]) {
        NoiseHandshake *i = NULL, *r = NULL;
        if (noise_handshake_new(&i, IK, true) < 0 || noise_handshake_new(&r, IK, false) < 0 ||
            noise_handshake_set_static(i, cs) < 0 || noise_handshake_set_remote_static(i, ss->public_key) < 0 ||
            noise_handshake_set_static(r, ss) < 0 || noise_handshake_start(i) < 0 || noise_handshake_start(r) < 0)
                abort();
        ssize_t n = noise_handshake_write(i, NULL, 0, out);
        send_frame(fds[0], out, (size_t) n);
        size_t m = recv_frame(fds[1], out);
        if (noise_handshake_read(r, out, m, pl) < 0)
                abort();
        n = noise_handshake_write(r, NULL, 0, out);
        send_frame(fds[1], out, (size_t) n);
        m = recv_frame(fds[0], out);
        if (noise_handshake_read(i, out, m, pl) < 0 || noise_handshake_split(i, &c[0], &c[1]) < 0 ||
            noise_handshake_split(r, &s[0], &s[1]) < 0)
                abort();
        noise_handshake_free(i);
        noise_handshake_free(r);
}

static void round_trip(NoiseCipher *c, NoiseCipher *s, bool encrypted) {
        ssize_t n = encrypted ? noise_cipher_encrypt(&c[0], NULL, 0, request, sizeof(request), out) : (ssize_t) sizeof(request);
        send_frame(fds[0], encrypted ? out : request, (size_t) n);
        size_t m = recv_frame(fds[1], out);
        if (encrypted && noise_cipher_decrypt(&s[1], NULL, 0, out, m, pl) < 0)
                abort();
        n = encrypted ? noise_cipher_encrypt(&s[0], NULL, 0, request, sizeof(request), out) : (ssize_t) sizeof(request);
        send_frame(fds[1], encrypted ? out : request, (size_t) n);
        m = recv_frame(fds[0], out);
        if (encrypted && noise_cipher_decrypt(&c[1], NULL, 0, out, m, pl) < 0)
                abort();
}

int main(int argc, char *argv[]) {
        double seconds = argc > 1 ? atof(argv[1]) : 3;
        if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) < 0)
                return 1;
        NoiseKeypair cs, ss;
        if (noise_keypair_generate(&cs) < 0 || noise_keypair_generate(&ss) < 0)
                return 1;

        NoiseCipher c[2], s[2];
        uint64_t start = now_ns(), count = 0;
        while (now_ns() - start < (uint64_t) (seconds * 1e9)) {
                handshake(&cs, &ss, c, s);
                round_trip(c, s, true);
                count++;
        }
        double elapsed = (double) (now_ns() - start) / 1e9;
        printf("full IK handshakes + 1 request/reply: %.0f per second (%llu in %.1f s, one core)   target >= 2000\n",
               (double) count / elapsed, (unsigned long long) count, elapsed);

        /* Per request, after the handshake: batches in turn. */
        handshake(&cs, &ss, c, s);
        enum { BATCH = 200, ROUNDS = 100 };
        uint64_t clear[ROUNDS], noise[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
                uint64_t t = now_ns();
                for (int i = 0; i < BATCH; i++)
                        round_trip(c, s, false);
                clear[r] = (now_ns() - t) / BATCH;
                t = now_ns();
                for (int i = 0; i < BATCH; i++)
                        round_trip(c, s, true);
                noise[r] = (now_ns() - t) / BATCH;
        }
        double mc = percentile_ms(clear, ROUNDS, 50) * 1000, mn = percentile_ms(noise, ROUNDS, 50) * 1000;
        printf("request/reply round trip: clear %.1f us, Noise %.1f us: %.1f us added per request   target <= 20\n",
               mc, mn, mn - mc);
        printf("(medians of %d batches of %d, alternating)\n", ROUNDS, BATCH);
        return 0;
}
