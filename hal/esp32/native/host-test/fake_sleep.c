/* A fake of ESP-IDF's power management (locks, configuration, light-sleep callbacks), sleep modes
 * (wake-up sources, deep sleep) and the GPIO calls lightsleep.c makes, for its host test. The GPIO
 * interrupt type lives in the fake register block GPIO, as gpio_set_intr_type and
 * gpio_wakeup_enable write it on the chip (ESP-IDF gpio.c: gpio_hal_set_intr_type). */
#include <string.h>
#include "esp_pm.h"
#include "esp_sleep.h"
#include "driver/gpio.h"
#include "driver/rtc_io.h"
#include "soc/gpio_struct.h"
#include "fake_sleep.h"

FakeSleep fakeSleep;
gpio_dev_t GPIO;
static struct esp_pm_lock { int unused; } theLock;

void fakeSleepReset(void)
{
	memset(&fakeSleep, 0, sizeof(fakeSleep));
	memset(&GPIO, 0, sizeof(GPIO));
	for (int i = 0; i < GPIO_NUM_MAX; i++)
		fakeSleep.level[i] = 1;
}

esp_err_t esp_pm_configure(const void *config)
{
	fakeSleep.pm = *(const esp_pm_config_t *)config;
	fakeSleep.configured++;
	return fakeSleep.configureResult;
}

esp_err_t esp_pm_lock_create(esp_pm_lock_type_t lock_type, int arg, const char *name, esp_pm_lock_handle_t *out_handle)
{
	(void)arg;
	(void)name;
	fakeSleep.lockType = lock_type;
	fakeSleep.locksCreated++;
	*out_handle = &theLock;
	return ESP_OK;
}

esp_err_t esp_pm_lock_acquire(esp_pm_lock_handle_t handle)
{
	(void)handle;
	fakeSleep.lockCount++;
	return ESP_OK;
}

esp_err_t esp_pm_lock_release(esp_pm_lock_handle_t handle)
{
	(void)handle;
	if (fakeSleep.lockCount <= 0)
		return ESP_ERR_INVALID_STATE;
	fakeSleep.lockCount--;
	return ESP_OK;
}

esp_err_t esp_pm_light_sleep_register_cbs(esp_pm_sleep_cbs_register_config_t *cbs_conf)
{
	if (fakeSleep.callbacksResult != ESP_OK)
		return fakeSleep.callbacksResult;
	fakeSleep.callbacks = *cbs_conf;
	fakeSleep.callbacksRegistered++;
	return ESP_OK;
}

int fakeLightSleep(void)
{
	if (fakeSleep.lockCount > 0 || !fakeSleep.callbacksRegistered)
		return 0;
	fakeSleep.callbacks.enter_cb(1000, fakeSleep.callbacks.enter_cb_user_arg);
	fakeSleep.callbacks.exit_cb(1000, fakeSleep.callbacks.exit_cb_user_arg);
	return 1;
}

esp_err_t esp_sleep_enable_gpio_wakeup(void)
{
	fakeSleep.gpioWakeupEnabled = 1;
	return ESP_OK;
}

esp_err_t esp_sleep_enable_ext1_wakeup(uint64_t io_mask, esp_sleep_ext1_wakeup_mode_t level_mode)
{
	fakeSleep.ext1Mask = io_mask;
	fakeSleep.ext1Mode = level_mode;
	return ESP_OK;
}

esp_err_t esp_sleep_disable_wakeup_source(esp_sleep_source_t source)
{
	if (source == ESP_SLEEP_WAKEUP_ALL)
		fakeSleep.wakeupSourcesDisabled = 1;
	return ESP_OK;
}

esp_err_t esp_sleep_pd_config(esp_sleep_pd_domain_t domain, esp_sleep_pd_option_t option)
{
	if (domain == ESP_PD_DOMAIN_RTC_PERIPH)
		fakeSleep.rtcPeriphOn = option == ESP_PD_OPTION_ON;
	return ESP_OK;
}

void esp_deep_sleep_start(void) { fakeSleep.deepSleeps++; }

esp_err_t rtc_gpio_pullup_en(gpio_num_t gpio_num)
{
	if (gpio_num < 0 || gpio_num > 21)
		return ESP_ERR_INVALID_ARG;
	fakeSleep.rtcPullUp[gpio_num] = 1;
	return ESP_OK;
}

esp_err_t rtc_gpio_pulldown_dis(gpio_num_t gpio_num) { (void)gpio_num; return ESP_OK; }

int gpio_get_level(gpio_num_t gpio_num) { return fakeSleep.level[gpio_num]; }

esp_err_t gpio_set_intr_type(gpio_num_t gpio_num, gpio_int_type_t intr_type)
{
	GPIO.pin[gpio_num].int_type = intr_type;
	return ESP_OK;
}

esp_err_t gpio_wakeup_enable(gpio_num_t gpio_num, gpio_int_type_t intr_type)
{
	if (intr_type != GPIO_INTR_LOW_LEVEL && intr_type != GPIO_INTR_HIGH_LEVEL)
		return ESP_ERR_INVALID_ARG;
	GPIO.pin[gpio_num].int_type = intr_type;
	GPIO.pin[gpio_num].wakeup_enable = 1;
	fakeSleep.wakeupEnabled[gpio_num] = intr_type;
	return ESP_OK;
}

esp_err_t gpio_wakeup_disable(gpio_num_t gpio_num)
{
	GPIO.pin[gpio_num].wakeup_enable = 0;
	fakeSleep.wakeupEnabled[gpio_num] = 0;
	return ESP_OK;
}
