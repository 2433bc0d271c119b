import type { ActionState } from '../hooks.ts';
import { describeError } from '../api/messages.ts';

/**
 * The outcome of a form, announced to screen readers: a polite status for
 * success, an alert for failure. Always rendered, so the live region exists
 * before its text changes (late-mounted live regions are often not read).
 */
export function ActionNotice({ state }: { state: ActionState }) {
  return (
    <div className="notice-slot">
      <p role="status" className={state.status === 'done' ? 'notice notice-ok' : 'visually-hidden'}>
        {state.status === 'done' ? state.message : state.status === 'busy' ? 'Working…' : ''}
      </p>
      {state.status === 'failed' ? (
        <p role="alert" className="notice notice-error" data-code={state.code}>
          {state.message}
        </p>
      ) : null}
    </div>
  );
}

/** A panel's loading failure, with a retry button. */
export function LoadError({ error, retry }: { error: unknown; retry?: () => void }) {
  return (
    <div role="alert" className="notice notice-error">
      {describeError(error)}{' '}
      {retry === undefined ? null : (
        <button type="button" className="link-button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return <p className="muted" aria-busy="true">{`Loading ${what}…`}</p>;
}
