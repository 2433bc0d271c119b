import { useId, useState, type FormEvent } from 'react';
import { ApiError, newId } from '../api/http.ts';
import { ActionNotice, LoadError, Loading } from '../components/Notice.tsx';
import { Panel } from '../components/Panel.tsx';
import { connectsLabel, formatCents, formatDate } from '../format.ts';
import { PurchasesPanel } from './PurchasesPanel.tsx';
import { parseWhole } from '../format.ts';
import { useAction, useApp, usePolicy } from '../hooks.ts';
import { WalletSummary } from './WalletSummary.tsx';

/** The built-in test payment provider's cards (issue 5). */
export const testCards = [
  { number: '4242424242424242', outcome: 'succeeds' },
  { number: '4000000000000002', outcome: 'is declined' },
  { number: '4000000000009995', outcome: 'fails temporarily (try again)' },
] as const;

const spaced = (card: string): string => card.replace(/(\d{4})(?=\d)/g, '$1 ');

export function BuyPage({ freelancerId }: { freelancerId: string }) {
  return (
    <>
      <h1>Buy Connects and redeem codes</h1>
      <WalletSummary freelancerId={freelancerId} />
      <div className="columns">
        <BuyPanel freelancerId={freelancerId} />
        <PromoPanel freelancerId={freelancerId} />
      </div>
      <PurchasesPanel freelancerId={freelancerId} />
    </>
  );
}

function BuyPanel({ freelancerId }: { freelancerId: string }) {
  const { api } = useApp();
  const policy = usePolicy();
  const amountId = useId();
  const cardId = useId();
  const [choice, setChoice] = useState<string>('');
  const [custom, setCustom] = useState('');
  const [card, setCard] = useState(spaced(testCards[0].number));
  // Kept across a retry after a network failure, so the retry cannot buy twice.
  const [pendingId, setPendingId] = useState<string | null>(null);
  const action = useAction();

  if (policy.error !== undefined) return <LoadError error={policy.error} retry={policy.reload} />;
  if (policy.data === undefined) return <Loading what="prices" />;
  const { purchase } = policy.data.current;
  const bundles = purchase.bundles;
  const selected = choice === '' ? (bundles[0] !== undefined ? String(bundles[0]) : 'custom') : choice;
  const amount =
    selected === 'custom' ? parseWhole(custom, purchase.minConnects, purchase.maxConnects) : Number(selected);
  const price = amount === undefined ? undefined : amount * purchase.unitPriceCents;

  const onSubmit = (event: FormEvent): void => {
    event.preventDefault();
    if (amount === undefined) {
      action.fail(
        `Enter a whole number of Connects from ${purchase.minConnects} to ${purchase.maxConnects}.`,
      );
      return;
    }
    const cardNumber = card.replace(/[\s-]/g, '');
    if (!/^\d{12,19}$/.test(cardNumber)) {
      action.fail('Enter a card number of 12 to 19 digits.');
      return;
    }
    const purchaseId = pendingId ?? newId('pur');
    setPendingId(purchaseId);
    void action.run(async () => {
      let bought;
      try {
        bought = await api.buy(freelancerId, purchaseId, amount, cardNumber);
      } catch (e) {
        if (!(e instanceof ApiError && e.code === 'network')) setPendingId(null);
        throw e;
      }
      setPendingId(null);
      const expiry = bought.expiresAt === null ? '' : ` They expire on ${formatDate(bought.expiresAt)}.`;
      return `Bought ${connectsLabel(bought.connects)} for ${formatCents(bought.totalCents)}.${expiry}`;
    });
  };

  return (
    <Panel title="Buy Connects">
      <form className="form" onSubmit={onSubmit} noValidate>
        <fieldset>
          <legend>How many Connects?</legend>
          <div className="choices">
            {bundles.map((b) => (
              <label key={b} className="choice">
                <input
                  type="radio"
                  name="bundle"
                  value={String(b)}
                  checked={selected === String(b)}
                  onChange={() => {
                    setChoice(String(b));
                    action.clear();
                  }}
                />
                <span className="choice-main">{connectsLabel(b)}</span>
                <span className="choice-sub">{formatCents(b * purchase.unitPriceCents)}</span>
              </label>
            ))}
            <label className="choice">
              <input
                type="radio"
                name="bundle"
                value="custom"
                checked={selected === 'custom'}
                onChange={() => {
                  setChoice('custom');
                  action.clear();
                }}
              />
              <span className="choice-main">Other amount</span>
            </label>
          </div>
        </fieldset>
        {selected === 'custom' ? (
          <div className="field">
            <label htmlFor={amountId}>Connects to buy</label>
            <input
              id={amountId}
              inputMode="numeric"
              value={custom}
              onChange={(e) => {
                setCustom(e.target.value);
                action.clear();
              }}
              aria-describedby={`${amountId}-hint`}
            />
            <p id={`${amountId}-hint`} className="hint">
              A whole number from {purchase.minConnects} to {purchase.maxConnects}, at{' '}
              {formatCents(purchase.unitPriceCents)} each.
            </p>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor={cardId}>Card number</label>
          <input
            id={cardId}
            inputMode="numeric"
            autoComplete="cc-number"
            value={card}
            onChange={(e) => {
              setCard(e.target.value);
              action.clear();
            }}
            aria-describedby={`${cardId}-cards`}
          />
          <div id={`${cardId}-cards`} className="hint">
            Test cards:
            <ul className="test-cards">
              {testCards.map((c) => (
                <li key={c.number}>
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => {
                      setCard(spaced(c.number));
                      action.clear();
                    }}
                  >
                    {spaced(c.number)}
                  </button>{' '}
                  {c.outcome}
                </li>
              ))}
            </ul>
          </div>
        </div>
        <p className="total" aria-live="polite">
          Total: <strong data-testid="price">{price === undefined ? '—' : formatCents(price)}</strong>
          {amount === undefined ? null : ` for ${connectsLabel(amount)}`}
        </p>
        <button type="submit" className="button" disabled={action.busy}>
          {action.busy ? 'Paying…' : price === undefined ? 'Buy' : `Pay ${formatCents(price)}`}
        </button>
        <ActionNotice state={action.state} />
      </form>
    </Panel>
  );
}

function PromoPanel({ freelancerId }: { freelancerId: string }) {
  const { api } = useApp();
  const codeId = useId();
  const [code, setCode] = useState('');
  const action = useAction();
  const onSubmit = (event: FormEvent): void => {
    event.preventDefault();
    const trimmed = code.trim();
    if (trimmed === '') {
      action.fail('Enter a promo code.');
      return;
    }
    void action
      .run(async () => {
        const r = await api.redeem(freelancerId, trimmed);
        const truncated =
          r.credited < r.connects
            ? ` (${connectsLabel(r.connects)} offered; the rest was over your holding cap)`
            : '';
        return `Code ${r.code} redeemed: +${connectsLabel(r.credited)}${truncated}, expiring on ${formatDate(r.expiresAt)}.`;
      })
      .then((ok) => ok && setCode(''));
  };
  return (
    <Panel title="Redeem a promo code">
      <form className="form" onSubmit={onSubmit} noValidate>
        <div className="field">
          <label htmlFor={codeId}>Promo code</label>
          <input
            id={codeId}
            value={code}
            autoCapitalize="characters"
            spellCheck={false}
            onChange={(e) => {
              setCode(e.target.value);
              action.clear();
            }}
          />
        </div>
        <button type="submit" className="button" disabled={action.busy}>
          Redeem
        </button>
        <ActionNotice state={action.state} />
      </form>
    </Panel>
  );
}
