import { useCallback, useMemo, useState } from 'react';
import { createApi } from './api/api.ts';
import { AppContext } from './hooks.ts';
import { FreelancerApp } from './freelancer/FreelancerApp.tsx';
import { OperatorApp } from './operator/OperatorApp.tsx';
import { navigate } from './router.tsx';
import { forgetAccount, loadSession, storeSession, type SignedIn } from './session.ts';
import { SignIn } from './SignIn.tsx';

const ENDED =
  'Your session ended: the token was revoked or is no longer valid. Sign in again with a current token.';

/** Signed out: the sign-in screen. Signed in: the freelancer's wallet or the operator console. */
export function App() {
  const [session, setSession] = useState<SignedIn | null>(loadSession);
  const [notice, setNotice] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const changed = useCallback(() => setVersion((v) => v + 1), []);

  const signIn = useCallback((next: SignedIn) => {
    storeSession(next);
    setSession(next);
    setNotice(null);
    navigate(next.kind === 'admin' ? '/admin' : '/');
  }, []);
  const signOut = useCallback(() => {
    storeSession(null);
    setSession(null);
    navigate('/');
  }, []);

  // Any 401 means the token stopped working (revoked, or the server's admin token changed): back to sign-in.
  const api = useMemo(
    () =>
      session === null
        ? null
        : createApi(session, () => {
            forgetAccount(session.token);
            storeSession(null);
            setSession(null);
            setNotice(ENDED);
            navigate('/');
          }),
    [session],
  );
  const context = useMemo(() => (api === null ? null : { api, version, changed }), [api, version, changed]);

  if (session === null || context === null) return <SignIn onSignIn={signIn} notice={notice} />;
  return (
    <AppContext.Provider value={context}>
      {session.kind === 'admin' || session.freelancerId === null ? (
        <OperatorApp session={session} onSignOut={signOut} onSignIn={signIn} />
      ) : (
        <FreelancerApp session={session} freelancerId={session.freelancerId} onSignOut={signOut} />
      )}
    </AppContext.Provider>
  );
}
