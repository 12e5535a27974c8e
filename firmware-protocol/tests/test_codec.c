/* COBS, CRC and the streaming decoder: round trips, resynchronisation, counted drops. */
#include <string.h>

#include "furuta_protocol.h"
#include "test_support.h"

static fp_message make_command(uint16_t seq, int16_t duty) {
    fp_message m;
    memset(&m, 0, sizeof(m));
    m.type = FP_MSG_COMMAND;
    m.seq = seq;
    m.body.command.duty_q15 = duty;
    m.body.command.flags = FP_COMMAND_ENABLE;
    return m;
}

static void test_cobs_round_trips_zeros_and_long_runs(void) {
    uint8_t in[300], stuffed[310], out[300];
    for (size_t n = 0; n <= sizeof(in); n += 7) {
        for (size_t i = 0; i < n; i++) in[i] = (uint8_t)(i % 5 == 0 ? 0 : i * 13 + 1);
        size_t s = fp_cobs_encode(in, n, stuffed, sizeof(stuffed));
        CHECK(s >= n + 1);
        CHECK(memchr(stuffed, 0, s) == NULL);
        CHECK(fp_cobs_decode(stuffed, s, out, sizeof(out)) == (int)n);
        CHECK(memcmp(in, out, n) == 0);
    }
    memset(in, 0xAB, sizeof(in)); /* no zeros: forces 0xFF blocks */
    size_t s = fp_cobs_encode(in, 254, stuffed, sizeof(stuffed));
    CHECK_EQ_UINT(s, 255);
    CHECK(fp_cobs_decode(stuffed, s, out, sizeof(out)) == 254);
    CHECK(fp_cobs_encode(in, 40, stuffed, 10) == 0); /* too small an output: refused */
}

static void test_decoder_resynchronises_after_garbage(void) {
    fp_decoder d;
    fp_decoder_init(&d);
    uint8_t stream[256];
    size_t n = 0;
    const uint8_t garbage[] = {0x13, 0x37, 0xFF, 0x02, 0x99}; /* no delimiter */
    memcpy(stream + n, garbage, sizeof(garbage));
    n += sizeof(garbage);
    fp_message a = make_command(10, 100), b = make_command(11, 200), out;
    n += fp_encode_frame(&a, stream + n, FP_MAX_WIRE); /* merges with the garbage: lost */
    n += fp_encode_frame(&b, stream + n, FP_MAX_WIRE); /* must come through */
    int delivered_count = 0;
    uint16_t last_seq = 0;
    for (size_t i = 0; i < n; i++) {
        if (fp_decoder_push(&d, stream[i], &out)) {
            delivered_count++;
            last_seq = out.seq;
        }
    }
    CHECK(delivered_count == 1);
    CHECK(last_seq == 11);
    CHECK_EQ_UINT(fp_decoder_dropped(&d.stats), 1);
}

static void test_decoder_counts_crc_errors_and_delivers_nothing(void) {
    fp_decoder d;
    fp_decoder_init(&d);
    uint8_t wire[FP_MAX_WIRE];
    fp_message m = make_command(1, 1234), out;
    size_t n = fp_encode_frame(&m, wire, sizeof(wire));
    wire[3] ^= 0x10; /* a data bit inside the frame */
    int delivered = 0;
    for (size_t i = 0; i < n; i++) delivered += fp_decoder_push(&d, wire[i], &out);
    CHECK(delivered == 0);
    CHECK(d.stats.crc_errors + d.stats.cobs_errors == 1);
}

static void test_decoder_drops_oversize_frames(void) {
    fp_decoder d;
    fp_decoder_init(&d);
    fp_message out;
    for (int i = 0; i < 500; i++) CHECK(fp_decoder_push(&d, 0x42, &out) == 0);
    CHECK(fp_decoder_push(&d, 0x00, &out) == 0);
    CHECK_EQ_UINT(d.stats.oversize, 1);
    uint8_t wire[FP_MAX_WIRE];
    fp_message m = make_command(2, -5);
    size_t n = fp_encode_frame(&m, wire, sizeof(wire));
    int delivered = 0;
    for (size_t i = 0; i < n; i++) delivered += fp_decoder_push(&d, wire[i], &out);
    CHECK(delivered == 1 && out.body.command.duty_q15 == -5);
}

static void test_decoder_ignores_idle_delimiters(void) {
    fp_decoder d;
    fp_decoder_init(&d);
    fp_message out;
    for (int i = 0; i < 10; i++) CHECK(fp_decoder_push(&d, 0x00, &out) == 0);
    CHECK_EQ_UINT(fp_decoder_dropped(&d.stats), 0);
}

static void test_decoder_feed_stops_after_each_frame(void) {
    fp_decoder d;
    fp_decoder_init(&d);
    uint8_t stream[3 * FP_MAX_WIRE];
    size_t n = 0;
    for (uint16_t s = 0; s < 3; s++) {
        fp_message m = make_command(s, (int16_t)(s * 10));
        n += fp_encode_frame(&m, stream + n, FP_MAX_WIRE);
    }
    size_t offset = 0;
    int count = 0;
    while (offset < n) {
        fp_message out;
        int delivered;
        offset += fp_decoder_feed(&d, stream + offset, n - offset, &out, &delivered);
        if (delivered) CHECK(out.seq == count++);
    }
    CHECK(count == 3);
}

static void test_unknown_type_with_good_crc_is_dropped(void) {
    /* type 0x7F, seq 0, no body, CRC over the three bytes, stuffed by hand. */
    uint8_t raw[7] = {0x7F, 0x00, 0x00};
    uint32_t crc = fp_crc32(raw, 3);
    for (int b = 0; b < 4; b++) raw[3 + b] = (uint8_t)(crc >> (8 * b));
    uint8_t wire[16];
    size_t n = fp_cobs_encode(raw, 7, wire, sizeof(wire));
    wire[n++] = 0;
    fp_decoder d;
    fp_decoder_init(&d);
    fp_message out;
    int delivered = 0;
    for (size_t i = 0; i < n; i++) delivered += fp_decoder_push(&d, wire[i], &out);
    CHECK(delivered == 0);
    CHECK_EQ_UINT(d.stats.unknown_type, 1);
}

void test_codec(void) {
    test_cobs_round_trips_zeros_and_long_runs();
    test_decoder_resynchronises_after_garbage();
    test_decoder_counts_crc_errors_and_delivers_nothing();
    test_decoder_drops_oversize_frames();
    test_decoder_ignores_idle_delimiters();
    test_decoder_feed_stops_after_each_frame();
    test_unknown_type_with_good_crc_is_dropped();
}
