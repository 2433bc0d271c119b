export { applyOperation } from './apply.ts';
export { balanceAt, balanceAsOf, expiringWithin, type Balance } from './balance.ts';
export { replay, liveView } from './replay.ts';
export { compareConsumption, isSpendable } from './lot-order.ts';
export * from './operations.ts';
export * from './limits.ts';
export { refundOutcome, type RefundOutcome } from './refund-outcome.ts';
