import { benchResult as result, type BenchResult } from "../bench-result";
import { DEFAULT_BLE_LINK, modelTransferTime } from "../../../kernel/firmware-update/transfer-model";

// Issue 13's figure: the modeled time to send a 1 MB signed image to the reader over BLE, at the
// smallest and the largest MTU, under the stated link assumptions (DEFAULT_BLE_LINK: 2M PHY, a
// 15 ms connection interval, data length extension, encrypted link) and the flash's erase and
// program times.

export async function benchFirmwareUpdate(): Promise<BenchResult[]> {
  const a = DEFAULT_BLE_LINK;
  const assumptions = `${a.phy} PHY, ${a.connectionIntervalMs} ms interval, ${a.maxPacketsPerEvent} packets/event, LL ${a.llMaxPayloadBytes} B`;
  return [23, 247].map((mtu) => {
    const t = modelTransferTime({ bytes: 1024 * 1024, mtu });
    return result({
      name: `ble firmware transfer 1 MB at MTU ${mtu} (modeled: ${assumptions})`,
      engine: "node",
      value: t.ms / 1000,
      unit: "s",
      // At the largest MTU an update fits the minute a merchant waits at the counter; at the smallest
      // (a phone that will not negotiate more) it fits the five minutes of closing time, and it is
      // resumable (kernel/firmware-update) if the phone leaves first.
      goal: mtu === 247 ? "under 60 s" : "under 300 s, resumable",
    });
  });
}
