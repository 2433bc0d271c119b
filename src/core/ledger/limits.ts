/** Limits on everything: an operation outside these is refused, never half-done. */
export const MAX_CONNECTS_PER_OPERATION = 1_000_000_000;
/** A debit spanning more lots than this is refused with `too_many_lots`. */
export const MAX_LOTS_PER_OPERATION = 1000;
/** Longest reference or reason string the ledger stores. */
export const MAX_TEXT_LENGTH = 200;
