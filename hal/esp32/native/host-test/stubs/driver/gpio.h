#ifndef FAKE_DRIVER_GPIO_H
#define FAKE_DRIVER_GPIO_H
#include "esp_err.h"
typedef int gpio_num_t;
/* ESP32-S3: GPIO 0 to 48. */
#define GPIO_NUM_MAX 49
typedef enum {
	GPIO_INTR_DISABLE = 0,
	GPIO_INTR_POSEDGE = 1,
	GPIO_INTR_NEGEDGE = 2,
	GPIO_INTR_ANYEDGE = 3,
	GPIO_INTR_LOW_LEVEL = 4,
	GPIO_INTR_HIGH_LEVEL = 5,
} gpio_int_type_t;
esp_err_t gpio_od_enable(gpio_num_t gpio);
int gpio_get_level(gpio_num_t gpio_num);
esp_err_t gpio_set_intr_type(gpio_num_t gpio_num, gpio_int_type_t intr_type);
esp_err_t gpio_wakeup_enable(gpio_num_t gpio_num, gpio_int_type_t intr_type);
esp_err_t gpio_wakeup_disable(gpio_num_t gpio_num);
#endif
