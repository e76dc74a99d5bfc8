#ifndef FAKE_ESP_RANDOM_H
#define FAKE_ESP_RANDOM_H
#include <stddef.h>
void esp_fill_random(void *buffer, size_t length);
#endif
