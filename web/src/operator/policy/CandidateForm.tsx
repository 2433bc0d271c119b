import { useId } from 'react';
import {
  describeValue,
  fieldGroups,
  ruleChanges,
  type Draft,
  type FieldSpec,
  type Policy,
  type Problem,
  type TierDraft,
} from './policy-form.ts';
import { formatCents } from '../../format.ts';

/**
 * Every field of the candidate policy, grouped as the document is, with the
 * value in force now beside each input and a problem (from the form or from
 * the server, by field path) under it. Changed fields are marked.
 */
export function CandidateForm({
  draft,
  current,
  problems,
  onChange,
  disabled,
}: {
  draft: Draft;
  current: Policy;
  problems: readonly Problem[];
  onChange: (draft: Draft) => void;
  disabled: boolean;
}) {
  const changed = new Set(ruleChanges(draft, current));
  const set = (values: Record<string, string>): void =>
    onChange({ ...draft, values: { ...draft.values, ...values } });
  const problemsAt = (path: string): string[] => [
    ...new Set(problems.filter((p) => p.path === path).map((p) => p.message)),
  ];
  return (
    <div className="policy-form" data-testid="candidate-form">
      <p className="hint">
        {changed.size === 0
          ? 'No field differs from the policy in force yet.'
          : `${changed.size} ${changed.size === 1 ? 'field differs' : 'fields differ'} from the policy in force.`}
      </p>
      {fieldGroups.map((group) => (
        <fieldset key={group.title} className="policy-group" disabled={disabled}>
          <legend>{group.title}</legend>
          <div className="policy-grid">
            {group.fields.map((field) => (
              <Field
                key={field.path}
                field={field}
                draft={draft}
                now={describeValue(current, field)}
                changed={changed.has(field.path)}
                problems={problemsAt(field.path)}
                set={set}
              />
            ))}
            {group.title === 'Rate card' ? (
              <Tiers
                tiers={draft.tiers}
                current={current}
                changed={changed.has('rateCard.tiers')}
                problemsAt={problemsAt}
                onChange={(tiers) => onChange({ ...draft, tiers })}
              />
            ) : null}
          </div>
        </fieldset>
      ))}
    </div>
  );
}

function Field({
  field,
  draft,
  now,
  changed,
  problems,
  set,
}: {
  field: FieldSpec;
  draft: Draft;
  now: string;
  changed: boolean;
  problems: string[];
  set: (values: Record<string, string>) => void;
}) {
  const id = useId();
  const value = draft.values[field.path] ?? '';
  const describedBy = `${id}-now${problems.length > 0 ? ` ${id}-problem` : ''}${field.hint ? ` ${id}-hint` : ''}`;
  const common = {
    id,
    'aria-describedby': describedBy,
    'aria-invalid': problems.length > 0 ? true : undefined,
  } as const;
  let input;
  if (field.kind === 'choice') {
    input = (
      <select {...common} value={value} onChange={(e) => set({ [field.path]: e.target.value })}>
        {field.options?.map(([v, label]) => (
          <option key={v} value={v}>
            {label}
          </option>
        ))}
      </select>
    );
  } else if (field.kind === 'fixed') {
    input = <input {...common} value="Soonest expiry first" readOnly />;
  } else if (field.kind === 'plans') {
    const chosen = value.split(/[\s,]+/).filter((s) => s !== '');
    const toggle = (plan: string, on: boolean): void => {
      const next = ['basic', 'plus'].filter((p) => (p === plan ? on : chosen.includes(p)));
      set({ [field.path]: next.join(', ') });
    };
    input = (
      <span
        className="policy-checks"
        role="group"
        aria-labelledby={`${id}-label`}
        aria-describedby={describedBy}
      >
        {(['basic', 'plus'] as const).map((plan) => (
          <label key={plan} className="check">
            <input
              type="checkbox"
              checked={chosen.includes(plan)}
              onChange={(e) => toggle(plan, e.target.checked)}
            />
            {plan === 'basic' ? 'Basic' : 'Plus'}
          </label>
        ))}
      </span>
    );
  } else if (field.kind === 'lifetime' || field.kind === 'planLifetime') {
    const kind = draft.values[`${field.path}.kind`] ?? '';
    const amount = draft.values[`${field.path}.amount`] ?? '';
    input = (
      <span className="policy-lifetime">
        <select
          {...common}
          value={kind}
          onChange={(e) =>
            set({
              [`${field.path}.kind`]: e.target.value,
              [`${field.path}.amount`]: e.target.value === 'days' ? '365' : e.target.value === '' ? '' : '1',
            })
          }
        >
          {field.kind === 'planLifetime' ? <option value="">Same as the lot lifetime</option> : null}
          <option value="calendar_years">Calendar years</option>
          <option value="days">Days</option>
          <option value="end_of_cycle">To the end of the billing cycle</option>
        </select>
        {kind === 'calendar_years' || kind === 'days' ? (
          <input
            aria-label={`${field.label}: number of ${kind === 'days' ? 'days' : 'years'}`}
            inputMode="numeric"
            className="policy-amount"
            value={amount}
            onChange={(e) => set({ [`${field.path}.amount`]: e.target.value })}
          />
        ) : null}
      </span>
    );
  } else {
    input = (
      <input
        {...common}
        inputMode={field.kind === 'text' || field.kind === 'instant' ? undefined : 'decimal'}
        value={value}
        onChange={(e) => set({ [field.path]: e.target.value })}
      />
    );
  }
  return (
    <div className={`policy-field${changed ? ' is-changed' : ''}`} data-path={field.path}>
      <label htmlFor={id} id={`${id}-label`}>
        {field.label}
        {field.unit === undefined || field.kind === 'cents' ? null : (
          <span className="unit"> ({field.unit})</span>
        )}
        {field.kind === 'cents' ? <span className="unit"> ($)</span> : null}
      </label>
      <div className="policy-input">
        {input}
        <span className="policy-now" id={`${id}-now`}>
          Now: {now}
          {changed ? <span className="tag tag-changed">changed</span> : null}
        </span>
      </div>
      {field.hint === undefined ? null : (
        <p className="hint" id={`${id}-hint`}>
          {field.hint}
        </p>
      )}
      {problems.length === 0 ? null : (
        <p className="field-problem" id={`${id}-problem`} data-testid={`problem-${field.path}`}>
          {problems.join('; ')}
        </p>
      )}
    </div>
  );
}

function Tiers({
  tiers,
  current,
  changed,
  problemsAt,
  onChange,
}: {
  tiers: readonly TierDraft[];
  current: Policy;
  changed: boolean;
  problemsAt: (path: string) => string[];
  onChange: (tiers: TierDraft[]) => void;
}) {
  const id = useId();
  const nowText = current.rateCard.tiers
    .map((t) =>
      t.belowBudgetCents === null
        ? `otherwise ${t.connects}`
        : `below ${formatCents(t.belowBudgetCents)}: ${t.connects}`,
    )
    .join('; ');
  const update = (i: number, tier: Partial<TierDraft>): void =>
    onChange(tiers.map((t, j) => (j === i ? { ...t, ...tier } : t)));
  const tierProblems = problemsAt('rateCard.tiers');
  return (
    <div className={`policy-field policy-tiers${changed ? ' is-changed' : ''}`} data-path="rateCard.tiers">
      <p id={`${id}-title`} className="policy-tiers-title">
        Fixed-price jobs, by the client’s budget (Connects per proposal)
      </p>
      <p className="policy-now">
        Now: {nowText}
        {changed ? <span className="tag tag-changed">changed</span> : null}
      </p>
      <table className="table policy-tier-table" aria-labelledby={`${id}-title`}>
        <thead>
          <tr>
            <th scope="col">Budget below ($, empty on the last tier)</th>
            <th scope="col">Connects</th>
            <th scope="col">
              <span className="visually-hidden">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tiers.map((tier, i) => {
            const belowProblems = problemsAt(`rateCard.tiers.${i}.belowBudgetCents`);
            const connectsProblems = [
              ...problemsAt(`rateCard.tiers.${i}.connects`),
              ...problemsAt(`rateCard.tiers.${i}`),
            ];
            return (
              <tr key={i}>
                <td>
                  <input
                    aria-label={`Tier ${i + 1}: budget below ($)`}
                    inputMode="decimal"
                    value={tier.below}
                    aria-invalid={belowProblems.length > 0 ? true : undefined}
                    onChange={(e) => update(i, { below: e.target.value })}
                  />
                  {belowProblems.length === 0 ? null : (
                    <p className="field-problem" data-testid={`problem-rateCard.tiers.${i}.belowBudgetCents`}>
                      {belowProblems.join('; ')}
                    </p>
                  )}
                </td>
                <td>
                  <input
                    aria-label={`Tier ${i + 1}: Connects`}
                    inputMode="numeric"
                    value={tier.connects}
                    aria-invalid={connectsProblems.length > 0 ? true : undefined}
                    onChange={(e) => update(i, { connects: e.target.value })}
                  />
                  {connectsProblems.length === 0 ? null : (
                    <p className="field-problem">{connectsProblems.join('; ')}</p>
                  )}
                </td>
                <td>
                  <button
                    type="button"
                    className="link-button"
                    disabled={tiers.length <= 1}
                    onClick={() => onChange(tiers.filter((_, j) => j !== i))}
                  >
                    Remove<span className="visually-hidden"> tier {i + 1}</span>
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <button
        type="button"
        className="button-quiet"
        disabled={tiers.length >= 20}
        onClick={() => {
          const last = tiers[tiers.length - 1];
          // A new tier goes before the open-ended last one.
          const rest = tiers.slice(0, -1);
          onChange([...rest, { below: '', connects: last?.connects ?? '' }, ...(last ? [last] : [])]);
        }}
      >
        Add a tier
      </button>
      {tierProblems.length === 0 ? null : (
        <p className="field-problem" data-testid="problem-rateCard.tiers">
          {tierProblems.join('; ')}
        </p>
      )}
    </div>
  );
}
