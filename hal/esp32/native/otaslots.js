/* The OTA slots' boot states (otaslots.c), typed by otaslots.d.ts. */
export function running() @ "xs_otaslots_running";
export function state(slot) @ "xs_otaslots_state";
export function invalidateInactive() @ "xs_otaslots_invalidate_inactive";
export function setBoot(slot) @ "xs_otaslots_set_boot";
export function markValid() @ "xs_otaslots_mark_valid";
export function rollback() @ "xs_otaslots_rollback";
export function restart() @ "xs_otaslots_restart";
