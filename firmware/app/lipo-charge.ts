// The state of charge of a single lithium-polymer cell from its voltage at rest: the open-circuit
// voltage (OCV) table of Maxim Integrated (now Analog Devices) application note 4189
// (pdfserv.maximintegrated.com/en/an/AN4189.pdf): 0 % to 100 % in steps of 10 %, millivolts, for a
// typical 4.2 V LiPo cell at room temperature, at currents up to about 25 mA. Between two points the charge is interpolated
// linearly. A voltage measured under load or while charging is not at rest: the reading is only an
// estimate there, which is why the payment threshold (power-manager.ts) leaves a margin.

/** Millivolts at 0 %, 10 %, ..., 100 % (AN4189, OCV table). */
export const LIPO_OCV_MV: readonly number[] = [3306, 3687, 3741, 3775, 3793, 3821, 3884, 3945, 4008, 4086, 4177];

/** The charge, 0 to 100 (whole percent), of a cell at `millivolts`; outside the curve it is clamped. */
export function lipoPercent(millivolts: number): number {
  const curve = LIPO_OCV_MV;
  if (!Number.isFinite(millivolts) || millivolts <= curve[0]) return 0;
  const last = curve.length - 1;
  if (millivolts >= curve[last]) return 100;
  let i = 1;
  while (millivolts > curve[i]) i++;
  const lo = curve[i - 1], hi = curve[i];
  return Math.round(((i - 1) + (millivolts - lo) / (hi - lo)) * 10);
}

/** The voltage at rest of a cell at `percent` (the inverse of lipoPercent; for the simulator's cell). */
export function lipoMillivolts(percent: number): number {
  const curve = LIPO_OCV_MV;
  const p = Math.min(100, Math.max(0, Number.isFinite(percent) ? percent : 0));
  const i = Math.min(curve.length - 2, Math.floor(p / 10));
  return Math.round(curve[i] + (curve[i + 1] - curve[i]) * ((p - i * 10) / 10));
}
