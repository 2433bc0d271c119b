import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { PolicyApi, Simulation } from '../../api/policy-api.ts';
import { ApiError } from '../../api/http.ts';
import { describeError } from '../../api/messages.ts';
import { Panel } from '../../components/Panel.tsx';
import { parseWhole } from '../../format.ts';
import type { Problem } from './policy-form.ts';
import { RecentSimulations } from './RecentSimulations.tsx';
import { SimulationResults } from './SimulationResults.tsx';

export interface SimulationSettings {
  readonly months: string;
  readonly population: 'synthetic' | 'snapshot';
  readonly freelancers: string;
  readonly seed: string;
}

export const defaultSettings: SimulationSettings = {
  months: '12',
  population: 'synthetic',
  freelancers: '2000',
  seed: '1',
};

/** How often a running simulation is asked for its progress. */
const POLL_MS = 400;

/**
 * Runs the candidate against the timeline as it stands: months, population
 * and seed, a progress bar with Cancel while it runs, then the comparison.
 * `prepare` turns the form into the candidate document, or reports the
 * problems the form itself can see (and returns null).
 */
export function SimulationPanel({
  policyApi,
  prepare,
  onProblems,
  simulation,
  setSimulation,
  stale,
}: {
  policyApi: PolicyApi;
  prepare: () => unknown;
  onProblems: (problems: Problem[]) => void;
  simulation: Simulation | null;
  setSimulation: (s: Simulation | null, candidate?: unknown) => void;
  stale: boolean;
}) {
  const id = useId();
  const [settings, setSettings] = useState(defaultSettings);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [settingProblems, setSettingProblems] = useState<Problem[]>([]);
  const running = simulation !== null && (simulation.status === 'queued' || simulation.status === 'running');
  const pollRef = useRef<number | null>(null);

  useEffect(() => {
    if (!running || simulation === null) return;
    let live = true;
    pollRef.current = window.setTimeout(() => {
      policyApi.simulation(simulation.id).then(
        (next) => live && setSimulation(next),
        (error: unknown) => live && setFailure(describeError(error, 'operator')),
      );
    }, POLL_MS);
    return () => {
      live = false;
      if (pollRef.current !== null) window.clearTimeout(pollRef.current);
    };
  }, [running, simulation, policyApi, setSimulation]);

  const change = (next: Partial<SimulationSettings>): void => {
    setSettings((s) => ({ ...s, ...next }));
    setSettingProblems([]);
    setFailure(null);
  };

  const onSubmit = (event: FormEvent): void => {
    event.preventDefault();
    setFailure(null);
    const local: Problem[] = [];
    const months = parseWhole(settings.months, 1, 36);
    if (months === undefined)
      local.push({ path: 'months', message: 'must be a whole number of months, 1 to 36' });
    const freelancers = parseWhole(settings.freelancers, 1, 1_000_000);
    if (settings.population === 'synthetic' && freelancers === undefined)
      local.push({
        path: 'population.params.freelancers',
        message: 'must be a whole number, 1 to 1,000,000',
      });
    const seed = parseWhole(settings.seed, 0, 2_147_483_647);
    if (seed === undefined)
      local.push({ path: 'seed', message: 'must be a whole number, 0 to 2,147,483,647' });
    setSettingProblems(local);
    const candidate = prepare();
    if (candidate === null || local.length > 0 || months === undefined || seed === undefined) return;
    setBusy(true);
    const population =
      settings.population === 'snapshot'
        ? { kind: 'snapshot' as const }
        : { kind: 'synthetic' as const, params: { freelancers: freelancers ?? 1 } };
    policyApi.simulate({ candidate, months, population, seed }).then(
      (started) => {
        setBusy(false);
        setSimulation(started, candidate);
      },
      (error: unknown) => {
        setBusy(false);
        const issues = error instanceof ApiError ? error.details['issues'] : undefined;
        if (Array.isArray(issues) && issues.length > 0) {
          const problems = (issues as Problem[]).map((i) => ({
            path: String(i.path),
            message: String(i.message),
          }));
          setSettingProblems(problems.filter((p) => /^(months|seed|population)/.test(p.path)));
          onProblems(problems.filter((p) => !/^(months|seed|population)/.test(p.path)));
          setFailure('The simulation was refused: see the fields marked.');
        } else setFailure(describeError(error, 'operator'));
      },
    );
  };

  const cancel = (): void => {
    if (simulation === null) return;
    policyApi.cancelSimulation(simulation.id).then(
      (cancelled) => setSimulation(cancelled),
      (error: unknown) => setFailure(describeError(error, 'operator')),
    );
  };

  const problemAt = (path: string): string | undefined =>
    settingProblems.find((p) => p.path === path || p.path.startsWith(`${path}.`))?.message;
  const field = (key: keyof SimulationSettings, label: string, path: string, hint?: string) => {
    const problem = problemAt(path);
    return (
      <div className="field">
        <label htmlFor={`${id}-${key}`}>{label}</label>
        <input
          id={`${id}-${key}`}
          inputMode="numeric"
          value={settings[key]}
          aria-invalid={problem === undefined ? undefined : true}
          aria-describedby={problem === undefined ? undefined : `${id}-${key}-problem`}
          onChange={(e) => change({ [key]: e.target.value })}
        />
        {hint === undefined ? null : <span className="hint">{hint}</span>}
        {problem === undefined ? null : (
          <p className="field-problem" id={`${id}-${key}-problem`}>
            {problem}
          </p>
        )}
      </div>
    );
  };

  return (
    <Panel title="Simulate">
      <p className="hint">
        The simulator runs the timeline as it stands (the baseline) and the timeline with this candidate on
        the same population with the same random draws, from the first of next month. Nothing live is touched.
      </p>
      <form className="form grid-form" onSubmit={onSubmit} noValidate aria-label="Simulation settings">
        {field('months', 'Months (1–36)', 'months')}
        <div className="field">
          <label htmlFor={`${id}-population`}>Population</label>
          <select
            id={`${id}-population`}
            value={settings.population}
            onChange={(e) => change({ population: e.target.value as SimulationSettings['population'] })}
          >
            <option value="synthetic">Synthetic</option>
            <option value="snapshot">Snapshot of the live accounts</option>
          </select>
        </div>
        {settings.population === 'synthetic'
          ? field('freelancers', 'Synthetic freelancers', 'population.params.freelancers', 'Up to 1,000,000.')
          : null}
        {field('seed', 'Seed', 'seed', 'The same inputs and seed give the same result.')}
        <div className="field-actions">
          <button type="submit" className="button" disabled={busy || running}>
            Run simulation
          </button>
          {running ? (
            <button type="button" className="button-quiet" onClick={cancel}>
              Cancel
            </button>
          ) : null}
        </div>
      </form>
      <div className="notice-slot">
        <p
          role="status"
          className={running || simulation?.status === 'cancelled' ? 'notice' : 'visually-hidden'}
        >
          {running
            ? `Simulating… ${Math.round((simulation?.progress ?? 0) * 100)}%`
            : simulation?.status === 'cancelled'
              ? 'The simulation was cancelled.'
              : simulation?.status === 'done'
                ? 'The simulation finished.'
                : ''}
        </p>
        {failure === null && simulation?.status !== 'failed' ? null : (
          <p role="alert" className="notice notice-error">
            {failure ?? `The simulation failed: ${simulation?.error ?? 'no reason given'}.`}
          </p>
        )}
      </div>
      {running ? (
        <progress
          className="sim-progress"
          max={1}
          value={simulation?.progress ?? 0}
          aria-label="Simulation progress"
        />
      ) : null}
      <RecentSimulations
        policyApi={policyApi}
        reloadKey={`${simulation?.id ?? ''}-${simulation?.status ?? ''}`}
        onOpen={(opened) => setSimulation(opened, opened.input?.['candidate'])}
      />
      {simulation?.status === 'done' && simulation.result !== null ? (
        <>
          {stale ? (
            <p className="notice notice-warn">
              The form has changed since this simulation ran; run it again to compare the new values.
            </p>
          ) : null}
          <SimulationResults result={simulation.result} />
        </>
      ) : null}
    </Panel>
  );
}
