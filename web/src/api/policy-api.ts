import {
  ConnectsApiError,
  createClient,
  type components,
  type ConnectsClient,
} from '../../../src/client/index.ts';
import type { SimulationResultView } from '../operator/policy/sim-view.ts';
import type { Api } from './api.ts';
import { ApiError } from './http.ts';

/**
 * The policy studio's calls: the timeline in the store (/v1/admin/policies)
 * and the simulator (/v1/admin/simulations), through the typed client like
 * every other call (failures become ApiError with the request id; a 401 goes
 * back to sign-in through the app's own API).
 */
type Schemas = components['schemas'];
export type PolicyDocument = Schemas['Policy'];
export type PolicyRecord = Schemas['PolicyRecord'];
export type PolicyRecordList = Schemas['PolicyRecordList'];
export type PolicyState = PolicyRecord['state'];

export type SimulationStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

/** A stored simulation as the console reads it (GET /v1/admin/simulations/{id}). */
export interface Simulation {
  readonly id: string;
  readonly status: SimulationStatus;
  /** 0..1 while it runs. */
  readonly progress: number;
  readonly result: SimulationResultView | null;
  readonly error: string | null;
  /** The request as the server stored it (defaults filled in). */
  readonly input: Readonly<Record<string, unknown>> | null;
  readonly createdAt: string | null;
  readonly createdBy: string | null;
}

export interface SimulationRequest {
  readonly candidate: unknown;
  readonly months: number;
  readonly population: {
    readonly kind: 'synthetic' | 'snapshot';
    readonly params?: { freelancers?: number };
  };
  readonly seed: number;
}

const statuses: readonly SimulationStatus[] = ['queued', 'running', 'done', 'failed', 'cancelled'];

/**
 * Reads a simulation as the API answers it, tolerating the spellings a
 * status may take (`succeeded` for done, progress as a share or a percentage).
 */
export function readSimulation(body: unknown): Simulation {
  const o = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const raw = String(o['status'] ?? 'queued');
  const status: SimulationStatus = statuses.includes(raw as SimulationStatus)
    ? (raw as SimulationStatus)
    : raw === 'succeeded' || raw === 'completed'
      ? 'done'
      : raw === 'pending'
        ? 'queued'
        : 'failed';
  const p = o['progress'];
  const share =
    typeof p === 'number'
      ? p
      : typeof p === 'object' && p !== null
        ? progressShare(p as Record<string, unknown>)
        : status === 'done'
          ? 1
          : 0;
  const error = o['error'];
  return {
    id: String(o['id'] ?? ''),
    status,
    progress: Math.max(0, Math.min(1, share > 1 ? share / 100 : share)),
    result: (o['result'] as SimulationResultView | null | undefined) ?? null,
    error:
      typeof error === 'string'
        ? error
        : typeof error === 'object' && error !== null
          ? String((error as Record<string, unknown>)['message'] ?? 'failed')
          : null,
    input:
      typeof o['input'] === 'object' && o['input'] !== null ? (o['input'] as Record<string, unknown>) : null,
    createdAt: typeof o['createdAt'] === 'string' ? o['createdAt'] : null,
    createdBy: typeof o['createdBy'] === 'string' ? o['createdBy'] : null,
  };
}

function progressShare(p: Record<string, unknown>): number {
  if (typeof p['share'] === 'number') return p['share'];
  const done = p['done'] ?? p['completed'] ?? p['freelancers'];
  const total = p['total'] ?? p['of'];
  return typeof done === 'number' && typeof total === 'number' && total > 0 ? done / total : 0;
}

export function createPolicyApi(api: Api) {
  const typed = async <T>(call: (client: ConnectsClient) => Promise<T>): Promise<T> => {
    let requestId: string | null = null;
    const client = createClient({
      baseUrl: api.connection.baseUrl,
      token: api.connection.token,
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
        // The app's own API signs out on a 401; asking it who we are lets it notice.
        if (e.status === 401) void api.session().catch(() => undefined);
        const code = e.code === 'invalid_response' ? `http_${e.status}` : e.code;
        throw new ApiError(code, e.message, e.status, { ...e.details }, requestId);
      }
      if (e instanceof TypeError) throw new ApiError('network', 'The server could not be reached.', 0);
      throw e;
    }
  };
  return {
    policies: (): Promise<PolicyRecordList> => typed((c) => c.get('/v1/admin/policies')),
    /** Schedules a new policy (POST), or replaces a scheduled one under its id (PUT). */
    schedule: (policy: unknown, note: string | null, replace: boolean): Promise<PolicyRecord> => {
      const body = { policy: policy as PolicyDocument, note };
      return typed((c) =>
        replace
          ? c.put('/v1/admin/policies/{id}', { path: { id: body.policy.id }, body })
          : c.post('/v1/admin/policies', { body }),
      );
    },
    withdraw: (id: string): Promise<void> =>
      typed(async (c) => {
        await c.delete('/v1/admin/policies/{id}', { path: { id } });
      }),
    simulate: (request: SimulationRequest): Promise<Simulation> =>
      typed(async (c) =>
        readSimulation(
          await c.post('/v1/admin/simulations', {
            body: { ...request, candidate: request.candidate as Record<string, unknown> },
          }),
        ),
      ),
    /** The latest simulations, newest first, without their results. */
    simulations: async (): Promise<Simulation[]> =>
      (await typed((c) => c.get('/v1/admin/simulations', { query: { limit: 10 } }))).simulations.map(
        readSimulation,
      ),
    simulation: (id: string): Promise<Simulation> =>
      typed(async (c) => readSimulation(await c.get('/v1/admin/simulations/{id}', { path: { id } }))),
    cancelSimulation: (id: string): Promise<Simulation> =>
      typed(async (c) => readSimulation(await c.post('/v1/admin/simulations/{id}/cancel', { path: { id } }))),
  };
}

export type PolicyApi = ReturnType<typeof createPolicyApi>;
