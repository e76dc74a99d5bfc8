import { readFileSync } from "fs";
import { join } from "path";
import {
  CHARACTERISTIC_NAMES, COMMAND_CHARACTERISTIC_UUID, DEVICE_INFO_CHARACTERISTIC_UUID, DEVICE_INFO_MAX_BYTES, EVENT_CHARACTERISTIC_UUID,
  framePayloadBytes, READER_MAX_ATT_MTU, SERVICE_UUID,
} from "../../kernel/protocol";

// Issue 9, item 1: the service the firmware declares (Moddable bleserver JSON) is the one the kernel
// and the SDK speak to.
const json = JSON.parse(readFileSync(join(__dirname, "..", "..", "firmware", "bleservices", "mpos-reader.json"), "utf8"));

describe("GATT service declaration (firmware/bleservices/mpos-reader.json)", () => {
  const chars = json.service.characteristics;

  it("is one 128-bit service with the three characteristics, by name and UUID", () => {
    expect(json.service.uuid).toBe(SERVICE_UUID);
    expect(SERVICE_UUID).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
    expect(Object.keys(chars).sort()).toEqual(Object.values(CHARACTERISTIC_NAMES).sort());
    expect(chars.command.uuid).toBe(COMMAND_CHARACTERISTIC_UUID);
    expect(chars.events.uuid).toBe(EVENT_CHARACTERISTIC_UUID);
    expect(chars.deviceInfo.uuid).toBe(DEVICE_INFO_CHARACTERISTIC_UUID);
  });

  it("command: write and write without response, encrypted; events: notify; device info: read without encryption", () => {
    expect(chars.command.properties.split(",").sort()).toEqual(["write", "writeNoResponse"]);
    expect(chars.command.permissions).toBe("writeEncrypted");
    expect(chars.events.properties).toBe("notify");
    expect(chars.deviceInfo.properties).toBe("read");
    expect(chars.deviceInfo.permissions).toBe("read");
  });

  it("value sizes fit one frame at the reader's largest ATT_MTU", () => {
    expect(chars.command.maxBytes).toBe(framePayloadBytes(READER_MAX_ATT_MTU));
    expect(chars.events.maxBytes).toBe(framePayloadBytes(READER_MAX_ATT_MTU));
    expect(chars.deviceInfo.maxBytes).toBe(DEVICE_INFO_MAX_BYTES);
  });
});
