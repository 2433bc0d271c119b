import { useId, useState, type FormEvent } from 'react';
import type { IssuedOperatorKey, Operator, OperatorKeyInfo, Role } from '../api/types.ts';
import { ActionNotice, Loaded } from '../components/Notice.tsx';
import { Panel } from '../components/Panel.tsx';
import { formatDate, formatDateTime } from '../format.ts';
import { useAction, useApp, usePolicy, useResource } from '../hooks.ts';
import { roleNames, roleSummary } from './roles.ts';

const ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/**
 * An expiry typed as a date (the key stops working at the start of that UTC
 * day), or empty for a key that never expires. Undefined: not a valid date.
 */
export function parseExpiry(text: string, now: number): { expiresAt?: string } | undefined {
  const t = text.trim();
  if (t === '') return {};
  if (!DATE_PATTERN.test(t)) return undefined;
  const at = Date.parse(`${t}T00:00:00Z`);
  if (Number.isNaN(at) || new Date(at).toISOString().slice(0, 10) !== t || at <= now) return undefined;
  return { expiresAt: new Date(at).toISOString() };
}

/** Operators and their keys (owner only): create one with a role, issue and revoke keys. */
export function OperatorsPage() {
  const { api } = useApp();
  const operators = useResource('operators', () => api.operators());
  const [issued, setIssued] = useState<IssuedOperatorKey | null>(null);
  return (
    <>
      <h1>Operators</h1>
      <p className="muted">
        Each operator signs in with its own key and acts with its role; its writes are recorded under its id
        in the audit trail. The admin token stays the bootstrap owner.
      </p>
      {issued === null ? null : <NewKey issued={issued} onDismiss={() => setIssued(null)} />}
      <CreateOperatorPanel onIssued={setIssued} />
      <Panel title="Operators and their keys">
        <Loaded resource={operators} what="the operators">
          {({ operators: list }) =>
            list.length === 0 ? (
              <p className="muted">No operators yet: only the admin token works.</p>
            ) : (
              <OperatorTable operators={list} onIssued={setIssued} />
            )
          }
        </Loaded>
      </Panel>
    </>
  );
}

function CreateOperatorPanel({ onIssued }: { onIssued: (key: IssuedOperatorKey) => void }) {
  const { api } = useApp();
  const action = useAction('operator');
  // The service's time (a manual clock may be far from this device's).
  const policy = usePolicy();
  const ids = { id: useId(), role: useId(), expiry: useId() };
  const [id, setId] = useState('');
  const [role, setRole] = useState<Role>('support');
  const [expiry, setExpiry] = useState('');
  const onSubmit = (event: FormEvent): void => {
    event.preventDefault();
    const trimmed = id.trim();
    if (!ID_PATTERN.test(trimmed) || trimmed === 'admin') {
      action.fail('An operator id is 1 to 64 letters, digits or _ . - (and not "admin").');
      return;
    }
    const now = policy.data === undefined ? Date.now() : Date.parse(policy.data.now);
    const expires = parseExpiry(expiry, now);
    if (expires === undefined) {
      action.fail('Enter the expiry as a future date like 2031-12-31 (UTC), or leave it empty.');
      return;
    }
    void action
      .run(async () => {
        const key = await api.createOperator(trimmed, role, expires.expiresAt);
        onIssued(key);
        return `Created ${key.id} (${key.role}) with key ${key.keyId}${
          key.expiresAt === null ? '' : `, valid until ${formatDate(key.expiresAt)}`
        }.`;
      })
      .then((ok) => {
        if (ok) {
          setId('');
          setExpiry('');
        }
      });
  };
  return (
    <Panel title="Create an operator">
      <form className="form grid-form" onSubmit={onSubmit} noValidate>
        <div className="field">
          <label htmlFor={ids.id}>Operator id</label>
          <input
            id={ids.id}
            value={id}
            spellCheck={false}
            autoComplete="off"
            placeholder="sam-support"
            onChange={(e) => {
              setId(e.target.value);
              action.clear();
            }}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.role}>Role</label>
          <select
            id={ids.role}
            value={role}
            aria-describedby={`${ids.role}-hint`}
            onChange={(e) => {
              setRole(roleNames.find((r) => r === e.target.value) ?? 'support');
              action.clear();
            }}
          >
            {roleNames.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.expiry}>Key expires on (optional, UTC)</label>
          <input
            id={ids.expiry}
            value={expiry}
            placeholder="YYYY-MM-DD"
            inputMode="numeric"
            onChange={(e) => {
              setExpiry(e.target.value);
              action.clear();
            }}
          />
        </div>
        <div className="field">
          <button type="submit" className="button" disabled={action.busy}>
            Create and issue a key
          </button>
        </div>
      </form>
      <p id={`${ids.role}-hint`} className="hint">
        A {role} operator: {roleSummary[role]}.
      </p>
      <ActionNotice state={action.state} />
    </Panel>
  );
}

/** A key shown once: copy it now, it will not be shown again. */
function NewKey({ issued, onDismiss }: { issued: IssuedOperatorKey; onDismiss: () => void }) {
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const copy = (): void => {
    navigator.clipboard.writeText(issued.key).then(
      () => setCopied('yes'),
      () => setCopied('no'),
    );
  };
  return (
    <section className="panel panel-key" aria-label="New key">
      <h2>
        New key for {issued.id} ({issued.role})
      </h2>
      <div className="new-token">
        <code className="token" data-testid="issued-key">
          {issued.key}
        </code>
        <p className="hint" role="status">
          {copied === 'yes'
            ? 'Copied. '
            : copied === 'no'
              ? 'Copying is not allowed here: select the key and copy it. '
              : ''}
          This key will not be shown again: copy it now and hand it to {issued.id}. Only its hash is kept.
        </p>
        <div className="row">
          <button type="button" className="button-quiet" onClick={copy}>
            Copy key
          </button>
          <button type="button" className="link-button" onClick={onDismiss}>
            I have copied it
          </button>
        </div>
      </div>
    </section>
  );
}

function keyStatus(k: OperatorKeyInfo): { text: string; warn: boolean } {
  if (k.revokedAt !== null) return { text: `revoked ${formatDateTime(k.revokedAt)}`, warn: true };
  if (!k.active) return { text: 'expired', warn: true };
  return { text: 'active', warn: false };
}

function OperatorTable({
  operators,
  onIssued,
}: {
  operators: readonly Operator[];
  onIssued: (key: IssuedOperatorKey) => void;
}) {
  const { api } = useApp();
  const action = useAction('operator');
  const [confirming, setConfirming] = useState<string | null>(null);
  const issue = (o: Operator): void => {
    void action.run(async () => {
      const key = await api.issueOperatorKey(o.id);
      onIssued(key);
      return `Issued key ${key.keyId} to ${o.id}.`;
    });
  };
  const revoke = (o: Operator, k: OperatorKeyInfo): void => {
    void action.run(async () => {
      await api.revokeOperatorKey(o.id, k.keyId);
      setConfirming(null);
      return `Revoked key ${k.keyId} of ${o.id}: it is refused from the next request on.`;
    });
  };
  return (
    <>
      <ActionNotice state={action.state} />
      <div className="table-wrap">
        <table className="table table-stack" data-testid="operators">
          <thead>
            <tr>
              <th scope="col">Operator</th>
              <th scope="col">Role</th>
              <th scope="col">Created</th>
              <th scope="col">Keys</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {operators.map((o) => (
              <tr key={o.id} data-operator={o.id}>
                <td data-label="Operator">
                  <strong>{o.id}</strong>
                </td>
                <td data-label="Role">
                  <span className="tag">{o.role}</span>
                </td>
                <td data-label="Created">
                  {formatDate(o.createdAt)} by {o.createdBy}
                </td>
                <td data-label="Keys">
                  <ul className="plain key-list">
                    {o.keys.map((k) => {
                      const status = keyStatus(k);
                      const confirmId = `${o.id}/${k.keyId}`;
                      return (
                        <li key={k.keyId}>
                          <code>{k.keyId}</code>{' '}
                          <span className={`tag${status.warn ? ' tag-warn' : ''}`}>{status.text}</span>
                          <span className="muted">
                            {' '}
                            issued {formatDate(k.createdAt)}
                            {k.expiresAt === null
                              ? ', never expires'
                              : `, expires ${formatDate(k.expiresAt)}`}
                          </span>{' '}
                          {!k.active ? null : confirming === confirmId ? (
                            <span className="row">
                              <button
                                type="button"
                                className="button button-danger"
                                onClick={() => revoke(o, k)}
                                disabled={action.busy}
                              >
                                Confirm revoking {k.keyId}
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
                              className="link-button"
                              onClick={() => setConfirming(confirmId)}
                              aria-label={`Revoke key ${k.keyId} of ${o.id}`}
                            >
                              Revoke…
                            </button>
                          )}
                        </li>
                      );
                    })}
                  </ul>
                </td>
                <td data-label="Action">
                  <button
                    type="button"
                    className="button-quiet"
                    onClick={() => issue(o)}
                    disabled={action.busy}
                    aria-label={`Issue another key to ${o.id}`}
                  >
                    Issue another key
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
