import { useCallback, useMemo, useState } from 'react';
import { createApi } from './api/api.ts';
import { AppContext } from './hooks.ts';
import { FreelancerApp } from './freelancer/FreelancerApp.tsx';
import { OperatorApp } from './operator/OperatorApp.tsx';
import { navigate } from './router.tsx';
import { loadSession, storeSession, type SignedIn } from './session.ts';
import { SignIn } from './SignIn.tsx';

/** Signed out: the sign-in screen. Signed in: the freelancer's wallet or the operator console. */
export function App() {
  const [session, setSession] = useState<SignedIn | null>(loadSession);
  const [version, setVersion] = useState(0);
  const changed = useCallback(() => setVersion((v) => v + 1), []);

  const signIn = useCallback((next: SignedIn) => {
    storeSession(next);
    setSession(next);
    navigate(next.kind === 'admin' ? '/admin' : '/');
  }, []);
  const signOut = useCallback(() => {
    storeSession(null);
    setSession(null);
    navigate('/');
  }, []);

  const context = useMemo(
    () => (session === null ? null : { api: createApi(session), version, changed }),
    [session, version, changed],
  );

  if (session === null || context === null) return <SignIn onSignIn={signIn} />;
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
