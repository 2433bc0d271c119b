import { useId, useState, type FormEvent } from 'react';
import { ActionNotice } from '../components/Notice.tsx';
import { Panel } from '../components/Panel.tsx';
import { LoadError } from '../components/Notice.tsx';
import { formatConnects, formatDate } from '../format.ts';
import { useAction, useApp, useResource } from '../hooks.ts';
import { Link, navigate } from '../router.tsx';
import { rememberAccount, type SignedIn } from '../session.ts';
import { useRole } from './RoleContext.tsx';
import { can } from './roles.ts';

const ID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;

/** Look up any freelancer; create (demo) freelancers and issue their tokens. */
export function FreelancersPage({ onSignIn }: { onSignIn: (session: SignedIn) => void }) {
  const role = useRole();
  return (
    <>
      <h1>Freelancers</h1>
      <div className="columns">
        <LookupPanel />
        {can(role, 'create-freelancer') ? <CreatePanel onSignIn={onSignIn} /> : null}
      </div>
      <DirectoryPanel />
    </>
  );
}

function LookupPanel() {
  const id = useId();
  const [freelancerId, setFreelancerId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const onSubmit = (event: FormEvent): void => {
    event.preventDefault();
    const trimmed = freelancerId.trim();
    if (!ID_PATTERN.test(trimmed)) {
      setError('A freelancer id is 1 to 64 letters, digits or _ . : -');
      return;
    }
    navigate(`/admin/freelancers/${encodeURIComponent(trimmed)}`);
  };
  return (
    <Panel title="Look up a freelancer">
      <form className="form" onSubmit={onSubmit} noValidate>
        <div className="field">
          <label htmlFor={id}>Freelancer id</label>
          <input
            id={id}
            value={freelancerId}
            onChange={(e) => setFreelancerId(e.target.value)}
            spellCheck={false}
          />
        </div>
        {error === null ? null : (
          <p role="alert" className="notice notice-error">
            {error}
          </p>
        )}
        <button type="submit" className="button">
          Look up
        </button>
      </form>
    </Panel>
  );
}

interface Created {
  readonly session: SignedIn;
}

function CreatePanel({ onSignIn }: { onSignIn: (session: SignedIn) => void }) {
  const { api } = useApp();
  const action = useAction();
  const idField = useId();
  const nameField = useId();
  const [freelancerId, setFreelancerId] = useState('');
  const [name, setName] = useState('');
  const [created, setCreated] = useState<Created[]>([]);

  const onSubmit = (event: FormEvent): void => {
    event.preventDefault();
    const id = freelancerId.trim();
    if (!ID_PATTERN.test(id)) {
      action.fail('A freelancer id is 1 to 64 letters, digits or _ . : -');
      return;
    }
    const label = name.trim() === '' ? id : `${name.trim()} (${id})`;
    void action.run(async () => {
      // Registering is idempotent by id, so ask first: an existing freelancer is not "created" again.
      const existing = (await api.freelancers(id)).freelancers.find((f) => f.id === id);
      if (existing === undefined)
        await api.createFreelancer(id, name.trim() === '' ? undefined : name.trim());
      const issued = await api.issueToken(id);
      const session: SignedIn = {
        token: issued.token,
        baseUrl: '',
        kind: 'freelancer',
        freelancerId: id,
        label: existing?.name ? `${existing.name} (${id})` : label,
      };
      // Remembered so the sign-in screen offers it as a demo account.
      rememberAccount(session);
      setCreated((list) => [{ session }, ...list]);
      setFreelancerId('');
      setName('');
      return existing === undefined
        ? `Created ${label} with the signup grant, and issued a token.`
        : `${existing.name ? `${existing.name} (${id})` : id} already exists, registered ${formatDate(existing.registeredAt)}: nothing was granted. Issued a new token.`;
    });
  };

  return (
    <Panel title="Create a freelancer">
      <form className="form" onSubmit={onSubmit} noValidate>
        <div className="field">
          <label htmlFor={idField}>Freelancer id</label>
          <input
            id={idField}
            value={freelancerId}
            onChange={(e) => setFreelancerId(e.target.value)}
            spellCheck={false}
          />
        </div>
        <div className="field">
          <label htmlFor={nameField}>Name (optional)</label>
          <input id={nameField} value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <button type="submit" className="button" disabled={action.busy}>
          Create and issue a token
        </button>
        <ActionNotice state={action.state} />
      </form>
      {created.length === 0 ? null : (
        <ul className="plain created" aria-label="Created in this session">
          {created.map(({ session }) => (
            <li key={session.token}>
              <span>{session.label}</span>
              <NewToken token={session.token} />
              <button type="button" className="button-quiet" onClick={() => onSignIn(session)}>
                Sign in as {session.freelancerId}
              </button>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}

/** Freelancers by id with their balances; the filter matches the start of the id. */
function DirectoryPanel() {
  const { api } = useApp();
  const filterId = useId();
  const [prefix, setPrefix] = useState('');
  const valid = prefix === '' || ID_PATTERN.test(prefix);
  const page = useResource(`freelancers:${valid ? prefix : ''}`, () => api.freelancers(valid ? prefix : ''));
  const list = page.data?.freelancers ?? [];
  return (
    <Panel title="All freelancers">
      <div className="field field-inline">
        <label htmlFor={filterId}>Ids starting with</label>
        <input
          id={filterId}
          value={prefix}
          spellCheck={false}
          onChange={(e) => setPrefix(e.target.value.trim())}
        />
      </div>
      {page.error !== undefined ? <LoadError error={page.error} retry={page.reload} /> : null}
      {list.length === 0 ? (
        page.error !== undefined ? null : (
          <p className="muted">
            {page.data === undefined ? 'Loading freelancers…' : 'No freelancers match.'}
          </p>
        )
      ) : (
        <div className="table-wrap">
          <table className="table table-stack" data-testid="freelancers">
            <thead>
              <tr>
                <th scope="col">Freelancer</th>
                <th scope="col">Plan</th>
                <th scope="col" className="num">
                  Balance
                </th>
                <th scope="col" className="num">
                  Available
                </th>
                <th scope="col" className="num">
                  Held
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((f) => (
                <tr key={f.id}>
                  <td data-label="Freelancer">
                    <Link to={`/admin/freelancers/${encodeURIComponent(f.id)}`}>
                      {f.name ? `${f.name} (${f.id})` : f.id}
                    </Link>
                  </td>
                  <td data-label="Plan">{f.plan === 'plus' ? 'Plus' : 'Basic'}</td>
                  <td className="num" data-label="Balance">
                    {formatConnects(f.balance)}
                  </td>
                  <td className="num" data-label="Available">
                    {formatConnects(f.available)}
                  </td>
                  <td className="num" data-label="Held">
                    {formatConnects(f.held)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {page.data?.nextCursor ? (
        <p className="muted">Showing the first {list.length}; narrow the filter to find others.</p>
      ) : null}
    </Panel>
  );
}

/** A token shown once: a copy button and the warning that it will not be shown again. */
export function NewToken({ token }: { token: string }) {
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const copy = (): void => {
    navigator.clipboard.writeText(token).then(
      () => setCopied('yes'),
      () => setCopied('no'),
    );
  };
  return (
    <div className="new-token">
      <code className="token" data-testid="issued-token">
        {token}
      </code>
      <button type="button" className="button-quiet" onClick={copy}>
        Copy token
      </button>
      <p className="hint" role="status">
        {copied === 'yes'
          ? 'Copied. '
          : copied === 'no'
            ? 'Copying is not allowed here: select the token and copy it. '
            : ''}
        This token will not be shown again: copy it now and hand it to the freelancer.
      </p>
    </div>
  );
}
