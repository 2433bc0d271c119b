import { createHash } from 'node:crypto';
import type { Instant } from '../../core/time.ts';
import type { StoreTx } from '../../store/store.ts';

export const purchaseStatuses = ['succeeded', 'declined', 'refunding', 'refunded'] as const;
export type PurchaseStatus = (typeof purchaseStatuses)[number];

export interface PurchaseRefund {
  readonly reason: string;
  /** Connects removed from the purchase's lot (what was still unspent). */
  readonly clawedBackConnects: number;
  readonly requestedAt: Instant;
  /** Set once the payment provider confirmed the money refund. */
  readonly refundId: string | null;
  readonly refundedAt: Instant | null;
}

/** A purchase as stored: a charged one (with its lot) or a declined attempt (with the reason). */
export interface Purchase {
  readonly freelancerId: string;
  readonly purchaseId: string;
  readonly status: PurchaseStatus;
  /** The policy in force at the purchase, whose price and lifetime applied. */
  readonly policyId: string;
  readonly connects: number;
  readonly unitPriceCents: number;
  readonly priceCents: number;
  readonly taxJurisdiction: string | null;
  readonly taxRateBp: number;
  readonly taxCents: number;
  /** priceCents + taxCents: what the card was charged. */
  readonly totalCents: number;
  readonly currency: 'USD';
  readonly cardLast4: string;
  readonly chargeId: string | null;
  readonly declineReason: string | null;
  readonly lotNo: number | null;
  readonly expiresAt: Instant | null;
  readonly createdAt: Instant;
  readonly refund: PurchaseRefund | null;
}

export interface PurchaseRow {
  freelancer_id: string;
  purchase_id: string;
  status: PurchaseStatus;
  request_hash: string;
  policy_id: string;
  connects: number;
  unit_price_cents: number;
  price_cents: number;
  tax_jurisdiction: string | null;
  tax_rate_bp: number;
  tax_cents: number;
  total_cents: number;
  currency: string;
  card_last4: string;
  charge_id: string | null;
  decline_reason: string | null;
  lot_no: number | null;
  expires_at: number | null;
  created_at: number;
  refund_reason: string | null;
  clawed_back: number | null;
  refund_requested_at: number | null;
  refund_id: string | null;
  refunded_at: number | null;
}

export const purchaseColumns =
  'freelancer_id, purchase_id, status, request_hash, policy_id, connects, unit_price_cents, price_cents, ' +
  'tax_jurisdiction, tax_rate_bp, tax_cents, total_cents, currency, card_last4, charge_id, decline_reason, ' +
  'lot_no, expires_at, created_at, refund_reason, clawed_back, refund_requested_at, refund_id, refunded_at';

export function purchaseFromRow(row: PurchaseRow): Purchase {
  const refund =
    row.refund_requested_at === null
      ? null
      : {
          reason: row.refund_reason ?? '',
          clawedBackConnects: row.clawed_back ?? 0,
          requestedAt: row.refund_requested_at,
          refundId: row.refund_id,
          refundedAt: row.refunded_at,
        };
  return {
    freelancerId: row.freelancer_id,
    purchaseId: row.purchase_id,
    status: row.status,
    policyId: row.policy_id,
    connects: row.connects,
    unitPriceCents: row.unit_price_cents,
    priceCents: row.price_cents,
    taxJurisdiction: row.tax_jurisdiction,
    taxRateBp: row.tax_rate_bp,
    taxCents: row.tax_cents,
    totalCents: row.total_cents,
    currency: 'USD',
    cardLast4: row.card_last4,
    chargeId: row.charge_id,
    declineReason: row.decline_reason,
    lotNo: row.lot_no,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    refund,
  };
}

type Queryable = Pick<StoreTx, 'query'>;

export async function loadPurchase(
  db: Queryable,
  freelancerId: string,
  purchaseId: string,
): Promise<PurchaseRow | undefined> {
  const rows = await db.query<PurchaseRow>(
    `SELECT ${purchaseColumns} FROM purchases WHERE freelancer_id = $1 AND purchase_id = $2`,
    [freelancerId, purchaseId],
  );
  return rows.rows[0];
}

/** Card numbers arrive with spaces or dashes; tokens as they are. */
export function normaliseCard(card: string): string {
  return card.replace(/[\s-]/g, '');
}

/**
 * What a purchase id stands for. The card enters only through this hash (and
 * its last four characters), so a reused id with another card is detected
 * without storing the card number.
 */
export function purchaseRequestHash(request: {
  connects: number;
  card: string;
  jurisdiction: string | null;
}): string {
  const canonical = JSON.stringify([request.connects, normaliseCard(request.card), request.jurisdiction]);
  return createHash('sha256').update(canonical).digest('base64url');
}
