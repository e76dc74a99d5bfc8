import { record, TestCard, type TestCardOptions } from "./test-card";

// A plain card for the kernel tests: one Visa application found by the list of AIDs, GPO format 1,
// two records in SFI 1, a CVM list of online PIN then signature then no CVM, Visa's usual action
// codes. Tests change what their rule needs through `patch`.

export const PAN = "4761739001010010";
/** The CDOL1 of the EMV Book 2 A1 vector: amounts, country, TVR, currency, date, type, UN. */
export const CDOL1 = "9F02069F03069F1A0295055F2A029A039C019F3704";
export const CDOL2 = "8A029F02069F03069F1A0295055F2A029A039C019F3704910A";

export function record1(extra: [string, string][] = []): string {
  return record([
    ["5A", PAN],
    ["5F24", "301231"],
    ["5F25", "200101"],
    ["5F34", "01"],
    ["57", PAN + "D3012201123456789F"],
    ["5F20", "54455354202F2043415244"],
    ["5F28", "0840"],
    ["9F07", "FF00"],
    ...extra,
  ]);
}

export function record2(extra: [string, string][] = [], cvmList = "000000000000000042035E031F03", cdol1 = CDOL1, cdol2 = CDOL2): string {
  return record([
    ["8C", cdol1],
    ["8D", cdol2],
    ["8E", cvmList],
    ["9F0D", "DC4000A800"],
    ["9F0E", "0010000000"],
    ["9F0F", "DC4004F800"],
    ["9F08", "0096"],
    ...extra,
  ]);
}

export function standardCardOptions(patch: (o: TestCardOptions) => void = () => {}): TestCardOptions {
  const o: TestCardOptions = {
    apps: [{ aid: "A0000000031010", label: "VISA CREDIT", priority: "01" }],
    // SDA supported, cardholder verification supported, terminal risk management to be performed.
    aip: "5800",
    afl: "08010201",
    records: { "1/1": record1(), "1/2": record2() },
  };
  patch(o);
  return o;
}

export function standardCard(patch: (o: TestCardOptions) => void = () => {}): TestCard {
  return new TestCard(standardCardOptions(patch));
}
