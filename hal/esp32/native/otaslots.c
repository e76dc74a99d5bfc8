/*
 * The two OTA slots' boot states for hal/esp32/ota.ts, after ESP-IDF's app rollback
 * (components/app_update, esp_ota_ops.h, with CONFIG_BOOTLOADER_APP_ROLLBACK_ENABLE). Moddable's
 * `ota` module writes an image to the next slot; the reader also needs what the bootloader decides
 * from: which slot runs, each slot's state (new, pending verify, valid, invalid), selecting a slot,
 * confirming or refusing the running image, and restarting. The slot bytes themselves go through
 * Moddable's `flash` module on the partitions "ota_0" and "ota_1".
 */

#include "xsmc.h"
#include "esp_ota_ops.h"
#include "esp_partition.h"
#include "esp_system.h"

/* hal/ota.ts OtaSlotState, as numbers: 0 empty, 1 new, 2 pending-verify, 3 valid, 4 invalid. */
enum { kEmpty = 0, kNew = 1, kPendingVerify = 2, kValid = 3, kInvalid = 4 };

static const esp_partition_t *slotPartition(xsMachine *the, int slot)
{
	if ((slot != 0) && (slot != 1))
		xsRangeError("slot is 0 or 1");
	const esp_partition_t *p = esp_partition_find_first(ESP_PARTITION_TYPE_APP, ESP_PARTITION_SUBTYPE_APP_OTA_0 + slot, NULL);
	if (!p)
		xsUnknownError("no ota_%d partition", slot);
	return p;
}

/* running(): the slot the firmware was booted from. */
void xs_otaslots_running(xsMachine *the)
{
	const esp_partition_t *p = esp_ota_get_running_partition();
	if (!p || (p->subtype != ESP_PARTITION_SUBTYPE_APP_OTA_0 && p->subtype != ESP_PARTITION_SUBTYPE_APP_OTA_0 + 1))
		xsUnknownError("not running from an OTA slot");
	xsmcSetInteger(xsResult, p->subtype - ESP_PARTITION_SUBTYPE_APP_OTA_0);
}

/* state(slot): the slot's otadata state; a slot without otadata has never been selected: empty. */
void xs_otaslots_state(xsMachine *the)
{
	const esp_partition_t *p = slotPartition(the, xsmcToInteger(xsArg(0)));
	esp_ota_img_states_t state;
	int result = kEmpty;
	if (ESP_OK == esp_ota_get_state_partition(p, &state)) {
		switch (state) {
		case ESP_OTA_IMG_NEW: result = kNew; break;
		case ESP_OTA_IMG_PENDING_VERIFY: result = kPendingVerify; break;
		case ESP_OTA_IMG_VALID: result = kValid; break;
		case ESP_OTA_IMG_INVALID:
		case ESP_OTA_IMG_ABORTED: result = kInvalid; break;
		default: result = kEmpty; break;
		}
	}
	xsmcSetInteger(xsResult, result);
}

/* invalidateInactive(): forgets the otadata of the slot not running, before its image is overwritten. */
void xs_otaslots_invalidate_inactive(xsMachine *the)
{
	esp_err_t err = esp_ota_invalidate_inactive_ota_data_slot();
	if ((ESP_OK != err) && (ESP_ERR_NOT_FOUND != err))
		xsUnknownError("otadata: %d", err);
}

/* setBoot(slot): the slot boots next, state new (esp_ota_set_boot_partition checks the image first). */
void xs_otaslots_set_boot(xsMachine *the)
{
	const esp_partition_t *p = slotPartition(the, xsmcToInteger(xsArg(0)));
	esp_err_t err = esp_ota_set_boot_partition(p);
	if (ESP_OK != err)
		xsUnknownError("set boot partition: %d", err);
}

/* markValid(): the running image confirms itself (pending verify -> valid). */
void xs_otaslots_mark_valid(xsMachine *the)
{
	esp_err_t err = esp_ota_mark_app_valid_cancel_rollback();
	if (ESP_OK != err)
		xsUnknownError("mark valid: %d", err);
}

/* rollback(): the running image refuses itself; on success the chip restarts into the other slot. */
void xs_otaslots_rollback(xsMachine *the)
{
	esp_err_t err = esp_ota_mark_app_invalid_rollback_and_reboot();
	xsUnknownError("rollback: %d", err);
}

/* restart(): the bootloader then boots the slot selected last. */
void xs_otaslots_restart(xsMachine *the)
{
	(void)the;
	esp_restart();
}
