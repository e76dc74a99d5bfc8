import { findCardProfile } from "../../host-sim/cards";
import { IssuerHost } from "../../host-sim/issuer";
import { chipSensitiveItems, firstGenerateAc, requestIccData } from "./support/chip-session";
import { iccData, request } from "./support/online";

// The issuer host answers for the cards it issued (IssuerHostOptions.profiles): an account for each,
// and ARC "14" (ISO 8583 field 39: invalid card number) for any other PAN.

function decide(host: IssuerHost, id: string) {
  const s = firstGenerateAc(id, "000000001234");
  return host.decide(request(iccData(requestIccData(s)), chipSensitiveItems(s)));
}

describe("issuer host: the cards it issued", () => {
  it("by default it has issued every card of host-sim/cards", () => {
    const host = new IssuerHost();
    expect(decide(host, "visa-cda")).toMatchObject({ arc: "00", approved: true });
    expect(decide(host, "mc-dda")).toMatchObject({ arc: "00", approved: true });
  });

  it("given profiles, it knows those cards and no other: an unknown PAN is ARC 14", () => {
    const host = new IssuerHost({ profiles: [findCardProfile("mc-dda")!] });
    expect(decide(host, "mc-dda")).toMatchObject({ arc: "00", approved: true, arqcVerified: true });
    expect(decide(host, "visa-cda")).toMatchObject({ arc: "14", approved: false, reason: "unknown-card" });
  });
});
