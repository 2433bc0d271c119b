import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApi, type TestApi } from '../http/testing/test-api.ts';
import { testEngines } from '../store/testing/test-engines.ts';
import { documentOf, documentPath, generateClientFiles, schemaPath } from './generate.ts';

const pglite = testEngines.find((e) => e.name === 'pglite');
if (pglite === undefined) throw new Error('the pglite test engine is missing');

describe('the generated client files', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await openTestApi(pglite);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('match the routes (run `npm run client:generate` when this fails)', async () => {
    const files = await generateClientFiles(documentOf(api.services));
    expect(await readFile(documentPath, 'utf8'), 'src/client/openapi.json is stale').toBe(files.document);
    expect(await readFile(schemaPath, 'utf8'), 'src/client/schema.ts is stale').toBe(files.schema);
  });
});
