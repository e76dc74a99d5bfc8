/**
 * The tamper sensors (PCI PTS POI, A1: enclosure switches, mesh, voltage, temperature and clock
 * monitors): on the ESP32 the secure element's tamper pins, in the simulator a virtual switch.
 * A tamper event is latched in hardware and survives a reset until the reader is re-commissioned.
 */
export type TamperCause = "enclosure" | "mesh" | "voltage" | "temperature" | "clock";

export interface TamperEvent {
  cause: TamperCause;
}

export interface TamperMonitor {
  /**
   * Calls `handler` for every tamper event, at once, from the sensor interrupt. Replaces any
   * handler registered before.
   */
  onTamper(handler: (event: TamperEvent) => void): void;
  /** The latched cause, or null while no tamper happened since the last re-arm. */
  latched(): Promise<TamperCause | null>;
  /** Clears the latch after re-commissioning (new keys loaded at a secure facility). */
  rearm(): Promise<void>;
}
