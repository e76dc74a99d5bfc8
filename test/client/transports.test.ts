import { MemoryCredentialStore, NativeBleTransport, ReaderClient, WebBluetoothTransport, type NativeBleDevice } from "../../client";
import { fromBase64, toBase64 } from "../../client/transports/base64";
import type { BluetoothDeviceLike } from "../../client/transports/web-bluetooth";
import {
  COMMAND_CHARACTERISTIC_UUID, DEVICE_INFO_CHARACTERISTIC_UUID, EVENT_CHARACTERISTIC_UUID, SERVICE_UUID,
} from "../../kernel/protocol";
import type { LoopbackTransport } from "../../host-sim/gatt/loopback";
import { fleet, nodeRandom, startTestReader, type TestReader } from "../protocol/support";

// Issue 9, item 5: the SDK runs over Web Bluetooth and over a native BLE library (React Native)
// through the same GattTransport. The fakes below give each adapter the API of its platform, and
// run pairing as the OS does (on the first encrypted access), over the in-memory link.

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe("base64 for native BLE libraries (RFC 4648, section 10 test vectors)", () => {
  it.each([["", ""], ["f", "Zg=="], ["fo", "Zm8="], ["foo", "Zm9v"], ["foob", "Zm9vYg=="], ["fooba", "Zm9vYmE="], ["foobar", "Zm9vYmFy"]])(
    "BASE64(%j) = %j", (plain, encoded) => {
      expect(toBase64(ascii(plain))).toBe(encoded);
      expect(fromBase64(encoded)).toEqual(ascii(plain));
    });
  it("refuses what is not base64", () => {
    expect(() => fromBase64("Zm9v!")).toThrow();
    expect(() => fromBase64("Z")).toThrow();
  });
});

/** The OS's part: pairs (passkey from the reader's display) on the first access that needs it. */
async function osPairs(link: LoopbackTransport, state: { secured: boolean }): Promise<void> {
  if (!state.secured) {
    await link.secureLink();
    state.secured = true;
  }
}

function fakeNativeDevice(reader: TestReader): NativeBleDevice {
  const link = reader.peripheral.transport(async () => reader.display.passkey ?? "");
  const state = { secured: false };
  let connected = false;
  const device: NativeBleDevice = {
    mtu: 23,
    async requestMTU(mtu) {
      if (!connected) { device.mtu = (await link.connect({ preferredMtu: mtu })).attMtu; connected = true; }
      return device;
    },
    async discoverAllServicesAndCharacteristics() { return device; },
    async readCharacteristicForService(service, characteristic) {
      expect([service, characteristic]).toEqual([SERVICE_UUID.toLowerCase(), DEVICE_INFO_CHARACTERISTIC_UUID.toLowerCase()]);
      return { value: toBase64(await link.readDeviceInformation()) };
    },
    async writeCharacteristicWithResponseForService(_s, c, b64) { expect(c).toBe(COMMAND_CHARACTERISTIC_UUID.toLowerCase()); await osPairs(link, state); await link.write(fromBase64(b64), true); },
    async writeCharacteristicWithoutResponseForService(_s, c, b64) { expect(c).toBe(COMMAND_CHARACTERISTIC_UUID.toLowerCase()); await osPairs(link, state); await link.write(fromBase64(b64), false); },
    monitorCharacteristicForService(_s, c, listener) {
      expect(c).toBe(EVENT_CHARACTERISTIC_UUID.toLowerCase());
      osPairs(link, state).then(() => link.subscribe((f) => listener(null, { value: toBase64(f) })));
      return { remove: () => undefined };
    },
    onDisconnected(listener) { link.onDisconnect(() => listener(null, device)); return { remove: () => undefined }; },
    async cancelConnection() { await link.disconnect(); },
  };
  return device;
}

type Listener = (e: { target: unknown }) => void;

function fakeWebBluetoothDevice(reader: TestReader): BluetoothDeviceLike {
  const link = reader.peripheral.transport(async () => reader.display.passkey ?? "");
  const state = { secured: false };
  const listeners = new Map<string, Listener[]>();
  const on = (type: string, l: Listener) => listeners.set(type, [...(listeners.get(type) ?? []), l]);
  const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
  const characteristic = (uuid: string) => {
    const c = {
      value: undefined as DataView | undefined,
      addEventListener: (type: string, l: Listener) => on(type, l),
      async readValue() { expect(uuid).toBe(DEVICE_INFO_CHARACTERISTIC_UUID.toLowerCase()); return view(await link.readDeviceInformation()); },
      async writeValueWithResponse(v: Uint8Array) { await osPairs(link, state); await link.write(v, true); },
      async writeValueWithoutResponse(v: Uint8Array) { await osPairs(link, state); await link.write(v, false); },
      async startNotifications() {
        await osPairs(link, state);
        await link.subscribe((f) => { c.value = view(f); for (const l of listeners.get("characteristicvaluechanged") ?? []) l({ target: c }); });
        return c;
      },
    };
    return c;
  };
  const server = {
    connected: false,
    async connect() { await link.connect({ preferredMtu: 247 }); server.connected = true; return server; },
    disconnect() { link.disconnect(); },
    async getPrimaryService(uuid: string) {
      expect(uuid).toBe(SERVICE_UUID.toLowerCase());
      return { getCharacteristic: async (c: string) => characteristic(c) };
    },
  };
  return { gatt: server, addEventListener: (type: string, l: Listener) => on(type, l) };
}

describe("the SDK over platform adapters", () => {
  it("React Native (react-native-ble-plx's Device API): pair, pay, MTU as negotiated", async () => {
    const reader = await startTestReader();
    const client = new ReaderClient({
      transport: new NativeBleTransport({ device: fakeNativeDevice(reader) }), fleetCaPublicKey: fleet.fleetCaPublicKey,
      credentials: new MemoryCredentialStore(new Uint8Array(8).fill(3)), random: nodeRandom, preferredMtu: 185,
    });
    await client.connect();
    await client.pair({ phoneName: "RN", code: async () => reader.display.pairingCode ?? "" });
    const tx = await client.startTransaction({ amount: 100, currency: 978, transactionType: "purchase" }, { authorise: async () => ({ result: "answered", arc: "00" }) });
    await expect(tx.outcome).resolves.toMatchObject({ result: "approved" });
    expect(client.stats().mtu).toBe(185);
    await client.disconnect();
  });

  it("Web Bluetooth: frames sized for ATT_MTU 23 (the page cannot see the MTU), pair, pay", async () => {
    const reader = await startTestReader();
    const client = new ReaderClient({
      transport: new WebBluetoothTransport({ device: fakeWebBluetoothDevice(reader) }), fleetCaPublicKey: fleet.fleetCaPublicKey,
      credentials: new MemoryCredentialStore(new Uint8Array(8).fill(4)), random: nodeRandom,
    });
    await client.connect();
    expect(client.stats().mtu).toBe(23);
    await client.pair({ phoneName: "Web", code: async () => reader.display.pairingCode ?? "" });
    const tx = await client.startTransaction({ amount: 100, currency: 978, transactionType: "purchase" }, { authorise: async () => ({ result: "answered", arc: "00" }) });
    await expect(tx.outcome).resolves.toMatchObject({ result: "approved" });
  });
});
