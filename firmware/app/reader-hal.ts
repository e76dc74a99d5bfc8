import type { BlePeripheral } from "../../hal/ble-peripheral";
import type { Clock } from "../../hal/clock";
import type { ContactSlot } from "../../hal/contact-slot";
import type { MagstripeHead } from "../../hal/magstripe-head";
import type { NfcController } from "../../hal/nfc-controller";
import type { Ota } from "../../hal/ota";
import type { RandomSource } from "../../hal/random";
import type { SecureStorage } from "../../hal/secure-storage";
import type { TamperMonitor } from "../../hal/tamper";
import type { ContactlessUi } from "../../kernel/contactless/ui";
import type { CardholderInterface } from "../../kernel/emv/cardholder";

// Everything of the hardware the reader application uses, as the HAL's interfaces. Three sets of
// drivers fill it: hal/esp32/ on the device, hal/xs-bridge/ for the firmware on the XS engine in the
// simulator, and the simulator's mock hardware itself for the firmware in-process on Node. The
// application never knows which.

export interface ReaderHal {
  random: RandomSource;
  clock: Clock;
  /** Keys and DUKPT counters (the key store's records). */
  storage: SecureStorage;
  /** The PIN pad and the display, as the EMV kernel asks for them. */
  cardholder: CardholderInterface;
  contactSlot?: ContactSlot;
  magstripeHead?: MagstripeHead;
  nfc?: NfcController;
  /** Where the contactless kernels' user interface requests go: the display, lights and beeper (Book A, 9). */
  contactlessUi?: ContactlessUi;
  tamper?: TamperMonitor;
  ble?: BlePeripheral;
  ota?: Ota;
}
