import { describe, expect, it } from 'vitest';
import { escapeHtml, renderDocsPage } from './page.ts';
import { schemaText } from './schema-text.ts';

describe('schemaText', () => {
  it('renders objects, optional fields, constraints, refs, unions and nullables', () => {
    const text = schemaText({
      type: 'object',
      additionalProperties: false,
      required: ['id', 'plan'],
      properties: {
        id: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[a-z]+$' },
        plan: { type: 'string', enum: ['basic', 'plus'] },
        note: { type: ['string', 'null'], description: 'Free text.' },
        lots: { type: 'array', items: { $ref: '#/components/schemas/Lot' } },
        count: { type: 'integer', minimum: 0, maximum: 10 },
      },
    });
    expect(text).toBe(
      [
        '{ // no other fields',
        '  id: string (length 1..64, /^[a-z]+$/);',
        '  plan: "basic" | "plus";',
        '  note?: string | null; // Free text.',
        '  lots?: Lot[];',
        '  count?: integer (0..10);',
        '}',
      ].join('\n'),
    );
  });

  it('stops at a bounded depth', () => {
    let schema: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 20; i++) schema = { type: 'array', items: schema };
    expect(schemaText(schema)).toContain('…');
  });
});

describe('renderDocsPage', () => {
  const page = renderDocsPage({
    info: { title: 'Test <API>', version: '1' },
    paths: {
      '/v1/things/{id}': {
        get: {
          summary: 'A <thing>, see `Thing`.',
          security: [{ bearer: [] }],
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': {
              description: 'OK',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
            },
          },
        },
      },
    },
    components: { schemas: { Thing: { type: 'object', properties: { a: { type: 'string' } } } } },
  });

  it('lists each operation with its parameters, auth and responses', () => {
    expect(page).toContain('<code>/v1/things/{id}</code>');
    expect(page).toContain('bearer token');
    expect(page).toContain('<td><code>id</code></td><td>path</td><td>yes</td>');
    expect(page).toContain('id="schema-Thing"');
    expect(page).toContain('<pre><a href="#schema-Thing">Thing</a></pre>');
    expect(page).toContain('<h4>other</h4>');
  });

  it('escapes everything taken from the document and loads nothing external', () => {
    expect(page).toContain('Test &lt;API&gt;');
    expect(page).toContain('A &lt;thing&gt;, see <code>Thing</code>.');
    expect(page).not.toMatch(/<script|https?:\/\//);
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
