import { fill } from "hwrng";
import type { RandomSource } from "../random";

// The random source of hal/random.ts: the ESP32's hardware RNG (native/hwrng.c, esp_fill_random),
// true random while the radio runs - and the reader keeps Bluetooth LE on from start-up.

export class Esp32Random implements RandomSource {
  fill(bytes: Uint8Array): void {
    fill(bytes);
  }
}
