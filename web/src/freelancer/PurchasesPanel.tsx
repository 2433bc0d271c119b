import { useState } from 'react';
import type { Purchase } from '../api/types.ts';
import { ActionNotice, Loaded } from '../components/Notice.tsx';
import { Panel } from '../components/Panel.tsx';
import { connectsLabel, formatCents, formatDate, formatDateTime } from '../format.ts';
import { useAction, useApp, useResource } from '../hooks.ts';
import { openReceipt } from './receipt.ts';

const statusText: Record<Purchase['status'], string> = {
  succeeded: 'paid',
  declined: 'declined',
  refunding: 'refund pending',
  refunded: 'refunded',
};

/**
 * A freelancer's purchases, newest first, each paid one with its printable
 * receipt; an owner can refund a paid one (a chargeback).
 */
export function PurchasesPanel({
  freelancerId,
  operator = false,
  refunds = operator,
}: {
  freelancerId: string;
  operator?: boolean;
  /** Whether the Refund action shows (owners only). */
  refunds?: boolean;
}) {
  const { api } = useApp();
  const receipt = useAction(operator ? 'operator' : 'freelancer');
  const showReceipt = (p: Purchase): void => {
    // The window opens now, in the click, so no popup blocker stops it; the receipt fills it when it arrives.
    const target = window.open('', '_blank');
    void receipt.run(async () => {
      try {
        const html = await api.receiptHtml(freelancerId, p.purchaseId);
        openReceipt(target, html);
      } catch (error) {
        target?.close();
        throw error;
      }
      return `The receipt for purchase ${p.purchaseId} opened in a new window; print it from there.`;
    });
  };
  const purchases = useResource(`purchases:${freelancerId}`, () => api.purchases(freelancerId));
  const action = useAction('operator');
  const [confirming, setConfirming] = useState<string | null>(null);
  const refund = (p: Purchase): void => {
    void action.run(async () => {
      const r = await api.refundPurchase(freelancerId, p.purchaseId, 'Refunded by the operator');
      setConfirming(null);
      const removed = r.refund?.clawedBackConnects ?? 0;
      return `Refunded ${formatCents(p.totalCents)} for ${connectsLabel(p.connects)}; ${connectsLabel(removed)} still unspent were removed.`;
    });
  };
  return (
    <Panel title={operator ? 'Purchases' : 'Your purchases'}>
      <ActionNotice state={action.state} />
      <ActionNotice state={receipt.state} />
      <Loaded resource={purchases} what="the purchases">
        {({ purchases: list }) =>
          list.length === 0 ? (
            <p className="muted">No purchases yet.</p>
          ) : (
            <div className="table-wrap">
              <table className="table table-stack" data-testid="purchases">
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Connects</th>
                    <th scope="col" className="num">
                      Paid
                    </th>
                    <th scope="col">Status</th>
                    <th scope="col">{refunds ? 'Receipt and refund' : 'Receipt'}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((p) => (
                    <tr key={p.purchaseId}>
                      <td data-label="When">{formatDateTime(p.createdAt)}</td>
                      <td data-label="Connects">
                        {connectsLabel(p.connects)}
                        {p.expiresAt === null || p.status !== 'succeeded'
                          ? ''
                          : `, expire ${formatDate(p.expiresAt)}`}
                      </td>
                      <td className="num" data-label="Paid">
                        {p.status === 'declined' ? '—' : formatCents(p.totalCents)} (card …{p.cardLast4})
                      </td>
                      <td data-label="Status">
                        <span className={`tag${p.status === 'succeeded' ? '' : ' tag-warn'}`}>
                          {statusText[p.status]}
                        </span>
                      </td>
                      <td data-label={refunds ? 'Receipt and refund' : 'Receipt'} className="what">
                        {p.status === 'declined' ? null : (
                          <button
                            type="button"
                            className="link-button"
                            onClick={() => showReceipt(p)}
                            disabled={receipt.busy}
                            aria-label={`Receipt for purchase ${p.purchaseId}`}
                          >
                            Receipt
                          </button>
                        )}{' '}
                        {!refunds || p.status !== 'succeeded' ? null : confirming === p.purchaseId ? (
                          <span className="row">
                            <button
                              type="button"
                              className="button button-danger"
                              onClick={() => refund(p)}
                              disabled={action.busy}
                            >
                              Confirm refund
                            </button>
                            <button
                              type="button"
                              className="button-quiet"
                              onClick={() => setConfirming(null)}
                            >
                              Keep
                            </button>
                          </span>
                        ) : (
                          <button
                            type="button"
                            className="button-quiet"
                            onClick={() => setConfirming(p.purchaseId)}
                          >
                            Refund…
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Loaded>
    </Panel>
  );
}
