import { useId, useState, type FormEvent } from 'react';
import type { PolicyEra } from '../api/types.ts';
import { ActionNotice, LoadError, Loading } from '../components/Notice.tsx';
import { Panel } from '../components/Panel.tsx';
import { connectsLabel, formatCents, formatDate, parseWhole } from '../format.ts';
import { useAction, useApp, usePolicy, useResource } from '../hooks.ts';

/** The policy timeline (which era judges which events) and the badge price. */
export function PolicyPage() {
  const policy = usePolicy();
  return (
    <>
      <h1>Policy</h1>
      {policy.error !== undefined ? <LoadError error={policy.error} retry={policy.reload} /> : null}
      {policy.data === undefined ? (
        policy.error === undefined ? (
          <Loading what="the policy" />
        ) : null
      ) : (
        <>
          <p>
            In force now: <strong data-testid="policy-current">{policy.data.current.name}</strong>
            {policy.data.nextChangeAt === null
              ? '. No change is scheduled.'
              : `; next change ${formatDate(policy.data.nextChangeAt)}.`}
          </p>
          <Panel title="Timeline">
            <Timeline eras={policy.data.timeline} currentId={policy.data.current.id} />
          </Panel>
          <BadgePricePanel policyDefault={policy.data.current.availabilityBadge.weeklyPriceConnects} />
        </>
      )}
    </>
  );
}

type Lifetime = PolicyEra['lotLifetime'];

function lifetimeText(l: Lifetime): string {
  if (l.kind === 'calendar_years') return `${l.years ?? 1} year${l.years === 1 ? '' : 's'}`;
  if (l.kind === 'days') return `${l.days ?? 0} days`;
  return 'to end of cycle';
}

/** The era's lot lifetime, with a plan's own lifetime when it differs (legacy Basic allotments). */
function lifetime(era: PolicyEra): string {
  const base = lifetimeText(era.lotLifetime);
  const own = (['basic', 'plus'] as const).flatMap((plan) => {
    const l = era.plans[plan].lotLifetime;
    return l === undefined || lifetimeText(l) === base
      ? []
      : [`${plan === 'basic' ? 'Basic' : 'Plus'} allotments: ${lifetimeText(l)}`];
  });
  return own.length === 0 ? base : `${base} (${own.join('; ')})`;
}

function caps(era: PolicyEra): string {
  const { rolloverCap, holdingCap } = era.plans.plus;
  const parts = [
    rolloverCap === null ? [] : [`rollover ${rolloverCap}`],
    holdingCap === null ? [] : [`holding ${holdingCap}`],
  ].flat();
  return parts.length === 0 ? 'none' : parts.join(', ');
}

function Timeline({ eras, currentId }: { eras: readonly PolicyEra[]; currentId: string }) {
  return (
    <div className="table-wrap">
      <table className="table table-wrap-cells table-stack" data-testid="policy-timeline">
        <thead>
          <tr>
            <th scope="col">Era</th>
            <th scope="col">From</th>
            <th scope="col">Lifetime</th>
            <th scope="col" className="num">
              Signup
            </th>
            <th scope="col" className="num">
              Basic / cycle
            </th>
            <th scope="col" className="num">
              Plus / cycle
            </th>
            <th scope="col">Caps (Plus)</th>
            <th scope="col" className="num">
              Price each
            </th>
          </tr>
        </thead>
        <tbody>
          {eras.map((era) => (
            <tr
              key={era.id}
              aria-current={era.id === currentId ? 'true' : undefined}
              className={era.id === currentId ? 'current' : undefined}
            >
              <th scope="row" data-label="Era">
                {era.name}
              </th>
              <td data-label="From">{formatDate(era.effectiveFrom)}</td>
              <td data-label="Lifetime">{lifetime(era)}</td>
              <td className="num" data-label="Signup">
                {era.grants.signup}
              </td>
              <td className="num" data-label="Basic / cycle">
                {era.plans.basic.allotment}
              </td>
              <td className="num" data-label="Plus / cycle">
                {era.plans.plus.allotment}
              </td>
              <td data-label="Caps (Plus)">{caps(era)}</td>
              <td className="num" data-label="Price each">
                {formatCents(era.purchase.unitPriceCents)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function BadgePricePanel({ policyDefault }: { policyDefault: number }) {
  const { api } = useApp();
  const action = useAction();
  const id = useId();
  const inForce = useResource('badge-price', () => api.badgePrice());
  const current = inForce.data?.weeklyPriceConnects ?? policyDefault;
  const [edited, setPrice] = useState<string | null>(null);
  const price = edited ?? String(current);
  const onSubmit = (event: FormEvent): void => {
    event.preventDefault();
    const weekly = parseWhole(price, 0, 1000);
    if (weekly === undefined)
      return action.fail('The price is a whole number of Connects per week, from 0 to 1000.');
    void action.run(async () => {
      await api.setBadgePrice(weekly);
      return `The “Available now” badge now costs ${connectsLabel(weekly)} a week. Badges whose maximum is lower switch off.`;
    });
  };
  return (
    <Panel title="“Available now” badge price">
      <p>
        In force now: <strong data-testid="badge-price-now">{connectsLabel(current)}</strong> a week
        {inForce.data?.effectiveAt
          ? ` (since ${formatDate(inForce.data.effectiveAt)})`
          : ' (the policy default)'}
        .
      </p>
      <form className="form form-inline" onSubmit={onSubmit} noValidate>
        <div className="field">
          <label htmlFor={id}>Connects per week</label>
          <input id={id} inputMode="numeric" value={price} onChange={(e) => setPrice(e.target.value)} />
        </div>
        <button type="submit" className="button" disabled={action.busy}>
          Set price
        </button>
      </form>
      <ActionNotice state={action.state} />
    </Panel>
  );
}
