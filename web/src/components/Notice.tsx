import type { ReactNode } from 'react';
import { ApiError } from '../api/http.ts';
import { describeError, isRetryable } from '../api/messages.ts';
import type { ActionState, Resource } from '../hooks.ts';

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
          {state.requestId === undefined ? null : <RequestId id={state.requestId} />}
        </p>
      ) : null}
    </div>
  );
}

function RequestId({ id }: { id: string }) {
  return (
    <span className="request-id">
      {' '}
      Request id: <code>{id}</code>
    </span>
  );
}

/**
 * A read that failed: what went wrong in words, the request id to quote, and
 * "Try again" only when trying again can help (not for a 404 or a refusal).
 */
export function LoadError({ error, retry }: { error: unknown; retry?: () => void }) {
  const requestId = error instanceof ApiError ? error.requestId : null;
  return (
    <div role="alert" className="notice notice-error" data-testid="load-error">
      {describeError(error)}
      {requestId === null ? null : <RequestId id={requestId} />}{' '}
      {retry === undefined || !isRetryable(error) ? null : (
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

/**
 * The one pattern for a panel's data: "Loading …" until the first answer, the
 * error (with a retry when it can help) if it failed, otherwise the content.
 * A failed reload keeps the last data on screen under the error.
 */
export function Loaded<T>({
  resource,
  what,
  children,
}: {
  resource: Resource<T>;
  what: string;
  children: (data: T) => ReactNode;
}) {
  const { data, error, reload } = resource;
  return (
    <>
      {error === undefined ? null : <LoadError error={error} retry={reload} />}
      {data !== undefined ? children(data) : error === undefined ? <Loading what={what} /> : null}
    </>
  );
}
