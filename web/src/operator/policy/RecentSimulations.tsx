import type { PolicyApi, Simulation } from '../../api/policy-api.ts';
import { describeError } from '../../api/messages.ts';
import { Loaded } from '../../components/Notice.tsx';
import { formatConnects, formatDateTime } from '../../format.ts';
import { useResource } from '../../hooks.ts';
import { useState } from 'react';

const statusText: Record<Simulation['status'], string> = {
  queued: 'queued',
  running: 'running',
  done: 'finished',
  failed: 'failed',
  cancelled: 'cancelled',
};

function population(input: Simulation['input']): string {
  const p = (input?.['population'] ?? {}) as { kind?: string; params?: { freelancers?: number } };
  if (p.kind === 'snapshot') return 'snapshot';
  const n = p.params?.freelancers;
  return n === undefined ? 'synthetic' : `${formatConnects(n)} synthetic`;
}

/**
 * The simulations stored on the server (GET /v1/admin/simulations), newest
 * first; a finished one opens its comparison again, with the candidate it ran.
 */
export function RecentSimulations({
  policyApi,
  reloadKey,
  onOpen,
}: {
  policyApi: PolicyApi;
  reloadKey: string;
  onOpen: (simulation: Simulation) => void;
}) {
  const list = useResource(`simulations-${reloadKey}`, () => policyApi.simulations());
  const [failure, setFailure] = useState<string | null>(null);
  const open = (id: string): void => {
    setFailure(null);
    policyApi.simulation(id).then(onOpen, (error: unknown) => setFailure(describeError(error, 'operator')));
  };
  return (
    <details className="recent-simulations">
      <summary>Recent simulations</summary>
      <Loaded resource={list} what="the simulations">
        {(simulations) =>
          simulations.length === 0 ? (
            <p className="muted">No simulation yet.</p>
          ) : (
            <div className="table-wrap">
              <table className="table table-stack" data-testid="recent-simulations">
                <thead>
                  <tr>
                    <th scope="col">Queued</th>
                    <th scope="col">By</th>
                    <th scope="col" className="num">
                      Months
                    </th>
                    <th scope="col">Population</th>
                    <th scope="col" className="num">
                      Seed
                    </th>
                    <th scope="col">Status</th>
                    <th scope="col">
                      <span className="visually-hidden">Open</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {simulations.map((s) => (
                    <tr key={s.id}>
                      <th scope="row" data-label="Queued">
                        {s.createdAt === null ? s.id : formatDateTime(s.createdAt)}
                      </th>
                      <td data-label="By">{s.createdBy ?? '—'}</td>
                      <td className="num" data-label="Months">
                        {String(s.input?.['months'] ?? '')}
                      </td>
                      <td data-label="Population">{population(s.input)}</td>
                      <td className="num" data-label="Seed">
                        {String(s.input?.['seed'] ?? '')}
                      </td>
                      <td data-label="Status">
                        {statusText[s.status]}
                        {s.status === 'running' ? ` (${Math.round(s.progress * 100)}%)` : ''}
                      </td>
                      <td data-label="Open">
                        {s.status === 'done' ? (
                          <button type="button" className="link-button" onClick={() => open(s.id)}>
                            Open<span className="visually-hidden"> the simulation {s.id}</span>
                          </button>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Loaded>
      {failure === null ? null : (
        <p role="alert" className="notice notice-error">
          {failure}
        </p>
      )}
    </details>
  );
}
