import { useState } from 'react';
import type { IssuedToken } from '../api/types.ts';
import { ActionNotice, Loaded } from '../components/Notice.tsx';
import { Panel } from '../components/Panel.tsx';
import { formatDateTime } from '../format.ts';
import { useAction, useApp, useResource } from '../hooks.ts';
import { NewToken } from './FreelancersPage.tsx';

/** A freelancer's API tokens: issue a new one (shown once), revoke one at once. */
export function TokensPanel({ freelancerId }: { freelancerId: string }) {
  const { api } = useApp();
  const tokens = useResource(`tokens:${freelancerId}`, () => api.tokens(freelancerId));
  const action = useAction('operator');
  const [issued, setIssued] = useState<IssuedToken | null>(null);
  const issue = (): void => {
    void action.run(async () => {
      const token = await api.issueToken(freelancerId);
      setIssued(token);
      return `Issued token ${token.tokenId}.`;
    });
  };
  const revoke = (tokenId: string): void => {
    void action.run(async () => {
      await api.revokeToken(freelancerId, tokenId);
      if (issued?.tokenId === tokenId) setIssued(null);
      return `Revoked token ${tokenId}: it stops working at once.`;
    });
  };
  return (
    <Panel title="API tokens">
      <button type="button" className="button" onClick={issue} disabled={action.busy}>
        Issue a new token
      </button>
      {issued === null ? null : <NewToken token={issued.token} />}
      <ActionNotice state={action.state} />
      <Loaded resource={tokens} what="the tokens">
        {({ tokens: list }) =>
          list.length === 0 ? (
            <p className="muted">No tokens yet.</p>
          ) : (
            <ul className="plain token-list" data-testid="tokens">
              {list.map((t) => (
                <li key={t.tokenId}>
                  <code>{t.tokenId}</code> issued {formatDateTime(t.createdAt)}
                  {t.revokedAt === null ? (
                    <button
                      type="button"
                      className="link-button"
                      onClick={() => revoke(t.tokenId)}
                      disabled={action.busy}
                      aria-label={`Revoke token ${t.tokenId}`}
                    >
                      Revoke
                    </button>
                  ) : (
                    <span className="tag tag-warn">revoked {formatDateTime(t.revokedAt)}</span>
                  )}
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
    </Panel>
  );
}
