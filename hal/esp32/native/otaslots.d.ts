// The native module otaslots (otaslots.c, otaslots.js): ESP-IDF's OTA slot states (esp_ota_ops.h).
declare module "otaslots" {
  /** The slot the firmware was booted from. */
  export function running(): 0 | 1;
  /** 0 empty, 1 new, 2 pending-verify, 3 valid, 4 invalid. */
  export function state(slot: 0 | 1): 0 | 1 | 2 | 3 | 4;
  /** Forgets the boot state of the slot not running. */
  export function invalidateInactive(): void;
  /** Selects `slot` for the next boot (state new). */
  export function setBoot(slot: 0 | 1): void;
  /** The running image confirms itself. */
  export function markValid(): void;
  /** The running image refuses itself; the chip restarts into the other slot (does not return on success). */
  export function rollback(): void;
  export function restart(): void;
}
