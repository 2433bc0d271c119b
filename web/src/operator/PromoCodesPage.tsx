import { useId, useState, type FormEvent } from 'react';
import type { PromoCode } from '../api/types.ts';
import { ActionNotice } from '../components/Notice.tsx';
import { Panel } from '../components/Panel.tsx';
import { formatConnects, formatDate, parseWhole } from '../format.ts';
import { useAction, useApp, usePolicy, useResource } from '../hooks.ts';

const CODE_PATTERN = /^[A-Za-z0-9_-]{3,40}$/;
const DAY_MS = 86_400_000;

const isoDay = (t: number): string => new Date(t).toISOString().slice(0, 10);

/** Create promo codes; the codes created here are listed for this session. */
export function PromoCodesPage() {
  const { api } = useApp();
  const policy = usePolicy();
  const action = useAction();
  const ids = { code: useId(), connects: useId(), from: useId(), until: useId(), max: useId() };
  const today = policy.data === undefined ? undefined : Date.parse(policy.data.now);
  const [code, setCode] = useState('');
  const [connects, setConnects] = useState('20');
  const [from, setFrom] = useState('');
  const [until, setUntil] = useState('');
  const [max, setMax] = useState('100');
  const [created, setCreated] = useState<PromoCode[]>([]);
  // Every code with its redemptions when the server lists them; the codes made here otherwise.
  const listed = useResource('promo-codes', () => api.promoCodes());
  const codes = listed.data?.codes ?? created;
  // Defaults follow the service clock (which may be manual): valid from today for 30 days.
  const fromValue = from === '' && today !== undefined ? isoDay(today) : from;
  const untilValue = until === '' && today !== undefined ? isoDay(today + 30 * DAY_MS) : until;

  const onSubmit = (event: FormEvent): void => {
    event.preventDefault();
    const amount = parseWhole(connects, 1, 100_000);
    const maxRedemptions = parseWhole(max, 1, 10_000_000);
    const validFrom = Date.parse(`${fromValue}T00:00:00Z`);
    const validUntil = Date.parse(`${untilValue}T00:00:00Z`);
    if (!CODE_PATTERN.test(code.trim()))
      return action.fail('A code is 3 to 40 letters, digits, _ or - (case does not matter).');
    if (amount === undefined)
      return action.fail('Connects per redemption: a whole number from 1 to 100,000.');
    if (maxRedemptions === undefined)
      return action.fail('Maximum redemptions: a whole number of at least 1.');
    if (Number.isNaN(validFrom) || Number.isNaN(validUntil) || validUntil <= validFrom) {
      return action.fail('The code must be valid from a date to a later date.');
    }
    const promo = {
      code: code.trim(),
      connects: amount,
      validFrom: new Date(validFrom).toISOString(),
      validUntil: new Date(validUntil).toISOString(),
      maxRedemptions,
    };
    void action
      .run(async () => {
        const saved = await api.createPromo(promo);
        setCreated((list) => [{ ...promo, ...saved }, ...list]);
        return `Promo code ${promo.code} created.`;
      })
      .then((ok) => ok && setCode(''));
  };

  return (
    <>
      <h1>Promo codes</h1>
      <Panel title="Create a promo code">
        <form className="form grid-form" onSubmit={onSubmit} noValidate>
          <div className="field">
            <label htmlFor={ids.code}>Code</label>
            <input id={ids.code} value={code} spellCheck={false} onChange={(e) => setCode(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={ids.connects}>Connects per redemption</label>
            <input
              id={ids.connects}
              inputMode="numeric"
              value={connects}
              onChange={(e) => setConnects(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={ids.from}>Valid from (UTC)</label>
            <input id={ids.from} type="date" value={fromValue} onChange={(e) => setFrom(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={ids.until}>Valid until (UTC, exclusive)</label>
            <input id={ids.until} type="date" value={untilValue} onChange={(e) => setUntil(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={ids.max}>Maximum redemptions</label>
            <input id={ids.max} inputMode="numeric" value={max} onChange={(e) => setMax(e.target.value)} />
          </div>
          <div className="field field-end">
            <button type="submit" className="button" disabled={action.busy}>
              Create code
            </button>
          </div>
        </form>
        <ActionNotice state={action.state} />
      </Panel>
      {codes.length === 0 ? null : (
        <Panel title={listed.data === undefined ? 'Created in this session' : 'Promo codes'}>
          <div className="table-wrap">
            <table className="table table-stack" data-testid="promo-codes">
              <thead>
                <tr>
                  <th scope="col">Code</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num">
                    Connects
                  </th>
                  <th scope="col">Valid (until is exclusive)</th>
                  <th scope="col" className="num">
                    Redeemed
                  </th>
                </tr>
              </thead>
              <tbody>
                {codes.map((p) => (
                  <tr key={p.code}>
                    <td data-label="Code">
                      <code>{p.code}</code>
                    </td>
                    <td data-label="Status">
                      <PromoStatus promo={p} now={today} />
                    </td>
                    <td className="num" data-label="Connects">
                      {formatConnects(p.connects)}
                    </td>
                    <td data-label="Valid">
                      {formatDate(p.validFrom)} to {formatDate(p.validUntil)} (not included)
                    </td>
                    <td className="num" data-label="Redeemed">
                      {p.redeemed === undefined ? '' : `${formatConnects(p.redeemed)} of `}
                      {formatConnects(p.maxRedemptions)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Panel>
      )}
    </>
  );
}

/** Whether a code can be redeemed now, and if not, why. */
export function promoStatus(
  promo: PromoCode,
  now: number,
): 'active' | 'not yet valid' | 'expired' | 'used up' {
  if (promo.redeemed !== undefined && promo.redeemed >= promo.maxRedemptions) return 'used up';
  if (now < Date.parse(promo.validFrom)) return 'not yet valid';
  if (now >= Date.parse(promo.validUntil)) return 'expired';
  return 'active';
}

function PromoStatus({ promo, now }: { promo: PromoCode; now: number | undefined }) {
  if (now === undefined) return null;
  const status = promoStatus(promo, now);
  return <span className={`tag${status === 'active' ? ' tag-grant' : ' tag-warn'}`}>{status}</span>;
}
