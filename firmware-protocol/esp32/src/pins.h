// Pin maps, one per chip. Encoders and the H-bridge are wired to these GPIOs.
//
// Classic ESP32 (WROOM/WROVER modules): GPIO 6-11 are the SPI flash and must never be used;
// 34-39 are input-only without pull-ups (fine for encoders only with external pull-ups, so they
// are avoided here); 0, 2, 5, 12 and 15 are strapping pins, avoided for anything driven at boot.
// ESP32-S3: GPIO 26-32 are the flash/PSRAM pins (33-37 too on octal-PSRAM modules), 19/20 USB,
// 0, 3, 45 and 46 strapping; the pins below are clear of all of them.
#ifndef FURUTA_PINS_H
#define FURUTA_PINS_H

#if defined(CONFIG_IDF_TARGET_ESP32S3)
#define PIN_ARM_A 4
#define PIN_ARM_B 5
#define PIN_PENDULUM_A 6
#define PIN_PENDULUM_B 7
#define PIN_PWM 15
#define PIN_DIR 16
#elif defined(CONFIG_IDF_TARGET_ESP32)
#define PIN_ARM_A 32
#define PIN_ARM_B 33
#define PIN_PENDULUM_A 25
#define PIN_PENDULUM_B 26
#define PIN_PWM 27
#define PIN_DIR 13
#else
#error "no pin map for this chip: add one to pins.h (keep clear of its flash and strapping pins)"
#endif

#endif
