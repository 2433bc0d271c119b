import { createConfig, lintFromString } from '@redocly/openapi-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApi, type TestApi } from '../../src/http/testing/test-api.ts';
import { testEngines } from '../../src/store/testing/test-engines.ts';

const pglite = testEngines.find((e) => e.name === 'pglite');
if (pglite === undefined) throw new Error('the pglite test engine is missing');

interface Operation {
  operationId?: string;
  summary?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
}
type Document = { openapi: string; paths: Record<string, Record<string, Operation>> };

const PUBLIC = new Set([
  '/healthz',
  '/livez',
  '/readyz',
  '/metrics',
  '/openapi.json',
  '/docs',
  // The policy file format, for editors: it describes no deployment.
  '/v1/policy.schema.json',
]);

describe('the OpenAPI document', () => {
  let api: TestApi;
  let doc: Document;
  let operations: { path: string; method: string; op: Operation }[];

  beforeAll(async () => {
    api = await openTestApi(pglite);
    doc = (await (await api.call('/openapi.json', { token: null })).json()) as Document;
    operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({ path, method, op })),
    );
  });
  afterAll(async () => {
    await api?.close();
  });

  it('is OpenAPI 3.1 and passes the recommended lint rules without errors', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({
      source: JSON.stringify(doc),
      absoluteRef: 'openapi.json',
      config,
    });
    const shown = problems.map(
      (p) => `${p.severity} ${p.ruleId}: ${p.message} ${p.location[0]?.pointer ?? ''}`,
    );
    // Public service routes (health, metrics, the docs) have no 4xx to document; nothing else may warn.
    const allowed = shown.filter(
      (line) =>
        !(
          line.startsWith('warn operation-4xx-response') &&
          [...PUBLIC].some((p) => line.includes(p.replace(/\//g, '~1')))
        ),
    );
    expect(allowed).toEqual([]);
  });

  it('documents every route the app serves, and nothing else', () => {
    const served = api.app.routes
      // Middleware (ALL) and the web UI's catch-all are not API operations.
      .filter((r) => r.method !== 'ALL' && r.path !== '*' && r.path !== '/*')
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`)
      .sort();
    const documented = operations.map(({ method, path }) => `${method.toUpperCase()} ${path}`).sort();
    expect(documented).toEqual([...new Set(served)]);
  });

  it('gives every operation a unique operationId, a summary and a tag', () => {
    const ids = operations.map(({ op }) => op.operationId);
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { op } of operations) {
      expect(op.summary?.length).toBeGreaterThan(0);
      expect(op.tags?.length).toBeGreaterThan(0);
    }
  });

  it('marks every /v1 route as needing a bearer token and documents 401', () => {
    for (const { path, method, op } of operations) {
      if (PUBLIC.has(path)) {
        expect(op.security, `${method} ${path}`).toEqual([]);
        continue;
      }
      expect(op.security, `${method} ${path}`).toEqual([{ bearer: [] }]);
      expect(Object.keys(op.responses), `${method} ${path}`).toContain('401');
    }
  });

  it('documents 400 for every operation that takes a body or parameters', () => {
    for (const { path, method, op } of operations) {
      if (op.requestBody !== undefined || path.includes('{')) {
        expect(Object.keys(op.responses), `${method} ${path}`).toContain('400');
      }
    }
  });

  it('serves a self-contained HTML reference listing every path', async () => {
    const response = await api.call('/docs', { token: null });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await response.text();
    for (const path of Object.keys(doc.paths)) expect(html).toContain(`<code>${path}</code>`);
    expect(html).not.toMatch(/<script|<link /);
  });
});
