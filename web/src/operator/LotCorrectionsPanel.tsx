import { useId, useState, type FormEvent } from 'react';
import type { Lot } from '../api/types.ts';
import { ActionNotice, Loaded } from '../components/Notice.tsx';
import { Panel } from '../components/Panel.tsx';
import { connectsLabel, formatDate } from '../format.ts';
import { useAction, useApp, usePolicy, useResource } from '../hooks.ts';

type Correction = 'void' | 'expire' | 'extend';

const corrections: readonly { value: Correction; label: string; hint: string }[] = [
  {
    value: 'void',
    label: 'Void',
    hint: 'Connects that should never have been given (a promo granted twice).',
  },
  { value: 'expire', label: 'Expire now', hint: 'Connects whose offer ended early.' },
  { value: 'extend', label: 'Extend the expiry', hint: 'Goodwill: the lot expires later (never earlier).' },
];

/**
 * Support's corrections of one lot (docs/operators.md): void its unspent
 * Connects, expire them now, or move its expiry later, each with a reason.
 * Only free lots holding Connects are offered: paid Connects go back through
 * the purchase's refund, and the server refuses the rest in words.
 */
export function LotCorrectionsPanel({ freelancerId }: { freelancerId: string }) {
  const { api } = useApp();
  const lots = useResource(`lots:${freelancerId}:active`, () => api.lots(freelancerId, 'active'));
  return (
    <Panel title="Correct a lot">
      <Loaded resource={lots} what="the lots">
        {({ lots: list }) => {
          const free = list.filter((l) => l.category === 'free' && l.remaining > 0);
          return free.length === 0 ? (
            <p className="muted">
              No free lot holds Connects. Paid Connects are returned by refunding the purchase.
            </p>
          ) : (
            <CorrectionForm freelancerId={freelancerId} lots={free} />
          );
        }}
      </Loaded>
    </Panel>
  );
}

function CorrectionForm({ freelancerId, lots }: { freelancerId: string; lots: readonly Lot[] }) {
  const { api } = useApp();
  const policy = usePolicy();
  const action = useAction('operator');
  const ids = { lot: useId(), what: useId(), date: useId(), reason: useId() };
  const [lotNo, setLotNo] = useState<number>(lots[0]?.lotNo ?? 0);
  const [what, setWhat] = useState<Correction>('void');
  const [date, setDate] = useState('');
  const [reason, setReason] = useState('');
  const lot = lots.find((l) => l.lotNo === lotNo) ?? lots[0];
  const changed = (): void => action.clear();

  const onSubmit = (event: FormEvent): void => {
    event.preventDefault();
    if (lot === undefined) return;
    if (reason.trim() === '') {
      action.fail('Give a reason: it is recorded on the entry and shown in the history.');
      return;
    }
    let expiresAt: string | undefined;
    if (what === 'extend') {
      const t = /^\d{4}-\d{2}-\d{2}$/.test(date.trim()) ? Date.parse(`${date.trim()}T00:00:00Z`) : NaN;
      const now = policy.data === undefined ? Date.now() : Date.parse(policy.data.now);
      if (Number.isNaN(t) || t <= now || t <= Date.parse(lot.expiresAt)) {
        action.fail(`Enter a new expiry date (UTC) after today and after ${formatDate(lot.expiresAt)}.`);
        return;
      }
      expiresAt = new Date(t).toISOString();
    }
    void action
      .run(async () => {
        await api.correctLot(freelancerId, lot.lotNo, what, reason.trim(), expiresAt);
        if (what === 'extend')
          return `Lot ${lot.lotNo} now expires on ${formatDate(expiresAt ?? lot.expiresAt)}.`;
        return what === 'void'
          ? `Voided lot ${lot.lotNo}: ${connectsLabel(lot.remaining)} removed.`
          : `Expired lot ${lot.lotNo} now: ${connectsLabel(lot.remaining)}.`;
      })
      .then((ok) => {
        if (ok) {
          setReason('');
          setDate('');
        }
      });
  };

  return (
    <form className="form grid-form" onSubmit={onSubmit} noValidate>
      <div className="field">
        <label htmlFor={ids.lot}>Lot</label>
        <select
          id={ids.lot}
          value={lot?.lotNo ?? ''}
          onChange={(e) => {
            setLotNo(Number(e.target.value));
            changed();
          }}
        >
          {lots.map((l) => (
            <option key={l.lotNo} value={l.lotNo}>
              Lot {l.lotNo}: {l.source}, {l.remaining} of {l.amount} left, expires {formatDate(l.expiresAt)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={ids.what}>Correction</label>
        <select
          id={ids.what}
          value={what}
          aria-describedby={`${ids.what}-hint`}
          onChange={(e) => {
            setWhat(corrections.find((c) => c.value === e.target.value)?.value ?? 'void');
            changed();
          }}
        >
          {corrections.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      </div>
      {what === 'extend' ? (
        <div className="field">
          <label htmlFor={ids.date}>New expiry (UTC date)</label>
          <input
            id={ids.date}
            value={date}
            placeholder="YYYY-MM-DD"
            onChange={(e) => {
              setDate(e.target.value);
              changed();
            }}
          />
        </div>
      ) : null}
      <div className="field">
        <label htmlFor={ids.reason}>Why (recorded on the entry)</label>
        <input
          id={ids.reason}
          value={reason}
          maxLength={200}
          onChange={(e) => {
            setReason(e.target.value);
            changed();
          }}
        />
      </div>
      <div className="field">
        <button type="submit" className="button" disabled={action.busy}>
          Correct the lot
        </button>
      </div>
      <p id={`${ids.what}-hint`} className="hint">
        {corrections.find((c) => c.value === what)?.hint}
      </p>
      <ActionNotice state={action.state} />
    </form>
  );
}
