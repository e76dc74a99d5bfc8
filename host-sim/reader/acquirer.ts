import { concat } from "../../kernel/bytes";
import type { AuthorizationRequest, AuthorizationResult } from "../../kernel/emv/online";
import type { AuthorisationData, OnlineAnswer } from "../../kernel/protocol";
import { isSensitiveTag } from "../../kernel/security/p2pe";
import { decodeTlv, encodeTlv } from "../../kernel/tlv";

// The online leg of a phone payment in the simulator, both ways between the kernel's authorization
// request (kernel/emv/online.ts) and the protocol's online request and response:
// - on the reader, the kernel's request becomes the online-request event (authorisationData) and the
//   phone's answer becomes the kernel's result (authorizationResult);
// - on the phone, the event becomes the acquirer's request again (authorizationRequest) and the
//   issuer host's result the online response (onlineAnswer).
// Card data stay in the P2PE envelope all the way; the ICC data travel as EMV data objects.

/** Reader side: the event data for the kernel's authorization request. */
export function authorisationData(request: AuthorizationRequest, cardInterface: AuthorisationData["cardInterface"]): AuthorisationData {
  const data: AuthorisationData = {
    cardInterface,
    maskedPan: request.maskedPan,
    envelope: request.envelope,
    emvData: decodeTlv(request.iccData).filter((n) => !isSensitiveTag(n.tag)).map((n) => ({ tag: n.tag, value: n.value.slice() })),
  };
  if (request.pin !== undefined) data.pinBlock = { block: request.pin.block, ksn: request.pin.ksn, format: request.pin.format };
  return data;
}

/** Reader side: the kernel's result for the answer the phone relayed (EMV Book 3, 10.9). */
export function authorizationResult(answer: OnlineAnswer): AuthorizationResult {
  if (answer.result === "unable" || answer.arc === undefined) return { kind: "unable-to-go-online" };
  const result: AuthorizationResult = { kind: "response", arc: answer.arc };
  if (answer.issuerAuthenticationData !== undefined) result.issuerAuthenticationData = answer.issuerAuthenticationData;
  if (answer.scripts !== undefined && answer.scripts.length > 0) result.issuerScripts = concat(...answer.scripts.map((s) => encodeTlv(s.tag, s.value)));
  return result;
}

/** Phone side: the acquirer's request for the online-request event. */
export function authorizationRequest(data: AuthorisationData): AuthorizationRequest {
  if (data.envelope === undefined || data.maskedPan === undefined) {
    throw new Error("acquirer: an online request without card data");
  }
  const request: AuthorizationRequest = {
    iccData: concat(...data.emvData.map((i) => encodeTlv(i.tag, i.value))),
    maskedPan: data.maskedPan,
    envelope: data.envelope,
  };
  if (data.pinBlock !== undefined) request.pin = { block: data.pinBlock.block, ksn: data.pinBlock.ksn, format: data.pinBlock.format };
  return request;
}

/** Phone side: the online response for the issuer host's result. */
export function onlineAnswer(result: AuthorizationResult): OnlineAnswer {
  if (result.kind === "unable-to-go-online") return { result: "unable" };
  const answer: OnlineAnswer = { result: "answered", arc: result.arc };
  if (result.issuerAuthenticationData !== undefined) answer.issuerAuthenticationData = result.issuerAuthenticationData;
  if (result.issuerScripts !== undefined && result.issuerScripts.length > 0) {
    answer.scripts = decodeTlv(result.issuerScripts).map((n) => ({ tag: n.tag, value: n.value.slice() }));
  }
  return answer;
}
