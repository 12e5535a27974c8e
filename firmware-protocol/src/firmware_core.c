/* The device state machine (see furuta_firmware.h for the diagram). No allocation: replies are
 * encoded into a stack buffer of FP_MAX_WIRE bytes and handed to hal.serial_write. */
#include <string.h>

#include "furuta_firmware.h"

void fp_device_identity_default(fp_device_identity *identity) {
    memset(identity, 0, sizeof(*identity));
    identity->protocol_version = FP_PROTOCOL_VERSION;
    identity->schema_hash = fp_schema_hash();
}

static void fp_device_drive(fp_device *d, int16_t duty_q15) {
    d->applied_duty_q15 = duty_q15;
    d->hal.set_duty(d->hal.context, duty_q15);
}

static void fp_device_send(fp_device *d, fp_message *message) {
    uint8_t wire[FP_MAX_WIRE];
    message->seq = d->tx_seq++;
    size_t length = fp_encode_frame(message, wire, sizeof(wire));
    if (length > 0) {
        d->hal.serial_write(d->hal.context, wire, length);
        d->counters.frames_sent++;
    }
}

static void fp_device_send_fault(fp_device *d, uint8_t code, uint8_t detail) {
    fp_message m;
    memset(&m, 0, sizeof(m));
    m.type = FP_MSG_FAULT;
    m.body.fault.code = code;
    m.body.fault.detail = detail;
    m.body.fault.time_us = d->hal.time_us(d->hal.context);
    m.body.fault.status = d->status;
    fp_device_send(d, &m);
}

static void fp_device_send_state(fp_device *d) {
    fp_message m;
    memset(&m, 0, sizeof(m));
    m.type = FP_MSG_STATE;
    d->hal.read_encoders(d->hal.context, &m.body.state.arm_counts, &m.body.state.pendulum_counts);
    m.body.state.time_us = d->hal.time_us(d->hal.context);
    m.body.state.last_command_seq = d->last_command_seq;
    m.body.state.applied_duty_q15 = d->applied_duty_q15;
    m.body.state.status = d->status;
    m.body.state.mode = d->mode;
    fp_device_send(d, &m);
}

void fp_device_init(fp_device *d, const fp_hal *hal, const fp_device_identity *identity) {
    memset(d, 0, sizeof(*d));
    d->hal = *hal;
    d->identity = *identity;
    fp_decoder_init(&d->decoder);
    d->mode = FP_MODE_WAIT_HANDSHAKE;
    d->watchdog_timeout_ms = FP_DEFAULT_WATCHDOG_MS;
    d->duty_limit_q15 = FP_DEFAULT_DUTY_LIMIT_Q15;
    d->reset_reason = hal->reset_reason(hal->context);
    if (d->reset_reason == FP_RESET_BROWNOUT) d->status |= FP_STATUS_BROWNOUT;
    fp_device_drive(d, 0);
}

/* Moves to DISARMED with the motor at zero, latching `status_bit`, and reports `fault`. */
static void fp_device_trip(fp_device *d, uint16_t status_bit, uint8_t fault) {
    fp_device_drive(d, 0);
    int was_latched = (d->status & status_bit) != 0;
    d->status |= status_bit;
    d->mode = FP_MODE_DISARMED;
    if (!was_latched) fp_device_send_fault(d, fault, 0);
}

static void fp_device_handle_hello(fp_device *d, const fp_hello *hello) {
    fp_message m;
    memset(&m, 0, sizeof(m));
    int accepted = hello->protocol_version == d->identity.protocol_version &&
                   hello->schema_hash == d->identity.schema_hash;
    m.type = FP_MSG_HELLO_REPLY;
    m.body.hello_reply.protocol_version = d->identity.protocol_version;
    m.body.hello_reply.schema_hash = d->identity.schema_hash;
    m.body.hello_reply.accepted = (uint8_t)accepted;
    m.body.hello_reply.reset_reason = d->reset_reason;
    m.body.hello_reply.firmware_version = d->identity.firmware_version;
    m.body.hello_reply.arm_counts_per_rev = d->identity.arm_counts_per_rev;
    m.body.hello_reply.pendulum_counts_per_rev = d->identity.pendulum_counts_per_rev;
    m.body.hello_reply.serial = d->identity.serial;
    if (accepted) {
        /* A new session starts disarmed with the motor at zero, whatever came before. */
        fp_device_drive(d, 0);
        d->mode = FP_MODE_DISARMED;
    } else {
        d->counters.handshakes_refused++;
    }
    fp_device_send(d, &m);
}

/* duty = clamp(command, -limit, +limit); -32768 reads as -32767 (symmetric range). */
static void fp_device_handle_command(fp_device *d, uint16_t seq, const fp_command *command) {
    d->last_command_seq = seq;
    d->last_command_us = d->hal.time_us(d->hal.context);
    if (command->flags & FP_COMMAND_ESTOP) {
        fp_device_trip(d, FP_STATUS_ESTOP, FP_FAULT_ESTOP);
    } else if (d->mode == FP_MODE_ARMED) {
        int32_t duty = command->duty_q15 < -FP_DUTY_FULL_SCALE ? -FP_DUTY_FULL_SCALE
                                                               : command->duty_q15;
        int32_t limit = d->duty_limit_q15;
        d->status &= (uint16_t)~FP_STATUS_DUTY_LIMITED;
        if (!(command->flags & FP_COMMAND_ENABLE)) {
            duty = 0;
        } else if (duty > limit || duty < -limit) {
            duty = duty > 0 ? limit : -limit;
            d->status |= FP_STATUS_DUTY_LIMITED;
        }
        fp_device_drive(d, (int16_t)duty);
        d->counters.commands_applied++;
    } else {
        fp_device_drive(d, 0);
    }
    fp_device_send_state(d);
}

static void fp_device_handle_configure(fp_device *d, const fp_configure *configure) {
    uint16_t timeout = configure->watchdog_timeout_ms;
    if (timeout < FP_MIN_WATCHDOG_MS) timeout = FP_MIN_WATCHDOG_MS;
    if (timeout > FP_MAX_WATCHDOG_MS) timeout = FP_MAX_WATCHDOG_MS;
    int16_t limit = configure->duty_limit_q15;
    if (limit < 0) limit = 0;
    d->watchdog_timeout_ms = timeout;
    d->duty_limit_q15 = limit;
    /* A lower limit holds from now, not from the next command: the duty already applied is
     * clamped to it at once (the acknowledgement must not promise a limit the motor exceeds). */
    if (d->applied_duty_q15 > limit || d->applied_duty_q15 < -limit) {
        fp_device_drive(d, (int16_t)(d->applied_duty_q15 > 0 ? limit : -limit));
        d->status |= FP_STATUS_DUTY_LIMITED;
    }
    fp_message m;
    memset(&m, 0, sizeof(m));
    m.type = FP_MSG_CONFIG_ACK;
    m.body.config_ack.watchdog_timeout_ms = timeout;
    m.body.config_ack.duty_limit_q15 = limit;
    fp_device_send(d, &m);
}

static void fp_device_track_sequence(fp_device *d, uint16_t seq) {
    if (d->rx_seq_valid && seq != d->expected_rx_seq) {
        d->counters.sequence_gaps += (uint16_t)(seq - d->expected_rx_seq);
    }
    d->expected_rx_seq = (uint16_t)(seq + 1);
    d->rx_seq_valid = 1;
}

void fp_device_handle(fp_device *d, const fp_message *message) {
    if (message->type >= 0x80) return; /* device -> host types are not for us */
    if (message->type == FP_MSG_HELLO) {
        d->rx_seq_valid = 0; /* a new session restarts the host's numbering */
        fp_device_track_sequence(d, message->seq);
        fp_device_handle_hello(d, &message->body.hello);
        return;
    }
    fp_device_track_sequence(d, message->seq);
    if (d->mode == FP_MODE_WAIT_HANDSHAKE) {
        fp_device_send_fault(d, FP_FAULT_NOT_READY, d->reset_reason);
        return;
    }
    switch (message->type) {
    case FP_MSG_COMMAND:
        fp_device_handle_command(d, message->seq, &message->body.command);
        break;
    case FP_MSG_CONFIGURE:
        fp_device_handle_configure(d, &message->body.configure);
        break;
    case FP_MSG_PING: {
        fp_message m;
        memset(&m, 0, sizeof(m));
        m.type = FP_MSG_PONG;
        m.body.pong.token = message->body.ping.token;
        m.body.pong.time_us = d->hal.time_us(d->hal.context);
        fp_device_send(d, &m);
        break;
    }
    case FP_MSG_REARM:
        d->status &= (uint16_t)~(FP_STATUS_WATCHDOG_TRIPPED | FP_STATUS_ESTOP | FP_STATUS_BROWNOUT |
                                 FP_STATUS_DUTY_LIMITED);
        d->mode = FP_MODE_ARMED;
        d->last_command_us = d->hal.time_us(d->hal.context); /* the watchdog starts now */
        fp_device_drive(d, 0);
        fp_device_send_state(d);
        break;
    default:
        break;
    }
}

void fp_device_check_watchdog(fp_device *d) {
    if (d->mode != FP_MODE_ARMED) return;
    uint64_t now = d->hal.time_us(d->hal.context);
    if (now - d->last_command_us > (uint64_t)d->watchdog_timeout_ms * 1000u) {
        d->counters.watchdog_trips++;
        fp_device_trip(d, FP_STATUS_WATCHDOG_TRIPPED, FP_FAULT_WATCHDOG);
    }
}

void fp_device_force_stop(fp_device *d) {
    if (d->mode != FP_MODE_ARMED && d->applied_duty_q15 == 0) return;
    d->counters.watchdog_trips++;
    fp_device_trip(d, FP_STATUS_WATCHDOG_TRIPPED, FP_FAULT_WATCHDOG);
}

void fp_device_poll(fp_device *d) {
    uint8_t chunk[64];
    /* Bounded: at most 8 chunks per pass so the watchdog check below always runs. */
    for (int pass = 0; pass < 8; pass++) {
        size_t count = d->hal.serial_read(d->hal.context, chunk, sizeof(chunk));
        if (count == 0) break;
        size_t offset = 0;
        while (offset < count) {
            fp_message message;
            int delivered = 0;
            offset += fp_decoder_feed(&d->decoder, chunk + offset, count - offset, &message,
                                      &delivered);
            if (delivered) fp_device_handle(d, &message);
        }
    }
    fp_device_check_watchdog(d);
}
