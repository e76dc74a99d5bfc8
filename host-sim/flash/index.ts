// The simulator's flash: NOR regions with power-cut injection, the two OTA slots with an ESP-IDF
// style bootloader, the update side of a simulated reader (link-neutral, and over BLE).
export { PowerRail, PowerCutError } from "./power-rail";
export { NorFlash } from "./nor-flash";
export { SimulatedOta, type SimulatedOtaOptions, type BootRecord } from "./simulated-ota";
export { SimulatedUpdateReader, type UpdateReaderOptions, type PowerOnReport, type LinkOptions } from "./update-reader";
export { BleUpdateRig, type BleUpdateRigOptions } from "./ble-update-rig";
export { factoryOta, factoryReader, SIM_SLOT_BYTES, SIM_SECTOR_BYTES } from "./simulated-reader-factory";
/** The bench's transfer-time figure (issue 13): a 1 MB image at ATT_MTU 23 and 247. */
export { modelTransferTime, DEFAULT_BLE_LINK, type TransferTime } from "../../kernel/firmware-update/transfer-model";
