import { listAudit, MAX_AUDIT_PAGE } from '../../app/operators/audit.ts';
import { toIso } from '../../core/time.ts';
import { defineCommand } from '../command.ts';
import { formatTable, printJson } from '../output.ts';
import { instantArg, wholeArg } from './support/args.ts';
import { valueOf, withApp } from './support/open-app.ts';

export const auditCommand = defineCommand({
  name: 'audit',
  summary: 'Who did what: operator write requests, refused ones included, newest first.',
  positionals: { min: 0, max: 0 },
  details: [
    'One row per write request an operator key or the admin token made through the API, with its',
    'request id (as in the server logs), route, outcome and the ledger entries it wrote',
    '(docs/operators.md, "Audit trail").',
    '',
    'Examples:',
    '  connects audit --actor sam --since 2026-12-01',
    '  connects audit --freelancer ada --json',
  ].join('\n'),
  options: {
    actor: {
      type: 'string',
      description: 'Only this operator id (admin: the bootstrap token).',
      placeholder: 'ID',
    },
    freelancer: { type: 'string', description: 'Only rows about this freelancer.', placeholder: 'ID' },
    since: { type: 'string', description: 'Rows at or after this instant.', placeholder: 'ISO' },
    until: { type: 'string', description: 'Rows before this instant.', placeholder: 'ISO' },
    limit: {
      type: 'string',
      description: `Rows to show (1-${MAX_AUDIT_PAGE}, default 50).`,
      placeholder: 'N',
    },
    cursor: {
      type: 'string',
      description: 'The next page (printed under a full page).',
      placeholder: 'CURSOR',
    },
  },
  async run({ io, json, values }) {
    const query = {
      ...(values.actor === undefined ? {} : { actor: values.actor }),
      ...(values.freelancer === undefined ? {} : { freelancerId: values.freelancer }),
      ...(values.since === undefined ? {} : { since: instantArg('--since', values.since) }),
      ...(values.until === undefined ? {} : { until: instantArg('--until', values.until) }),
      ...(values.limit === undefined ? {} : { limit: wholeArg('--limit', values.limit, 1, MAX_AUDIT_PAGE) }),
      ...(values.cursor === undefined ? {} : { cursor: values.cursor }),
    };
    const page = await withApp(io, async ({ store }) => valueOf(await listAudit(store, query)));
    const rows = page.rows.map((r) => ({ ...r, at: toIso(r.at) }));
    if (json) {
      printJson(io, { rows, nextCursor: page.nextCursor });
      return;
    }
    if (rows.length === 0) {
      io.stdout('No audit rows match.\n');
      return;
    }
    io.stdout(
      formatTable(rows, [
        { header: 'AT', value: (r) => r.at },
        { header: 'ACTOR', value: (r) => `${r.actor} (${r.actorRole})` },
        { header: 'REQUEST', value: (r) => `${r.method} ${r.route}` },
        { header: 'FREELANCER', value: (r) => r.freelancerId ?? '' },
        { header: 'STATUS', value: (r) => (r.errorCode === null ? r.status : `${r.status} ${r.errorCode}`) },
        { header: 'ENTRIES', value: (r) => r.entries.map((e) => `${e.account}#${e.seq}`).join(' ') },
        { header: 'REQUEST ID', value: (r) => r.requestId },
      ]),
    );
    if (page.nextCursor !== null) io.stdout(`More: connects audit --cursor ${page.nextCursor}\n`);
  },
});
