// The EMV contactless layer: the Entry Point (EMV Contactless Book B), kernels 2 and 3 (Books C-2,
// C-3), the outcome and user interface requests of Book A, and the reader's transaction around them.
export { performContactlessTransaction, type ContactlessOutcome, type ContactlessOutcomeKind, type ContactlessTransactionOptions } from "./transaction";
export { entryPoint, DEFAULT_KERNELS, type EntryPointResult, type EntryPointOptions } from "./entry-point";
export { loadContactlessConfig, KERNEL, type ContactlessConfig, type Combination } from "./config";
export { ContactlessConfigError } from "./errors";
export { preProcessing, preProcessCombination, type EntryPointIndicators, type AllowedCombination } from "./pre-processing";
export { parsePpseFci, selectPpse, PPSE_NAME, type DirectoryEntry } from "./ppse";
export { buildCandidates, chooseCandidate, requestedKernelId, aidMatches, selectionName, type Candidate } from "./combination-selection";
export { outcomeOf, encodeOutcomeParameterSet, type OutcomeParameterSet, type OutcomeKind, type OutcomeCvm, type StartPoint } from "./outcome";
export { CL_MESSAGES, CL_STATUS, TONES, indicatorsFor, ui, type UiRequest, type ContactlessUi, type ClMessage, type ClStatus, type Indicators } from "./ui";
export type { ContactlessDeps, ContactlessKernel, KernelActivation, KernelResult } from "./kernel";
export { kernel2 } from "./c2/kernel-2";
export { kernel3, selectCvm as selectCvmC3 } from "./c3/kernel-3";
export { TTQ, CTQ } from "./c3/qualifiers";
export { fddaTerminalData, performFdda } from "./c3/fdda";
