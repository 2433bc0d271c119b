import { z } from 'zod';
import { cardSchema } from '../input/cards.ts';
import { idSchema } from '../input/ids.ts';
import { parseInput } from '../input/parse-input.ts';
import { connectsError, ConnectsFailure, err, ok, type Result } from '../../core/errors.ts';
import { policyAt } from '../../core/policy/timeline.ts';
import type { Instant } from '../../core/time.ts';
import type { AppContext } from '../context.ts';
import type { ChargeOutcome } from '../payments/payment-provider.ts';
import {
  loadPurchase,
  normaliseCard,
  purchaseColumns,
  purchaseFromRow,
  purchaseRequestHash,
  type Purchase,
  type PurchaseRow,
} from './purchase-rows.ts';
import { quotePurchase, type PurchaseQuote } from './purchase-quote.ts';
import { jurisdictionSchema, noTax, type TaxTable } from './tax.ts';
import { renewCappedFirst } from '../scheduler/renew-first.ts';
import { type Freelancer, requireFreelancer } from '../accounts/freelancer-rows.ts';
import { lotExpiresAt } from '../accounts/lot-expiry.ts';

/** The context purchases need: the app's, plus the operator's tax table (absent: no tax anywhere). */
export type PurchaseContext = AppContext & { readonly taxRates?: TaxTable };

export const buyConnectsInputSchema = z.strictObject({
  freelancerId: idSchema,
  /** The caller's id for this purchase: its idempotency key. */
  purchaseId: idSchema,
  /** Checked against the policy (whole, min..max) with its own error code, so any number passes here. */
  connects: z.number(),
  /** A card token or, with the test provider, a test card number. */
  card: cardSchema,
  /** Buyer's tax jurisdiction (DE, US-CA); tax is added on top when the operator's table lists it. */
  jurisdiction: jurisdictionSchema.optional(),
});
export type BuyConnectsInput = z.input<typeof buyConnectsInputSchema>;
type Request = z.output<typeof buyConnectsInputSchema>;

/** Charge key: the purchase id, scoped by freelancer so two freelancers' ids never share a charge. */
export const chargeKey = (freelancerId: string, purchaseId: string): string =>
  `purchase:${freelancerId}:${purchaseId}`;

/** Ledger ref and idempotency key of the purchase's grant. */
export const purchaseRef = (purchaseId: string): string => `purchase:${purchaseId}`;

/**
 * Buys Connects (rules.md 3.3). The card is charged BEFORE the transaction, keyed
 * by the purchase id, so a retry (or a crash between charge and commit)
 * never charges twice; then the purchase row and its lot (source purchase,
 * category paid, the policy's lifetime) commit together. A declined card
 * grants nothing and stores the attempt with its reason; a transient failure
 * stores nothing, so the same request can simply be retried.
 */
export async function buyConnects(
  ctx: PurchaseContext,
  input: BuyConnectsInput,
  now: Instant,
): Promise<Result<PurchaseAnswer>> {
  const parsed = parseInput(buyConnectsInputSchema, input);
  if (!parsed.ok) return parsed;
  const request = parsed.value;
  const hash = purchaseRequestHash({ ...request, jurisdiction: request.jurisdiction ?? null });
  const prior = await loadPurchase(ctx.store, request.freelancerId, request.purchaseId);
  if (prior !== undefined) return replay(prior, hash);

  const freelancer = await requireFreelancer(ctx.store, request.freelancerId);
  if (freelancer.ok) await renewCappedFirst(ctx, request.freelancerId, now);
  if (!freelancer.ok) return freelancer;
  const policy = policyAt(ctx.timeline, now);
  const quote = quotePurchase(
    policy,
    freelancer.value.plan,
    request.connects,
    ctx.taxRates ?? noTax,
    request.jurisdiction,
  );
  if (!quote.ok) return quote;

  const outcome = await charge(ctx, request, quote.value);
  const attempt: Attempt = { request, hash, policyId: policy.id, quote: quote.value, now };
  switch (outcome.status) {
    case 'failed':
      return err(
        connectsError(
          'payment_unavailable',
          'The payment could not be completed right now; nothing was granted.',
          {
            purchaseId: request.purchaseId,
            reason: outcome.reason,
          },
        ),
      );
    case 'declined':
      return replay(await recordDeclined(ctx, attempt, outcome.reason), hash);
    case 'succeeded': {
      const expiresAt = lotExpiresAt(policy.lotLifetime, now, freelancer.value.registeredAt);
      return recordPurchase(ctx, attempt, outcome.chargeId, expiresAt, freelancer.value);
    }
  }
}

interface Attempt {
  readonly request: Request;
  readonly hash: string;
  readonly policyId: string;
  readonly quote: PurchaseQuote;
  readonly now: Instant;
}

/** A free purchase (a policy with price 0) has nothing to charge. A thrown adapter error counts as transient. */
async function charge(ctx: AppContext, request: Request, quote: PurchaseQuote): Promise<ChargeOutcome> {
  if (quote.totalCents === 0) return { status: 'succeeded', chargeId: '' };
  try {
    return await ctx.payments.charge({
      idempotencyKey: chargeKey(request.freelancerId, request.purchaseId),
      amountCents: quote.totalCents,
      currency: 'USD',
      card: request.card,
      description: `${quote.connects} Connects`,
    });
  } catch (error) {
    return {
      status: 'failed',
      reason: error instanceof Error ? error.message : 'payment error',
      retryable: true,
    };
  }
}

/**
 * A purchase and whether this call found it stored rather than stored it: a repeat, or a twin of the
 * same request that committed first (from another request in flight, or another server).
 */
export type PurchaseAnswer = Purchase & { readonly replayed: boolean };

/** The stored answer for a purchase id: the same request gets it again, another request a conflict. */
function replay(row: PurchaseRow, hash: string, replayed = true): Result<PurchaseAnswer> {
  if (row.request_hash !== hash) {
    return err(
      connectsError(
        'idempotency_conflict',
        `Purchase ${row.purchase_id} was made before with a different request.`,
        {
          purchaseId: row.purchase_id,
        },
      ),
    );
  }
  if (row.status === 'declined') {
    return err(
      connectsError(
        'payment_declined',
        `The payment was declined: ${row.decline_reason ?? 'no reason given'}.`,
        {
          purchaseId: row.purchase_id,
          reason: row.decline_reason,
        },
      ),
    );
  }
  return ok({ ...purchaseFromRow(row), replayed });
}

const insertColumns =
  'freelancer_id, purchase_id, status, request_hash, policy_id, connects, unit_price_cents, price_cents, ' +
  'tax_jurisdiction, tax_rate_bp, tax_cents, total_cents, currency, card_last4, charge_id, decline_reason, ' +
  'lot_no, expires_at, created_at';

function insertValues(
  attempt: Attempt,
  outcome: {
    chargeId: string | null;
    declineReason: string | null;
    lotNo: number | null;
    expiresAt: Instant | null;
  },
) {
  const { request, quote } = attempt;
  return [
    request.freelancerId,
    request.purchaseId,
    outcome.declineReason === null ? 'succeeded' : 'declined',
    attempt.hash,
    attempt.policyId,
    quote.connects,
    quote.unitPriceCents,
    quote.priceCents,
    quote.taxJurisdiction,
    quote.taxRateBp,
    quote.taxCents,
    quote.totalCents,
    'USD',
    normaliseCard(request.card).slice(-4),
    outcome.chargeId,
    outcome.declineReason,
    outcome.lotNo,
    outcome.expiresAt,
    attempt.now,
  ];
}

const insertSql = `INSERT INTO purchases (${insertColumns})
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
  ON CONFLICT (freelancer_id, purchase_id) DO NOTHING RETURNING ${purchaseColumns}`;

async function recordDeclined(ctx: AppContext, attempt: Attempt, reason: string): Promise<PurchaseRow> {
  const values = insertValues(attempt, {
    chargeId: null,
    declineReason: reason,
    lotNo: null,
    expiresAt: null,
  });
  const inserted = await ctx.store.query<PurchaseRow>(insertSql, values);
  // Nothing inserted: a twin of this request stored its answer first.
  const row =
    inserted.rows[0] ??
    (await loadPurchase(ctx.store, attempt.request.freelancerId, attempt.request.purchaseId));
  if (row === undefined) throw new Error('a purchase row vanished');
  return row;
}

/**
 * The lot and the purchase row in one transaction. The grant carries the
 * purchase's idempotency key and request hash, so a concurrent twin of the
 * same request replays it instead of granting twice.
 */
async function recordPurchase(
  ctx: AppContext,
  attempt: Attempt,
  chargeId: string,
  expiresAt: Instant,
  freelancer: Freelancer,
): Promise<Result<PurchaseAnswer>> {
  const { request, quote, hash, now } = attempt;
  let stored = false;
  try {
    const row = await ctx.store.transaction(async (tx) => {
      const ref = purchaseRef(request.purchaseId);
      const grant = {
        kind: 'grant',
        amount: quote.connects,
        source: 'purchase',
        category: 'paid',
        expiresAt,
      } as const;
      const granted = await tx.applyOps(
        freelancer.id,
        [{ ...grant, ref, reason: 'purchase' }],
        now,
        ref,
        hash,
      );
      if (!granted.ok) throw new ConnectsFailure(granted.error);
      const lotNo = granted.value.entries.find((entry) => entry.lot !== undefined)?.lot?.lotNo ?? null;
      const values = insertValues(attempt, {
        chargeId: chargeId || null,
        declineReason: null,
        lotNo,
        expiresAt,
      });
      const inserted = await tx.query<PurchaseRow>(insertSql, values);
      stored = inserted.rows[0] !== undefined;
      return inserted.rows[0] ?? (await loadPurchase(tx, request.freelancerId, request.purchaseId));
    });
    if (row === undefined) throw new Error('a purchase row vanished');
    return replay(row, hash, !stored);
  } catch (error) {
    if (error instanceof ConnectsFailure) return err(error.toError());
    throw error;
  }
}
