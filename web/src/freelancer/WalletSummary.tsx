import { formatConnects } from '../format.ts';
import { useApp, useResource } from '../hooks.ts';

/** One line of balance for pages where money changes hands; refreshes after every change. */
export function WalletSummary({ freelancerId }: { freelancerId: string }) {
  const { api } = useApp();
  const balance = useResource(`balance:${freelancerId}`, () => api.balance(freelancerId));
  if (balance.data === undefined) return null;
  const b = balance.data;
  return (
    <p className="summary" data-testid="summary">
      <span>
        Available <strong data-testid="available">{formatConnects(b.available)}</strong>
      </span>
      <span>
        Balance <strong>{formatConnects(b.balance)}</strong>
      </span>
      {b.held > 0 ? (
        <span>
          Held <strong>{formatConnects(b.held)}</strong>
        </span>
      ) : null}
    </p>
  );
}
