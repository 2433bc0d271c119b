import { describe, expectTypeOf, it } from 'vitest';
import type { ConnectsClient } from './client.ts';
import type { Operation, OptionsArg, RequestOptions } from './types.ts';

/**
 * Type-level checks of the request options (`npm run typecheck` fails when
 * they break; the runtime assertions below only restate them).
 */
describe('request options', () => {
  it('make query optional when every query parameter is optional', () => {
    type ListJobs = Operation<'/v1/jobs', 'get'>;
    expectTypeOf<OptionsArg<ListJobs>>().toEqualTypeOf<[options?: RequestOptions<ListJobs>]>();
    type Balance = RequestOptions<Operation<'/v1/freelancers/{id}/balance', 'get'>>;
    expectTypeOf<Balance['query']>().toEqualTypeOf<{ asOf?: string } | undefined>();
    // Compiles only when `query` may be left out.
    const call = (client: ConnectsClient) => [
      client.get('/v1/jobs'),
      client.get('/v1/freelancers/{id}/balance', { path: { id: 'ada' } }),
      client.get('/v1/freelancers/{id}/entries', { path: { id: 'ada' } }),
      client.get('/v1/admin/stats'),
    ];
    expectTypeOf(call).toBeFunction();
  });

  it('keeps path parameters required', () => {
    type Balance = RequestOptions<Operation<'/v1/freelancers/{id}/balance', 'get'>>;
    expectTypeOf<Balance['path']>().toEqualTypeOf<{ id: string }>();
  });
});
