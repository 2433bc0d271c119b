import { useId, useState, type FormEvent } from 'react';
import { ApiError } from '../../api/http.ts';
import { describeError } from '../../api/messages.ts';
import type { PolicyApi, PolicyRecord } from '../../api/policy-api.ts';
import { Panel } from '../../components/Panel.tsx';
import { formatDateTime } from '../../format.ts';
import { useApp } from '../../hooks.ts';
import { parseInstantText, type Problem } from './policy-form.ts';

const MAX_NOTE = 500;

/**
 * Scheduling the candidate, with a confirm step: when it takes effect (after
 * the service's time), a note saying why, and what it changes. A scheduled
 * policy with the same id is replaced (PUT); anything else is a new policy
 * (POST). The server's refusals go back to the form's fields.
 */
export function SchedulePanel({
  policyApi,
  prepare,
  effectiveFrom,
  setEffectiveFrom,
  name,
  policyId,
  replaces,
  now,
  changes,
  onProblems,
  simulated,
}: {
  policyApi: PolicyApi;
  prepare: () => unknown;
  effectiveFrom: string;
  setEffectiveFrom: (text: string) => void;
  name: string;
  policyId: string;
  /** A scheduled policy with this id exists: scheduling replaces it. */
  replaces: boolean;
  now: string;
  changes: readonly string[];
  onProblems: (problems: Problem[]) => void;
  simulated: boolean;
}) {
  const id = useId();
  const { changed } = useApp();
  const [confirming, setConfirming] = useState(false);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; message: string } | null>(null);
  const instant = parseInstantText(effectiveFrom);
  const inFuture = instant !== undefined && Date.parse(instant) >= Date.parse(now);
  const whenProblem =
    instant === undefined
      ? 'Write a date (YYYY-MM-DD) or YYYY-MM-DDTHH:MM, in UTC.'
      : inFuture
        ? undefined
        : `Must be at or after the service’s time, ${formatDateTime(now)}.`;

  const onSubmit = (event: FormEvent): void => {
    event.preventDefault();
    if (whenProblem !== undefined || note.length > MAX_NOTE) return;
    const policy = prepare();
    if (policy === null) {
      setOutcome({ ok: false, message: 'The form has values that cannot be read: see the fields marked.' });
      return;
    }
    setBusy(true);
    setOutcome(null);
    policyApi.schedule(policy, note.trim() === '' ? null : note.trim(), replaces).then(
      (record: PolicyRecord) => {
        setBusy(false);
        setConfirming(false);
        setNote('');
        setOutcome({
          ok: true,
          message: `${replaces ? 'Replaced' : 'Scheduled'} ${record.name} (${record.id}): it takes effect on ${formatDateTime(record.effectiveFrom)}. It is on the timeline above and can be withdrawn until then.`,
        });
        changed();
      },
      (error: unknown) => {
        setBusy(false);
        const issues = error instanceof ApiError ? error.details['issues'] : undefined;
        if (Array.isArray(issues) && issues.length > 0) {
          onProblems(
            (issues as Problem[]).map((i) => ({ path: String(i.path), message: String(i.message) })),
          );
          setOutcome({ ok: false, message: 'The policy was refused: see the fields marked in the form.' });
        } else setOutcome({ ok: false, message: describeError(error, 'operator') });
      },
    );
  };

  return (
    <Panel title="Schedule">
      {!confirming ? (
        <>
          <p>
            {simulated
              ? 'When the comparison looks right, schedule the candidate. It takes effect at its date; until then it can be replaced or withdrawn.'
              : 'Run a simulation first to see what the candidate would do; you can schedule it either way.'}
          </p>
          <button type="button" className="button" onClick={() => setConfirming(true)}>
            Schedule this candidate…
          </button>
        </>
      ) : (
        <form className="form confirm" onSubmit={onSubmit} noValidate aria-label="Confirm the schedule">
          <p>
            {replaces ? 'Replace the scheduled policy' : 'Schedule'} <strong>{name}</strong> ({policyId}):{' '}
            {changes.length === 0
              ? 'it has the same values as the policy in force.'
              : `it changes ${changes.length} ${changes.length === 1 ? 'field' : 'fields'} (${changes.join(', ')}).`}
          </p>
          <div className="field">
            <label htmlFor={`${id}-when`}>Takes effect (UTC)</label>
            <input
              id={`${id}-when`}
              value={effectiveFrom}
              aria-invalid={whenProblem === undefined ? undefined : true}
              aria-describedby={`${id}-when-help`}
              onChange={(e) => setEffectiveFrom(e.target.value)}
            />
            <p id={`${id}-when-help`} className={whenProblem === undefined ? 'hint' : 'field-problem'}>
              {whenProblem ??
                (instant === undefined
                  ? ''
                  : `${formatDateTime(instant)}; the service’s time is ${formatDateTime(now)}.`)}
            </p>
          </div>
          <div className="field field-wide">
            <label htmlFor={`${id}-note`}>Note (why; kept with the policy)</label>
            <textarea
              id={`${id}-note`}
              rows={2}
              maxLength={MAX_NOTE}
              value={note}
              onChange={(e) => setNote(e.target.value)}
            />
          </div>
          <div className="field-actions">
            <button type="submit" className="button" disabled={busy || whenProblem !== undefined}>
              {replaces ? 'Replace the scheduled policy' : 'Schedule the policy'}
            </button>
            <button
              type="button"
              className="button-quiet"
              onClick={() => setConfirming(false)}
              disabled={busy}
            >
              Back
            </button>
          </div>
        </form>
      )}
      <div className="notice-slot">
        <p role="status" className={outcome?.ok === true ? 'notice notice-ok' : 'visually-hidden'}>
          {outcome?.ok === true ? outcome.message : busy ? 'Working…' : ''}
        </p>
        {outcome?.ok === false ? (
          <p role="alert" className="notice notice-error">
            {outcome.message}
          </p>
        ) : null}
      </div>
    </Panel>
  );
}
