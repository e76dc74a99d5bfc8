import type { AuthorizationRequest, AuthorizationResult, OnlineAuthorizer } from "../../kernel/emv/online";
import type { HostLink } from "./host-link";

// The way online for the firmware on the XS engine: on the device an authorization request goes
// to the phone over BLE and on to the acquirer (kernel/protocol); in `mpos sim run` the simulator's
// issuer host answers it directly. Only the P2PE envelope, the masked PAN, the PIN block and
// non-sensitive EMV data cross.

export const ACQUIRER = "acquirer";

export class BridgeAcquirer implements OnlineAuthorizer {
  constructor(private readonly link: HostLink) {}

  authorize(request: AuthorizationRequest): Promise<AuthorizationResult> {
    return this.link.call(ACQUIRER, "authorize", [request]) as Promise<AuthorizationResult>;
  }
}
