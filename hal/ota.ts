/**
 * The firmware's flash: two OTA slots (app partitions ota_0 and ota_1), the boot selection between
 * them, the anti-rollback counter and one small record for an update in progress. The kernel writes
 * a new image into the slot it is not running from, asks for it to be booted on trial, and the new
 * image confirms itself once its self-tests pass; a trial image that never confirms is abandoned by
 * the bootloader, which boots the previous slot again.
 *
 * The states and rules are those of ESP-IDF's app rollback (components/app_update, esp_ota_ops.h,
 * with CONFIG_BOOTLOADER_APP_ROLLBACK_ENABLE):
 * - `activate` is esp_ota_set_boot_partition: the slot is selected, in state "new";
 * - the bootloader boots a "new" slot once and marks it "pending-verify"; if it finds a slot still
 *   "pending-verify" at the next boot (the image never confirmed: a crash, a power cut, a hang), it
 *   marks it "invalid" (ESP_OTA_IMG_ABORTED) and boots the other slot;
 * - `markValid` is esp_ota_mark_app_valid_cancel_rollback, `rollback` is
 *   esp_ota_mark_app_invalid_rollback_and_reboot.
 * Each of those is atomic (ESP-IDF keeps the selection in two otadata sectors with a sequence
 * number and a CRC: a power cut leaves the old selection or the new one).
 *
 * Flash rules (SPI NOR): a sector must be erased (all bytes 0xFF) before it is programmed; writes
 * program bytes of an erased region; a power cut during an erase or a write leaves that region in
 * an undefined state and everything else as it was.
 *
 * ESP32 driver (hal/esp32/): the slot bytes through Moddable's `flash` module opened on the
 * partition label ("ota_0"/"ota_1": erase(sector), write(offset, byteLength, buffer), read), the
 * selection through Moddable's OTA support (esp_ota_* underneath), the counter and the progress
 * record in an NVS namespace of their own (not the key store, which a tamper response erases).
 */
export type OtaSlot = 0 | 1;

/** The state of a slot, after ESP-IDF's esp_ota_img_states_t. */
export type OtaSlotState =
  /** Nothing bootable: erased, never written, or being written. */
  | "empty"
  /** Selected for the next boot and not booted yet (ESP_OTA_IMG_NEW). */
  | "new"
  /** Booted on trial, not confirmed yet (ESP_OTA_IMG_PENDING_VERIFY). */
  | "pending-verify"
  /** Confirmed by its own self-tests (ESP_OTA_IMG_VALID). */
  | "valid"
  /** Refused by itself or abandoned by the bootloader (ESP_OTA_IMG_INVALID, _ABORTED): never booted again. */
  | "invalid";

export interface Ota {
  /** The capacity of each slot, in bytes. */
  readonly slotBytes: number;
  /** The erase unit, in bytes (4096 on SPI NOR). Offsets given to eraseSector are multiples of it. */
  readonly sectorBytes: number;

  /** The slot the running firmware was booted from. */
  running(): OtaSlot;
  state(slot: OtaSlot): Promise<OtaSlotState>;
  /**
   * The signed header (header || signature, kernel/firmware-update/image-header.ts) stored with the
   * image in `slot` when it was activated, or null. Untrusted like any stored byte: verify it.
   */
  descriptor(slot: OtaSlot): Promise<Uint8Array | null>;

  /**
   * Makes the slot the firmware is not running from "empty" (never booted, its descriptor
   * forgotten), before its first byte is overwritten: a half-written slot is never booted.
   */
  invalidateInactive(): Promise<void>;
  /** Erases the sector of the inactive slot at `offset` (a multiple of sectorBytes) to 0xFF. */
  eraseSector(offset: number): Promise<void>;
  /** Programs `data` into the inactive slot at `offset`; the bytes must have been erased. */
  write(offset: number, data: Uint8Array): Promise<void>;
  /** Reads `length` bytes of a slot from `offset`. */
  read(slot: OtaSlot, offset: number, length: number): Promise<Uint8Array>;
  /** Selects the inactive slot for the next boot, state "new", with its descriptor (atomic). */
  activate(descriptor: Uint8Array): Promise<void>;

  /** The running slot, booted on trial, confirms itself: "pending-verify" becomes "valid" (atomic). */
  markValid(): Promise<void>;
  /** The running slot refuses itself: marked "invalid", then the reader restarts into the other slot. */
  rollback(): Promise<void>;
  /** Restarts the reader (after an install: the bootloader then boots the slot activated last). */
  restart(): Promise<void>;

  /**
   * The anti-rollback counter: a monotonic number (the packed version of the newest image that
   * confirmed itself, kernel/firmware-update/version.ts). 0 on a new reader.
   */
  rollbackCounter(): Promise<number>;
  /** Raises the counter to `value`; never lowers it (a smaller value is ignored). Atomic. */
  raiseRollbackCounter(value: number): Promise<void>;

  /** The record of the update in progress (kernel/firmware-update/progress-record.ts), or null. */
  loadProgress(): Promise<Uint8Array | null>;
  /** Replaces the record, or deletes it with null. Atomic: a power cut leaves the old or the new one. */
  saveProgress(record: Uint8Array | null): Promise<void>;
}
