/* The message table: one row per message, one entry per field in wire order. The body codec
 * (body_codec.c) walks this table, and the schema hash is computed from it, so the hash the
 * handshake compares is a hash of the very definitions the codec uses. */
#include "schema.h"

#include <stddef.h>

#define FIELD(owner, member, kind) {#member, kind, (uint8_t)offsetof(owner, member)}

static const fp_field fp_hello_fields[] = {
    FIELD(fp_hello, protocol_version, FP_FIELD_U16),
    FIELD(fp_hello, schema_hash, FP_FIELD_U32),
};
static const fp_field fp_command_fields[] = {
    FIELD(fp_command, duty_q15, FP_FIELD_I16),
    FIELD(fp_command, flags, FP_FIELD_U8),
};
static const fp_field fp_configure_fields[] = {
    FIELD(fp_configure, watchdog_timeout_ms, FP_FIELD_U16),
    FIELD(fp_configure, duty_limit_q15, FP_FIELD_I16),
};
static const fp_field fp_ping_fields[] = {
    FIELD(fp_ping, token, FP_FIELD_U32),
};
static const fp_field fp_hello_reply_fields[] = {
    FIELD(fp_hello_reply, protocol_version, FP_FIELD_U16),
    FIELD(fp_hello_reply, schema_hash, FP_FIELD_U32),
    FIELD(fp_hello_reply, accepted, FP_FIELD_U8),
    FIELD(fp_hello_reply, reset_reason, FP_FIELD_U8),
    FIELD(fp_hello_reply, firmware_version, FP_FIELD_U32),
    FIELD(fp_hello_reply, arm_counts_per_rev, FP_FIELD_U32),
    FIELD(fp_hello_reply, pendulum_counts_per_rev, FP_FIELD_U32),
    FIELD(fp_hello_reply, serial, FP_FIELD_U64),
};
static const fp_field fp_state_fields[] = {
    FIELD(fp_state, time_us, FP_FIELD_U64),
    FIELD(fp_state, arm_counts, FP_FIELD_I32),
    FIELD(fp_state, pendulum_counts, FP_FIELD_I32),
    FIELD(fp_state, last_command_seq, FP_FIELD_U16),
    FIELD(fp_state, applied_duty_q15, FP_FIELD_I16),
    FIELD(fp_state, status, FP_FIELD_U16),
    FIELD(fp_state, mode, FP_FIELD_U8),
};
static const fp_field fp_config_ack_fields[] = {
    FIELD(fp_config_ack, watchdog_timeout_ms, FP_FIELD_U16),
    FIELD(fp_config_ack, duty_limit_q15, FP_FIELD_I16),
};
static const fp_field fp_pong_fields[] = {
    FIELD(fp_pong, token, FP_FIELD_U32),
    FIELD(fp_pong, time_us, FP_FIELD_U64),
};
static const fp_field fp_fault_fields[] = {
    FIELD(fp_fault, code, FP_FIELD_U8),
    FIELD(fp_fault, detail, FP_FIELD_U8),
    FIELD(fp_fault, time_us, FP_FIELD_U64),
    FIELD(fp_fault, status, FP_FIELD_U16),
};

#define COUNT(array) ((uint8_t)(sizeof(array) / sizeof((array)[0])))
#define MESSAGE(id, name, fields) {id, name, fields, COUNT(fields)}

static const fp_message_schema fp_messages[] = {
    MESSAGE(FP_MSG_HELLO, "hello", fp_hello_fields),
    MESSAGE(FP_MSG_COMMAND, "command", fp_command_fields),
    MESSAGE(FP_MSG_CONFIGURE, "configure", fp_configure_fields),
    MESSAGE(FP_MSG_PING, "ping", fp_ping_fields),
    {FP_MSG_REARM, "rearm", NULL, 0},
    MESSAGE(FP_MSG_HELLO_REPLY, "hello_reply", fp_hello_reply_fields),
    MESSAGE(FP_MSG_STATE, "state", fp_state_fields),
    MESSAGE(FP_MSG_CONFIG_ACK, "config_ack", fp_config_ack_fields),
    MESSAGE(FP_MSG_PONG, "pong", fp_pong_fields),
    MESSAGE(FP_MSG_FAULT, "fault", fp_fault_fields),
};

size_t fp_message_schema_count(void) { return sizeof(fp_messages) / sizeof(fp_messages[0]); }

const fp_message_schema *fp_message_schema_at(size_t index) {
    return index < fp_message_schema_count() ? &fp_messages[index] : NULL;
}

const fp_message_schema *fp_message_schema_for(uint8_t type) {
    for (size_t i = 0; i < fp_message_schema_count(); i++) {
        if (fp_messages[i].type == type) return &fp_messages[i];
    }
    return NULL;
}

uint8_t fp_field_size(uint8_t kind) {
    switch (kind) {
    case FP_FIELD_U8: return 1;
    case FP_FIELD_U16:
    case FP_FIELD_I16: return 2;
    case FP_FIELD_U32:
    case FP_FIELD_I32: return 4;
    case FP_FIELD_U64: return 8;
    default: return 0;
    }
}

int fp_body_length(uint8_t type) {
    const fp_message_schema *schema = fp_message_schema_for(type);
    if (schema == NULL) return -1;
    int length = 0;
    for (uint8_t i = 0; i < schema->field_count; i++) length += fp_field_size(schema->fields[i].kind);
    return length;
}
