import { useId, useState, type FormEvent } from 'react';
import { ActionNotice, LoadError } from '../components/Notice.tsx';
import { Panel } from '../components/Panel.tsx';
import { HistoryPanel } from '../freelancer/HistoryPanel.tsx';
import { WalletPanels } from '../freelancer/WalletPanels.tsx';
import { connectsLabel, formatConnects, formatDate } from '../format.ts';
import { PurchasesPanel } from '../freelancer/PurchasesPanel.tsx';
import { TokensPanel } from './TokensPanel.tsx';
import { LotCorrectionsPanel } from './LotCorrectionsPanel.tsx';
import { Link } from '../router.tsx';
import { useRole } from './RoleContext.tsx';
import { can } from './roles.ts';

/** The API's limit on one grant or adjustment, either way. */
const MAX_GRANT = 1_000_000;
import { useAction, useApp, useResource } from '../hooks.ts';

/** Any freelancer as the operator sees them: profile, wallet, grant/adjust, history. */
export function FreelancerDetail({ freelancerId }: { freelancerId: string }) {
  const { api } = useApp();
  const role = useRole();
  const profile = useResource(`freelancer:${freelancerId}`, () => api.freelancer(freelancerId));
  if (profile.error !== undefined && profile.data === undefined) {
    return (
      <>
        <h1>Freelancer {freelancerId}</h1>
        <LoadError error={profile.error} retry={profile.reload} />
      </>
    );
  }
  const p = profile.data;
  return (
    <>
      <WalletPanels
        freelancerId={freelancerId}
        heading={p?.name ? `${p.name} (${freelancerId})` : `Freelancer ${freelancerId}`}
      />
      {p === undefined ? null : (
        <p className="muted">
          Registered {formatDate(p.registeredAt)} · plan {p.plan ?? 'basic'}
          {p.cycle ? ` · cycle ends ${formatDate(p.cycle.end)}` : ''}
          {can(role, 'audit') ? (
            <>
              {' · '}
              <Link to={`/admin/audit?freelancerId=${encodeURIComponent(freelancerId)}`}>
                Audit for this freelancer
              </Link>
            </>
          ) : null}
        </p>
      )}
      {can(role, 'grant') ? <GrantPanel freelancerId={freelancerId} /> : null}
      {can(role, 'correct-lots') ? <LotCorrectionsPanel freelancerId={freelancerId} /> : null}
      {can(role, 'freelancer-tokens') ? <TokensPanel freelancerId={freelancerId} /> : null}
      <PurchasesPanel freelancerId={freelancerId} operator refunds={can(role, 'refund')} />
      <HistoryPanel freelancerId={freelancerId} heading="History" jobBase="/admin/jobs" showActor />
    </>
  );
}

function GrantPanel({ freelancerId }: { freelancerId: string }) {
  const { api } = useApp();
  const action = useAction('operator');
  const amountId = useId();
  const reasonId = useId();
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const onSubmit = (event: FormEvent): void => {
    event.preventDefault();
    const connects = /^\s*-?\d{1,12}\s*$/.test(amount) ? Number(amount) : Number.NaN;
    if (!Number.isSafeInteger(connects) || connects === 0) {
      action.fail('Enter a whole number of Connects: positive to grant, negative to take back.');
      return;
    }
    if (Math.abs(connects) > MAX_GRANT) {
      action.fail(
        `One grant or adjustment is at most ${formatConnects(MAX_GRANT)} Connects either way (−${formatConnects(MAX_GRANT)} to +${formatConnects(MAX_GRANT)}).`,
      );
      return;
    }
    if (reason.trim() === '') {
      action.fail('Give a reason: it is recorded in the ledger and shown to the freelancer.');
      return;
    }
    void action
      .run(async () => {
        await api.grant(freelancerId, connects, reason.trim());
        return connects > 0
          ? `Granted ${connectsLabel(connects)}.`
          : `Took back ${connectsLabel(-connects)}.`;
      })
      .then((ok) => {
        if (ok) {
          setAmount('');
          setReason('');
        }
      });
  };
  return (
    <Panel title="Grant or adjust Connects">
      <form className="form form-inline" onSubmit={onSubmit} noValidate>
        <div className="field">
          <label htmlFor={amountId}>Connects (negative to take back)</label>
          <p id={`${amountId}-hint`} className="hint">
            From −{formatConnects(MAX_GRANT)} to +{formatConnects(MAX_GRANT)}.
          </p>
          <input
            id={amountId}
            inputMode="numeric"
            value={amount}
            onChange={(e) => {
              setAmount(e.target.value);
              action.clear();
            }}
            aria-describedby={`${amountId}-hint`}
          />
        </div>
        <div className="field field-wide">
          <label htmlFor={reasonId}>Reason</label>
          <input id={reasonId} value={reason} maxLength={200} onChange={(e) => setReason(e.target.value)} />
        </div>
        <button type="submit" className="button" disabled={action.busy}>
          Apply
        </button>
      </form>
      <ActionNotice state={action.state} />
    </Panel>
  );
}
