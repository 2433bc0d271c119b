import { useId, useState, type FormEvent } from 'react';
import { ActionNotice } from '../components/Notice.tsx';
import { Panel } from '../components/Panel.tsx';
import { useAction, useApp } from '../hooks.ts';
import { navigate } from '../router.tsx';
import { rememberAccount, type SignedIn } from '../session.ts';

const ID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;

/** Look up any freelancer; create (demo) freelancers and issue their tokens. */
export function FreelancersPage({ onSignIn }: { onSignIn: (session: SignedIn) => void }) {
  return (
    <>
      <h1>Freelancers</h1>
      <div className="columns">
        <LookupPanel />
        <CreatePanel onSignIn={onSignIn} />
      </div>
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
      await api.createFreelancer(id, name.trim() === '' ? undefined : name.trim());
      const issued = await api.issueToken(id);
      const session: SignedIn = {
        token: issued.token,
        baseUrl: '',
        kind: 'freelancer',
        freelancerId: id,
        label,
      };
      // Remembered so the sign-in screen offers it as a demo account.
      rememberAccount(session);
      setCreated((list) => [{ session }, ...list]);
      setFreelancerId('');
      setName('');
      return `Created ${label} with the signup grant, and issued a token.`;
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
              <code className="token" data-testid="issued-token">
                {session.token}
              </code>
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
