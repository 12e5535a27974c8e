/* Internal: the message table shared by the body codec and the schema hash. */
#ifndef FURUTA_PROTOCOL_SCHEMA_H
#define FURUTA_PROTOCOL_SCHEMA_H

#include "furuta_protocol.h"

enum { FP_FIELD_U8 = 1, FP_FIELD_U16, FP_FIELD_I16, FP_FIELD_U32, FP_FIELD_I32, FP_FIELD_U64 };

typedef struct {
    const char *name;
    uint8_t kind;   /* FP_FIELD_* */
    uint8_t offset; /* offsetof within the body struct */
} fp_field;

typedef struct {
    uint8_t type;
    const char *name;
    const fp_field *fields;
    uint8_t field_count;
} fp_message_schema;

size_t fp_message_schema_count(void);
const fp_message_schema *fp_message_schema_at(size_t index);
const fp_message_schema *fp_message_schema_for(uint8_t type);
uint8_t fp_field_size(uint8_t kind);

/* Body codec: little-endian, fields in table order. Return bytes written/read, -1 on error. */
int fp_body_encode(const fp_message_schema *schema, const fp_message_body *body, uint8_t *out,
                   size_t capacity);
int fp_body_decode(const fp_message_schema *schema, const uint8_t *in, size_t length,
                   fp_message_body *body);

#endif
