import type { TransactionParams } from "../emv/context";
import { decodeCardTlv } from "../emv/card-tlv";
import { select, SW_OK } from "../emv/commands";
import type { ActivatedCard, ContactlessTransport, Pcd } from "../iso14443/pcd";
import { kernel2 } from "./c2/kernel-2";
import { kernel3 } from "./c3/kernel-3";
import { buildCandidates, chooseCandidate, selectionName, type Candidate } from "./combination-selection";
import type { ContactlessConfig } from "./config";
import type { ContactlessDeps, ContactlessKernel, KernelResult } from "./kernel";
import { outcomeForError } from "./kernel-context";
import { outcomeOf, type OutcomeParameterSet } from "./outcome";
import { selectPpse } from "./ppse";
import { preProcessing, type AllowedCombination } from "./pre-processing";
import { ui } from "./ui";

// The Entry Point of EMV Contactless Book B, section 3, as a sequence of its four starts:
//   Start A  pre-processing (3.1)
//   Start B  protocol activation (3.2): "Present card", polling, one card only, activation
//   Start C  combination selection (3.3): PPSE, the Candidate List, the final SELECT
//   Start D  kernel activation (3.4)
// and outcome processing (3.5): Select Next goes back to C without the candidate that failed,
// Try Again to B (the card left, or the phone wants its owner first), every other outcome ends the
// Entry Point's part and goes to the reader.

export type EntryPointResult =
  | { kind: "outcome"; outcome: OutcomeParameterSet; kernel?: KernelResult; card?: ActivatedCard; candidate?: Candidate; restarts: number }
  /** Polling ended while more than one card was in the field. */
  | { kind: "collision"; restarts: number }
  /** After a Try Again, the card did not come back before the polling time ran out. */
  | { kind: "present-card-again"; restarts: number; last: OutcomeParameterSet }
  /** No card came at all. */
  | { kind: "no-card"; restarts: number };

export interface EntryPointOptions {
  config: ContactlessConfig;
  params: TransactionParams;
  deps: ContactlessDeps;
  pcd: Pcd;
  /** The kernels this reader has; default C-2 and C-3. */
  kernels?: readonly ContactlessKernel[];
}

export const DEFAULT_KERNELS: readonly ContactlessKernel[] = [kernel2, kernel3];

type Selected = { kind: "selected"; candidate: Candidate; fci: Uint8Array } | { kind: "outcome"; outcome: OutcomeParameterSet };

/** Start C, 3.3.3: the highest candidate left whose SELECT the card answers '9000'. */
async function finalCombinationSelection(candidates: Candidate[], transport: ContactlessTransport): Promise<Selected> {
  for (;;) {
    const candidate = chooseCandidate(candidates);
    if (!candidate) {
      return { kind: "outcome", outcome: outcomeOf("end-application", { uiOnOutcome: ui("insertSwipeOrTryAnotherCard", "processingError"), reason: "no candidate left (Book B, 3.3.3)" }) };
    }
    const r = await select(transport, selectionName(candidate));
    if (r.sw === SW_OK) return { kind: "selected", candidate, fci: r.data };
    // A SELECT the card refuses takes that candidate out (the kernel would answer Select Next).
    candidates.splice(candidates.indexOf(candidate), 1);
  }
}

/** The Entry Point, from Start A to the final outcome. */
export async function entryPoint(options: EntryPointOptions): Promise<EntryPointResult> {
  const { config, params, deps, pcd } = options;
  const kernels = options.kernels ?? DEFAULT_KERNELS;
  // Start A.
  const pre = preProcessing(config.combinations, params.amount, config.terminal.currencyExponent);
  if (pre.kind === "outcome") {
    if (pre.outcome.uiOnOutcome) deps.ui.request(pre.outcome.uiOnOutcome);
    return { kind: "outcome", outcome: pre.outcome, restarts: 0 };
  }
  const allowed: AllowedCombination[] = pre.combinations;
  let restarts = 0;
  let restartUi: OutcomeParameterSet | undefined;

  for (;;) {
    // Start B, 3.2: ask for the card (or, on a restart, for it again) and poll.
    deps.ui.request(restartUi?.uiOnRestart ?? ui("presentCard", "readyToRead", 0, params.amount));
    const deadline = deps.clock.nowMs() + config.pollTimeoutMs;
    let polled = await pcd.poll(config.pollTimeoutMs);
    let sawCollision = false;
    while (polled.kind === "collision" && deps.clock.nowMs() < deadline) {
      // 3.2.1.3: more than one card: "Please present one card only", and polling goes on.
      sawCollision = true;
      deps.ui.request(ui("presentOneCardOnly", "readyToRead"));
      await pcd.resetField();
      polled = await pcd.poll(Math.max(0, deadline - deps.clock.nowMs()));
    }
    if (polled.kind !== "activated") {
      await pcd.close();
      if (polled.kind === "collision" || sawCollision) return { kind: "collision", restarts };
      if (restartUi) return { kind: "present-card-again", restarts, last: restartUi };
      return { kind: "no-card", restarts };
    }
    const { card, transport } = polled;
    deps.ui.request(ui("processing", "processing"));

    // Start C.
    let outcome: OutcomeParameterSet;
    let kernelResult: KernelResult | undefined;
    let chosen: Candidate | undefined;
    try {
      const ppse = await selectPpse(transport);
      const candidates = ppse.kind === "ok" ? buildCandidates(ppse.entries, allowed) : [];
      outcome = ppse.kind === "ok"
        ? outcomeOf("end-application", { uiOnOutcome: ui("insertSwipeOrTryAnotherCard", "processingError"), reason: "no candidate (Book B, 3.3.2.7)" })
        : outcomeOf("end-application", { uiOnOutcome: ui("insertSwipeOrTryAnotherCard", "processingError"), reason: ppse.reason });
      while (candidates.length > 0) {
        const sel = await finalCombinationSelection(candidates, transport);
        if (sel.kind === "outcome") {
          outcome = sel.outcome;
          break;
        }
        chosen = sel.candidate;
        // Start D, 3.4: the kernel of the combination.
        const kernel = kernels.find((k) => k.kernelId === chosen!.kernelId);
        if (!kernel) throw new Error(`no kernel ${chosen.kernelId} (configuration is checked at load)`);
        const fciObjects = decodeCardTlv(sel.fci, "SELECT");
        kernelResult = await kernel.activate({ config, params, deps, transport, candidate: chosen, fci: sel.fci, fciObjects });
        outcome = kernelResult.outcome;
        // 3.5.1.1: Select Next: the next candidate, without this one (Start C).
        if (outcome.outcome !== "select-next") break;
        candidates.splice(candidates.indexOf(chosen), 1);
        outcome = outcomeOf("end-application", { uiOnOutcome: ui("insertSwipeOrTryAnotherCard", "processingError"), reason: "no candidate left after Select Next" });
      }
    } catch (e) {
      // The PPSE or the final SELECT failed on the line, or its FCI could not be read.
      outcome = outcomeForError(e);
    }
    if (outcome.uiOnOutcome) deps.ui.request(outcome.uiOnOutcome);
    if (outcome.outcome === "try-again" && restarts < config.maxRestarts) {
      // 3.5.1.2: Try Again: back to Start B with the UI request for the restart, after a field reset.
      restarts++;
      restartUi = outcome;
      if (outcome.fieldOffHoldMs) {
        await pcd.close();
        await deps.clock.sleep(outcome.fieldOffHoldMs);
      } else {
        await pcd.resetField();
      }
      continue;
    }
    await transport.deselect().catch(() => false);
    await pcd.close();
    return { kind: "outcome", outcome, kernel: kernelResult, card, candidate: chosen, restarts };
  }
}
