import {
  createPromoCode,
  MAX_PROMO_CONNECTS,
  MAX_PROMO_REDEMPTIONS,
} from '../../app/promo/create-promo-code.ts';
import { toIso } from '../../core/time.ts';
import { defineCommand } from '../command.ts';
import { formatFields, printJson } from '../output.ts';
import { instantArg, requiredArg, wholeArg } from './support/args.ts';
import { valueOf, withApp } from './support/open-app.ts';

export const promoCreateCommand = defineCommand({
  name: 'promo create',
  summary: 'Create a promo code freelancers can redeem once each.',
  args: '<code>',
  positionals: { min: 1, max: 1 },
  details: [
    'The code is redeemable from --valid-from (inclusive) until --valid-until (exclusive), at most',
    '--max times in all. Creating the same code again with the same details is a no-op; with other',
    'details it is refused (promo_code_exists): codes never change once handed out.',
    '',
    'Examples:',
    '  connects promo create SPRING25 --connects 25 --valid-from 2025-03-01 --valid-until 2025-04-01 --max 1000',
  ].join('\n'),
  options: {
    connects: {
      type: 'string',
      description: `Connects each redemption grants (1-${MAX_PROMO_CONNECTS}).`,
      placeholder: 'N',
    },
    'valid-from': { type: 'string', description: 'First instant it can be redeemed.', placeholder: 'ISO' },
    'valid-until': {
      type: 'string',
      description: 'Redeemable strictly before this instant.',
      placeholder: 'ISO',
    },
    max: {
      type: 'string',
      description: `Most redemptions in all (1-${MAX_PROMO_REDEMPTIONS}).`,
      placeholder: 'N',
    },
    'lifetime-days': {
      type: 'string',
      description: "Lifetime of the granted lots (default: the policy's).",
      placeholder: 'DAYS',
    },
  },
  async run({ io, json, values, positionals }) {
    const code = positionals[0] as string;
    const input = {
      code,
      connects: wholeArg('--connects', requiredArg('--connects', values.connects), 1, MAX_PROMO_CONNECTS),
      validFrom: toIso(instantArg('--valid-from', requiredArg('--valid-from', values['valid-from']))),
      validUntil: toIso(instantArg('--valid-until', requiredArg('--valid-until', values['valid-until']))),
      maxRedemptions: wholeArg('--max', requiredArg('--max', values.max), 1, MAX_PROMO_REDEMPTIONS),
      ...(values['lifetime-days'] === undefined
        ? {}
        : { lotLifetimeDays: wholeArg('--lifetime-days', values['lifetime-days'], 1, 36_600) }),
    };
    const promo = await withApp(io, async ({ ctx }) =>
      valueOf(await createPromoCode(ctx, input, Date.now())),
    );
    const wire = {
      ...promo,
      validFrom: toIso(promo.validFrom),
      validUntil: toIso(promo.validUntil),
      createdAt: toIso(promo.createdAt),
    };
    if (json) {
      printJson(io, wire);
      return;
    }
    io.stdout(
      `Promo code ${code} is ready.\n` +
        formatFields([
          ['Connects', String(wire.connects)],
          ['Valid', `${wire.validFrom} until ${wire.validUntil} (exclusive)`],
          ['Redemptions', `at most ${wire.maxRedemptions}`],
          ['Lot lifetime', wire.lotLifetimeDays === null ? 'per policy' : `${wire.lotLifetimeDays} days`],
        ]),
    );
  },
});
