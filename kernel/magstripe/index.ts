// Magnetic stripe (ISO/IEC 7811, 7812, 7813, 4909): from the head's flux intervals to checked
// tracks, their fields, the chip-first rule and the P2PE envelope.
export { MagstripeError, type MagstripeErrorCode } from "./errors";
export { TRACK_FORMATS, isTrackNumber, oddParityBit, codeWord, hasOddParity, valueOf, asciiOf, firstCharacterOutsideSet,
  type TrackNumber, type TrackFormat } from "./character-set";
export { encodeTrackBits, decodeTrackCharacters, lrcOf, wordAt, type CharacterDecode, type CharacterFailure } from "./track-codec";
export { TrackData, stringToAscii, asciiToString } from "./track-data";
export { decodeF2f, initialBitPeriods, CELL_CLEAN, CELL_DOUBTFUL, CELL_ERASED, type F2fDecode } from "./f2f";
export { luhnValid, luhnCheckDigit } from "./luhn";
export { parseTrack1, parseTrack2, MAX_PAN_DIGITS, MIN_PAN_DIGITS, type FinancialTrack } from "./iso7813";
export { parseTrack3, type Track3 } from "./iso4909";
export { parseServiceCode, swipeDecision, type ServiceCode, type SwipeDecision } from "./service-code";
export { readTrackFlux, readTrackBits, hasTrackStructure, checkIntervals, MAX_INTERVALS, MIN_CLOCKING_ZEROS,
  type TrackRead, type TrackReadFailure, type Direction } from "./track-reader";
export { readSwipe, crossCheckTracks, type SwipeRead } from "./swipe-reader";
export { completeSwipe, type SwipeOutcome } from "./swipe-result";
