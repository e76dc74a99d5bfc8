import type { BitDef } from "./bits";

// Application Usage Control, tag '9F07', 2 bytes: EMV 4.4 Book 3, Annex C2, Table 42. The issuer's
// restrictions on where and for what the application may be used (checked in Book 3, 10.4.2).

function bit(byte: number, b: number, name: string): BitDef {
  return { byte, bit: b, name };
}

export const AUC = {
  domesticCash: bit(1, 8, "Valid for domestic cash transactions"),
  internationalCash: bit(1, 7, "Valid for international cash transactions"),
  domesticGoods: bit(1, 6, "Valid for domestic goods"),
  internationalGoods: bit(1, 5, "Valid for international goods"),
  domesticServices: bit(1, 4, "Valid for domestic services"),
  internationalServices: bit(1, 3, "Valid for international services"),
  atms: bit(1, 2, "Valid at ATMs"),
  nonAtmTerminals: bit(1, 1, "Valid at terminals other than ATMs"),
  domesticCashback: bit(2, 8, "Domestic cashback allowed"),
  internationalCashback: bit(2, 7, "International cashback allowed"),
} as const;
