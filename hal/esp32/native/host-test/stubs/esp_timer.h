#ifndef FAKE_ESP_TIMER_H
#define FAKE_ESP_TIMER_H
#include <stdint.h>
/* Simulated time, us (fake_idf.c): advances only when the module waits. */
int64_t esp_timer_get_time(void);
#endif
