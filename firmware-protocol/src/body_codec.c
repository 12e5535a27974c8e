/* Little-endian field codec driven by the message table (schema.c). Memory access goes
 * through memcpy of fixed sizes, so it is alignment-safe and compiles to plain loads. */
#include <string.h>

#include "schema.h"

static uint64_t fp_load_field(const uint8_t *base, uint8_t kind) {
    switch (kind) {
    case FP_FIELD_U8: { uint8_t v; memcpy(&v, base, 1); return v; }
    case FP_FIELD_U16:
    case FP_FIELD_I16: { uint16_t v; memcpy(&v, base, 2); return v; }
    case FP_FIELD_U32:
    case FP_FIELD_I32: { uint32_t v; memcpy(&v, base, 4); return v; }
    default: { uint64_t v; memcpy(&v, base, 8); return v; }
    }
}

static void fp_store_field(uint8_t *base, uint8_t kind, uint64_t value) {
    switch (kind) {
    case FP_FIELD_U8: { uint8_t v = (uint8_t)value; memcpy(base, &v, 1); break; }
    case FP_FIELD_U16:
    case FP_FIELD_I16: { uint16_t v = (uint16_t)value; memcpy(base, &v, 2); break; }
    case FP_FIELD_U32:
    case FP_FIELD_I32: { uint32_t v = (uint32_t)value; memcpy(base, &v, 4); break; }
    default: memcpy(base, &value, 8); break;
    }
}

int fp_body_encode(const fp_message_schema *schema, const fp_message_body *body, uint8_t *out,
                   size_t capacity) {
    size_t write = 0;
    const uint8_t *base = (const uint8_t *)body;
    for (uint8_t i = 0; i < schema->field_count; i++) {
        const fp_field *field = &schema->fields[i];
        uint8_t size = fp_field_size(field->kind);
        if (write + size > capacity) return -1;
        uint64_t value = fp_load_field(base + field->offset, field->kind);
        for (uint8_t b = 0; b < size; b++) out[write++] = (uint8_t)(value >> (8u * b));
    }
    return (int)write;
}

int fp_body_decode(const fp_message_schema *schema, const uint8_t *in, size_t length,
                   fp_message_body *body) {
    size_t read = 0;
    uint8_t *base = (uint8_t *)body;
    memset(body, 0, sizeof(*body));
    for (uint8_t i = 0; i < schema->field_count; i++) {
        const fp_field *field = &schema->fields[i];
        uint8_t size = fp_field_size(field->kind);
        if (read + size > length) return -1;
        uint64_t value = 0;
        for (uint8_t b = 0; b < size; b++) value |= (uint64_t)in[read++] << (8u * b);
        fp_store_field(base + field->offset, field->kind, value);
    }
    return read == length ? (int)read : -1;
}
