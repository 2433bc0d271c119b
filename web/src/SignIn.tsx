import { useEffect, useId, useState, type FormEvent } from 'react';
import { createApi } from './api/api.ts';
import { ApiError } from './api/http.ts';
import { describeError } from './api/messages.ts';
import { forgetAccount, rememberAccount, savedAccounts, type SignedIn } from './session.ts';

/**
 * Paste a token (admin or freelancer); the server says whose it is
 * (GET /v1/session). Accounts can be remembered on this device.
 */
export function SignIn({
  onSignIn,
  notice,
}: {
  onSignIn: (session: SignedIn) => void;
  notice: string | null;
}) {
  const tokenId = useId();
  const [token, setToken] = useState('');
  const [remember, setRemember] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(savedAccounts);

  useEffect(() => {
    document.title = 'Sign in · Connects';
  }, []);

  async function resolve(secret: string): Promise<SignedIn> {
    const api = createApi({ token: secret, baseUrl: '' });
    const who = await api.session();
    if (who.kind === 'admin')
      return {
        token: secret,
        baseUrl: '',
        kind: 'admin',
        freelancerId: null,
        label: 'Operator',
        role: 'owner',
      };
    // An operator key opens the operator console; the server refuses what its role may not do.
    if (who.kind === 'operator')
      return {
        token: secret,
        baseUrl: '',
        kind: 'admin',
        freelancerId: null,
        label: `${who.operatorId} (${who.role})`,
        role: who.role,
      };
    const profile = await api.freelancer(who.freelancerId);
    const label = profile.name ? `${profile.name} (${profile.id})` : profile.id;
    return { token: secret, baseUrl: '', kind: 'freelancer', freelancerId: profile.id, label };
  }

  async function signIn(secret: string, keep: boolean): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      const session = await resolve(secret.trim());
      if (keep) rememberAccount(session);
      onSignIn(session);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'unauthorized') {
        setError('That token is not valid: it is unknown, revoked or mistyped.');
        // A remembered token that stopped working is of no use on this device.
        forgetAccount(secret.trim());
        setSaved(savedAccounts());
      } else setError(describeError(e));
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
    void signIn(token, remember);
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
        {notice === null ? null : (
          <p role="alert" className="notice notice-warn" data-testid="session-ended">
            {notice}
          </p>
        )}
        <p className="muted">
          Sign in with an API token: a freelancer token for the wallet, an operator key (cop_…) or the admin
          token for the operator console.
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
          title="Remembered on this device"
          accounts={saved.map((s) => ({
            key: s.token,
            label: s.label,
            kind: s.kind,
            token: s.token,
            id: s.freelancerId ?? '',
          }))}
          busy={busy}
          onPick={(a) => void signIn(a.token, false)}
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
