#ifndef FAKE_OTA_H
#define FAKE_OTA_H
#include "esp_ota_ops.h"
typedef struct {
	int running;
	int boot;
	int hasState[2];
	esp_ota_img_states_t state[2];
	int imageInvalid[2];
	int restarts;
} FakeOta;
extern FakeOta fakeOta;
#endif
