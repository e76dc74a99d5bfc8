// The XS meter of the reader firmware on the simulator's XS engine (host-sim/xs-bridge/reader-device.ts):
// the project's machine-independent figures of work and memory (ARCHITECTURE.md).

/** The XS meter over a stretch of the firmware's work (a start-up, a payment). */
export interface FirmwareMeter {
  /** XS work units (deterministic) over every crank of the stretch. */
  compute: number;
  /** Bytes the XS machine reserved from the operating system for its heaps, growth over the stretch. */
  allocate: number;
  /**
   * The firmware's peak live heap in RAM: the largest live slot count the engine reported at any
   * point where the firmware waited for hardware (or finished), each after a full garbage
   * collection, minus the flash baseline (`HeapSample.flashBytes`), in bytes at the ESP32's 16
   * bytes a slot (32-bit XS). It holds the idle reader (its start-up state) and what the stretch
   * added. Chunk memory (string and ArrayBuffer contents) is not in xsnap's meter and is not
   * counted; see the report of `mpos sim run --engine xs`.
   */
  peakHeapBytes: number;
}

/**
 * The firmware's live heap at the end of one crank, and what it then waits for. The device
 * preloads the firmware module into flash (manifest.json "preload"): what its module bodies built
 * is in flash, not RAM (Moddable, "Using XS Preload to Optimize Applications"). So the engine
 * measures the live heap once the bundle's module bodies ran, before boot, after a full
 * collection: the flash baseline; every heap figure above it is RAM. On the device a preloaded
 * object the firmware changes at run time is copied to RAM, which this meter cannot see: the
 * kernel freezes what it builds at load (test/device/memory.test.ts checks it on XS).
 */
export interface HeapSample {
  /** Live heap in RAM: above the flash baseline. */
  heapBytes: number;
  /** The flash baseline: the live heap the module bodies built, preloaded into flash on the device. */
  flashBytes: number;
  /** "device.method" of every request the firmware waits on; empty when the command ended. */
  waitingFor: string[];
}

/** sizeof(txSlot) of XS on a 32-bit target such as the ESP32. */
export const ESP32_SLOT_BYTES = 16;
