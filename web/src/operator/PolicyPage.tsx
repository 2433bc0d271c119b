import { useCallback, useId, useMemo, useState, type FormEvent } from 'react';
import { createPolicyApi, type PolicyRecord, type Simulation } from '../api/policy-api.ts';
import { ActionNotice, LoadError, Loaded, Loading } from '../components/Notice.tsx';
import { Panel } from '../components/Panel.tsx';
import { connectsLabel, formatDate, parseWhole } from '../format.ts';
import { useAction, useApp, usePolicy, useResource } from '../hooks.ts';
import { CandidateForm } from './policy/CandidateForm.tsx';
import {
  allFields,
  formPath,
  fromPolicy,
  nextMonthStart,
  ruleChanges,
  toDocument,
  type Draft,
  type Policy,
  type Problem,
} from './policy/policy-form.ts';
import { SchedulePanel } from './policy/SchedulePanel.tsx';
import { SimulationPanel } from './policy/SimulationPanel.tsx';
import { PolicyTimelineTable } from './policy/TimelineTable.tsx';
import './policy/policy.css';

/**
 * The policy area: the timeline in the store (past, in force, scheduled),
 * a candidate edited as a form beside the values in force, a simulation of
 * it against the timeline as it stands, and scheduling it; then the badge
 * price.
 */
export function PolicyPage() {
  const { api } = useApp();
  const policyApi = useMemo(() => createPolicyApi(api), [api]);
  const policy = usePolicy();
  const list = useResource('admin-policies', () => policyApi.policies());
  const [studio, setStudio] = useState<{ draft: Draft; from: string } | null>(null);
  const inForce = list.data?.policies.find((p) => p.state === 'in_force');

  const start = (record: PolicyRecord): void => {
    const draft = fromPolicy(record.policy);
    if (record.state === 'scheduled') setStudio({ draft, from: record.id });
    else {
      const from = nextMonthStart(list.data?.now ?? new Date().toISOString());
      setStudio({
        from: record.id,
        draft: {
          ...draft,
          values: {
            ...draft.values,
            id: `policy-${from}`,
            name: `${record.policy.name}, revised`,
            effectiveFrom: from,
          },
        },
      });
    }
    window.setTimeout(() => document.getElementById('candidate')?.scrollIntoView({ block: 'start' }), 0);
  };

  return (
    <>
      <h1>Policy</h1>
      {policy.error !== undefined ? <LoadError error={policy.error} retry={policy.reload} /> : null}
      {policy.data === undefined ? (
        policy.error === undefined ? (
          <Loading what="the policy" />
        ) : null
      ) : (
        <p>
          In force now: <strong data-testid="policy-current">{policy.data.current.name}</strong>
          {policy.data.nextChangeAt === null
            ? '. No change is scheduled.'
            : `; next change ${formatDate(policy.data.nextChangeAt)}.`}
        </p>
      )}
      <Panel title="Timeline">
        <Loaded resource={list} what="the timeline">
          {(data) => <PolicyTimelineTable records={data.policies} onEdit={start} policyApi={policyApi} />}
        </Loaded>
      </Panel>
      {inForce === undefined || list.data === undefined ? null : studio === null ? (
        <Panel title="Candidate policy">
          <p>
            Edit a candidate as a form, every field beside the value in force now, simulate it against the
            timeline as it stands, and schedule it.
          </p>
          <button type="button" className="button" onClick={() => start(inForce)}>
            Start a candidate from the policy in force
          </button>
        </Panel>
      ) : (
        <Studio
          key={studio.from}
          initial={studio.draft}
          current={inForce.policy}
          records={list.data.policies}
          now={list.data.now}
          policyApi={policyApi}
          onClose={() => setStudio(null)}
        />
      )}
      {policy.data === undefined ? null : (
        <BadgePricePanel policyDefault={policy.data.current.availabilityBadge.weeklyPriceConnects} />
      )}
    </>
  );
}

/** JSON with object keys sorted: the same document whatever order a store kept its keys in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** A path's section: `purchase` for `purchase.bundles.0`, the field itself at the top level. */
const section = (path: string): string => path.split('.')[0] ?? path;

/** Keys of the form whose text differs between two drafts (a tier change counts as rateCard.tiers). */
function editedKeys(before: Draft, after: Draft): string[] {
  const keys = new Set([...Object.keys(before.values), ...Object.keys(after.values)]);
  const edited = [...keys].filter((k) => before.values[k] !== after.values[k]);
  return JSON.stringify(before.tiers) === JSON.stringify(after.tiers)
    ? edited
    : [...edited, 'rateCard.tiers'];
}

function Studio({
  initial,
  current,
  records,
  now,
  policyApi,
  onClose,
}: {
  initial: Draft;
  current: Policy;
  records: readonly PolicyRecord[];
  now: string;
  policyApi: ReturnType<typeof createPolicyApi>;
  onClose: () => void;
}) {
  const [draft, setDraft] = useState(initial);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [simulation, setSimulationState] = useState<Simulation | null>(null);
  const [simulated, setSimulated] = useState<string | null>(null);
  const document = useMemo(() => toDocument(draft), [draft]);

  const change = (next: Draft): void => {
    // A problem goes away as soon as a value it was about changes: the field's, or one in its section
    // (a purchase's bundles are judged against its smallest and largest purchase).
    const edited = editedKeys(draft, next).map(section);
    setProblems((ps) => ps.filter((p) => !edited.includes(section(p.path))));
    setDraft(next);
  };
  const showProblems = useCallback((ps: Problem[]): void => {
    setProblems(ps.map((p) => ({ path: formPath(p.path), message: p.message })));
  }, []);
  const prepare = (): unknown => {
    setProblems(document.problems);
    return document.problems.length > 0 ? null : document.document;
  };
  const setSimulation = useCallback((s: Simulation | null, candidate?: unknown): void => {
    setSimulationState(s);
    if (candidate !== undefined) setSimulated(canonical(candidate));
  }, []);
  const id = draft.values['id']?.trim() ?? '';
  const replaces = records.some((r) => r.id === id && r.state === 'scheduled');
  const labelOf = (path: string): string =>
    allFields.find((f) => f.path === path)?.label ??
    (path.startsWith('rateCard.tiers') ? 'Rate card tiers' : path);

  return (
    <>
      <Panel
        title="Candidate policy"
        actions={
          <button type="button" className="button-quiet" onClick={onClose}>
            Discard the candidate
          </button>
        }
      >
        <div id="candidate" />
        {problems.length === 0 ? null : (
          <div role="alert" className="notice notice-error" data-testid="form-problems">
            {problems.length === 1 ? '1 value needs attention:' : `${problems.length} values need attention:`}
            <ul>
              {problems.map((p, i) => (
                <li key={`${p.path}-${i}`}>
                  {labelOf(p.path)} ({p.path || 'the policy'}): {p.message}
                </li>
              ))}
            </ul>
          </div>
        )}
        <CandidateForm
          draft={draft}
          current={current}
          problems={problems}
          onChange={change}
          disabled={false}
        />
      </Panel>
      <SimulationPanel
        policyApi={policyApi}
        prepare={prepare}
        onProblems={showProblems}
        simulation={simulation}
        setSimulation={setSimulation}
        stale={simulated !== null && simulated !== canonical(document.document)}
      />
      <SchedulePanel
        policyApi={policyApi}
        prepare={prepare}
        effectiveFrom={draft.values['effectiveFrom'] ?? ''}
        setEffectiveFrom={(text) => change({ ...draft, values: { ...draft.values, effectiveFrom: text } })}
        name={draft.values['name'] ?? ''}
        policyId={id}
        replaces={replaces}
        now={now}
        changes={ruleChanges(draft, current).map(labelOf)}
        onProblems={showProblems}
        simulated={simulation?.status === 'done'}
      />
    </>
  );
}

function BadgePricePanel({ policyDefault }: { policyDefault: number }) {
  const { api } = useApp();
  const action = useAction();
  const id = useId();
  const inForce = useResource('badge-price', () => api.badgePrice());
  const current = inForce.data?.weeklyPriceConnects ?? policyDefault;
  const [edited, setPrice] = useState<string | null>(null);
  const price = edited ?? String(current);
  const onSubmit = (event: FormEvent): void => {
    event.preventDefault();
    const weekly = parseWhole(price, 0, 1000);
    if (weekly === undefined)
      return action.fail('The price is a whole number of Connects per week, from 0 to 1000.');
    void action.run(async () => {
      await api.setBadgePrice(weekly);
      return `The “Available now” badge now costs ${connectsLabel(weekly)} a week. Badges whose maximum is lower switch off.`;
    });
  };
  return (
    <Panel title="“Available now” badge price">
      <p>
        In force now: <strong data-testid="badge-price-now">{connectsLabel(current)}</strong> a week
        {inForce.data?.effectiveAt
          ? ` (since ${formatDate(inForce.data.effectiveAt)})`
          : ' (the policy default)'}
        .
      </p>
      <form className="form form-inline" onSubmit={onSubmit} noValidate>
        <div className="field">
          <label htmlFor={id}>Connects per week</label>
          <input id={id} inputMode="numeric" value={price} onChange={(e) => setPrice(e.target.value)} />
        </div>
        <button type="submit" className="button" disabled={action.busy}>
          Set price
        </button>
      </form>
      <ActionNotice state={action.state} />
    </Panel>
  );
}
