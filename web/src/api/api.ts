import { ConnectsApiError, createClient } from '../../../src/client/index.ts';
import { ApiError, newId, requestJson, requestText, type Session } from './http.ts';
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
  Purchase,
  Stats,
  Whoami,
} from './types.ts';

/**
 * Every API call the UI makes, bound to one session. Paths and bodies are
 * those of issue 5; ids in paths are encoded, writes carry idempotency keys.
 */
const seg = encodeURIComponent;
const fl = (id: string): string => `/v1/freelancers/${seg(id)}`;

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
  // Routes in the OpenAPI document go through the typed client; the rest use requestJson until they are.
  const client = createClient({ baseUrl: session.baseUrl, token: session.token });
  const get = <T>(path: string, query?: Record<string, string | number | undefined>) =>
    requestJson<T>(session, 'GET', path, query === undefined ? {} : { query });
  const write = <T>(method: string, path: string, body?: unknown, idempotencyKey: string = newId('ui')) =>
    requestJson<T>(session, method, path, { body: body ?? {}, idempotencyKey });

  return {
    session,
    whoami: () => whoami(session),
    // freelancer reads
    freelancer: async (id: string): Promise<Freelancer> => normalizeFreelancer(await get<unknown>(fl(id))),
    balance: (id: string, asOf?: string) => get<Balance>(`${fl(id)}/balance`, { asOf }),
    lots: async (id: string, status: 'active' | 'all' = 'active'): Promise<{ lots: Lot[] }> =>
      normalizeLots(await get<unknown>(`${fl(id)}/lots`, { status })),
    entries: async (id: string, filter: EntryFilter): Promise<EntryPage> =>
      normalizeEntries(await get<unknown>(`${fl(id)}/entries`, { ...filter })),
    entriesCsv: (id: string, filter: EntryFilter) =>
      requestText(session, 'GET', `${fl(id)}/entries`, { query: { ...filter }, accept: 'text/csv' }),
    // freelancer writes
    buy: (id: string, purchaseId: string, connects: number, card: string) =>
      write<Purchase>('POST', `${fl(id)}/purchases`, { purchaseId, connects, card }, purchaseId),
    redeem: (id: string, code: string) => write<unknown>('POST', `${fl(id)}/promo-redemptions`, { code }),
    setPlan: (id: string, plan: PlanName, card?: string) =>
      write<{ prorationConnects?: number; chargedCents?: number }>(
        'PUT',
        `${fl(id)}/plan`,
        card === undefined ? { plan } : { plan, card },
      ),
    planPreview: (id: string, plan: PlanName) => get<PlanPreview>(`${fl(id)}/plan/preview`, { plan }),
    setBadge: (id: string, on: boolean, weeklyMaxConnects: number) =>
      write<BadgeState>('PUT', `${fl(id)}/availability-badge`, { on, weeklyMaxConnects }),
    badgePrice: () => get<{ weeklyPriceConnects: number; effectiveAt?: string | null }>('/v1/badge-price'),
    // jobs and proposals
    jobs: async () => normalizeJobs(await get<unknown>('/v1/jobs')),
    job: async (id: string): Promise<Job> => normalizeJob(await get<unknown>(`/v1/jobs/${seg(id)}`)),
    propose: (
      jobId: string,
      body: { proposalId: string; freelancerId: string; bidCents: number; boostConnects?: number },
    ) => write<ProposalResult>('POST', `/v1/jobs/${seg(jobId)}/proposals`, body, body.proposalId),
    withdraw: (proposalId: string) => write<unknown>('POST', `/v1/proposals/${seg(proposalId)}/withdraw`),
    // operator
    policy: (): Promise<PolicyTimeline> => typed(() => client.get('/v1/policy')),
    clock: (): Promise<Clock> => typed(() => client.get('/v1/admin/clock')),
    setClock: (now: string): Promise<Clock> =>
      typed(() => client.put('/v1/admin/clock', { body: { now }, idempotencyKey: newId('ui') })),
    tick: () => write<SchedulerRun>('POST', '/v1/admin/tick'),
    stats: (bucket: 'day' | 'month') => get<Stats>('/v1/admin/stats', { bucket }),
    freelancers: (prefix: string) =>
      get<{ freelancers: FreelancerSummary[]; nextCursor: string | null }>('/v1/admin/freelancers', {
        ...(prefix === '' ? {} : { prefix }),
        limit: 50,
      }),
    createFreelancer: (id: string, name: string | undefined) =>
      write<unknown>('POST', '/v1/freelancers', name === undefined ? { id } : { id, name }),
    issueToken: (id: string): Promise<IssuedToken> =>
      typed(() => client.post('/v1/freelancers/{id}/tokens', { path: { id } })),
    grant: (freelancerId: string, connects: number, reason: string) =>
      write<unknown>('POST', '/v1/admin/grants', { freelancerId, connects, reason }),
    createPromo: (promo: NewPromoCode) => write<PromoCode>('POST', '/v1/promo-codes', promo),
    promoCodes: () =>
      get<{ codes: PromoCode[]; nextCursor: string | null }>('/v1/promo-codes', {
        status: 'all',
        limit: 100,
      }),
    setBadgePrice: (weeklyPriceConnects: number) =>
      write<unknown>('PUT', '/v1/admin/badge-price', { weeklyPriceConnects }),
    createJob: async (job: NewJob): Promise<Job> =>
      normalizeJob(await write<unknown>('POST', '/v1/jobs', job)),
    cancelJob: (id: string, reason: 'client' | 'tos') =>
      write<Job>('POST', `/v1/jobs/${seg(id)}/cancel`, { reason }),
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
