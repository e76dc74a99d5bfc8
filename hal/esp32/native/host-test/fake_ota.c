/* A fake of ESP-IDF's OTA data (two slots and their states) for the host test of otaslots.c. */
#include "esp_ota_ops.h"
#include "esp_system.h"
#include "fake_ota.h"

FakeOta fakeOta;
static const esp_partition_t slots[2] = {
	{ ESP_PARTITION_TYPE_APP, ESP_PARTITION_SUBTYPE_APP_OTA_0, 0x20000, 0x300000, "ota_0" },
	{ ESP_PARTITION_TYPE_APP, ESP_PARTITION_SUBTYPE_APP_OTA_0 + 1, 0x320000, 0x300000, "ota_1" },
};

const esp_partition_t *esp_partition_find_first(esp_partition_type_t type, int subtype, const char *label)
{
	(void)label;
	if (type != ESP_PARTITION_TYPE_APP || subtype < ESP_PARTITION_SUBTYPE_APP_OTA_0 || subtype > ESP_PARTITION_SUBTYPE_APP_OTA_0 + 1)
		return NULL;
	return &slots[subtype - ESP_PARTITION_SUBTYPE_APP_OTA_0];
}

const esp_partition_t *esp_ota_get_running_partition(void) { return &slots[fakeOta.running]; }

esp_err_t esp_ota_get_state_partition(const esp_partition_t *partition, esp_ota_img_states_t *state)
{
	int slot = partition->subtype - ESP_PARTITION_SUBTYPE_APP_OTA_0;
	if (!fakeOta.hasState[slot])
		return ESP_ERR_NOT_FOUND;
	*state = fakeOta.state[slot];
	return ESP_OK;
}

esp_err_t esp_ota_invalidate_inactive_ota_data_slot(void)
{
	fakeOta.hasState[1 - fakeOta.running] = 0;
	return ESP_OK;
}

esp_err_t esp_ota_set_boot_partition(const esp_partition_t *partition)
{
	int slot = partition->subtype - ESP_PARTITION_SUBTYPE_APP_OTA_0;
	if (fakeOta.imageInvalid[slot])
		return ESP_FAIL;
	fakeOta.hasState[slot] = 1;
	fakeOta.state[slot] = ESP_OTA_IMG_NEW;
	fakeOta.boot = slot;
	return ESP_OK;
}

esp_err_t esp_ota_mark_app_valid_cancel_rollback(void)
{
	fakeOta.state[fakeOta.running] = ESP_OTA_IMG_VALID;
	return ESP_OK;
}

esp_err_t esp_ota_mark_app_invalid_rollback_and_reboot(void)
{
	if (!fakeOta.hasState[1 - fakeOta.running] || fakeOta.state[1 - fakeOta.running] != ESP_OTA_IMG_VALID)
		return ESP_FAIL;
	fakeOta.state[fakeOta.running] = ESP_OTA_IMG_INVALID;
	fakeOta.restarts++;
	return ESP_OK;
}

void esp_restart(void) { fakeOta.restarts++; }
