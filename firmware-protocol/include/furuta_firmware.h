/*
 * Portable firmware core: the device side of the protocol, written against a small HAL so the
 * same code runs on the ESP32 (esp32/src/main.cpp) and inside the host's twin (Sources/Twin).
 *
 * State machine:
 *   boot -> WAIT_HANDSHAKE --HELLO ok--> DISARMED --REARM--> ARMED
 *   ARMED --no COMMAND for watchdog_timeout_ms--> DISARMED + WATCHDOG_TRIPPED (latched)
 *   ARMED --COMMAND with ESTOP--> DISARMED + ESTOP (latched)
 *   DISARMED --REARM--> ARMED, latches cleared
 * The motor sees a non-zero duty only in ARMED, for a COMMAND with ENABLE, clamped to the
 * duty limit. Everything else drives it at zero.
 */
#ifndef FURUTA_FIRMWARE_H
#define FURUTA_FIRMWARE_H

#include "furuta_protocol.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Defaults until a CONFIGURE arrives, and the accepted ranges (values are clamped). */
#define FP_DEFAULT_WATCHDOG_MS 100
#define FP_MIN_WATCHDOG_MS 5
#define FP_MAX_WATCHDOG_MS 5000
#define FP_DEFAULT_DUTY_LIMIT_Q15 FP_DUTY_FULL_SCALE

/* Hardware access. Every function receives `context`. All are called from fp_device_poll only. */
typedef struct {
    void *context;
    uint64_t (*time_us)(void *context);                      /* monotonic microseconds */
    void (*read_encoders)(void *context, int32_t *arm, int32_t *pendulum);
    void (*set_duty)(void *context, int16_t duty_q15);       /* signed PWM, 1/32767 units */
    size_t (*serial_read)(void *context, uint8_t *buffer, size_t capacity); /* non-blocking */
    void (*serial_write)(void *context, const uint8_t *bytes, size_t length);
    uint8_t (*reset_reason)(void *context);                  /* FP_RESET_* */
} fp_hal;

/* What the device says about itself in the handshake. The two protocol fields are what this
 * device speaks; fp_device_identity_default fills them from this build. */
typedef struct {
    uint16_t protocol_version;
    uint32_t schema_hash;
    uint32_t firmware_version; /* major << 16 | minor << 8 | patch */
    uint32_t arm_counts_per_rev;
    uint32_t pendulum_counts_per_rev;
    uint64_t serial;
} fp_device_identity;

/* Counters for diagnostics (the decoder's own counters are in decoder.stats). */
typedef struct {
    uint32_t frames_sent;
    uint32_t commands_applied;
    uint32_t sequence_gaps;      /* host frames missing, from gaps in the host's seq */
    uint32_t handshakes_refused;
    uint32_t watchdog_trips;
} fp_device_counters;

typedef struct {
    fp_hal hal;
    fp_device_identity identity;
    fp_decoder decoder;
    fp_device_counters counters;
    uint8_t mode;        /* FP_MODE_* */
    uint8_t reset_reason;
    uint16_t status;     /* FP_STATUS_* */
    uint16_t tx_seq;     /* next outgoing seq */
    uint16_t expected_rx_seq;
    uint8_t rx_seq_valid;
    uint16_t last_command_seq;
    int16_t applied_duty_q15;
    uint16_t watchdog_timeout_ms;
    int16_t duty_limit_q15;
    uint64_t last_command_us;
} fp_device;

void fp_device_identity_default(fp_device_identity *identity);

/* Boot: motor to zero, reads the reset reason, waits for the handshake. */
void fp_device_init(fp_device *device, const fp_hal *hal, const fp_device_identity *identity);

/* One pass of the main loop: drain serial input, handle complete frames, run the watchdog.
 * Call it often (every loop iteration; at least ten times per watchdog timeout). */
void fp_device_poll(fp_device *device);

/* Handles one decoded message as if it had arrived on the serial line (used by poll). */
void fp_device_handle(fp_device *device, const fp_message *message);

/* The watchdog check alone (used by poll). */
void fp_device_check_watchdog(fp_device *device);

/* A watchdog trip from outside the core: motor to zero, DISARMED + WATCHDOG_TRIPPED (latched
 * until REARM), fault reported. The board's backstop calls it when its main loop was hung longer
 * than the protocol watchdog (esp32/src/main.cpp), after it has already cut the PWM itself. */
void fp_device_force_stop(fp_device *device);

#ifdef __cplusplus
}
#endif

#endif /* FURUTA_FIRMWARE_H */
