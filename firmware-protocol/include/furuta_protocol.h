/*
 * Furuta wire protocol: message definitions, frame codec and streaming decoder.
 *
 * One C11 implementation, compiled into the ESP32 firmware and linked by the host.
 * No malloc, no mutable globals: every piece of state lives in a struct the caller owns.
 * The spec, with the byte layout of every message, is firmware-protocol/PROTOCOL.md.
 *
 * Frame on the wire:  COBS( type u8 | seq u16 | body | crc32 u32 ) 0x00
 * All multi-byte fields are little-endian.
 */
#ifndef FURUTA_PROTOCOL_H
#define FURUTA_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bump when the framing or the meaning of a field changes. The schema hash catches layouts. */
#define FP_PROTOCOL_VERSION 1

/* Sizes. COBS adds exactly one byte to any input of at most 254 bytes. */
#define FP_HEADER_SIZE 3  /* type u8, seq u16 */
#define FP_CRC_SIZE 4     /* CRC-32/ISO-HDLC over header and body */
#define FP_MAX_BODY 32
/* Plain numbers so Swift imports them; frame.c asserts the sums. */
#define FP_MAX_RAW 39     /* FP_HEADER_SIZE + FP_MAX_BODY + FP_CRC_SIZE */
#define FP_MAX_ENCODED 40 /* FP_MAX_RAW + 1: the longest COBS frame */
#define FP_MAX_WIRE 41    /* FP_MAX_ENCODED + 1: plus the delimiter */

/* Message types. Host -> device below 0x80, device -> host from 0x80. */
enum {
    FP_MSG_HELLO = 0x01,
    FP_MSG_COMMAND = 0x02,
    FP_MSG_CONFIGURE = 0x03,
    FP_MSG_PING = 0x04,
    FP_MSG_REARM = 0x05,
    FP_MSG_HELLO_REPLY = 0x81,
    FP_MSG_STATE = 0x82,
    FP_MSG_CONFIG_ACK = 0x83,
    FP_MSG_PONG = 0x84,
    FP_MSG_FAULT = 0x85
};

/* fp_command.flags */
enum {
    FP_COMMAND_ENABLE = 1u << 0, /* apply the duty; without it the motor is driven at zero */
    FP_COMMAND_ESTOP = 1u << 1   /* zero the motor and latch e-stop until REARM */
};

/* fp_state.status and fp_fault.status: latched conditions, cleared by REARM (except duty limited). */
enum {
    FP_STATUS_WATCHDOG_TRIPPED = 1u << 0, /* commands stopped for longer than the timeout */
    FP_STATUS_ESTOP = 1u << 1,            /* a command carried the e-stop flag */
    FP_STATUS_DUTY_LIMITED = 1u << 2,     /* the last command's duty was clamped to the limit */
    FP_STATUS_BROWNOUT = 1u << 3          /* the device last reset on a brownout */
};

/* Why the device last reset (fp_hello_reply.reset_reason, fp_fault.detail of NOT_READY). */
enum {
    FP_RESET_UNKNOWN = 0,
    FP_RESET_POWER_ON = 1,
    FP_RESET_WATCHDOG = 2,
    FP_RESET_BROWNOUT = 3,
    FP_RESET_SOFTWARE = 4,
    FP_RESET_PANIC = 5,
    FP_RESET_EXTERNAL = 6
};

/* Device state machine (fp_state.mode). */
enum {
    FP_MODE_WAIT_HANDSHAKE = 0, /* after boot: only HELLO is answered, others get FAULT NOT_READY */
    FP_MODE_DISARMED = 1,       /* motor held at zero until REARM */
    FP_MODE_ARMED = 2           /* COMMAND duties reach the motor; the watchdog runs */
};

/* fp_fault.code */
enum {
    FP_FAULT_WATCHDOG = 1,  /* no COMMAND within the watchdog timeout while armed */
    FP_FAULT_ESTOP = 2,     /* e-stop flag received */
    FP_FAULT_NOT_READY = 3  /* a message other than HELLO before the handshake; detail = reset reason */
};

/* Duty is carried as int16 in units of 1/32767: duty = duty_q15 / 32767, -32768 reads as -32767. */
#define FP_DUTY_FULL_SCALE 32767

/* ---- message bodies (field order here is the wire order) ---- */

typedef struct {
    uint16_t protocol_version;
    uint32_t schema_hash;
} fp_hello;

typedef struct {
    int16_t duty_q15;
    uint8_t flags;
} fp_command;

typedef struct {
    uint16_t watchdog_timeout_ms;
    int16_t duty_limit_q15;
} fp_configure;

typedef struct {
    uint32_t token;
} fp_ping;

typedef struct {
    uint16_t protocol_version;
    uint32_t schema_hash;
    uint8_t accepted; /* 1 when version and schema hash matched the host's HELLO */
    uint8_t reset_reason;
    uint32_t firmware_version; /* major << 16 | minor << 8 | patch */
    uint32_t arm_counts_per_rev;
    uint32_t pendulum_counts_per_rev;
    uint64_t serial;
} fp_hello_reply;

typedef struct {
    uint64_t time_us; /* device clock when the encoders were read */
    int32_t arm_counts;
    int32_t pendulum_counts;
    uint16_t last_command_seq;
    int16_t applied_duty_q15;
    uint16_t status;
    uint8_t mode;
} fp_state;

typedef struct {
    uint16_t watchdog_timeout_ms;
    int16_t duty_limit_q15;
} fp_config_ack;

typedef struct {
    uint32_t token;
    uint64_t time_us;
} fp_pong;

typedef struct {
    uint8_t code;
    uint8_t detail;
    uint64_t time_us;
    uint16_t status;
} fp_fault;

typedef union {
    fp_hello hello;
    fp_command command;
    fp_configure configure;
    fp_ping ping;
    fp_hello_reply hello_reply;
    fp_state state;
    fp_config_ack config_ack;
    fp_pong pong;
    fp_fault fault;
} fp_message_body;

/* A decoded frame: type, sequence number and the body for that type (REARM has none). */
typedef struct {
    uint8_t type;
    uint16_t seq;
    fp_message_body body;
} fp_message;

/* ---- schema ---- */

/* Wire length of the body of `type`, or -1 for an unknown type. */
int fp_body_length(uint8_t type);

/* FNV-1a 32 of the canonical schema text (fp_schema_text), i.e. of every message's id, name,
 * and fields' names and types in wire order. Another layout gives another hash. */
uint32_t fp_schema_hash(void);

/* Writes the canonical schema text into out (NUL-terminated, truncated to capacity).
 * Returns the full length without the NUL. */
size_t fp_schema_text(char *out, size_t capacity);

/* ---- checksums and byte stuffing ---- */

/* CRC-32/ISO-HDLC (zlib's crc32): poly 0x04C11DB7 reflected (0xEDB88320), init and xorout
 * 0xFFFFFFFF. Check value for "123456789" is 0xCBF43926. */
uint32_t fp_crc32(const uint8_t *data, size_t length);

/* COBS: writes the stuffed form of in (no delimiter). Returns its length, 0 if it does not fit. */
size_t fp_cobs_encode(const uint8_t *in, size_t length, uint8_t *out, size_t capacity);

/* COBS: unstuffs in (no delimiter). Returns the decoded length, or -1 if malformed or too long. */
int fp_cobs_decode(const uint8_t *in, size_t length, uint8_t *out, size_t capacity);

/* ---- frames ---- */

/* Encodes msg as one complete wire frame, delimiter included, into out (use FP_MAX_WIRE).
 * Returns the number of bytes written, 0 for an unknown type or short buffer. */
size_t fp_encode_frame(const fp_message *msg, uint8_t *out, size_t capacity);

/* Decoder counters. Every frame that ends at a delimiter is counted in exactly one of
 * frames_ok, crc_errors, cobs_errors, oversize, malformed, unknown_type (empty frames are not
 * frames: two delimiters in a row are idle fill). */
typedef struct {
    uint32_t bytes;        /* bytes pushed in */
    uint32_t frames_ok;    /* delivered */
    uint32_t crc_errors;   /* CRC mismatch */
    uint32_t cobs_errors;  /* stuffing broken */
    uint32_t oversize;     /* more than FP_MAX_ENCODED bytes before a delimiter */
    uint32_t malformed;    /* shorter than header+CRC, or body length wrong for its type */
    uint32_t unknown_type; /* CRC good but type unknown to this build */
} fp_decoder_stats;

/* Streaming decoder: push bytes in any chunking; frames come out whole or not at all. */
typedef struct {
    uint8_t buffer[FP_MAX_ENCODED];
    uint8_t length;
    uint8_t overflowed; /* discarding until the next delimiter */
    fp_decoder_stats stats;
} fp_decoder;

void fp_decoder_init(fp_decoder *decoder);

/* Pushes one byte. Returns 1 and fills *out when this byte completed a valid frame, else 0. */
int fp_decoder_push(fp_decoder *decoder, uint8_t byte, fp_message *out);

/* Pushes bytes until one frame completes or the input runs out. Returns the number of bytes
 * consumed; *delivered is 1 when *out holds a message. Call again with the rest. */
size_t fp_decoder_feed(fp_decoder *decoder, const uint8_t *data, size_t length, fp_message *out,
                       int *delivered);

/* Sum of all dropped-frame counters. */
uint32_t fp_decoder_dropped(const fp_decoder_stats *stats);

#ifdef __cplusplus
}
#endif

#endif /* FURUTA_PROTOCOL_H */
