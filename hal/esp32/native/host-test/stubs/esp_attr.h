/* Host stub of ESP-IDF's esp_attr.h: placement attributes mean nothing on the host. */
#ifndef FAKE_ESP_ATTR_H
#define FAKE_ESP_ATTR_H
#define IRAM_ATTR
#endif
