import { schedulePolicy } from '../../app/policy/schedule-policy.ts';
import { readStoredTimeline, viewsAt, type PolicyView } from '../../app/policy/stored-timeline.ts';
import { withdrawPolicy } from '../../app/policy/withdraw-policy.ts';
import { diffPolicies, type PolicyChange } from '../../core/policy/diff.ts';
import { withDocument } from '../../core/policy/document.ts';
import { policyJsonSchema } from '../../core/policy/json-schema.ts';
import type { Policy } from '../../core/policy/schema.ts';
import { policyAt, type PolicyTimeline } from '../../core/policy/timeline.ts';
import { parseInstant, toIso, type Instant } from '../../core/time.ts';
import { readPolicyDocument, type PolicyDocument } from '../../policy-file.ts';
import { defineCommand, EXIT_BUSINESS, type CliIo } from '../command.ts';
import { counted, formatFields, formatTable, printJson } from '../output.ts';
import { nowArg } from './support/args.ts';
import { valueOf, withApp } from './support/open-app.ts';

/**
 * `connects policy ...`: the operator's policy timeline from the shell
 * (docs/policy.md). The same use cases as the admin API; `validate` and
 * `schema` need no store.
 */

const nowOption = {
  now: {
    type: 'string',
    description: "The service's time to judge against (a server on a manual clock); default: now.",
    placeholder: 'ISO',
  },
} as const;

const wireView = (v: PolicyView) => ({
  id: v.policy.id,
  name: v.policy.name,
  effectiveFrom: v.policy.effectiveFrom,
  state: v.state,
  note: v.note,
  scheduledBy: v.scheduledBy,
  scheduledAt: toIso(v.scheduledAt),
});

/** A file that does not validate: every problem with its field path printed, and undefined (exit code 1). */
async function documentOf(io: CliIo, json: boolean, file: string): Promise<PolicyDocument | undefined> {
  const read = await readPolicyDocument(file);
  if (read.ok) return read.value;
  const issues = (read.error.details?.['issues'] as { path: string; message: string }[] | undefined) ?? [
    { path: '', message: read.error.message },
  ];
  if (json) {
    printJson(io, { valid: false, file, issues });
    return undefined;
  }
  const lines = issues.map((i) => `  ${i.path || '(document)'}: ${i.message}`).join('\n');
  io.stderr(`${file} is not a valid policy file (${counted(issues.length, 'problem')}):\n${lines}\n`);
  return undefined;
}

export const policyShowCommand = defineCommand({
  name: 'policy show',
  summary: 'Show the policy timeline: each policy, its state, note and who scheduled it.',
  details: 'States are judged at --now (default: the real clock).',
  options: nowOption,
  async run({ io, json, values }) {
    const now = nowArg(values.now);
    const views = await withApp(io, async ({ store }) => viewsAt(await readStoredTimeline(store), now));
    if (json) {
      printJson(io, { now: toIso(now), policies: views.map((v) => ({ ...wireView(v), policy: v.policy })) });
      return;
    }
    io.stdout(
      formatTable(views.map(wireView), [
        { header: 'Id', value: (r) => r.id },
        { header: 'Effective from', value: (r) => r.effectiveFrom },
        { header: 'State', value: (r) => r.state },
        { header: 'Name', value: (r) => r.name },
        { header: 'By', value: (r) => r.scheduledBy },
        { header: 'Note', value: (r) => r.note ?? '' },
      ]),
    );
  },
});

export const policyValidateCommand = defineCommand({
  name: 'policy validate',
  summary: 'Check a policy file (one policy or a list) without the store; every problem with its path.',
  args: '<file>',
  positionals: { min: 1, max: 1 },
  details: 'Exit code 0 when valid, 1 with the list of problems otherwise. Does not open the store.',
  options: {},
  async run({ io, json, positionals }) {
    const file = positionals[0] as string;
    const document = await documentOf(io, json, file);
    if (document === undefined) return EXIT_BUSINESS;
    const ids = document.policies.map((p) => p.id);
    if (json) printJson(io, { valid: true, file, policies: ids });
    else io.stdout(`${file} is valid: ${ids.join(', ')}\n`);
  },
});

/** What a policy of the file is compared with: the stored one with its id, else the one in force at its start. */
function baselineOf(timeline: PolicyTimeline, candidate: Policy): Policy {
  const same = timeline.policies.find((p) => p.id === candidate.id);
  return same ?? policyAt(timeline, parseInstant(candidate.effectiveFrom) as Instant);
}

export const policyDiffCommand = defineCommand({
  name: 'policy diff',
  summary:
    'Show what a policy file changes: against the stored policy with its id, else the one in force at its start.',
  args: '<file>',
  positionals: { min: 1, max: 1 },
  options: {},
  async run({ io, json, positionals }) {
    const document = await documentOf(io, json, positionals[0] as string);
    if (document === undefined) return EXIT_BUSINESS;
    const diffs = await withApp(io, async ({ store }) => {
      const { timeline } = await readStoredTimeline(store);
      return document.policies.map((policy) => {
        const base = baselineOf(timeline, policy);
        return { id: policy.id, against: base.id, changes: diffPolicies(base, policy) };
      });
    });
    if (json) {
      printJson(io, { policies: diffs });
      return;
    }
    const show = (v: unknown): string => (v === undefined ? '(absent)' : JSON.stringify(v));
    for (const d of diffs) {
      io.stdout(
        `${d.id} against ${d.against}: ${d.changes.length} change${d.changes.length === 1 ? '' : 's'}\n`,
      );
      if (d.changes.length > 0) {
        io.stdout(
          formatTable<PolicyChange>(d.changes, [
            { header: 'Field', value: (c) => c.path },
            { header: 'From', value: (c) => show(c.from) },
            { header: 'To', value: (c) => show(c.to) },
          ]),
        );
      }
    }
  },
});

export const policyScheduleCommand = defineCommand({
  name: 'policy schedule',
  summary: 'Schedule the policies of a file at their effectiveFrom (at or after now).',
  args: '<file>',
  positionals: { min: 1, max: 1 },
  details: [
    'All or nothing: the whole file is checked against the stored timeline first. Idempotent by policy id:',
    'a policy already stored with the same body is left as is; a different body under a known id is',
    'refused (policy_conflict) unless --replace, which replaces a policy still scheduled. A policy in force',
    'or past never changes (policy_in_force).',
    '',
    'Examples:',
    '  connects policy schedule plus-100.json --note "Plus at 100 Connects from March"',
  ].join('\n'),
  options: {
    note: {
      type: 'string',
      description: 'Why (kept with the policy and in its event).',
      placeholder: 'TEXT',
    },
    replace: { type: 'boolean', description: 'Replace scheduled policies with the same ids.' },
    ...nowOption,
  },
  async run({ io, json, values, positionals }) {
    const file = positionals[0] as string;
    const document = await documentOf(io, json, file);
    if (document === undefined) return EXIT_BUSINESS;
    const now = nowArg(values.now);
    const outcome = await withApp(io, async ({ ctx, store }) => {
      const stored = await readStoredTimeline(store);
      const sameIds = document.policies.filter((p) => stored.timeline.policies.some((s) => s.id === p.id));
      // --replace aside, an id already stored is the use case's call (replay or policy_conflict).
      const fresh =
        values.replace === true ? document.policies : document.policies.filter((p) => !sameIds.includes(p));
      valueOf(withDocument(stored.timeline, fresh, now, document.listed));
      const results = [];
      for (const policy of document.policies) {
        const input = {
          policy,
          note: values.note ?? null,
          scheduledBy: 'cli',
          replace: values.replace === true,
        };
        results.push(valueOf(await schedulePolicy(ctx, input, now)));
      }
      return results;
    });
    if (json) {
      printJson(io, {
        policies: outcome.map((o) => ({ ...wireView(o.view), changed: o.changed, replaced: o.replaced })),
      });
      return;
    }
    for (const o of outcome) {
      const what = !o.changed ? 'already scheduled, unchanged' : o.replaced ? 'replaced' : 'scheduled';
      io.stdout(
        `${o.view.policy.id}: ${what}\n` +
          formatFields([
            ['Effective from', o.view.policy.effectiveFrom],
            ['State', o.view.state],
          ]),
      );
    }
  },
});

export const policyWithdrawCommand = defineCommand({
  name: 'policy withdraw',
  summary: 'Withdraw a scheduled policy (one in force or past cannot be).',
  args: '<id>',
  positionals: { min: 1, max: 1 },
  options: nowOption,
  async run({ io, json, values, positionals }) {
    const id = positionals[0] as string;
    const now = nowArg(values.now);
    const record = await withApp(io, async ({ ctx }) =>
      valueOf(await withdrawPolicy(ctx, { id, withdrawnBy: 'cli' }, now)),
    );
    if (json) printJson(io, { withdrawn: id, effectiveFrom: record.policy.effectiveFrom });
    else io.stdout(`Withdrew ${id} (was to take effect ${record.policy.effectiveFrom}).\n`);
  },
});

export const policySchemaCommand = defineCommand({
  name: 'policy schema',
  summary: 'Print the JSON Schema of a policy file (as GET /v1/policy.schema.json serves it).',
  details: 'docs/policy.schema.json is this output; editors use it to check policy files as you type.',
  options: {},
  async run({ io }) {
    printJson(io, policyJsonSchema());
    return Promise.resolve();
  },
});
