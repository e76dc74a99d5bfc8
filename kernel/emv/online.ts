import type { OnlinePinBlock } from "../security/device-transaction";
import type { P2peEnvelope } from "../security/p2pe";

export type { OnlinePinBlock };
export type { OnlinePinEncryptor } from "../security/pin-block";

// Online authorization, as the kernel sees it (EMV 4.4 Book 3, 10.9): the kernel hands over the
// ARQC with its data and gets back the issuer's answer. On the device the request goes to the phone
// over BLE and on to the acquirer; in the simulator the issuer host answers. Sensitive card data
// (PAN, track 2 equivalent, cardholder name, expiry) travels only inside the P2PE envelope; the
// online PIN only as a PIN block under the DUKPT PIN key.

export interface AuthorizationRequest {
  /**
   * The non-sensitive EMV data of the authorization request, BER-TLV (the ICC data of an ISO 8583
   * field 55: 9F26, 9F27, 9F10, 9F37, 9F36, 95, 9A, 9C, 9F02, 5F2A, 82, 9F1A, 9F34, ...).
   */
  iccData: Uint8Array;
  /** First 6 and last 4 digits of the PAN. */
  maskedPan: string;
  /** The sensitive card data, encrypted at capture. */
  envelope: P2peEnvelope;
  /** Present when the cardholder entered an online PIN (Book 3, 10.5.2). */
  pin?: OnlinePinBlock;
}

export type AuthorizationResult =
  | {
      kind: "response";
      /** Authorisation Response Code '8A', two characters (an2), e.g. "00" or "51". */
      arc: string;
      /** Issuer Authentication Data '91', 8 to 16 bytes (ARPC and its ARC or CSU, Book 2, 8.2). */
      issuerAuthenticationData?: Uint8Array;
      /** Issuer scripts: '71' and '72' templates, concatenated as they came (Book 3, 10.10). */
      issuerScripts?: Uint8Array;
    }
  /** No answer from the issuer: Book 3, 10.9 then has the terminal decide by the default action codes. */
  | { kind: "unable-to-go-online" };

export interface OnlineAuthorizer {
  authorize(request: AuthorizationRequest): Promise<AuthorizationResult>;
}
