import type { ApiApp } from './services.ts';

/**
 * The OpenAPI 3.1 document, generated from the route schemas (the same
 * schemas that validate requests, so the two cannot drift apart).
 */
export const API_VERSION = '1.0.0';

const description = [
  'Connects: the ledger engine for the virtual currency freelance marketplaces charge for job applications.',
  'Send `Authorization: Bearer <token>` (the admin token, or a freelancer token from',
  'POST /v1/freelancers/{id}/tokens). Errors are `{"error":{"code","message","details"}}` with stable codes;',
  'writes accept an `Idempotency-Key` header. Instants are ISO-8601 strings in UTC; Connects and money',
  '(cents) are integers. The full guide is docs/api.md.',
].join(' ');

export function registerSecurityScheme(app: ApiApp): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'The admin token (CONNECTS_ADMIN_TOKEN) or a freelancer token (prefix cfl_).',
  });
}

export function buildOpenApiDocument(app: ApiApp) {
  return app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'Connects API',
      version: API_VERSION,
      description,
      license: { name: 'MIT', url: 'https://opensource.org/license/mit' },
    },
    // Relative: the document describes whichever host serves it.
    servers: [{ url: '/' }],
    tags: [
      { name: 'service', description: 'Health and metrics.' },
      { name: 'policy', description: 'The policy timeline.' },
      { name: 'auth', description: 'Freelancer tokens.' },
      { name: 'admin', description: 'Operator-only routes.' },
    ],
  });
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;
