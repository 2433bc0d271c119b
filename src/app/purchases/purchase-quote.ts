import { assert, connectsError, err, ok, type Result } from '../../core/errors.ts';
import type { PlanName, Policy } from '../../core/policy/schema.ts';
import { quoteTax, type TaxTable } from './tax.ts';

/** What a purchase costs under one policy. Money in integer cents. */
export interface PurchaseQuote {
  readonly connects: number;
  readonly unitPriceCents: number;
  /** connects * unitPriceCents: no bulk discount (rules.md 3.3). */
  readonly priceCents: number;
  readonly taxJurisdiction: string | null;
  readonly taxRateBp: number;
  readonly taxCents: number;
  readonly totalCents: number;
}

/**
 * Checks that a freelancer on `plan` may buy `connects` under `policy` and
 * prices it. Bundles are only presets for a UI: any whole amount within
 * purchase.minConnects..maxConnects is allowed. The plan check comes first:
 * a plan that cannot buy at all should not be told to change the amount.
 */
export function quotePurchase(
  policy: Policy,
  plan: PlanName,
  connects: number,
  taxes: TaxTable,
  jurisdiction: string | undefined,
): Result<PurchaseQuote> {
  const rules = policy.purchase;
  if (!rules.plansAllowed.includes(plan)) {
    return err(
      connectsError(
        'purchase_not_allowed',
        `Members of the ${plan} plan cannot buy Connects under ${policy.id}.`,
        {
          plan,
          plansAllowed: rules.plansAllowed,
          policyId: policy.id,
        },
      ),
    );
  }
  const whole = Number.isSafeInteger(connects);
  if (!whole || connects < rules.minConnects || connects > rules.maxConnects) {
    return err(
      connectsError(
        'purchase_out_of_range',
        `A purchase is a whole number of Connects from ${rules.minConnects} to ${rules.maxConnects}.`,
        { connects, minConnects: rules.minConnects, maxConnects: rules.maxConnects, bundles: rules.bundles },
      ),
    );
  }
  const priceCents = connects * rules.unitPriceCents;
  assert(Number.isSafeInteger(priceCents), 'purchase price exceeds safe integers');
  const tax = quoteTax(taxes, jurisdiction, priceCents);
  return ok({
    connects,
    unitPriceCents: rules.unitPriceCents,
    priceCents,
    taxJurisdiction: tax.jurisdiction,
    taxRateBp: tax.rateBp,
    taxCents: tax.taxCents,
    totalCents: priceCents + tax.taxCents,
  });
}
