import { z } from '@hono/zod-openapi';
import type { Balance } from '../../core/ledger/balance.ts';
import { toIso, type Instant } from '../../core/time.ts';
import { entryTypes, lotSources, type Entry, type Lot } from '../../core/types.ts';
import { isoInstantSchema } from '../schemas.ts';

/**
 * Wire shapes shared by the freelancer routes: lots, ledger entries and
 * balances as the API shows them (instants as ISO strings, Connects as
 * integers). The use cases keep instants as milliseconds; these functions
 * are the one place that converts them.
 */

export const iso = (t: Instant): string => toIso(t);
export const isoOrNull = (t: Instant | null): string | null => (t === null ? null : toIso(t));

export const balanceSchema = z
  .object({
    balance: z.int().openapi({ description: 'available + held.' }),
    available: z.int().openapi({ description: 'Connects that can be spent now.' }),
    held: z.int().openapi({ description: 'Connects reserved by active holds (boost bids).' }),
  })
  .openapi('Balance');

export const wireBalance = (b: Balance) => ({ balance: b.balance, available: b.available, held: b.held });

export const lotSchema = z
  .object({
    lotNo: z.int().openapi({ description: 'Per-account lot number, increasing with issue.' }),
    source: z.enum(lotSources),
    category: z.enum(['free', 'paid']),
    amount: z.int().openapi({ description: 'Connects the lot was issued with.' }),
    remaining: z.int().openapi({ description: 'Connects still in the lot (not spent, held or expired).' }),
    issuedAt: isoInstantSchema,
    expiresAt: isoInstantSchema,
    ref: z.string().nullable().openapi({ description: 'What the lot came from, e.g. purchase:p_1.' }),
  })
  .openapi('Lot');

export const wireLot = (lot: Lot) => ({
  lotNo: lot.lotNo,
  source: lot.source,
  category: lot.category,
  amount: lot.amount,
  remaining: lot.remaining,
  issuedAt: iso(lot.issuedAt),
  expiresAt: iso(lot.expiresAt),
  ref: lot.ref,
});

const postingSchema = z.object({
  lotNo: z.int(),
  amount: z.int().openapi({ description: 'Connects into (positive) or out of (negative) the lot.' }),
});

export const entrySchema = z
  .object({
    seq: z.int().openapi({ description: 'Per-account sequence number, in the order entries were written.' }),
    type: z.enum(entryTypes),
    amount: z.int().openapi({ description: 'Magnitude (>= 0); the effect is balanceAfter - balanceBefore.' }),
    postings: z.array(postingSchema).openapi({ description: 'Exactly which lots moved, and by how much.' }),
    balanceBefore: z.int(),
    balanceAfter: z.int(),
    availableBefore: z.int(),
    availableAfter: z.int(),
    effectiveAt: isoInstantSchema.openapi({ description: 'When the change takes effect.' }),
    recordedAt: isoInstantSchema.openapi({ description: 'When the ledger recorded it.' }),
    ref: z.string().nullable().openapi({ description: 'What caused it: purchase:…, promo:…, proposal:…' }),
    reason: z.string().nullable(),
    lot: lotSchema.optional().openapi({ description: 'The lot this entry created, if any.' }),
    holdId: z.string().optional(),
  })
  .openapi('Entry');

export const wireEntry = (e: Entry) => ({
  seq: e.seq,
  type: e.type,
  amount: e.amount,
  postings: e.postings.map((p) => ({ lotNo: p.lotNo, amount: p.amount })),
  balanceBefore: e.balanceBefore,
  balanceAfter: e.balanceAfter,
  availableBefore: e.availableBefore,
  availableAfter: e.availableAfter,
  effectiveAt: iso(e.effectiveAt),
  recordedAt: iso(e.recordedAt),
  ref: e.ref,
  reason: e.reason,
  ...(e.lot === undefined ? {} : { lot: wireLot(e.lot) }),
  ...(e.holdId === undefined ? {} : { holdId: e.holdId }),
});

export const cycleSchema = z
  .object({
    index: z.int().openapi({ description: '0 is the registration cycle.' }),
    start: isoInstantSchema,
    end: isoInstantSchema.openapi({ description: 'Start of the next cycle (exclusive).' }),
  })
  .openapi('BillingCycle');

export const wireCycle = (c: { index: number; start: Instant; end: Instant }) => ({
  index: c.index,
  start: iso(c.start),
  end: iso(c.end),
});
