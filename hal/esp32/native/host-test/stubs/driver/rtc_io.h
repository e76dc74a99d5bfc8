/* Host stub of ESP-IDF's driver/rtc_io.h: the RTC pull resistors (fake_sleep.c). */
#ifndef FAKE_DRIVER_RTC_IO_H
#define FAKE_DRIVER_RTC_IO_H
#include "driver/gpio.h"
esp_err_t rtc_gpio_pullup_en(gpio_num_t gpio_num);
esp_err_t rtc_gpio_pulldown_dis(gpio_num_t gpio_num);
#endif
