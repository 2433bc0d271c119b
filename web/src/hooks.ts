import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
import type { Api } from './api/api.ts';
import { ApiError } from './api/http.ts';
import { describeError } from './api/messages.ts';

/** The signed-in account's API, and a counter bumped after every successful change. */
export interface AppContextValue {
  readonly api: Api;
  readonly version: number;
  readonly changed: () => void;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (value === null) throw new Error('useApp outside AppContext');
  return value;
}

export interface Resource<T> {
  readonly data: T | undefined;
  readonly error: unknown;
  readonly loading: boolean;
  readonly reload: () => void;
}

/**
 * Loads `load()` when its key changes or after any change in the app
 * (`version`); keeps the previous data while reloading so panels do not
 * flicker, and ignores answers that arrive after a newer request.
 */
export function useResource<T>(key: string, load: () => Promise<T>): Resource<T> {
  const { version } = useApp();
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: true,
  });
  const [nonce, setNonce] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    loadRef.current().then(
      (data) => live && setState({ data, error: undefined, loading: false }),
      (error: unknown) => live && setState((s) => ({ data: s.data, error, loading: false })),
    );
    return () => {
      live = false;
    };
  }, [key, version, nonce]);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { ...state, reload };
}

export type ActionState =
  | { readonly status: 'idle' }
  | { readonly status: 'busy' }
  | { readonly status: 'done'; readonly message: string }
  | {
      readonly status: 'failed';
      readonly message: string;
      readonly code: string | undefined;
      readonly requestId?: string;
    };

/**
 * Runs one write at a time for a form: busy while in flight (the submit
 * button is disabled, so a double click never sends twice), then a success
 * sentence or the error's human message. Successful writes refresh the app.
 */
export function useAction(voice: 'freelancer' | 'operator' = 'freelancer') {
  const { changed } = useApp();
  const [state, setState] = useState<ActionState>({ status: 'idle' });
  const run = useCallback(
    async (work: () => Promise<string>): Promise<boolean> => {
      setState({ status: 'busy' });
      try {
        const message = await work();
        setState({ status: 'done', message });
        changed();
        return true;
      } catch (error) {
        const code = error instanceof ApiError ? error.code : undefined;
        const requestId = error instanceof ApiError && error.status >= 500 ? error.requestId : null;
        setState({
          status: 'failed',
          message: describeError(error, voice),
          code,
          ...(requestId === null ? {} : { requestId }),
        });
        return false;
      }
    },
    [changed, voice],
  );
  const fail = useCallback((message: string) => setState({ status: 'failed', message, code: undefined }), []);
  // A message about values the person has since changed no longer applies.
  const clear = useCallback(() => setState((s) => (s.status === 'busy' ? s : { status: 'idle' })), []);
  return { state, run, fail, clear, busy: state.status === 'busy' };
}

/** The policy timeline and the server's "now" (which a manual clock moves), reloaded after every change. */
export function usePolicy() {
  const { api } = useApp();
  return useResource('policy', () => api.policy());
}
