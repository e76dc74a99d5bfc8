#ifndef FAKE_SLEEP_H
#define FAKE_SLEEP_H
#include <stdint.h>
#include "esp_pm.h"
#include "esp_sleep.h"
#include "driver/gpio.h"
/* What lightsleep.c asked of ESP-IDF's power management, sleep and GPIO drivers (fake_sleep.c). */
typedef struct {
	int configured;
	esp_pm_config_t pm;
	esp_err_t configureResult;
	int locksCreated;
	esp_pm_lock_type_t lockType;
	int lockCount;
	esp_err_t callbacksResult;
	esp_pm_sleep_cbs_register_config_t callbacks;
	int callbacksRegistered;
	int gpioWakeupEnabled;
	int level[GPIO_NUM_MAX];
	int wakeupEnabled[GPIO_NUM_MAX];
	uint64_t ext1Mask;
	esp_sleep_ext1_wakeup_mode_t ext1Mode;
	int wakeupSourcesDisabled;
	int rtcPullUp[GPIO_NUM_MAX];
	int rtcPeriphOn;
	int deepSleeps;
} FakeSleep;
extern FakeSleep fakeSleep;
void fakeSleepReset(void);
/* One automatic light sleep: the enter callback, then the exit callback, as ESP-IDF's idle task runs them when no lock is held. */
int fakeLightSleep(void);
#endif
