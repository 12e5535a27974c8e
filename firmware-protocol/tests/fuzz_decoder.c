/* Mutation fuzz of the streaming decoder (make fuzz; FUZZ_FRAMES=N to change the count).
 *
 * A pool of valid frames, frame i carrying seq i, is streamed with random damage: bit flips,
 * byte replacements, insertions, deletions, truncations, garbage runs with and without
 * delimiters. Oracles:
 *   - no corrupted frame delivered: a delivered message with seq s equals pool message s;
 *   - resynchronisation: an undamaged frame whose preceding byte is a delimiter (or the stream
 *     start) is always delivered, i.e. the decoder recovers at the first delimiter after
 *     garbage and loses at most the one frame that garbage ran into. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "furuta_protocol.h"

#define POOL 4096

typedef struct { uint64_t state; } splitmix64;
static uint64_t next_random(splitmix64 *r) {
    uint64_t z = (r->state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

typedef struct {
    fp_message message;
    uint8_t wire[FP_MAX_WIRE];
    size_t length;
} pool_entry;

static const uint8_t types[] = {FP_MSG_HELLO, FP_MSG_COMMAND, FP_MSG_CONFIGURE, FP_MSG_PING,
                                FP_MSG_REARM, FP_MSG_HELLO_REPLY, FP_MSG_STATE,
                                FP_MSG_CONFIG_ACK, FP_MSG_PONG, FP_MSG_FAULT};

static void build_pool(pool_entry *pool, splitmix64 *rng) {
    for (int i = 0; i < POOL; i++) {
        fp_message m;
        memset(&m, 0, sizeof(m));
        m.type = types[next_random(rng) % sizeof(types)];
        m.seq = (uint16_t)i;
        /* Random body bytes; with some probability mostly zeros (COBS's interesting case). */
        uint8_t *body = (uint8_t *)&m.body;
        int sparse = next_random(rng) % 3 == 0;
        for (size_t b = 0; b < sizeof(m.body); b++) {
            uint64_t r = next_random(rng);
            body[b] = sparse && (r & 1) ? 0 : (uint8_t)(r >> 8);
        }
        pool[i].length = fp_encode_frame(&m, pool[i].wire, sizeof(pool[i].wire));
        /* Normalise through the decoder so fields narrower than their struct slot compare. */
        fp_decoder d;
        fp_decoder_init(&d);
        int delivered;
        fp_decoder_feed(&d, pool[i].wire, pool[i].length, &pool[i].message, &delivered);
        if (!delivered) { fprintf(stderr, "pool frame %d does not decode\n", i); exit(2); }
    }
}

int main(void) {
    long frames = getenv("FUZZ_FRAMES") ? atol(getenv("FUZZ_FRAMES")) : 10000000L;
    splitmix64 rng = {0x5EED};
    static pool_entry pool[POOL];
    build_pool(pool, &rng);

    fp_decoder decoder;
    fp_decoder_init(&decoder);
    long delivered = 0, must_deliver = 0, intact = 0, failures = 0;
    uint8_t previous = 0x00; /* last byte pushed: stream start counts as after a delimiter */
    int expect_index = -1;   /* pool index an intact, resynchronised frame must deliver */
    clock_t start = clock();

    for (long n = 0; n < frames; n++) {
        int index = (int)(next_random(&rng) % POOL);
        uint8_t buffer[FP_MAX_WIRE + 80];
        size_t length = pool[index].length;
        memcpy(buffer, pool[index].wire, length);
        uint64_t r = next_random(&rng);
        int damaged = 1;
        switch (r % 9) {
        case 0: case 1: damaged = 0; break;                                    /* intact */
        case 2: buffer[(r >> 8) % length] ^= (uint8_t)(1u << ((r >> 20) % 8)); break;
        case 3: buffer[(r >> 8) % length] = (uint8_t)(r >> 24); break;         /* replace */
        case 4: { size_t at = (r >> 8) % length;                               /* insert */
                  memmove(buffer + at + 1, buffer + at, length - at);
                  buffer[at] = (uint8_t)(r >> 24); length++; break; }
        case 5: { size_t at = (r >> 8) % length;                               /* delete */
                  memmove(buffer + at, buffer + at + 1, length - at - 1); length--; break; }
        case 6: length = (r >> 8) % length; break;                             /* truncate */
        case 7: { size_t run = 1 + (r >> 8) % 60;                              /* garbage */
                  for (size_t k = 0; k < run; k++) buffer[k] = (uint8_t)next_random(&rng);
                  length = run; break; }
        default: for (int k = 0; k < 3; k++)                                   /* 3 flips */
                     buffer[(next_random(&rng) >> 8) % length] ^= (uint8_t)next_random(&rng);
        }
        if (!damaged) {
            intact++;
            if (previous == 0x00) { must_deliver++; expect_index = index; }
        }
        int got_expected = 0;
        for (size_t i = 0; i < length; i++) {
            fp_message out;
            if (fp_decoder_push(&decoder, buffer[i], &out)) {
                delivered++;
                const fp_message *want = &pool[out.seq % POOL].message;
                if (out.seq >= POOL || out.type != want->type ||
                    memcmp(&out.body, &want->body, sizeof(out.body)) != 0) {
                    failures++;
                    fprintf(stderr, "corrupted frame delivered (seq %u)\n", out.seq);
                }
                if (expect_index >= 0 && out.seq == expect_index) got_expected = 1;
            }
            previous = buffer[i];
        }
        if (!damaged && expect_index >= 0) {
            if (!got_expected) {
                failures++;
                fprintf(stderr, "intact frame after a delimiter not delivered (frame %ld)\n", n);
            }
            expect_index = -1;
        }
    }
    double seconds = (double)(clock() - start) / CLOCKS_PER_SEC;
    printf("fuzz: %ld frames (%ld intact, %ld had to come through), %ld delivered, "
           "%u dropped, %ld failures, %.2f s\n",
           frames, intact, must_deliver, delivered, fp_decoder_dropped(&decoder.stats), failures,
           seconds);
    return failures == 0 ? 0 : 1;
}
