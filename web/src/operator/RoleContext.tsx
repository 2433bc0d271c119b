import { createContext, useContext } from 'react';
import type { Role } from '../api/types.ts';
import { Link } from '../router.tsx';
import { roleSummary } from './roles.ts';

/** The signed-in operator's role, for pages that show some forms only to some roles. */
export const RoleContext = createContext<Role>('owner');

export function useRole(): Role {
  return useContext(RoleContext);
}

/** What an address the role may not use shows, instead of a request the server would refuse. */
export function NotForRole({ role, page, home }: { role: Role; page: string; home: string }) {
  return (
    <>
      <h1>Not available to your role</h1>
      <p role="alert" className="notice notice-warn" data-testid="not-for-role">
        Your role ({role}) cannot see {page}. A {role} operator {roleSummary[role]}.
      </p>
      <p>
        <Link to={home}>Go to your start page</Link>, or ask an owner if you need more access.
      </p>
    </>
  );
}
