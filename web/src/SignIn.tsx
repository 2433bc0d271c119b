import { useEffect, useId, useState, type FormEvent } from 'react';
import { createApi, demoAccounts } from './api/api.ts';
import { ApiError } from './api/http.ts';
import { describeError } from './api/messages.ts';
import type { DemoAccount } from './api/types.ts';
import { forgetAccount, rememberAccount, savedAccounts, type SignedIn } from './session.ts';

/**
 * Paste a token (admin or freelancer). The server says whose it is; an
 * older server that cannot say is asked through the freelancer id field.
 * Accounts can be remembered on this device, and a dev server's demo
 * accounts are offered as one-click sign-ins.
 */
export function SignIn({ onSignIn }: { onSignIn: (session: SignedIn) => void }) {
  const tokenId = useId();
  const idId = useId();
  const [token, setToken] = useState('');
  const [freelancerId, setFreelancerId] = useState('');
  const [needId, setNeedId] = useState(false);
  const [remember, setRemember] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(savedAccounts);
  const [demos, setDemos] = useState<DemoAccount[]>([]);

  useEffect(() => {
    void demoAccounts('').then(setDemos);
  }, []);

  async function resolve(secret: string, id: string): Promise<SignedIn> {
    const api = createApi({ token: secret, baseUrl: '' });
    const who = await api.whoami();
    if (who.kind === 'admin')
      return { token: secret, baseUrl: '', kind: 'admin', freelancerId: null, label: 'Operator' };
    const owner = who.freelancerId ?? id;
    if (owner === '') {
      setNeedId(true);
      throw new Error('This is a freelancer token: enter the freelancer id it belongs to.');
    }
    const profile = await api.freelancer(owner);
    const label = profile.name ? `${profile.name} (${profile.id})` : profile.id;
    return { token: secret, baseUrl: '', kind: 'freelancer', freelancerId: profile.id, label };
  }

  async function signIn(secret: string, id: string, keep: boolean): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      const session = await resolve(secret.trim(), id.trim());
      if (keep) rememberAccount(session);
      onSignIn(session);
    } catch (e) {
      setError(
        e instanceof ApiError && e.code === 'unauthorized'
          ? 'That token is not valid: it is unknown, revoked or mistyped.'
          : describeError(e),
      );
    } finally {
      setBusy(false);
    }
  }

  const onSubmit = (event: FormEvent): void => {
    event.preventDefault();
    if (token.trim() === '') {
      setError('Paste a token to sign in.');
      return;
    }
    void signIn(token, freelancerId, remember);
  };

  return (
    <main id="main" className="signin">
      <div className="signin-card">
        <h1>
          <span className="brand-mark" aria-hidden="true">
            C
          </span>{' '}
          Connects
        </h1>
        <p className="muted">
          Sign in with an API token: a freelancer token for the wallet, the admin token for the operator
          console.
        </p>
        <form onSubmit={onSubmit} className="form" noValidate>
          <label htmlFor={tokenId}>Token</label>
          <input
            id={tokenId}
            name="token"
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={token}
            onChange={(e) => setToken(e.target.value)}
            aria-describedby={error === null ? undefined : `${tokenId}-error`}
            aria-invalid={error !== null}
          />
          {needId ? (
            <>
              <label htmlFor={idId}>Freelancer id</label>
              <input
                id={idId}
                name="freelancerId"
                value={freelancerId}
                onChange={(e) => setFreelancerId(e.target.value)}
              />
            </>
          ) : null}
          <label className="check">
            <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} />{' '}
            Remember this account on this device
          </label>
          {error === null ? null : (
            <p role="alert" id={`${tokenId}-error`} className="notice notice-error">
              {error}
            </p>
          )}
          <button type="submit" className="button" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        <AccountList
          title="Demo accounts"
          accounts={demos.map((d) => ({
            key: d.token,
            label: d.label,
            kind: d.kind,
            token: d.token,
            id: d.freelancerId ?? '',
          }))}
          busy={busy}
          onPick={(a) => void signIn(a.token, a.id, true)}
        />
        <AccountList
          title="Remembered on this device"
          accounts={saved.map((s) => ({
            key: s.token,
            label: s.label,
            kind: s.kind,
            token: s.token,
            id: s.freelancerId ?? '',
          }))}
          busy={busy}
          onPick={(a) => void signIn(a.token, a.id, false)}
          onForget={(a) => {
            forgetAccount(a.token);
            setSaved(savedAccounts());
          }}
        />
      </div>
    </main>
  );
}

interface Pickable {
  key: string;
  label: string;
  kind: 'admin' | 'freelancer';
  token: string;
  id: string;
}

function AccountList({
  title,
  accounts,
  busy,
  onPick,
  onForget,
}: {
  title: string;
  accounts: Pickable[];
  busy: boolean;
  onPick: (a: Pickable) => void;
  onForget?: (a: Pickable) => void;
}) {
  if (accounts.length === 0) return null;
  return (
    <section className="accounts" aria-label={title}>
      <h2>{title}</h2>
      <ul>
        {accounts.map((a) => (
          <li key={a.key}>
            <button type="button" className="button-quiet account" disabled={busy} onClick={() => onPick(a)}>
              <span>{a.label}</span>
              <span className="tag">{a.kind === 'admin' ? 'operator' : 'freelancer'}</span>
            </button>
            {onForget === undefined ? null : (
              <button
                type="button"
                className="link-button"
                onClick={() => onForget(a)}
                aria-label={`Forget ${a.label}`}
              >
                Forget
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
