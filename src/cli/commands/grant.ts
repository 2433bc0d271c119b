import { randomUUID } from 'node:crypto';
import { adjustConnects, MAX_ADJUST_CONNECTS } from '../../app/admin/adjust-connects.ts';
import { toIso } from '../../core/time.ts';
import { defineCommand, usageError } from '../command.ts';
import { formatFields, printJson } from '../output.ts';
import { instantArg, requiredArg, wholeArg } from './support/args.ts';
import { valueOf, withApp } from './support/open-app.ts';

export const grantCommand = defineCommand({
  name: 'grant',
  summary: 'Grant Connects to a freelancer (an admin adjustment with a reason).',
  args: '<freelancer-id> <connects>',
  positionals: { min: 2, max: 2 },
  details: [
    'Records an `adjustment` entry with the reason and issues a lot (source admin) that expires per',
    'the policy unless --expires-at says otherwise. Pass --key to make a retry safe: the same key',
    'returns the first result; without it every run grants again. To remove Connects, pass a',
    'negative amount after `--` (connects grant ada --reason "chargeback" -- -5).',
    '',
    'Examples:',
    '  connects grant ada 20 --reason "support: outage compensation" --key ticket-4711',
  ].join('\n'),
  options: {
    reason: { type: 'string', description: 'Why (required; recorded on the entry).', placeholder: 'TEXT' },
    key: {
      type: 'string',
      description: 'Idempotency key: a retry with it changes nothing.',
      placeholder: 'KEY',
    },
    'expires-at': { type: 'string', description: 'Expiry of the granted lot.', placeholder: 'ISO' },
  },
  async run({ io, json, values, positionals }) {
    const [id, amount] = positionals as [string, string];
    const connects = wholeArg('<connects>', amount, -MAX_ADJUST_CONNECTS, MAX_ADJUST_CONNECTS);
    if (connects === 0) throw usageError('<connects> must not be 0');
    const reason = requiredArg('--reason', values.reason);
    const expiresAt =
      values['expires-at'] === undefined ? undefined : instantArg('--expires-at', values['expires-at']);
    const idempotencyKey = values.key ?? `cli-${randomUUID()}`;
    const input = {
      freelancerId: id,
      connects,
      reason,
      idempotencyKey,
      ...(expiresAt === undefined ? {} : { expiresAt: toIso(expiresAt) }),
    };
    const done = await withApp(io, async ({ ctx }) => valueOf(await adjustConnects(ctx, input, Date.now())));
    const lot = done.entry.lot;
    if (json) {
      printJson(io, {
        freelancerId: id,
        connects,
        idempotencyKey,
        replayed: done.replayed,
        seq: done.entry.seq,
        lotExpiresAt: lot === undefined ? null : toIso(lot.expiresAt),
        balance: done.balance,
      });
      return;
    }
    const verb = connects > 0 ? 'Granted' : 'Removed';
    io.stdout(
      `${verb} ${Math.abs(connects)} Connects ${connects > 0 ? 'to' : 'from'} ${id}` +
        `${done.replayed ? ' (already done with this key; nothing changed)' : ''}\n` +
        formatFields([
          ['Entry', `#${done.entry.seq} adjustment: ${reason}`],
          ...(lot === undefined ? [] : [['Expires', toIso(lot.expiresAt)] as [string, string]]),
          [
            'Balance',
            `${done.balance.balance} (available ${done.balance.available}, held ${done.balance.held})`,
          ],
          ['Key', idempotencyKey],
        ]),
    );
  },
});
