import { useState } from 'react';
import type { PolicyApi, PolicyRecord, PolicyState } from '../../api/policy-api.ts';
import { ActionNotice } from '../../components/Notice.tsx';
import { formatCents, formatDate, formatDateTime } from '../../format.ts';
import { useAction } from '../../hooks.ts';
import type { Policy } from './policy-form.ts';

type Lifetime = Policy['lotLifetime'];

function lifetimeText(l: Lifetime): string {
  if (l.kind === 'calendar_years') return `${l.years ?? 1} year${l.years === 1 ? '' : 's'}`;
  if (l.kind === 'days') return `${l.days ?? 0} days`;
  return 'to end of cycle';
}

/** The era's lot lifetime, with a plan's own lifetime when it differs (legacy Basic allotments). */
function lifetime(era: Policy): string {
  const base = lifetimeText(era.lotLifetime);
  const own = (['basic', 'plus'] as const).flatMap((plan) => {
    const l = era.plans[plan].lotLifetime;
    return l === undefined || lifetimeText(l) === base
      ? []
      : [`${plan === 'basic' ? 'Basic' : 'Plus'} allotments: ${lifetimeText(l)}`];
  });
  return own.length === 0 ? base : `${base} (${own.join('; ')})`;
}

function caps(era: Policy): string {
  const { rolloverCap, holdingCap } = era.plans.plus;
  const parts = [
    rolloverCap === null ? [] : [`rollover ${rolloverCap}`],
    holdingCap === null ? [] : [`holding ${holdingCap}`],
  ].flat();
  return parts.length === 0 ? 'none' : parts.join(', ');
}

const stateLabel: Record<PolicyState, string> = {
  past: 'past',
  in_force: 'in force',
  scheduled: 'scheduled',
};

/**
 * The whole timeline: each policy's lifetimes, grants, allotments, caps and
 * price, its state, and who scheduled it with their note. Any row can start
 * a candidate; a scheduled one can be withdrawn, after a confirmation.
 */
export function PolicyTimelineTable({
  records,
  onEdit,
  policyApi,
}: {
  records: readonly PolicyRecord[];
  onEdit: (record: PolicyRecord) => void;
  policyApi: PolicyApi;
}) {
  const [confirming, setConfirming] = useState<string | null>(null);
  const action = useAction('operator');
  const withdraw = (record: PolicyRecord): void => {
    void action
      .run(async () => {
        await policyApi.withdraw(record.id);
        return `Withdrew ${record.name} (${record.id}): it will not take effect.`;
      })
      .then(() => setConfirming(null));
  };
  return (
    <>
      <div className="table-wrap">
        <table
          className="table table-wrap-cells table-stack policy-timeline-table"
          data-testid="policy-timeline"
        >
          <thead>
            <tr>
              <th scope="col">Policy</th>
              <th scope="col">From</th>
              <th scope="col">State</th>
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
              <th scope="col">Scheduled by</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {records.map((record) => {
              const era = record.policy;
              const current = record.state === 'in_force';
              return (
                <tr
                  key={record.id}
                  aria-current={current ? 'true' : undefined}
                  className={current ? 'current' : record.state === 'past' ? 'dim' : undefined}
                  data-state={record.state}
                >
                  <th scope="row" data-label="Policy">
                    {record.name}
                    <span className="policy-id"> {record.id}</span>
                  </th>
                  <td data-label="From">{formatDate(record.effectiveFrom)}</td>
                  <td data-label="State">
                    <span className={`tag tag-${record.state}`}>{stateLabel[record.state]}</span>
                  </td>
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
                  <td data-label="Scheduled by">
                    {record.scheduledBy === 'built-in' ? (
                      'built in'
                    ) : (
                      <>
                        {record.scheduledBy}, {formatDateTime(record.scheduledAt)}
                        {record.note === null ? null : <span className="policy-note">“{record.note}”</span>}
                      </>
                    )}
                  </td>
                  <td className="row-action" data-label="Actions">
                    <div className="row">
                      <button type="button" className="link-button" onClick={() => onEdit(record)}>
                        {record.state === 'scheduled' ? 'Edit' : 'Start from this'}
                        <span className="visually-hidden"> ({record.id})</span>
                      </button>
                      {record.state === 'scheduled' ? (
                        <button
                          type="button"
                          className="link-button"
                          onClick={() => setConfirming(record.id)}
                        >
                          Withdraw…<span className="visually-hidden"> ({record.id})</span>
                        </button>
                      ) : null}
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {confirming === null ? null : (
        <WithdrawConfirm
          record={records.find((r) => r.id === confirming)}
          busy={action.busy}
          onConfirm={withdraw}
          onCancel={() => setConfirming(null)}
        />
      )}
      <ActionNotice state={action.state} />
    </>
  );
}

function WithdrawConfirm({
  record,
  busy,
  onConfirm,
  onCancel,
}: {
  record: PolicyRecord | undefined;
  busy: boolean;
  onConfirm: (record: PolicyRecord) => void;
  onCancel: () => void;
}) {
  if (record === undefined) return null;
  return (
    <div className="confirm" role="group" aria-label="Confirm the withdrawal">
      <p>
        Withdraw <strong>{record.name}</strong> ({record.id}), scheduled for{' '}
        {formatDateTime(record.effectiveFrom)}? It will not take effect; the policy before it stays in force.
      </p>
      <div className="row">
        <button
          type="button"
          className="button button-danger"
          disabled={busy}
          onClick={() => onConfirm(record)}
        >
          Withdraw the policy
        </button>
        <button type="button" className="button-quiet" disabled={busy} onClick={onCancel}>
          Keep it
        </button>
      </div>
    </div>
  );
}
