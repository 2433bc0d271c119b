import type { PolicyEra } from '../../api/types.ts';
import { formatCents, formatConnects, parseCents } from '../../format.ts';

/**
 * The candidate policy as a form: every field of the policy document
 * (src/core/policy/schema.ts) with a label, its unit and how it is typed.
 * The form keeps what the operator typed as text; `toDocument` turns it back
 * into a policy document and reports what cannot be read (a word where a
 * whole number goes) against the field's path. Everything else (ranges,
 * tiers in order, effectiveFrom in the future) is judged by the server, and
 * its answer is shown beside the same paths.
 */

export type Policy = PolicyEra;
type Lifetime = Policy['lotLifetime'];

export type FieldKind =
  | 'int'
  | 'cents'
  | 'cap'
  | 'text'
  | 'instant'
  | 'choice'
  | 'intList'
  | 'plans'
  | 'lifetime'
  | 'planLifetime'
  | 'fixed';

export interface FieldSpec {
  /** The field's path in the policy document, as the server's validation reports it. */
  readonly path: string;
  readonly label: string;
  readonly kind: FieldKind;
  readonly unit?: string;
  readonly options?: readonly (readonly [value: string, label: string])[];
  readonly hint?: string;
}

export interface FieldGroup {
  readonly title: string;
  readonly fields: readonly FieldSpec[];
}

const int = (path: string, label: string, unit = 'Connects', hint?: string): FieldSpec => ({
  path,
  label,
  kind: 'int',
  unit,
  ...(hint === undefined ? {} : { hint }),
});

const plan = (name: 'basic' | 'plus', title: string): FieldSpec[] => [
  { path: `plans.${name}.priceCents`, label: `${title} price per cycle`, kind: 'cents', unit: '$' },
  int(`plans.${name}.allotment`, `${title} allotment per cycle`),
  {
    path: `plans.${name}.rolloverCap`,
    label: `${title} rollover cap`,
    kind: 'cap',
    unit: 'Connects',
    hint: 'At renewal, Connects above this expire. Empty: no cap.',
  },
  {
    path: `plans.${name}.holdingCap`,
    label: `${title} holding cap`,
    kind: 'cap',
    unit: 'Connects',
    hint: 'A grant never lifts the balance above this. Empty: no cap.',
  },
  {
    path: `plans.${name}.lotLifetime`,
    label: `${title} allotment lifetime`,
    kind: 'planLifetime',
  },
];

/** Every field of a policy, in the order of the document. */
export const fieldGroups: readonly FieldGroup[] = [
  {
    title: 'Identity',
    fields: [
      {
        path: 'id',
        label: 'Policy id',
        kind: 'text',
        hint: 'Letters, digits and dashes; new for a new policy.',
      },
      { path: 'name', label: 'Name', kind: 'text' },
      {
        path: 'effectiveFrom',
        label: 'Effective from (UTC)',
        kind: 'instant',
        hint: 'YYYY-MM-DD or YYYY-MM-DDTHH:MM, after the service’s time.',
      },
    ],
  },
  {
    title: 'Lifetimes',
    fields: [
      { path: 'lotLifetime', label: 'Lot lifetime', kind: 'lifetime' },
      {
        path: 'expiringSoonDays',
        label: '“Expiring soon” notices',
        kind: 'intList',
        unit: 'days before',
        hint: 'Comma-separated, e.g. 30, 7.',
      },
    ],
  },
  {
    title: 'Grants',
    fields: [
      int('grants.signup', 'Signup grant'),
      int('grants.risingTalent', 'Rising Talent grant'),
      int('grants.interview', 'Interview reward'),
      int('grants.interviewWeeklyCap', 'Interview rewards cap per window'),
      int('grants.interviewWindowDays', 'Interview window', 'days'),
      int('grants.certification', 'Certification reward'),
    ],
  },
  { title: 'Freelancer Basic', fields: plan('basic', 'Basic') },
  {
    title: 'Freelancer Plus',
    fields: [
      ...plan('plus', 'Plus'),
      {
        path: 'plans.plus.upgradeBilling',
        label: 'Mid-cycle upgrade billing',
        kind: 'choice',
        options: [
          ['prorate', 'Prorate (keep the billing anchor)'],
          ['restart_cycle', 'Restart the cycle (full price)'],
        ],
      },
    ],
  },
  {
    title: 'Buying Connects',
    fields: [
      { path: 'purchase.unitPriceCents', label: 'Price per Connect', kind: 'cents', unit: '$' },
      int('purchase.minConnects', 'Smallest purchase'),
      int('purchase.maxConnects', 'Largest purchase'),
      {
        path: 'purchase.bundles',
        label: 'Bundles',
        kind: 'intList',
        unit: 'Connects',
        hint: 'e.g. 10, 20, 40',
      },
      { path: 'purchase.plansAllowed', label: 'Plans that may buy', kind: 'plans' },
    ],
  },
  {
    title: 'Rate card',
    fields: [int('rateCard.hourly', 'Hourly jobs', 'Connects per proposal')],
  },
  {
    title: 'Boosts',
    fields: [
      int('boost.minBidConnects', 'Smallest bid'),
      int('boost.maxBidConnects', 'Largest bid'),
      int('boost.slots', 'Boosted slots', 'slots'),
      int('boost.auctionDays', 'Auction length', 'days'),
      int('boost.opensToEnd', 'Opens that end a boost', 'opens'),
      int('boost.viewsToEnd', 'Views that end a boost', 'views'),
    ],
  },
  {
    title: 'Other rules',
    fields: [
      int('availabilityBadge.weeklyPriceConnects', '“Available now” badge', 'Connects per week'),
      {
        path: 'refundMode',
        label: 'Refunds',
        kind: 'choice',
        options: [
          ['reinstate', 'Reinstate the spent lots'],
          ['fresh_lot', 'Issue a fresh lot'],
        ],
      },
      {
        path: 'consumptionOrder',
        label: 'Consumption order',
        kind: 'fixed',
        hint: 'Soonest expiry first; the only order the service has.',
      },
    ],
  },
  {
    title: 'Rising Talent',
    fields: [
      int('risingTalent.minProfileCompletenessPct', 'Profile completeness at least', '%'),
      int('risingTalent.activityDays', 'Active within', 'days'),
      int('risingTalent.newAccountDays', 'New account for', 'days'),
      int('risingTalent.tosLookbackDays', 'No violation within', 'days'),
      int('risingTalent.availabilityFreshDays', 'Availability updated within', 'days'),
    ],
  },
];

export const allFields: readonly FieldSpec[] = fieldGroups.flatMap((g) => g.fields);

export interface TierDraft {
  /** The budget in dollars below which this tier applies; empty on the last, open-ended tier. */
  readonly below: string;
  readonly connects: string;
}

/** What the form holds: text as typed, by path (a lifetime as `path.kind` and `path.amount`). */
export interface Draft {
  readonly values: Readonly<Record<string, string>>;
  readonly tiers: readonly TierDraft[];
}

export interface Problem {
  readonly path: string;
  readonly message: string;
}

function at(policy: unknown, path: string): unknown {
  let value: unknown = policy;
  for (const key of path.split('.')) {
    value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value;
}

function put(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  keys.slice(0, -1).forEach((key) => {
    const next = node[key];
    if (typeof next === 'object' && next !== null) node = next as Record<string, unknown>;
    else {
      const created: Record<string, unknown> = {};
      node[key] = created;
      node = created;
    }
  });
  node[keys[keys.length - 1] as string] = value;
}

const dollars = (cents: number): string =>
  `${Math.trunc(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

function lifetimeValues(path: string, lifetime: Lifetime | undefined): Record<string, string> {
  if (lifetime === undefined) return { [`${path}.kind`]: '', [`${path}.amount`]: '' };
  const amount =
    lifetime.kind === 'calendar_years' ? lifetime.years : lifetime.kind === 'days' ? lifetime.days : '';
  return { [`${path}.kind`]: lifetime.kind, [`${path}.amount`]: String(amount ?? '') };
}

/** The form's text for a policy: what the operator starts editing from. */
export function fromPolicy(policy: Policy): Draft {
  const values: Record<string, string> = {};
  for (const field of allFields) {
    const value = at(policy, field.path);
    switch (field.kind) {
      case 'lifetime':
      case 'planLifetime':
        Object.assign(values, lifetimeValues(field.path, value as Lifetime | undefined));
        break;
      case 'cents':
        values[field.path] = dollars(value as number);
        break;
      case 'cap':
        values[field.path] = value === null ? '' : String(value);
        break;
      case 'intList':
      case 'plans':
        values[field.path] = (value as readonly (number | string)[]).join(', ');
        break;
      default:
        values[field.path] = String(value ?? '');
    }
  }
  const tiers = policy.rateCard.tiers.map((t) => ({
    below: t.belowBudgetCents === null ? '' : dollars(t.belowBudgetCents),
    connects: String(t.connects),
  }));
  return { values, tiers };
}

const wholeNumber = (text: string): number | undefined => {
  const cleaned = text.trim().replaceAll(',', '');
  if (!/^-?\d{1,15}$/.test(cleaned)) return undefined;
  const n = Number(cleaned);
  return Number.isSafeInteger(n) ? n : undefined;
};

/** "2031-01-01" or "2031-01-01T09:30" (UTC) as the ISO instant the schema takes. */
export function parseInstantText(text: string): string | undefined {
  const t = text.trim();
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(?::(\d{2})(?:\.(\d{3}))?)?)?Z?$/.exec(t);
  if (m === null) return undefined;
  const iso = `${m[1]}T${m[2] ?? '00:00'}:${m[3] ?? '00'}.${m[4] ?? '000'}Z`;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) || date.toISOString() !== iso ? undefined : iso;
}

/** The form's text for an instant: the date alone at midnight, else date and minutes. */
export function instantText(iso: string): string {
  if (iso.endsWith('T00:00:00.000Z')) return iso.slice(0, 10);
  return iso.endsWith(':00.000Z') ? iso.slice(0, 16) : iso;
}

/**
 * The policy document the form describes, and what could not be read. The
 * document is sent as it is (the server judges ranges and order); fields that
 * could not be read keep their text so the document still has every field.
 */
export function toDocument(draft: Draft): { document: Record<string, unknown>; problems: Problem[] } {
  const document: Record<string, unknown> = {};
  const problems: Problem[] = [];
  const text = (path: string): string => draft.values[path] ?? '';
  const number = (path: string, raw: string, message = 'must be a whole number'): unknown => {
    const n = wholeNumber(raw);
    if (n === undefined) problems.push({ path, message });
    return n ?? raw;
  };
  const money = (path: string, raw: string): unknown => {
    const cents = parseCents(raw);
    if (cents === undefined) problems.push({ path, message: 'must be an amount in dollars, e.g. 14.99' });
    return cents ?? raw;
  };
  const lifetime = (path: string): unknown => {
    const kind = text(`${path}.kind`);
    if (kind === 'end_of_cycle') return { kind };
    const key = kind === 'days' ? 'days' : 'years';
    return { kind, [key]: number(path, text(`${path}.amount`)) };
  };
  for (const field of allFields) {
    const raw = text(field.path);
    const path = field.path;
    switch (field.kind) {
      case 'int':
        put(document, path, number(path, raw));
        break;
      case 'cents':
        put(document, path, money(path, raw));
        break;
      case 'cap':
        put(
          document,
          path,
          raw.trim() === '' ? null : number(path, raw, 'must be a whole number, or empty for no cap'),
        );
        break;
      case 'text':
        put(document, path, raw.trim());
        break;
      case 'instant': {
        const iso = parseInstantText(raw);
        if (iso === undefined)
          problems.push({ path, message: 'must be a date (YYYY-MM-DD) or YYYY-MM-DDTHH:MM, in UTC' });
        put(document, path, iso ?? raw);
        break;
      }
      case 'intList': {
        const items = raw.split(/[\s,]+/).filter((s) => s !== '');
        put(
          document,
          path,
          items.map((s) => number(path, s, 'must be whole numbers separated by commas')),
        );
        break;
      }
      case 'plans':
        put(
          document,
          path,
          raw.split(/[\s,]+/).filter((s) => s !== ''),
        );
        break;
      case 'lifetime':
        put(document, path, lifetime(path));
        break;
      case 'planLifetime':
        if (text(`${path}.kind`) !== '') put(document, path, lifetime(path));
        break;
      case 'choice':
      case 'fixed':
        put(document, path, raw);
        break;
    }
  }
  put(
    document,
    'rateCard.tiers',
    draft.tiers.map((tier, i) => ({
      belowBudgetCents:
        tier.below.trim() === '' ? null : money(`rateCard.tiers.${i}.belowBudgetCents`, tier.below),
      connects: number(`rateCard.tiers.${i}.connects`, tier.connects),
    })),
  );
  // Keep the schema's key order (rate card tiers before hourly), so a scheduled policy reads naturally.
  const rateCard = document['rateCard'] as { tiers: unknown; hourly: unknown };
  document['rateCard'] = { tiers: rateCard.tiers, hourly: rateCard.hourly };
  return { document, problems };
}

function lifetimeText(l: Lifetime | undefined): string {
  if (l === undefined) return 'same as the lot lifetime';
  if (l.kind === 'calendar_years') return `${l.years ?? 1} year${l.years === 1 ? '' : 's'}`;
  if (l.kind === 'days') return `${l.days ?? 0} days`;
  return 'to the end of the cycle';
}

/** A field's value in a policy, for people: what "Now:" shows beside the input. */
export function describeValue(policy: Policy, field: FieldSpec): string {
  const value = at(policy, field.path);
  switch (field.kind) {
    case 'int':
      return `${formatConnects(value as number)}${field.unit === '%' ? '%' : ''}`;
    case 'cents':
      return formatCents(value as number);
    case 'cap':
      return value === null ? 'no cap' : formatConnects(value as number);
    case 'lifetime':
    case 'planLifetime':
      return lifetimeText(value as Lifetime | undefined);
    case 'intList':
      return (value as number[]).length === 0 ? 'none' : (value as number[]).join(', ');
    case 'plans':
      return (value as string[]).length === 0
        ? 'no plan'
        : (value as string[]).map((p) => (p === 'basic' ? 'Basic' : 'Plus')).join(', ');
    case 'choice':
      return field.options?.find(([v]) => v === value)?.[1] ?? String(value);
    case 'instant':
      return instantText(String(value));
    case 'fixed':
      return 'soonest expiry first';
    default:
      return String(value);
  }
}

/** The fields (and tiers) whose text differs from the base policy's: what the candidate changes. */
export function changedPaths(draft: Draft, base: Policy): string[] {
  const start = fromPolicy(base);
  const changed = allFields
    .filter((f) => {
      const keys =
        f.kind === 'lifetime' || f.kind === 'planLifetime'
          ? [`${f.path}.kind`, `${f.path}.amount`]
          : [f.path];
      return keys.some((k) => normalise(draft.values[k]) !== normalise(start.values[k]));
    })
    .map((f) => f.path);
  const tiersChanged =
    draft.tiers.length !== start.tiers.length ||
    draft.tiers.some(
      (t, i) =>
        normalise(t.below) !== normalise(start.tiers[i]?.below) ||
        normalise(t.connects) !== normalise(start.tiers[i]?.connects),
    );
  return tiersChanged ? [...changed, 'rateCard.tiers'] : changed;
}

/** The rules a candidate changes: its changed fields other than its id, name and date. */
export function ruleChanges(draft: Draft, base: Policy): string[] {
  return changedPaths(draft, base).filter((p) => !['id', 'name', 'effectiveFrom'].includes(p));
}

const normalise = (s: string | undefined): string => (s ?? '').trim().replace(/\s*,\s*/g, ', ');

/**
 * Where an API validation issue belongs in the form: the paths of a policy
 * inside a request (`policy.grants.signup`, `candidate.grants.signup`,
 * `candidate.0.…`) lose their prefix; a lifetime's inner field is the
 * lifetime's. Paths outside the policy come back unchanged.
 */
export function formPath(apiPath: string): string {
  let path = apiPath.replace(/^body\./, '');
  path = path.replace(/^(policy|candidate)(\.\d+)?(\.|$)/, '');
  return path.replace(/(lotLifetime)\.(years|days|kind)$/, '$1');
}

/** The first day of the month after `nowIso`, as the form writes it: the natural start of a new policy. */
export function nextMonthStart(nowIso: string): string {
  const now = new Date(nowIso);
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
}
