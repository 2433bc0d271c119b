import { ConnectsApiError, createClient } from '../../../src/client/index.ts';
import { ApiError, newId, requestJson, type Session } from './http.ts';
import {
  normalizeEntries,
  normalizeFreelancer,
  normalizeJob,
  normalizeJobs,
  normalizeLots,
} from './normalize.ts';
import type {
  BadgeState,
  Balance,
  Clock,
  DemoAccount,
  EntryPage,
  EntryType,
  Freelancer,
  FreelancerSummary,
  IssuedToken,
  Job,
  Lot,
  PlanName,
  PlanPreview,
  PolicyTimeline,
  PromoCode,
  SchedulerRun,
  ProposalResult,
  Stats,
  Whoami,
} from './types.ts';

/**
 * Every API call the UI makes, bound to one session, through the typed client
 * (src/client): paths, parameters and bodies are checked against the OpenAPI
 * document at compile time; every write carries an idempotency key.
 */
export interface EntryFilter {
  since?: string;
  type?: EntryType;
  cursor?: string;
  limit?: number;
}

export interface NewJob {
  id: string;
  clientId: string;
  budgetCents?: number;
  hourly?: boolean;
  connectsRequired?: number;
  enterprise?: boolean;
}

export interface NewPromoCode {
  code: string;
  connects: number;
  validFrom: string;
  validUntil: string;
  maxRedemptions: number;
}

/**
 * Runs a call of the typed client (src/client, generated from the OpenAPI
 * document) and turns its errors into the UI's ApiError, so screens handle
 * one error type whichever transport a call used.
 */
async function typed<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (e instanceof ConnectsApiError) throw new ApiError(e.code, e.message, e.status, { ...e.details });
    if (e instanceof TypeError) throw new ApiError('network', 'The server could not be reached.', 0);
    throw e;
  }
}

export function createApi(session: Session) {
  // Every call goes through the typed client, so the compiler checks paths, parameters and bodies
  // against the OpenAPI document; the views are then read leniently (normalize.ts).
  const client = createClient({ baseUrl: session.baseUrl, token: session.token });
  const key = (): { idempotencyKey: string } => ({ idempotencyKey: newId('ui') });
  const path = (id: string) => ({ path: { id } });

  return {
    session,
    whoami: () => whoami(session),
    // freelancer reads
    freelancer: async (id: string): Promise<Freelancer> =>
      normalizeFreelancer(await typed(() => client.get('/v1/freelancers/{id}', path(id)))),
    balance: (id: string, asOf?: string): Promise<Balance> =>
      typed(() =>
        client.get('/v1/freelancers/{id}/balance', {
          ...path(id),
          query: asOf === undefined ? {} : { asOf },
        }),
      ),
    lots: async (id: string, status: 'active' | 'all' = 'active'): Promise<{ lots: Lot[] }> =>
      normalizeLots(
        await typed(() => client.get('/v1/freelancers/{id}/lots', { ...path(id), query: { status } })),
      ),
    entries: async (id: string, filter: EntryFilter): Promise<EntryPage> =>
      normalizeEntries(
        await typed(() => client.get('/v1/freelancers/{id}/entries', { ...path(id), query: filter })),
      ),
    entriesCsv: async (id: string, filter: EntryFilter): Promise<string> => {
      const response = await typed(() =>
        client.raw('get', '/v1/freelancers/{id}/entries', {
          ...path(id),
          query: { ...filter },
          headers: { accept: 'text/csv' },
        }),
      );
      return response.text();
    },
    // freelancer writes
    buy: (id: string, purchaseId: string, connects: number, card: string) =>
      typed(() =>
        client.post('/v1/freelancers/{id}/purchases', {
          ...path(id),
          body: { purchaseId, connects, card },
          idempotencyKey: purchaseId,
        }),
      ),
    redeem: (id: string, code: string) =>
      typed(() =>
        client.post('/v1/freelancers/{id}/promo-redemptions', { ...path(id), body: { code }, ...key() }),
      ),
    setPlan: (id: string, plan: PlanName, card?: string) =>
      typed(() =>
        client.put('/v1/freelancers/{id}/plan', {
          ...path(id),
          body: card === undefined ? { plan } : { plan, card },
          ...key(),
        }),
      ),
    planPreview: (id: string, plan: PlanName): Promise<PlanPreview> =>
      typed(() => client.get('/v1/freelancers/{id}/plan/preview', { ...path(id), query: { plan } })),
    setBadge: (id: string, on: boolean, weeklyMaxConnects: number): Promise<BadgeState> =>
      typed(() =>
        client.put('/v1/freelancers/{id}/availability-badge', {
          ...path(id),
          body: { on, weeklyMaxConnects },
          ...key(),
        }),
      ),
    badgePrice: () => typed(() => client.get('/v1/badge-price')),
    // jobs and proposals
    jobs: async () => normalizeJobs(await typed(() => client.get('/v1/jobs', { query: {} }))),
    job: async (id: string): Promise<Job> =>
      normalizeJob(await typed(() => client.get('/v1/jobs/{id}', { ...path(id), query: {} }))),
    propose: (
      jobId: string,
      body: { proposalId: string; freelancerId: string; bidCents: number; boostConnects?: number },
    ): Promise<ProposalResult> =>
      typed(() =>
        client.post('/v1/jobs/{id}/proposals', { ...path(jobId), body, idempotencyKey: body.proposalId }),
      ),
    withdraw: (proposalId: string) =>
      typed(() => client.post('/v1/proposals/{id}/withdraw', { ...path(proposalId), ...key() })),
    // operator
    policy: (): Promise<PolicyTimeline> => typed(() => client.get('/v1/policy')),
    clock: (): Promise<Clock> => typed(() => client.get('/v1/admin/clock')),
    setClock: (now: string): Promise<Clock> =>
      typed(() => client.put('/v1/admin/clock', { body: { now }, ...key() })),
    tick: (): Promise<SchedulerRun> => typed(() => client.post('/v1/admin/tick', key())),
    stats: (bucket: 'day' | 'month'): Promise<Stats> =>
      typed(() => client.get('/v1/admin/stats', { query: { bucket } })),
    freelancers: (prefix: string): Promise<{ freelancers: FreelancerSummary[]; nextCursor: string | null }> =>
      typed(() =>
        client.get('/v1/admin/freelancers', { query: { ...(prefix === '' ? {} : { prefix }), limit: 50 } }),
      ),
    createFreelancer: (id: string, name: string | undefined) =>
      typed(() =>
        client.post('/v1/freelancers', { body: name === undefined ? { id } : { id, name }, ...key() }),
      ),
    issueToken: (id: string): Promise<IssuedToken> =>
      typed(() => client.post('/v1/freelancers/{id}/tokens', path(id))),
    grant: (freelancerId: string, connects: number, reason: string) =>
      typed(() => client.post('/v1/admin/grants', { body: { freelancerId, connects, reason }, ...key() })),
    createPromo: (promo: NewPromoCode): Promise<PromoCode> =>
      typed(() => client.post('/v1/promo-codes', { body: promo, ...key() })),
    promoCodes: (): Promise<{ codes: PromoCode[]; nextCursor: string | null }> =>
      typed(() => client.get('/v1/promo-codes', { query: { status: 'all', limit: 100 } })),
    setBadgePrice: (weeklyPriceConnects: number) =>
      typed(() => client.put('/v1/admin/badge-price', { body: { weeklyPriceConnects }, ...key() })),
    createJob: async (job: NewJob): Promise<Job> =>
      normalizeJob(await typed(() => client.post('/v1/jobs', { body: job, ...key() }))),
    cancelJob: (id: string, reason: 'client' | 'tos') =>
      typed(() => client.post('/v1/jobs/{id}/cancel', { ...path(id), body: { reason }, ...key() })),
  };
}

export type Api = ReturnType<typeof createApi>;

/**
 * Which account a token belongs to. Uses GET /v1/session when the server
 * has it; otherwise tells admin from freelancer by probing an admin route.
 */
async function whoami(session: Session): Promise<Whoami | { kind: 'freelancer'; freelancerId: null }> {
  try {
    return await requestJson<Whoami>(session, 'GET', '/v1/session');
  } catch (e) {
    if (!(e instanceof ApiError) || e.code !== 'not_found') throw e;
  }
  try {
    await requestJson<Clock>(session, 'GET', '/v1/admin/clock');
    return { kind: 'admin' };
  } catch (e) {
    if (e instanceof ApiError && e.code === 'forbidden') return { kind: 'freelancer', freelancerId: null };
    throw e;
  }
}

/** Demo accounts a dev server offers on the sign-in screen; none when the route is absent. */
export async function demoAccounts(baseUrl: string): Promise<DemoAccount[]> {
  try {
    const response = await fetch(`${baseUrl}/v1/demo/accounts`, { headers: { Accept: 'application/json' } });
    if (!response.ok) return [];
    const body = (await response.json()) as { accounts?: DemoAccount[] };
    return Array.isArray(body.accounts) ? body.accounts : [];
  } catch {
    return [];
  }
}
