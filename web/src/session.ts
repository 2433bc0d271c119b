import type { Connection } from './api/api.ts';
import type { Role } from './api/types.ts';

/**
 * The signed-in account and the accounts remembered on this device, in
 * localStorage. Tokens are bearer secrets: "Forget" removes them, and
 * signing out keeps nothing unless the person chose to remember it.
 */
export interface SignedIn extends Connection {
  readonly kind: 'admin' | 'freelancer';
  /** Set for freelancer sessions. */
  readonly freelancerId: string | null;
  readonly label: string;
  /** Operator sessions: what the console shows (the bootstrap admin token is an owner). */
  readonly role?: Role;
}

const ROLES: readonly string[] = ['owner', 'support', 'finance', 'marketplace'];

/** The role an operator session acts with; a session stored before roles existed was the admin token's. */
export function roleOf(session: SignedIn): Role {
  return session.role ?? 'owner';
}

const CURRENT = 'connects.session';
const SAVED = 'connects.accounts';
const MAX_SAVED = 20;

function read<T>(key: string, fallback: T): T {
  try {
    const text = window.localStorage.getItem(key);
    return text === null ? fallback : (JSON.parse(text) as T);
  } catch {
    return fallback;
  }
}

function write(key: string, value: unknown): void {
  try {
    if (value === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Private mode or a full quota: the session then lasts as long as the page.
  }
}

function isSignedIn(value: unknown): value is SignedIn {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.token === 'string' &&
    (v.kind === 'admin' || v.kind === 'freelancer') &&
    typeof v.label === 'string' &&
    (v.role === undefined || (typeof v.role === 'string' && ROLES.includes(v.role))) &&
    // An operator key (cop_) stored without its role cannot say what it may do: sign in again.
    !(v.kind === 'admin' && v.role === undefined && v.token.startsWith('cop_'))
  );
}

export function loadSession(): SignedIn | null {
  const value = read<unknown>(CURRENT, null);
  return isSignedIn(value) ? { ...value, baseUrl: '' } : null;
}

export function storeSession(session: SignedIn | null): void {
  write(CURRENT, session);
}

export function savedAccounts(): SignedIn[] {
  const list = read<unknown>(SAVED, []);
  return Array.isArray(list) ? list.filter(isSignedIn).map((s) => ({ ...s, baseUrl: '' })) : [];
}

export function rememberAccount(account: SignedIn): void {
  const others = savedAccounts().filter((a) => a.token !== account.token);
  write(SAVED, [account, ...others].slice(0, MAX_SAVED));
}

export function forgetAccount(token: string): void {
  write(
    SAVED,
    savedAccounts().filter((a) => a.token !== token),
  );
}
