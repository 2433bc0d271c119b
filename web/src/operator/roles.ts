import type { Role } from '../api/types.ts';

/**
 * What each operator role sees in the console, mirroring the server's role
 * guards (docs/operators.md, "Roles"): a page or a form a role cannot use is
 * not shown, so the console never sends a request the server would refuse.
 * The server stays the authority; this only keeps the screens honest.
 */
export type ConsolePage =
  | 'overview'
  | 'freelancers'
  | 'promo-codes'
  | 'jobs'
  | 'policy'
  | 'operators'
  | 'audit'
  | 'reports'
  | 'integration';

/** Actions inside pages that only some roles may take. */
export type Capability =
  | 'grant'
  | 'correct-lots'
  | 'freelancer-tokens'
  | 'create-freelancer'
  | 'refund'
  | 'scheduler'
  | 'create-job'
  | 'cancel-job'
  | 'audit';

const pages: Readonly<Record<Role, readonly ConsolePage[]>> = {
  owner: ['overview', 'freelancers', 'promo-codes', 'jobs', 'policy', 'operators', 'audit', 'reports'],
  support: ['freelancers', 'jobs'],
  finance: ['overview', 'freelancers', 'reports', 'audit'],
  marketplace: ['integration', 'jobs'],
};

const capabilities: Readonly<Record<Role, readonly Capability[]>> = {
  owner: [
    'grant',
    'correct-lots',
    'freelancer-tokens',
    'create-freelancer',
    'refund',
    'scheduler',
    'create-job',
    'cancel-job',
    'audit',
  ],
  support: ['grant', 'correct-lots', 'cancel-job'],
  finance: ['audit'],
  marketplace: ['create-job', 'cancel-job'],
};

export const canSee = (role: Role, page: ConsolePage): boolean => pages[role].includes(page);

export const can = (role: Role, capability: Capability): boolean => capabilities[role].includes(capability);

/** The pages a role sees, in navigation order; the first is its home. */
export const pagesOf = (role: Role): readonly ConsolePage[] => pages[role];

/** What each role is for, in a sentence (the Operators page and the "not for your role" page). */
export const roleSummary: Readonly<Record<Role, string>> = {
  owner: 'everything, including operators and their keys',
  support: "reads any freelancer's account, grants or removes Connects within limits, cancels jobs",
  finance: 'read only: statistics, the monthly ledger report, exports and the audit trail',
  marketplace: 'the integration key: registrations, jobs, proposals, interactions and interviews',
};

export const roleNames: readonly Role[] = ['owner', 'support', 'finance', 'marketplace'];

/** The console page an address belongs to, or null for an unknown address. */
export function pageOf(path: string): ConsolePage | null {
  const p = path.replace(/\/+$/, '') || '/';
  if (p === '/' || p === '/admin') return 'overview';
  const [, admin, section] = p.split('/');
  if (admin !== 'admin' || section === undefined) return null;
  const known: Record<string, ConsolePage> = {
    freelancers: 'freelancers',
    'promo-codes': 'promo-codes',
    jobs: 'jobs',
    policy: 'policy',
    operators: 'operators',
    audit: 'audit',
    reports: 'reports',
    integration: 'integration',
  };
  return known[section] ?? null;
}
