import type { Purchase } from '../../app/purchases/purchase-rows.ts';
import { toIso } from '../../core/time.ts';
import { escapeHtml } from '../docs/page.ts';

/** Cents as dollars with two decimals: 1500 -> $15.00. Integers only, no floating point. */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}$${Math.trunc(abs / 100).toLocaleString('en-US')}.${String(abs % 100).padStart(2, '0')}`;
}

/** Basis points as a percentage: 1900 -> 19%, 725 -> 7.25%. */
export function formatRate(bp: number): string {
  const whole = Math.trunc(bp / 100);
  const part = bp % 100;
  return part === 0 ? `${whole}%` : `${whole}.${String(part).padStart(2, '0').replace(/0$/, '')}%`;
}

const STYLE = `
body{font:15px/1.45 system-ui,sans-serif;color:#111;max-width:40rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.4rem;margin:0 0 .25rem}p.sub{color:#555;margin:0 0 1.5rem}
table{border-collapse:collapse;width:100%}th,td{padding:.4rem .2rem;border-bottom:1px solid #ddd;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}tr.total td{font-weight:600;border-top:2px solid #111}
.note{margin-top:1.5rem;color:#555;font-size:.9rem}.refund{color:#a00}
@media print{body{margin:0}}`;

/**
 * A receipt a freelancer can print: who sold, what, at what unit price, the
 * tax and the total charged, when, and the purchase id. Every value that
 * came from outside (the configured name, ids) is HTML-escaped.
 */
export function renderReceipt(marketplaceName: string, p: Purchase): string {
  const e = escapeHtml;
  const date = toIso(p.createdAt).slice(0, 10);
  const tax =
    p.taxJurisdiction === null ? 'Tax' : `Tax (${e(p.taxJurisdiction)}, ${formatRate(p.taxRateBp)})`;
  const refund =
    p.refund === null
      ? ''
      : `<p class="note refund">Refunded${p.refund.refundedAt === null ? ' (pending)' : ` on ${toIso(p.refund.refundedAt).slice(0, 10)}`}: ${p.refund.clawedBackConnects} unspent Connects were removed. Reason: ${e(p.refund.reason)}.</p>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Receipt ${e(p.purchaseId)} - ${e(marketplaceName)}</title><style>${STYLE}</style></head>
<body><main>
<h1>${e(marketplaceName)}</h1>
<p class="sub">Receipt for a purchase of Connects</p>
<table aria-label="Purchase">
<tr><th scope="row">Purchase id</th><td>${e(p.purchaseId)}</td></tr>
<tr><th scope="row">Date</th><td><time datetime="${toIso(p.createdAt)}">${date}</time> (UTC)</td></tr>
<tr><th scope="row">Freelancer</th><td>${e(p.freelancerId)}</td></tr>
<tr><th scope="row">Paid with</th><td>Card ending ${e(p.cardLast4)}</td></tr>
</table>
<h2>Charges</h2>
<table aria-label="Charges">
<tr><td>${p.connects} Connects &times; ${formatCents(p.unitPriceCents)}</td><td class="n">${formatCents(p.priceCents)}</td></tr>
<tr><td>${tax}</td><td class="n">${formatCents(p.taxCents)}</td></tr>
<tr class="total"><td>Total charged (${e(p.currency)})</td><td class="n">${formatCents(p.totalCents)}</td></tr>
</table>
${refund}
<p class="note">Connects are used to apply for jobs on ${e(marketplaceName)}; they are not money and cannot be transferred.</p>
</main></body></html>
`;
}
