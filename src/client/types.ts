import type { components, paths } from './schema.ts';

/**
 * Type-level plumbing that turns the generated `paths` into request options
 * and response bodies, so `client.post('/v1/freelancers/{id}/tokens', ...)`
 * checks the path, its parameters, the body and the result at compile time.
 */
export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'patch';

/** Paths that have an operation for this method. */
export type PathsWith<M extends HttpMethod> = {
  [P in keyof paths]: paths[P][M] extends { responses: unknown } ? P : never;
}[keyof paths];

export type Operation<P extends keyof paths, M extends HttpMethod> = paths[P][M] & { responses: unknown };

type PathParams<O> = O extends { parameters: { path: infer X } } ? X : undefined;
type QueryParams<O> = O extends { parameters: { query?: infer X } } ? X : undefined;
type JsonBody<O> = O extends { requestBody: { content: { 'application/json': infer B } } }
  ? { body: B }
  : O extends { requestBody?: { content: { 'application/json': infer B } } }
    ? { body?: B }
    : { body?: undefined };

/** A field may be left out when its value may be undefined or every key inside it is optional. */
type Optional<K extends string, V> = [V] extends [undefined] | [never]
  ? { [key in K]?: undefined }
  : undefined extends V
    ? { [key in K]?: V }
    : [RequiredKeys<V>] extends [never]
      ? { [key in K]?: V }
      : { [key in K]: V };

export interface CommonOptions {
  /** Makes a write safe to retry (sent as the Idempotency-Key header). */
  readonly idempotencyKey?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}

export type RequestOptions<O> = Optional<'path', PathParams<O>> &
  Optional<'query', QueryParams<O>> &
  JsonBody<O> &
  CommonOptions;

type RequiredKeys<T> = { [K in keyof T]-?: undefined extends T[K] ? never : K }[keyof T];

/** The options argument may be left out when nothing in it is required. */
export type OptionsArg<O> = [RequiredKeys<RequestOptions<O>>] extends [never]
  ? [options?: RequestOptions<O>]
  : [options: RequestOptions<O>];

type SuccessStatus = 200 | 201 | 202 | 204;

type ContentOf<R> = R extends { content: { 'application/json': infer B } }
  ? B
  : R extends { content: { [type: string]: infer T } }
    ? T
    : undefined;

/** The body of the operation's success response(s). */
export type ResponseBody<O> = O extends { responses: infer R }
  ? { [S in keyof R & SuccessStatus]: ContentOf<R[S]> }[keyof R & SuccessStatus]
  : never;

export type ApiErrorBody = components['schemas']['Error'];
export type ApiErrorCode = ApiErrorBody['error']['code'];
