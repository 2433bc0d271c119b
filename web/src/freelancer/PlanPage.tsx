import { useId, useState, type FormEvent } from 'react';
import type { BadgeState, Freelancer, PlanName, PolicyTimeline } from '../api/types.ts';
import { ActionNotice, LoadError, Loading } from '../components/Notice.tsx';
import { Panel } from '../components/Panel.tsx';
import { connectsLabel, formatCents, formatDate, formatDateTime, parseWhole } from '../format.ts';
import { useAction, useApp, usePolicy, useResource } from '../hooks.ts';
import { upgradePreview } from './upgrade-preview.ts';

const planNames: Record<PlanName, string> = { basic: 'Freelancer Basic', plus: 'Freelancer Plus' };

export function PlanPage({ freelancerId }: { freelancerId: string }) {
  const { api } = useApp();
  const policy = usePolicy();
  const profile = useResource(`freelancer:${freelancerId}`, () => api.freelancer(freelancerId));
  const error = policy.error ?? profile.error;
  return (
    <>
      <h1>Plan and availability badge</h1>
      {error !== undefined ? (
        <LoadError error={error} retry={() => (policy.reload(), profile.reload())} />
      ) : null}
      {policy.data === undefined || profile.data === undefined ? (
        error === undefined ? (
          <Loading what="your plan" />
        ) : null
      ) : (
        <div className="columns">
          <PlanPanel freelancer={profile.data} policy={policy.data} />
          <BadgePanel freelancer={profile.data} policy={policy.data} />
        </div>
      )}
    </>
  );
}

function PlanPanel({ freelancer, policy }: { freelancer: Freelancer; policy: PolicyTimeline }) {
  const { api } = useApp();
  const plan: PlanName = freelancer.plan ?? 'basic';
  const target: PlanName = plan === 'plus' ? 'basic' : 'plus';
  const { plans } = policy.current;
  const action = useAction();
  const [confirming, setConfirming] = useState(false);
  const cardId = useId();
  const [card, setCard] = useState('4242 4242 4242 4242');
  // The server's preview when it offers one; the same pure rule computed here otherwise.
  const serverPreview = useResource(`plan-preview:${freelancer.id}:${target}`, () =>
    api.planPreview(freelancer.id, target),
  );
  const local = upgradePreview(freelancer, policy);
  const sp = serverPreview.data;
  const preview =
    sp === undefined
      ? local
      : {
          ...local,
          connects: sp.prorationConnects,
          daysLeft: sp.daysLeft,
          daysInCycle: sp.daysInCycle,
          cycleEnd: Date.parse(sp.cycle.end),
        };
  const priceNow = sp?.priceCents ?? plans.plus.priceCents;
  const renewal = formatDate(new Date(preview.cycleEnd).toISOString());

  const confirm = (): void => {
    const cardNumber = card.replace(/[\s-]/g, '');
    if (target === 'plus' && cardNumber !== '' && !/^\d{12,19}$/.test(cardNumber)) {
      action.fail('Enter a card number of 12 to 19 digits.');
      return;
    }
    void action
      .run(async () => {
        const result = await api.setPlan(
          freelancer.id,
          target,
          target === 'plus' && cardNumber !== '' ? cardNumber : undefined,
        );
        const added = result?.prorationConnects ?? preview.connects;
        return target === 'plus'
          ? `You are on Freelancer Plus. ${connectsLabel(added)} were added for this cycle.`
          : `You will move to Freelancer Basic on ${renewal}.`;
      })
      .then((ok) => ok && setConfirming(false));
  };

  return (
    <Panel title="Membership plan">
      <p>
        You are on <strong data-testid="plan">{planNames[plan]}</strong>
        {freelancer.pendingPlanChange && freelancer.pendingPlanChange.plan !== plan
          ? `, moving to ${planNames[freelancer.pendingPlanChange.plan]} on ${formatDate(freelancer.pendingPlanChange.effectiveAt)}`
          : ''}
        .
      </p>
      <ul className="plain">
        <li>
          {planNames.basic}: free, {connectsLabel(plans.basic.allotment)} each cycle.
        </li>
        <li>
          {planNames.plus}: {formatCents(plans.plus.priceCents)} per cycle,{' '}
          {connectsLabel(plans.plus.allotment)} each cycle, and you see the range of competitors’ bids on
          every job.
        </li>
      </ul>
      <p className="muted">
        Current cycle ends {renewal} ({preview.daysLeft} of {preview.daysInCycle} days left).
      </p>
      {confirming ? (
        <div className="confirm" role="group" aria-label="Confirm plan change">
          {target === 'plus' ? (
            <p data-testid="proration">
              Upgrading now adds <strong>{connectsLabel(preview.connects)}</strong> for the rest of this cycle
              ({preview.extra} × {preview.daysLeft}/{preview.daysInCycle} days, rounded down), then{' '}
              {connectsLabel(plans.plus.allotment)} from {renewal}. You keep every Connect you have. Charged
              now and at each renewal: {formatCents(priceNow)}.
            </p>
          ) : (
            <p>
              The downgrade takes effect at the next renewal, {renewal}. You keep Plus and your Connects until
              then.
            </p>
          )}
          {target === 'plus' && priceNow > 0 ? (
            <div className="field">
              <label htmlFor={cardId}>Card number</label>
              <input
                id={cardId}
                inputMode="numeric"
                autoComplete="cc-number"
                value={card}
                onChange={(e) => setCard(e.target.value)}
              />
              <p className="hint">Test card 4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined.</p>
            </div>
          ) : null}
          <div className="row">
            <button type="button" className="button" onClick={confirm} disabled={action.busy}>
              {target === 'plus' ? 'Confirm upgrade' : 'Confirm downgrade'}
            </button>
            <button type="button" className="button-quiet" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <button type="button" className="button" onClick={() => setConfirming(true)}>
          {target === 'plus' ? 'Upgrade to Plus…' : 'Downgrade to Basic…'}
        </button>
      )}
      <ActionNotice state={action.state} />
    </Panel>
  );
}

const offReasons: Record<string, string> = {
  price_above_max: 'the price rose above your weekly maximum',
  insufficient_connects: 'your Connects ran out',
  freelancer: 'you turned it off',
};

function BadgePanel({ freelancer, policy }: { freelancer: Freelancer; policy: PolicyTimeline }) {
  const { api } = useApp();
  const action = useAction();
  const maxId = useId();
  // The operator's price (GET /v1/badge-price); the policy default until it loads or when absent.
  const operatorPrice = useResource('badge-price', () => api.badgePrice());
  const price =
    operatorPrice.data?.weeklyPriceConnects ?? policy.current.availabilityBadge.weeklyPriceConnects;
  // The badge as the server has it (GET …/availability-badge), then as each change returns it.
  const known = useResource(`badge:${freelancer.id}`, () => api.badge(freelancer.id));
  const [state, setState] = useState<BadgeState | null>(null);
  const badge = state ?? known.data ?? null;
  const on = badge?.on ?? null;
  const [maxText, setMax] = useState<string | null>(null);
  const max = maxText ?? String(badge?.weeklyMaxConnects ?? Math.max(price, 1));

  const submit = (turnOn: boolean) => (event?: FormEvent) => {
    event?.preventDefault();
    const weeklyMax = parseWhole(max, 0, 1000);
    if (weeklyMax === undefined) {
      action.fail('Enter a weekly maximum from 0 to 1000 Connects.');
      return;
    }
    void action.run(async () => {
      const next = await api.setBadge(freelancer.id, turnOn, weeklyMax);
      setState(next);
      setMax(null);
      if (turnOn && next?.on === false && next.offReason) {
        return `“Available now” stayed off: ${offReasons[next.offReason] ?? next.offReason}.`;
      }
      return turnOn
        ? `“Available now” is on, up to ${connectsLabel(weeklyMax)} a week.`
        : '“Available now” is off.';
    });
  };

  return (
    <Panel title="“Available now” badge">
      <p>
        The badge tells clients you can start now. It costs{' '}
        <strong data-testid="badge-price">{connectsLabel(price)}</strong> a week, charged evenly
        {price > 0 ? ` (1 Connect every ${formatDays(7 / price)})` : ''}. It switches off by itself if the
        price rises above your maximum or your Connects run out.
      </p>
      {known.error === undefined ? null : <LoadError error={known.error} retry={known.reload} />}
      {badge === null ? (
        known.error === undefined ? (
          <Loading what="the badge" />
        ) : null
      ) : (
        <p>
          Status: <strong data-testid="badge-status">{badge.on ? 'On' : 'Off'}</strong>
          {badge.on && badge.nextChargeAt
            ? `, next Connect charged ${formatDateTime(badge.nextChargeAt)}`
            : ''}
          {!badge.on && badge.offReason && badge.offReason !== 'freelancer'
            ? ` (switched off because ${offReasons[badge.offReason] ?? badge.offReason})`
            : ''}
        </p>
      )}
      <form className="form" onSubmit={submit(true)} noValidate>
        <div className="field">
          <label htmlFor={maxId}>Weekly maximum (Connects)</label>
          <input
            id={maxId}
            inputMode="numeric"
            value={max}
            onChange={(e) => {
              setMax(e.target.value);
              action.clear();
            }}
          />
        </div>
        <div className="row">
          <button type="submit" className="button" disabled={action.busy || on === null}>
            {on === true ? 'Update maximum' : 'Turn on'}
          </button>
          {on !== true ? null : (
            <button type="button" className="button-quiet" onClick={submit(false)} disabled={action.busy}>
              Turn off
            </button>
          )}
        </div>
        <ActionNotice state={action.state} />
      </form>
    </Panel>
  );
}

/** "1.4 days" style, for a human-readable charging interval only (not money or Connects). */
function formatDays(days: number): string {
  return `${new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 }).format(days)} days`;
}
