/* Host stub of ESP-IDF's soc/gpio_struct.h for the ESP32-S3: the per-pin configuration words (the
 * interrupt type, 3 bits, and the wake-up enable), in a variable the fake GPIO driver keeps. */
#ifndef FAKE_SOC_GPIO_STRUCT_H
#define FAKE_SOC_GPIO_STRUCT_H
#include <stdint.h>
#include "driver/gpio.h"
typedef struct {
	union {
		struct {
			uint32_t sync2_bypass: 2;
			uint32_t pad_driver: 1;
			uint32_t sync1_bypass: 2;
			uint32_t reserved5: 2;
			uint32_t int_type: 3;
			uint32_t wakeup_enable: 1;
			uint32_t config: 2;
			uint32_t int_ena: 5;
			uint32_t reserved18: 14;
		};
		uint32_t val;
	} pin[GPIO_NUM_MAX];
} gpio_dev_t;
extern gpio_dev_t GPIO;
#endif
