import {
  BOOTSTRAP_ACTOR,
  createOperator,
  listOperators,
  revokeOperatorKey,
  ROLES,
  type Role,
} from '../../app/operators/operators.ts';
import { toIso } from '../../core/time.ts';
import { defineCommand, usageError } from '../command.ts';
import { formatFields, formatTable, printJson } from '../output.ts';
import { instantArg, requiredArg } from './support/args.ts';
import { valueOf, withApp } from './support/open-app.ts';

/**
 * Operators from the command line (docs/operators.md): the way to create the
 * first owner key without the bootstrap token, and to revoke a leaked key
 * when the API is down. The CLI acts as the bootstrap owner: what it creates
 * is recorded as made by `admin`.
 */

const isoOrNull = (t: number | null): string | null => (t === null ? null : toIso(t));

export const operatorsAddCommand = defineCommand({
  name: 'operators add',
  summary: 'Create an operator with a role and print its first key (shown once).',
  args: '<operator-id>',
  positionals: { min: 1, max: 1 },
  details: [
    `Roles: ${ROLES.join(', ')} (docs/operators.md, "Roles"). The key (cop_...) is printed once;`,
    'only its hash is stored. An existing id is refused (operator_exists): issue another key through',
    'the API (POST /v1/admin/operators/{id}/keys) instead.',
    '',
    'Examples:',
    '  connects operators add sam --role support',
    '  connects operators add ci-import --role marketplace --expires 2027-01-01',
  ].join('\n'),
  options: {
    role: { type: 'string', description: `The role: ${ROLES.join(', ')}.`, placeholder: 'ROLE' },
    expires: {
      type: 'string',
      description: 'When the key stops working (default: never).',
      placeholder: 'ISO',
    },
  },
  async run({ io, json, values, positionals }) {
    const id = positionals[0] as string;
    const role = requiredArg('--role', values.role);
    if (!(ROLES as readonly string[]).includes(role)) {
      throw usageError(`--role must be one of ${ROLES.join(', ')}`);
    }
    const expiresAt = values.expires === undefined ? undefined : instantArg('--expires', values.expires);
    const input = { id, role: role as Role, ...(expiresAt === undefined ? {} : { expiresAt }) };
    const issued = await withApp(io, async ({ store }) =>
      valueOf(await createOperator(store, input, BOOTSTRAP_ACTOR, Date.now())),
    );
    const wire = {
      id: issued.operatorId,
      role: issued.role,
      keyId: issued.keyId,
      key: issued.key,
      expiresAt: isoOrNull(issued.expiresAt),
    };
    if (json) {
      printJson(io, wire);
      return;
    }
    io.stdout(
      `Operator ${wire.id} (${wire.role}) is ready. Its key is shown only now:\n\n  ${wire.key}\n\n` +
        formatFields([
          ['Key id', wire.keyId],
          ['Expires', wire.expiresAt ?? 'never'],
        ]),
    );
  },
});

export const operatorsListCommand = defineCommand({
  name: 'operators list',
  summary: "List operators with their roles and keys' metadata (never a secret).",
  positionals: { min: 0, max: 0 },
  options: {},
  async run({ io, json }) {
    const now = Date.now();
    const operators = await withApp(io, ({ store }) => listOperators(store));
    const rows = operators.flatMap((o) =>
      (o.keys.length === 0 ? [undefined] : o.keys).map((k) => ({
        id: o.id,
        role: o.role,
        keyId: k?.keyId ?? '',
        createdAt: k === undefined ? toIso(o.createdAt) : toIso(k.createdAt),
        expiresAt: k === undefined ? null : isoOrNull(k.expiresAt),
        state:
          k === undefined
            ? 'no key'
            : k.revokedAt !== null
              ? `revoked ${toIso(k.revokedAt)}`
              : k.expiresAt !== null && k.expiresAt <= now
                ? 'expired'
                : 'active',
      })),
    );
    if (json) {
      printJson(io, {
        operators: operators.map((o) => ({
          id: o.id,
          role: o.role,
          createdAt: toIso(o.createdAt),
          createdBy: o.createdBy,
          keys: o.keys.map((k) => ({
            keyId: k.keyId,
            createdAt: toIso(k.createdAt),
            createdBy: k.createdBy,
            expiresAt: isoOrNull(k.expiresAt),
            revokedAt: isoOrNull(k.revokedAt),
          })),
        })),
      });
      return;
    }
    if (rows.length === 0) {
      io.stdout('No operators yet (connects operators add ID --role ROLE).\n');
      return;
    }
    io.stdout(
      formatTable(rows, [
        { header: 'OPERATOR', value: (r) => r.id },
        { header: 'ROLE', value: (r) => r.role },
        { header: 'KEY', value: (r) => r.keyId },
        { header: 'CREATED', value: (r) => r.createdAt },
        { header: 'EXPIRES', value: (r) => r.expiresAt ?? 'never' },
        { header: 'STATE', value: (r) => r.state },
      ]),
    );
  },
});

export const operatorsRevokeCommand = defineCommand({
  name: 'operators revoke',
  summary: "Revoke an operator's key: refused from the next request on, in every server process.",
  args: '<operator-id> <key-id>',
  positionals: { min: 2, max: 2 },
  details: 'Revoking twice keeps the first revocation time. An unknown operator or key is not_found.',
  options: {},
  async run({ io, json, positionals }) {
    const [id, keyId] = positionals as [string, string];
    const info = await withApp(io, async ({ store }) =>
      valueOf(await revokeOperatorKey(store, id, keyId, Date.now())),
    );
    if (json) {
      printJson(io, { operatorId: id, keyId, revokedAt: isoOrNull(info.revokedAt) });
      return;
    }
    io.stdout(`Key ${keyId} of ${id} is revoked (${isoOrNull(info.revokedAt) ?? ''}).\n`);
  },
});
