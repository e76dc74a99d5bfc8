/* Host stub of ESP-IDF's esp_ota_ops.h (v5): what otaslots.c uses (fake_ota.c). */
#ifndef FAKE_ESP_OTA_OPS_H
#define FAKE_ESP_OTA_OPS_H
#include "esp_err.h"
#include "esp_partition.h"
#define ESP_ERR_NOT_FOUND 0x105
typedef enum {
	ESP_OTA_IMG_NEW = 0x0,
	ESP_OTA_IMG_PENDING_VERIFY = 0x1,
	ESP_OTA_IMG_VALID = 0x2,
	ESP_OTA_IMG_INVALID = 0x3,
	ESP_OTA_IMG_ABORTED = 0x4,
	ESP_OTA_IMG_UNDEFINED = 0xFFFFFFFF,
} esp_ota_img_states_t;
const esp_partition_t *esp_ota_get_running_partition(void);
esp_err_t esp_ota_get_state_partition(const esp_partition_t *partition, esp_ota_img_states_t *state);
esp_err_t esp_ota_invalidate_inactive_ota_data_slot(void);
esp_err_t esp_ota_set_boot_partition(const esp_partition_t *partition);
esp_err_t esp_ota_mark_app_valid_cancel_rollback(void);
esp_err_t esp_ota_mark_app_invalid_rollback_and_reboot(void);
#endif
