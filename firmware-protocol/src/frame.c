/* Frames: raw = type u8 | seq u16 LE | body | crc32 u32 LE (CRC over type, seq and body),
 * wire = COBS(raw) 0x00. The decoder buffers stuffed bytes until a delimiter and only then
 * unstuffs and checks; a frame is delivered whole and verified, or counted and dropped. */
#include <string.h>

#include "schema.h"

_Static_assert(FP_MAX_RAW == FP_HEADER_SIZE + FP_MAX_BODY + FP_CRC_SIZE, "FP_MAX_RAW");
_Static_assert(FP_MAX_ENCODED == FP_MAX_RAW + 1 && FP_MAX_RAW <= 254, "COBS adds one byte");
_Static_assert(FP_MAX_WIRE == FP_MAX_ENCODED + 1, "FP_MAX_WIRE");

size_t fp_encode_frame(const fp_message *msg, uint8_t *out, size_t capacity) {
    uint8_t raw[FP_MAX_RAW];
    const fp_message_schema *schema = fp_message_schema_for(msg->type);
    if (schema == NULL) return 0;
    raw[0] = msg->type;
    raw[1] = (uint8_t)(msg->seq & 0xFF);
    raw[2] = (uint8_t)(msg->seq >> 8);
    int body = fp_body_encode(schema, &msg->body, raw + FP_HEADER_SIZE, FP_MAX_BODY);
    if (body < 0) return 0;
    size_t length = FP_HEADER_SIZE + (size_t)body;
    uint32_t crc = fp_crc32(raw, length);
    for (int b = 0; b < 4; b++) raw[length++] = (uint8_t)(crc >> (8 * b));
    if (capacity < 1) return 0;
    size_t stuffed = fp_cobs_encode(raw, length, out, capacity - 1);
    if (stuffed == 0) return 0;
    out[stuffed] = 0x00;
    return stuffed + 1;
}

void fp_decoder_init(fp_decoder *decoder) { memset(decoder, 0, sizeof(*decoder)); }

uint32_t fp_decoder_dropped(const fp_decoder_stats *s) {
    return s->crc_errors + s->cobs_errors + s->oversize + s->malformed + s->unknown_type;
}

/* Checks one complete stuffed frame (delimiter excluded). Returns 1 and fills *out if valid. */
static int fp_decoder_finish(fp_decoder *d, fp_message *out) {
    uint8_t raw[FP_MAX_RAW];
    fp_decoder_stats *s = &d->stats;
    int length = fp_cobs_decode(d->buffer, d->length, raw, sizeof(raw));
    if (length < 0) { s->cobs_errors++; return 0; }
    if (length < FP_HEADER_SIZE + FP_CRC_SIZE) { s->malformed++; return 0; }
    size_t covered = (size_t)length - FP_CRC_SIZE;
    uint32_t sent = (uint32_t)raw[covered] | (uint32_t)raw[covered + 1] << 8 |
                    (uint32_t)raw[covered + 2] << 16 | (uint32_t)raw[covered + 3] << 24;
    if (fp_crc32(raw, covered) != sent) { s->crc_errors++; return 0; }
    const fp_message_schema *schema = fp_message_schema_for(raw[0]);
    if (schema == NULL) { s->unknown_type++; return 0; }
    memset(out, 0, sizeof(*out));
    if (fp_body_decode(schema, raw + FP_HEADER_SIZE, covered - FP_HEADER_SIZE, &out->body) < 0) {
        s->malformed++;
        return 0;
    }
    out->type = raw[0];
    out->seq = (uint16_t)(raw[1] | raw[2] << 8);
    s->frames_ok++;
    return 1;
}

int fp_decoder_push(fp_decoder *d, uint8_t byte, fp_message *out) {
    d->stats.bytes++;
    if (byte != 0x00) {
        if (d->length < FP_MAX_ENCODED) {
            d->buffer[d->length++] = byte;
        } else {
            d->overflowed = 1;
        }
        return 0;
    }
    /* Delimiter: whatever was buffered is one frame. */
    int delivered = 0;
    if (d->overflowed) {
        d->stats.oversize++;
    } else if (d->length > 0) {
        delivered = fp_decoder_finish(d, out);
    }
    d->length = 0;
    d->overflowed = 0;
    return delivered;
}

size_t fp_decoder_feed(fp_decoder *d, const uint8_t *data, size_t length, fp_message *out,
                       int *delivered) {
    *delivered = 0;
    for (size_t i = 0; i < length; i++) {
        if (fp_decoder_push(d, data[i], out)) {
            *delivered = 1;
            return i + 1;
        }
    }
    return length;
}
