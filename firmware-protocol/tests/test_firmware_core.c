/* The firmware core against a fake HAL: handshake, arming, duty limit, watchdog, e-stop. */
#include <string.h>

#include "furuta_firmware.h"
#include "test_support.h"

typedef struct {
    uint64_t now_us;
    int16_t duty;
    uint8_t reset_reason;
    uint8_t rx[512];
    size_t rx_length, rx_read;
    fp_decoder host_decoder; /* decodes what the device wrote */
    fp_message last[8];
    int received;
    uint16_t host_seq;
} fake_board;

static uint64_t fake_time(void *c) { return ((fake_board *)c)->now_us; }
static void fake_encoders(void *c, int32_t *arm, int32_t *pend) {
    (void)c;
    *arm = 7;
    *pend = -9;
}
static void fake_duty(void *c, int16_t duty) { ((fake_board *)c)->duty = duty; }
static size_t fake_read(void *c, uint8_t *buf, size_t cap) {
    fake_board *b = c;
    size_t n = b->rx_length - b->rx_read;
    if (n > cap) n = cap;
    memcpy(buf, b->rx + b->rx_read, n);
    b->rx_read += n;
    return n;
}
static void fake_write(void *c, const uint8_t *bytes, size_t length) {
    fake_board *b = c;
    for (size_t i = 0; i < length; i++) {
        fp_message m;
        if (fp_decoder_push(&b->host_decoder, bytes[i], &m)) b->last[b->received++ % 8] = m;
    }
}
static uint8_t fake_reset(void *c) { return ((fake_board *)c)->reset_reason; }

static void host_send(fake_board *b, fp_device *d, fp_message m) {
    m.seq = b->host_seq++;
    b->rx_length = fp_encode_frame(&m, b->rx, sizeof(b->rx));
    b->rx_read = 0;
    fp_device_poll(d);
}

static fp_message msg(uint8_t type) {
    fp_message m;
    memset(&m, 0, sizeof(m));
    m.type = type;
    return m;
}

static fp_message command(int16_t duty, uint8_t flags) {
    fp_message m = msg(FP_MSG_COMMAND);
    m.body.command.duty_q15 = duty;
    m.body.command.flags = flags;
    return m;
}

static const fp_message *latest(const fake_board *b) { return &b->last[(b->received - 1) % 8]; }

static void boot(fake_board *b, fp_device *d, uint8_t reason) {
    memset(b, 0, sizeof(*b));
    b->reset_reason = reason;
    b->duty = 999;
    fp_decoder_init(&b->host_decoder);
    fp_hal hal = {b, fake_time, fake_encoders, fake_duty, fake_read, fake_write, fake_reset};
    fp_device_identity id;
    fp_device_identity_default(&id);
    id.firmware_version = 0x010000;
    id.arm_counts_per_rev = 2048;
    fp_device_init(d, &hal, &id);
}

static void handshake(fake_board *b, fp_device *d) {
    fp_message hello = msg(FP_MSG_HELLO);
    hello.body.hello.protocol_version = FP_PROTOCOL_VERSION;
    hello.body.hello.schema_hash = fp_schema_hash();
    host_send(b, d, hello);
}

static void test_boot_zeroes_motor_and_refuses_commands_before_handshake(void) {
    fake_board b;
    fp_device d;
    boot(&b, &d, FP_RESET_BROWNOUT);
    CHECK(b.duty == 0);
    host_send(&b, &d, command(1000, FP_COMMAND_ENABLE));
    CHECK(b.duty == 0);
    CHECK(latest(&b)->type == FP_MSG_FAULT);
    CHECK(latest(&b)->body.fault.code == FP_FAULT_NOT_READY);
    CHECK(latest(&b)->body.fault.detail == FP_RESET_BROWNOUT);
}

static void test_handshake_mismatch_is_refused_with_both_sides(void) {
    fake_board b;
    fp_device d;
    boot(&b, &d, FP_RESET_POWER_ON);
    fp_message hello = msg(FP_MSG_HELLO);
    hello.body.hello.protocol_version = FP_PROTOCOL_VERSION + 1;
    hello.body.hello.schema_hash = fp_schema_hash();
    host_send(&b, &d, hello);
    CHECK(latest(&b)->type == FP_MSG_HELLO_REPLY);
    CHECK(latest(&b)->body.hello_reply.accepted == 0);
    CHECK(latest(&b)->body.hello_reply.protocol_version == FP_PROTOCOL_VERSION);
    CHECK(d.mode == FP_MODE_WAIT_HANDSHAKE);
    handshake(&b, &d);
    CHECK(latest(&b)->body.hello_reply.accepted == 1);
    CHECK(latest(&b)->body.hello_reply.arm_counts_per_rev == 2048);
    CHECK(d.mode == FP_MODE_DISARMED);
}

static void test_commands_reach_motor_only_when_armed_and_within_limit(void) {
    fake_board b;
    fp_device d;
    boot(&b, &d, FP_RESET_POWER_ON);
    handshake(&b, &d);
    host_send(&b, &d, command(1000, FP_COMMAND_ENABLE));
    CHECK(b.duty == 0); /* disarmed */
    host_send(&b, &d, msg(FP_MSG_REARM));
    CHECK(latest(&b)->body.state.mode == FP_MODE_ARMED);
    host_send(&b, &d, command(1000, FP_COMMAND_ENABLE));
    CHECK(b.duty == 1000);
    CHECK(latest(&b)->type == FP_MSG_STATE);
    CHECK(latest(&b)->body.state.applied_duty_q15 == 1000);
    CHECK(latest(&b)->body.state.arm_counts == 7);
    fp_message configure = msg(FP_MSG_CONFIGURE);
    configure.body.configure.watchdog_timeout_ms = 1; /* clamped up */
    configure.body.configure.duty_limit_q15 = 500;
    host_send(&b, &d, configure);
    CHECK(latest(&b)->body.config_ack.watchdog_timeout_ms == FP_MIN_WATCHDOG_MS);
    host_send(&b, &d, command(-32768, FP_COMMAND_ENABLE));
    CHECK(b.duty == -500);
    CHECK(latest(&b)->body.state.status & FP_STATUS_DUTY_LIMITED);
    host_send(&b, &d, command(300, 0));
    CHECK(b.duty == 0); /* not enabled */
}

static void test_watchdog_zeroes_and_latches_until_rearm(void) {
    fake_board b;
    fp_device d;
    boot(&b, &d, FP_RESET_POWER_ON);
    handshake(&b, &d);
    host_send(&b, &d, msg(FP_MSG_REARM));
    host_send(&b, &d, command(2000, FP_COMMAND_ENABLE));
    b.now_us += FP_DEFAULT_WATCHDOG_MS * 1000u; /* exactly the timeout: still fine */
    fp_device_poll(&d);
    CHECK(b.duty == 2000);
    b.now_us += 1;
    fp_device_poll(&d);
    CHECK(b.duty == 0);
    CHECK(latest(&b)->type == FP_MSG_FAULT && latest(&b)->body.fault.code == FP_FAULT_WATCHDOG);
    host_send(&b, &d, command(2000, FP_COMMAND_ENABLE)); /* late command: not applied */
    CHECK(b.duty == 0);
    CHECK(latest(&b)->body.state.status & FP_STATUS_WATCHDOG_TRIPPED);
    host_send(&b, &d, msg(FP_MSG_REARM));
    host_send(&b, &d, command(2000, FP_COMMAND_ENABLE));
    CHECK(b.duty == 2000);
    CHECK(!(latest(&b)->body.state.status & FP_STATUS_WATCHDOG_TRIPPED));
}

static void test_estop_latches(void) {
    fake_board b;
    fp_device d;
    boot(&b, &d, FP_RESET_POWER_ON);
    handshake(&b, &d);
    host_send(&b, &d, msg(FP_MSG_REARM));
    host_send(&b, &d, command(2000, FP_COMMAND_ENABLE));
    host_send(&b, &d, command(2000, FP_COMMAND_ENABLE | FP_COMMAND_ESTOP));
    CHECK(b.duty == 0);
    host_send(&b, &d, command(2000, FP_COMMAND_ENABLE));
    CHECK(b.duty == 0);
    CHECK(latest(&b)->body.state.status & FP_STATUS_ESTOP);
    CHECK(d.counters.sequence_gaps == 0);
}

/* CONFIGURE lowering the duty limit while armed: the duty already applied drops to the new
 * limit at once, before any further command. */
static void test_configure_lowering_the_limit_applies_at_once(void) {
    fake_board b;
    fp_device d;
    boot(&b, &d, FP_RESET_POWER_ON);
    handshake(&b, &d);
    host_send(&b, &d, msg(FP_MSG_REARM));
    host_send(&b, &d, command(-20000, FP_COMMAND_ENABLE));
    CHECK(b.duty == -20000);
    fp_message configure = msg(FP_MSG_CONFIGURE);
    configure.body.configure.watchdog_timeout_ms = 50;
    configure.body.configure.duty_limit_q15 = 8000;
    host_send(&b, &d, configure);
    CHECK(latest(&b)->type == FP_MSG_CONFIG_ACK);
    CHECK(latest(&b)->body.config_ack.duty_limit_q15 == 8000);
    CHECK(b.duty == -8000);
    CHECK(d.applied_duty_q15 == -8000);
    CHECK(d.status & FP_STATUS_DUTY_LIMITED);
    configure.body.configure.duty_limit_q15 = 0; /* limit 0: the motor stops now */
    host_send(&b, &d, configure);
    CHECK(b.duty == 0);
    configure.body.configure.duty_limit_q15 = 30000; /* raising never raises the duty itself */
    host_send(&b, &d, configure);
    CHECK(b.duty == 0);
}

/* The board's backstop (a hung main loop) stops the motor and latches like the watchdog. */
static void test_force_stop_zeroes_and_latches_until_rearm(void) {
    fake_board b;
    fp_device d;
    boot(&b, &d, FP_RESET_POWER_ON);
    handshake(&b, &d);
    host_send(&b, &d, msg(FP_MSG_REARM));
    host_send(&b, &d, command(12000, FP_COMMAND_ENABLE));
    CHECK(b.duty == 12000);
    fp_device_force_stop(&d);
    CHECK(b.duty == 0);
    CHECK(d.mode == FP_MODE_DISARMED);
    CHECK(latest(&b)->type == FP_MSG_FAULT && latest(&b)->body.fault.code == FP_FAULT_WATCHDOG);
    host_send(&b, &d, command(12000, FP_COMMAND_ENABLE));
    CHECK(b.duty == 0);
    host_send(&b, &d, msg(FP_MSG_REARM));
    host_send(&b, &d, command(12000, FP_COMMAND_ENABLE));
    CHECK(b.duty == 12000);
}

void test_firmware_core(void) {
    test_configure_lowering_the_limit_applies_at_once();
    test_force_stop_zeroes_and_latches_until_rearm();
    test_boot_zeroes_motor_and_refuses_commands_before_handshake();
    test_handshake_mismatch_is_refused_with_both_sides();
    test_commands_reach_motor_only_when_armed_and_within_limit();
    test_watchdog_zeroes_and_latches_until_rearm();
    test_estop_latches();
}
