#ifndef FAKE_DRIVER_GPIO_H
#define FAKE_DRIVER_GPIO_H
#include "esp_err.h"
typedef int gpio_num_t;
#define GPIO_NUM_MAX 40
esp_err_t gpio_od_enable(gpio_num_t gpio);
#endif
