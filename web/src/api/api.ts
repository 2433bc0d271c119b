import { ConnectsApiError, createClient, type ConnectsClient } from '../../../src/client/index.ts';
import { ApiError, newId } from './http.ts';
import { jobView } from './normalize.ts';
import type {
  Balance,
  BadgeState,
  CancelledJob,
  Clock,
  EntryPage,
  EntryType,
  Freelancer,
  FreelancerSummary,
  IssuedToken,
  Job,
  JobStatus,
  ListedProposal,
  Lot,
  PlanName,
  PlanPreview,
  PolicyTimeline,
  PromoCode,
  PromoRedemption,
  ProposalResult,
  Purchase,
  SchedulerRun,
  Session,
  Stats,
  TokenInfo,
  AuditPage,
  IssuedOperatorKey,
  LedgerReport,
  Operator,
  OperatorKeyInfo,
  Role,
} from './types.ts';

/** Where the API is and which token to send; baseUrl is empty for the server that served the UI. */
export interface Connection {
  readonly token: string;
  readonly baseUrl: string;
}

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

export interface AuditFilter {
  actor?: string;
  freelancerId?: string;
  since?: string;
  until?: string;
  cursor?: string;
  limit?: number;
}

export interface NewPromoCode {
  code: string;
  connects: number;
  validFrom: string;
  validUntil: string;
  maxRedemptions: number;
}

/**
 * Every API call the UI makes, bound to one connection, through the typed
 * client (src/client): paths, parameters, bodies and answers are checked
 * against the OpenAPI document at compile time; every write carries an
 * idempotency key. Failures become the UI's ApiError, with the request id the
 * server sent so a person can quote it.
 */
export function createApi(connection: Connection, onUnauthorized?: () => void) {
  const typed = async <T>(call: (client: ConnectsClient) => Promise<T>): Promise<T> => {
    let requestId: string | null = null;
    const client = createClient({
      baseUrl: connection.baseUrl,
      token: connection.token,
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        requestId = response.headers.get('x-request-id');
        return response;
      },
    });
    try {
      return await call(client);
    } catch (e) {
      if (e instanceof ConnectsApiError) {
        if (e.status === 401) onUnauthorized?.();
        const code = e.code === 'invalid_response' ? `http_${e.status}` : e.code;
        throw new ApiError(code, e.message, e.status, { ...e.details }, requestId);
      }
      if (e instanceof TypeError) throw new ApiError('network', 'The server could not be reached.', 0);
      throw e;
    }
  };
  const key = (): { idempotencyKey: string } => ({ idempotencyKey: newId('ui') });
  const path = (id: string) => ({ path: { id } });

  return {
    connection,
    session: (): Promise<Session> => typed((c) => c.get('/v1/session')),
    // freelancer reads
    freelancer: (id: string): Promise<Freelancer> => typed((c) => c.get('/v1/freelancers/{id}', path(id))),
    balance: (id: string): Promise<Balance> =>
      typed((c) => c.get('/v1/freelancers/{id}/balance', { ...path(id), query: {} })),
    lots: (id: string, status: 'active' | 'all' = 'active'): Promise<{ lots: Lot[] }> =>
      typed((c) => c.get('/v1/freelancers/{id}/lots', { ...path(id), query: { status } })),
    entries: (id: string, filter: EntryFilter): Promise<EntryPage> =>
      typed((c) => c.get('/v1/freelancers/{id}/entries', { ...path(id), query: filter })),
    entriesCsv: async (id: string, filter: EntryFilter): Promise<string> => {
      const response = await typed((c) =>
        c.raw('get', '/v1/freelancers/{id}/entries', {
          ...path(id),
          query: { ...filter },
          headers: { accept: 'text/csv' },
        }),
      );
      return response.text();
    },
    purchases: (id: string): Promise<{ purchases: Purchase[]; nextCursor: string | null }> =>
      typed((c) => c.get('/v1/freelancers/{id}/purchases', { ...path(id), query: { limit: 50 } })),
    badge: (id: string): Promise<BadgeState> =>
      typed((c) => c.get('/v1/freelancers/{id}/availability-badge', path(id))),
    // freelancer writes
    buy: (id: string, purchaseId: string, connects: number, card: string): Promise<Purchase> =>
      typed((c) =>
        c.post('/v1/freelancers/{id}/purchases', {
          ...path(id),
          body: { purchaseId, connects, card },
          idempotencyKey: purchaseId,
        }),
      ),
    redeem: (id: string, code: string): Promise<PromoRedemption> =>
      typed((c) =>
        c.post('/v1/freelancers/{id}/promo-redemptions', { ...path(id), body: { code }, ...key() }),
      ),
    setPlan: (id: string, plan: PlanName, card?: string) =>
      typed((c) =>
        c.put('/v1/freelancers/{id}/plan', {
          ...path(id),
          body: card === undefined ? { plan } : { plan, card },
          ...key(),
        }),
      ),
    planPreview: (id: string, plan: PlanName): Promise<PlanPreview> =>
      typed((c) => c.get('/v1/freelancers/{id}/plan/preview', { ...path(id), query: { plan } })),
    setBadge: (id: string, on: boolean, weeklyMaxConnects: number): Promise<BadgeState> =>
      typed((c) =>
        c.put('/v1/freelancers/{id}/availability-badge', {
          ...path(id),
          body: { on, weeklyMaxConnects },
          ...key(),
        }),
      ),
    badgePrice: () => typed((c) => c.get('/v1/badge-price')),
    // jobs and proposals
    jobs: async (
      status: JobStatus | 'all' = 'open',
      cursor?: string,
    ): Promise<{ jobs: Job[]; nextCursor: string | null }> => {
      const query = { status, limit: 100, ...(cursor === undefined ? {} : { cursor }) };
      const page = await typed((c) => c.get('/v1/jobs', { query }));
      const jobs = page.jobs.map((job) => jobView({ job, ranking: [], bidRange: null }));
      return { jobs, nextCursor: page.nextCursor };
    },
    job: async (id: string): Promise<Job> =>
      jobView(await typed((c) => c.get('/v1/jobs/{id}', { ...path(id), query: {} }))),
    propose: (
      jobId: string,
      body: { proposalId: string; freelancerId: string; bidCents: number; boostConnects?: number },
    ): Promise<ProposalResult> =>
      typed((c) =>
        c.post('/v1/jobs/{id}/proposals', { ...path(jobId), body, idempotencyKey: body.proposalId }),
      ),
    /** The freelancer's proposal to a job (at most one), or null. */
    proposalOn: async (freelancerId: string, jobId: string): Promise<ListedProposal | null> => {
      const page = await typed((c) =>
        c.get('/v1/freelancers/{id}/proposals', { ...path(freelancerId), query: { jobId, limit: 1 } }),
      );
      return page.proposals[0] ?? null;
    },
    withdraw: (proposalId: string) =>
      typed((c) => c.post('/v1/proposals/{id}/withdraw', { ...path(proposalId), ...key() })),
    // operator
    policy: (): Promise<PolicyTimeline> => typed((c) => c.get('/v1/policy')),
    clock: (): Promise<Clock> => typed((c) => c.get('/v1/admin/clock')),
    setClock: (now: string): Promise<Clock> =>
      typed((c) => c.put('/v1/admin/clock', { body: { now }, ...key() })),
    tick: (): Promise<SchedulerRun> => typed((c) => c.post('/v1/admin/tick', key())),
    stats: (bucket: 'day' | 'month'): Promise<Stats> =>
      typed((c) => c.get('/v1/admin/stats', { query: { bucket } })),
    freelancers: (prefix: string): Promise<{ freelancers: FreelancerSummary[]; nextCursor: string | null }> =>
      typed((c) =>
        c.get('/v1/admin/freelancers', { query: { ...(prefix === '' ? {} : { prefix }), limit: 50 } }),
      ),
    createFreelancer: (id: string, name: string | undefined) =>
      typed((c) => c.post('/v1/freelancers', { body: name === undefined ? { id } : { id, name }, ...key() })),
    issueToken: (id: string): Promise<IssuedToken> =>
      typed((c) => c.post('/v1/freelancers/{id}/tokens', path(id))),
    tokens: (id: string): Promise<{ tokens: TokenInfo[] }> =>
      typed((c) => c.get('/v1/freelancers/{id}/tokens', path(id))),
    revokeToken: (id: string, tokenId: string): Promise<TokenInfo> =>
      typed((c) => c.delete('/v1/freelancers/{id}/tokens/{tokenId}', { path: { id, tokenId } })),
    refundPurchase: (freelancerId: string, purchaseId: string, reason: string): Promise<Purchase> =>
      typed((c) =>
        c.post('/v1/admin/purchases/{freelancerId}/{purchaseId}/refund', {
          path: { freelancerId, purchaseId },
          body: { reason },
          ...key(),
        }),
      ),
    grant: (freelancerId: string, connects: number, reason: string) =>
      typed((c) => c.post('/v1/admin/grants', { body: { freelancerId, connects, reason }, ...key() })),
    createPromo: (promo: NewPromoCode): Promise<PromoCode> =>
      typed((c) => c.post('/v1/promo-codes', { body: promo, ...key() })),
    promoCodes: (): Promise<{ codes: PromoCode[]; nextCursor: string | null }> =>
      typed((c) => c.get('/v1/promo-codes', { query: { status: 'all', limit: 100 } })),
    setBadgePrice: (weeklyPriceConnects: number) =>
      typed((c) => c.put('/v1/admin/badge-price', { body: { weeklyPriceConnects }, ...key() })),
    createJob: async (job: NewJob): Promise<Job> => {
      const created = await typed((c) => c.post('/v1/jobs', { body: job, ...key() }));
      return jobView({ job: created, ranking: [], bidRange: null });
    },
    cancelJob: (id: string, reason: 'client' | 'tos'): Promise<CancelledJob> =>
      typed((c) => c.post('/v1/jobs/{id}/cancel', { ...path(id), body: { reason }, ...key() })),
    /** Support's corrections of one free lot (docs/operators.md): void, expire now, or extend its expiry. */
    correctLot: (
      freelancerId: string,
      lotNo: number,
      action: 'void' | 'expire' | 'extend',
      reason: string,
      expiresAt?: string,
    ) => {
      const path = { id: freelancerId, lotNo };
      if (action === 'extend')
        return typed((c) =>
          c.post('/v1/admin/freelancers/{id}/lots/{lotNo}/extend', {
            path,
            body: { reason, expiresAt: expiresAt ?? '' },
            ...key(),
          }),
        );
      return typed((c) =>
        c.post(
          action === 'void'
            ? '/v1/admin/freelancers/{id}/lots/{lotNo}/void'
            : '/v1/admin/freelancers/{id}/lots/{lotNo}/expire',
          { path, body: { reason }, ...key() },
        ),
      );
    },
    // operators, audit and finance
    operators: (): Promise<{ operators: Operator[] }> => typed((c) => c.get('/v1/admin/operators')),
    createOperator: (id: string, role: Role, expiresAt?: string): Promise<IssuedOperatorKey> =>
      typed((c) =>
        c.post('/v1/admin/operators', {
          body: expiresAt === undefined ? { id, role } : { id, role, expiresAt },
        }),
      ),
    issueOperatorKey: (id: string, expiresAt?: string): Promise<IssuedOperatorKey> =>
      typed((c) =>
        c.post('/v1/admin/operators/{id}/keys', {
          ...path(id),
          ...(expiresAt === undefined ? {} : { body: { expiresAt } }),
        }),
      ),
    revokeOperatorKey: (id: string, keyId: string): Promise<OperatorKeyInfo> =>
      typed((c) => c.delete('/v1/admin/operators/{id}/keys/{keyId}', { path: { id, keyId } })),
    audit: (filter: AuditFilter): Promise<AuditPage> =>
      typed((c) => c.get('/v1/admin/audit', { query: filter })),
    ledgerReport: (month: string): Promise<LedgerReport> =>
      typed((c) => c.get('/v1/admin/reports/ledger', { query: { month } })),
    ledgerReportCsv: async (month: string): Promise<string> => {
      const response = await typed((c) =>
        c.raw('get', '/v1/admin/reports/ledger', { query: { month, format: 'csv' } }),
      );
      return response.text();
    },
    /** A purchase's printable receipt (HTML), fetched with the bearer token so it never travels in a URL. */
    receiptHtml: async (freelancerId: string, purchaseId: string): Promise<string> => {
      const response = await typed((c) =>
        c.raw('get', '/v1/freelancers/{id}/purchases/{purchaseId}/receipt', {
          path: { id: freelancerId, purchaseId },
          headers: { accept: 'text/html' },
        }),
      );
      return response.text();
    },
  };
}

export type Api = ReturnType<typeof createApi>;
