#ifndef FAKE_ESP_SYSTEM_H
#define FAKE_ESP_SYSTEM_H
void esp_restart(void);
#endif
