import { createRoute, z } from '@hono/zod-openapi';
import { renderDocsPage, type OpenApiDocumentLike } from '../docs/page.ts';
import { buildOpenApiDocument, type OpenApiDocument } from '../openapi.ts';
import type { RouteModule } from '../services.ts';

const documentRoute = createRoute({
  method: 'get',
  path: '/openapi.json',
  operationId: 'getOpenApiDocument',
  security: [],
  tags: ['service'],
  summary: 'This OpenAPI 3.1 document.',
  responses: {
    200: {
      description: 'The document.',
      content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } },
    },
  },
});

const docsRoute = createRoute({
  method: 'get',
  path: '/docs',
  operationId: 'getDocsPage',
  security: [],
  tags: ['service'],
  summary: 'Browsable API reference (HTML, self-contained).',
  responses: { 200: { description: 'An HTML page.', content: { 'text/html': { schema: z.string() } } } },
});

// The page has no scripts and no external assets; the policy says so to browsers.
const DOCS_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'";

export const openApiRoutes: RouteModule = (app) => {
  // Built on first use, after every route file has registered its routes.
  let document: OpenApiDocument | undefined;
  let page: string | undefined;
  const getDocument = (): OpenApiDocument => (document ??= buildOpenApiDocument(app));

  app.openapi(documentRoute, (c) => c.json(getDocument() as unknown as Record<string, unknown>, 200));

  app.openapi(docsRoute, (c) => {
    page ??= renderDocsPage(getDocument() as unknown as OpenApiDocumentLike);
    c.header('Content-Security-Policy', DOCS_CSP);
    return c.html(page, 200);
  });
};
