import type { AuthorizationRequest, AuthorizationResult } from "../../kernel/emv/online";
import { IssuerHost } from "../issuer";

// The contactless run of the simulator (host-sim/picc/run-contactless.ts) builds its own issuer
// host and takes no authorizer, so a phone payment cannot hand it one. Until it does, the simulated
// reader relays that issuer's authorizations through the phone this way: while `run` is pending,
// every IssuerHost but the acquirer's answers through `relay` (the phone, which asks the acquirer).
// The reader runs one transaction at a time and the patch is undone when `run` settles.

export async function withRelayedIssuer<T>(
  acquirer: IssuerHost,
  relay: (request: AuthorizationRequest) => Promise<AuthorizationResult>,
  run: () => Promise<T>,
): Promise<T> {
  const proto = IssuerHost.prototype as { authorize(this: IssuerHost, request: AuthorizationRequest): Promise<AuthorizationResult> };
  const own = proto.authorize;
  proto.authorize = function authorize(this: IssuerHost, request: AuthorizationRequest): Promise<AuthorizationResult> {
    return this === acquirer ? own.call(this, request) : relay(request);
  };
  try {
    return await run();
  } finally {
    proto.authorize = own;
  }
}
