import type { BlePeripheralEvents, ConnectionId, LinkSecurity } from "../../hal/ble-peripheral";
import { LoopbackPeripheral } from "../../host-sim/gatt/loopback";
import { nodeRandom, tick } from "./support";

// The loopback GATT link (host-sim/gatt/loopback.ts) as a phone uses a real one: a central connects,
// leaves and comes back. Each connection is new (its own id; a frame in flight on the last one is
// lost with it), and the LE bond the first pairing made is kept, so the link is encrypted again
// without a passkey (Bluetooth Core Specification, Vol 3, Part H, 2.4.4).

/** A peripheral with a recording of what its reader side was told. */
function recordingPeripheral() {
  const peripheral = new LoopbackPeripheral({ random: nodeRandom });
  const log = { connects: [] as ConnectionId[], disconnects: [] as ConnectionId[], passkeys: 0, commands: [] as [ConnectionId, number][], security: [] as LinkSecurity[] };
  const events: BlePeripheralEvents = {
    onConnect: (id) => log.connects.push(id),
    onMtu: () => undefined,
    onSecurity: (_id, s) => log.security.push(s),
    onSubscribe: () => undefined,
    onCommand: (id, frame) => log.commands.push([id, frame[0]]),
    onDisconnect: (id) => log.disconnects.push(id),
    onPasskeyDisplay: (_id, passkey) => { log.passkeys++; shown = String(passkey).padStart(6, "0"); },
  };
  let shown = "";
  peripheral.start({ name: "MPOS", serviceUuid: "0000", deviceInformation: new Uint8Array(0) }, events);
  return { peripheral, log, passkey: async () => shown };
}

describe("loopback GATT link: a central disconnects and connects again", () => {
  it("the second connection has a new id, is secured by the kept bond without a passkey, and gets no frame of the first", async () => {
    const { peripheral, log, passkey } = recordingPeripheral();
    const phone = peripheral.transport(passkey);
    await phone.connect({ preferredMtu: 247 });
    await phone.secureLink();
    await phone.subscribe(() => undefined);
    const first = phone.connectionId;
    // The phone walks away with its frame still in the air, and is back before it lands.
    const inFlight = phone.write(Uint8Array.of(1), false);
    const left = phone.disconnect();
    const back = phone.connect({ preferredMtu: 247 });
    await Promise.all([inFlight, left, back]);
    expect(phone.connectionId).not.toBe(first);
    await phone.secureLink();
    await phone.subscribe(() => undefined);
    await phone.write(Uint8Array.of(2), false);
    await tick();
    expect(log.connects).toEqual([first, phone.connectionId]);
    expect(log.disconnects).toEqual([first]);
    expect(log.passkeys).toBe(1);
    expect(log.security).toEqual([
      { encrypted: true, authenticated: true, bonded: true }, { encrypted: true, authenticated: true, bonded: true },
    ]);
    expect(log.commands).toEqual([[phone.connectionId, 2]]);
  });

  it("a central that is connected cannot connect twice; another central pairs with its own passkey", async () => {
    const { peripheral, log, passkey } = recordingPeripheral();
    const phone = peripheral.transport(passkey);
    await phone.connect({ preferredMtu: 247 });
    await expect(phone.connect({ preferredMtu: 247 })).rejects.toMatchObject({ code: "ble-connected" });
    await phone.secureLink();
    const other = peripheral.transport(passkey);
    await other.connect({ preferredMtu: 23 });
    await other.secureLink();
    expect(log.passkeys).toBe(2);
  });
});
