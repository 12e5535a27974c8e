// ESP32 HAL for the portable firmware core (furuta_firmware.h). Deliberately thin: all protocol
// and safety logic (handshake, watchdog, e-stop, duty limit) lives in the shared C core that
// the host tests run in the twin. This file only maps the HAL onto the chip:
//   encoders -> PCNT quadrature counters (ESP32Encoder, full quadrature = 4 counts per line)
//   motor    -> LEDC PWM on PIN_PWM + direction on PIN_DIR (sign-magnitude H-bridge; pins.h)
//   clock    -> esp_timer_get_time(), serial -> Serial (USB CDC or UART), reset -> esp_reset_reason()
#include <Arduino.h>
#include <ESP32Encoder.h>
#include <esp_system.h>
#include <esp_task_wdt.h>
#include <esp_timer.h>

extern "C" {
#include "furuta_firmware.h"
}

#include "pins.h"         // GPIOs per chip
#include "robot_config.h"  // encoder resolutions, generated from robot.yaml (never edit by hand)

#define PWM_CHANNEL 0
#define PWM_FREQUENCY_HZ 20000 // above hearing
#define PWM_BITS 11            // 40 MHz / 20 kHz = 2000 steps: 11 bits fit
#define SERIAL_BAUD 921600     // ignored by USB CDC
#define TASK_WATCHDOG_S 1      // last resort: a loop hung this long resets the chip (IDF 4.4's
                               // task watchdog counts whole seconds, far above the protocol's bound)
#define BACKSTOP_PERIOD_US 5000 // the loop-hang backstop checks every 5 ms (see backstopCheck)

namespace {

struct Board {
    ESP32Encoder arm;
    ESP32Encoder pendulum;
};

Board board;        // hardware handles: the only state outside the core
fp_device device;   // the firmware core

// Loop-hang backstop. The protocol watchdog runs inside fp_device_poll, so a main loop stuck
// elsewhere (a blocking Serial call, a driver) would leave the motor at its last duty until the
// 1 s task watchdog resets the chip. An esp_timer callback (the esp_timer task, priority 22, runs
// above the Arduino loop task) checks every 5 ms that the loop passed within the configured
// watchdog timeout (50 ms at 100 Hz); if not, it cuts the PWM itself and keeps it cut until the
// loop runs again, which then trips the core (fault watchdog, disarmed until rearm). Bound: the
// motor is at 0 within timeout + 5 ms of the loop's last pass. 32-bit fields: atomic on the ESP32.
volatile uint32_t loopPassUs = 0;          // low 32 bits of esp_timer_get_time() at the last pass
volatile uint32_t backstopTimeoutUs = FP_DEFAULT_WATCHDOG_MS * 1000u;
volatile bool backstopTripped = false;
esp_timer_handle_t backstopTimer = nullptr;

void cutMotor() {
    ledcWrite(PWM_CHANNEL, 0);
    digitalWrite(PIN_DIR, LOW);
}

void backstopCheck(void *) {
    uint32_t now = (uint32_t)esp_timer_get_time();
    if (!backstopTripped && now - loopPassUs > backstopTimeoutUs) {
        backstopTripped = true;
        cutMotor();
    }
}

uint64_t halTime(void *) { return (uint64_t)esp_timer_get_time(); }

void halReadEncoders(void *context, int32_t *arm, int32_t *pendulum) {
    Board *b = static_cast<Board *>(context);
    *arm = (int32_t)b->arm.getCount();
    *pendulum = (int32_t)b->pendulum.getCount();
}

// |duty| / 32767 of full PWM, direction from the sign.
void halSetDuty(void *, int16_t dutyQ15) {
    if (backstopTripped) dutyQ15 = 0; // until the loop has tripped the core
    int32_t magnitude = dutyQ15 < 0 ? -(int32_t)dutyQ15 : dutyQ15;
    if (magnitude > FP_DUTY_FULL_SCALE) magnitude = FP_DUTY_FULL_SCALE;
    uint32_t maxLevel = (1u << PWM_BITS) - 1;
    digitalWrite(PIN_DIR, dutyQ15 < 0 ? LOW : HIGH);
    ledcWrite(PWM_CHANNEL, (uint32_t)magnitude * maxLevel / FP_DUTY_FULL_SCALE);
}

size_t halSerialRead(void *, uint8_t *buffer, size_t capacity) {
    size_t available = (size_t)Serial.available();
    if (available == 0) return 0;
    return Serial.readBytes(buffer, available < capacity ? available : capacity);
}

void halSerialWrite(void *, const uint8_t *bytes, size_t length) { Serial.write(bytes, length); }

uint8_t halResetReason(void *) {
    switch (esp_reset_reason()) {
    case ESP_RST_POWERON: return FP_RESET_POWER_ON;
    case ESP_RST_BROWNOUT: return FP_RESET_BROWNOUT;
    case ESP_RST_INT_WDT:
    case ESP_RST_TASK_WDT:
    case ESP_RST_WDT: return FP_RESET_WATCHDOG;
    case ESP_RST_SW: return FP_RESET_SOFTWARE;
    case ESP_RST_PANIC: return FP_RESET_PANIC;
    case ESP_RST_EXT: return FP_RESET_EXTERNAL;
    default: return FP_RESET_UNKNOWN;
    }
}

} // namespace

void setup() {
    // Motor off before anything else.
    pinMode(PIN_DIR, OUTPUT);
    ledcSetup(PWM_CHANNEL, PWM_FREQUENCY_HZ, PWM_BITS);
    ledcAttachPin(PIN_PWM, PWM_CHANNEL);
    ledcWrite(PWM_CHANNEL, 0);

    ESP32Encoder::useInternalWeakPullResistors = UP;
    board.arm.attachFullQuad(PIN_ARM_A, PIN_ARM_B);
    board.pendulum.attachFullQuad(PIN_PENDULUM_A, PIN_PENDULUM_B);
    board.arm.clearCount();
    board.pendulum.clearCount();

    Serial.setRxBufferSize(1024);
    Serial.begin(SERIAL_BAUD);

    fp_hal hal = {&board, halTime, halReadEncoders, halSetDuty, halSerialRead, halSerialWrite,
                  halResetReason};
    fp_device_identity identity;
    fp_device_identity_default(&identity);
    identity.firmware_version = FURUTA_FIRMWARE_VERSION;
    identity.arm_counts_per_rev = ARM_COUNTS_PER_REV;
    identity.pendulum_counts_per_rev = PENDULUM_COUNTS_PER_REV;
    identity.serial = ESP.getEfuseMac(); // factory MAC, 48 bits
    fp_device_init(&device, &hal, &identity);

    loopPassUs = (uint32_t)esp_timer_get_time();
    esp_timer_create_args_t backstop = {};
    backstop.callback = backstopCheck;
    backstop.name = "furuta-backstop";
    esp_timer_create(&backstop, &backstopTimer);
    esp_timer_start_periodic(backstopTimer, BACKSTOP_PERIOD_US);

    esp_task_wdt_init(TASK_WATCHDOG_S, true);
    esp_task_wdt_add(nullptr);
}

void loop() {
    if (backstopTripped) {
        // The loop was hung past the protocol watchdog and the backstop cut the PWM: make the
        // core agree (disarmed, watchdog latched, fault sent) before anything else runs.
        fp_device_force_stop(&device);
        backstopTripped = false;
    }
    fp_device_poll(&device); // frames, replies, protocol watchdog
    backstopTimeoutUs = (uint32_t)device.watchdog_timeout_ms * 1000u;
    loopPassUs = (uint32_t)esp_timer_get_time();
    esp_task_wdt_reset();
}
