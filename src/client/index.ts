/**
 * The typed Connects API client. Used by the web UI and by the API's own
 * end-to-end tests, so the contract is exercised by its consumer.
 *
 *   const admin = createClient({ baseUrl: 'http://localhost:3000', token: adminToken });
 *   const { token } = await admin.post('/v1/freelancers/{id}/tokens', { path: { id: 'ada' } });
 */
export { ConnectsApiError, createClient, buildUrl } from './client.ts';
export type { ClientOptions, ConnectsClient, RawOptions } from './client.ts';
export type {
  ApiErrorCode,
  ApiErrorBody,
  HttpMethod,
  PathsWith,
  RequestOptions,
  ResponseBody,
} from './types.ts';
export type { components, paths } from './schema.ts';
