/* Host stub of ESP-IDF's esp_pm.h (power management): the calls lightsleep.c makes (fake_sleep.c). */
#ifndef FAKE_ESP_PM_H
#define FAKE_ESP_PM_H
#include <stdbool.h>
#include <stdint.h>
#include "esp_err.h"

typedef struct {
	int max_freq_mhz;
	int min_freq_mhz;
	bool light_sleep_enable;
} esp_pm_config_t;

typedef enum { ESP_PM_CPU_FREQ_MAX, ESP_PM_APB_FREQ_MAX, ESP_PM_NO_LIGHT_SLEEP } esp_pm_lock_type_t;
typedef struct esp_pm_lock *esp_pm_lock_handle_t;

typedef esp_err_t (*esp_pm_light_sleep_cb_t)(int64_t sleep_time_us, void *arg);
typedef struct {
	esp_pm_light_sleep_cb_t enter_cb;
	esp_pm_light_sleep_cb_t exit_cb;
	uint32_t enter_cb_prior;
	uint32_t exit_cb_prior;
	void *enter_cb_user_arg;
	void *exit_cb_user_arg;
} esp_pm_sleep_cbs_register_config_t;

esp_err_t esp_pm_configure(const void *config);
esp_err_t esp_pm_lock_create(esp_pm_lock_type_t lock_type, int arg, const char *name, esp_pm_lock_handle_t *out_handle);
esp_err_t esp_pm_lock_acquire(esp_pm_lock_handle_t handle);
esp_err_t esp_pm_lock_release(esp_pm_lock_handle_t handle);
esp_err_t esp_pm_light_sleep_register_cbs(esp_pm_sleep_cbs_register_config_t *cbs_conf);
#endif
