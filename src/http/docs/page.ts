import { schemaText, type JsonSchema } from './schema-text.ts';

/**
 * The browsable API reference at GET /docs: one self-contained HTML page
 * rendered from the OpenAPI document (no scripts, no CDN, no assets), so it
 * works offline and behind any firewall. /openapi.json stays the source for
 * tools that want the machine-readable form.
 */
interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: unknown }[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;
}

export interface OpenApiDocumentLike {
  info: { title: string; version: string; description?: string };
  paths?: Record<string, Record<string, Operation> | undefined>;
  components?: { schemas?: Record<string, unknown> };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** `code` spans in descriptions, after escaping (backticks never appear escaped). */
function inlineCode(escaped: string): string {
  return escaped.replace(/`([^`]+)`/g, '<code>$1</code>');
}

/** Links every mention of a component schema (Lot, Error...) to its definition below. */
function linkSchemas(escaped: string, names: ReadonlySet<string>): string {
  return escaped.replace(/\b[A-Z][A-Za-z0-9]*\b/g, (word) =>
    names.has(word) ? `<a href="#schema-${word}">${word}</a>` : word,
  );
}

const anchor = (method: string, path: string): string =>
  `${method}-${path.replace(/[^A-Za-z0-9]+/g, '-').replace(/-+$/, '')}`;

function bodySection(
  title: string,
  content: Record<string, { schema?: unknown }> | undefined,
  names: ReadonlySet<string>,
): string {
  if (content === undefined) return '';
  return Object.entries(content)
    .map(([type, media]) => {
      const text = media.schema === undefined ? '' : linkSchemas(escapeHtml(schemaText(media.schema)), names);
      const schema = text === '' ? '' : `<pre>${text}</pre>`;
      return `<h4>${escapeHtml(title)} <code>${escapeHtml(type)}</code></h4>${schema}`;
    })
    .join('');
}

function parametersSection(parameters: Operation['parameters']): string {
  if (parameters === undefined || parameters.length === 0) return '';
  const rows = parameters
    .map(
      (p) =>
        `<tr><td><code>${escapeHtml(p.name)}</code></td><td>${escapeHtml(p.in)}</td>` +
        `<td>${p.required === true ? 'yes' : 'no'}</td><td><code>${escapeHtml(schemaText(p.schema))}</code></td>` +
        `<td>${escapeHtml(p.description ?? '')}</td></tr>`,
    )
    .join('');
  return `<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>required</th><th>type</th><th></th></tr>${rows}</table>`;
}

function operationSection(method: string, path: string, op: Operation, names: ReadonlySet<string>): string {
  const auth =
    op.security !== undefined && op.security.length > 0 ? '<span class="auth">bearer token</span>' : '';
  const responses = Object.entries(op.responses ?? {})
    .map(
      ([status, r]) =>
        `<li><b>${escapeHtml(status)}</b> ${inlineCode(escapeHtml(r.description ?? ''))}${bodySection('', r.content, names)}</li>`,
    )
    .join('');
  return `<section id="${anchor(method, path)}">
<h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code> ${auth}</h3>
<p>${inlineCode(escapeHtml(op.summary ?? ''))}</p>${op.description ? `<p>${inlineCode(escapeHtml(op.description))}</p>` : ''}
${parametersSection(op.parameters)}${bodySection('Request body', op.requestBody?.content, names)}
<h4>Responses</h4><ul>${responses}</ul></section>`;
}

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;margin:0;display:flex;color:#1d2330}
nav{width:320px;padding:16px;border-right:1px solid #ddd;height:100vh;overflow:auto;position:sticky;top:0;box-sizing:border-box}
nav a{display:block;text-decoration:none;color:#1d2330;font-size:13px;padding:2px 0;overflow-wrap:anywhere}
nav h4{margin:12px 0 4px;text-transform:uppercase;font-size:11px;color:#666}
main{padding:16px 32px;max-width:980px;min-width:0}
section{border-top:1px solid #eee;padding:8px 0}
pre{background:#f6f8fa;padding:8px;overflow:auto;font-size:13px}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ddd;padding:2px 6px;text-align:left}
.m{display:inline-block;min-width:56px;text-align:center;border-radius:4px;color:#fff;font-size:12px;padding:1px 4px}
.get{background:#2f6fdb}.post{background:#1f9d55}.put{background:#c77c02}.patch{background:#8a4fd8}.delete{background:#d64545}
.auth{font-size:12px;color:#8a5a00;border:1px solid #e2c07a;border-radius:4px;padding:0 4px}`;

export function renderDocsPage(doc: OpenApiDocumentLike): string {
  const operations: { method: string; path: string; op: Operation; tag: string }[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item?.[method];
      if (op !== undefined) operations.push({ method, path, op, tag: op.tags?.[0] ?? 'other' });
    }
  }
  const tags = [...new Set(operations.map((o) => o.tag))];
  const names = new Set(Object.keys(doc.components?.schemas ?? {}));
  const nav = tags
    .map((tag) => {
      const links = operations
        .filter((o) => o.tag === tag)
        .map(
          ({ method, path }) =>
            `<a href="#${anchor(method, path)}"><b>${method.toUpperCase()}</b> ${escapeHtml(path)}</a>`,
        )
        .join('');
      return `<h4>${escapeHtml(tag)}</h4>${links}`;
    })
    .join('');
  const sections = tags
    .map((tag) => {
      const ops = operations.filter((o) => o.tag === tag);
      return `<h2>${escapeHtml(tag)}</h2>${ops.map(({ method, path, op }) => operationSection(method, path, op, names)).join('\n')}`;
    })
    .join('\n');
  const schemas = Object.entries(doc.components?.schemas ?? {})
    .map(
      ([name, schema]) =>
        `<h3 id="schema-${escapeHtml(name)}">${escapeHtml(name)}</h3><pre>${linkSchemas(escapeHtml(schemaText(schema as JsonSchema)), names)}</pre>`,
    )
    .join('');
  const title = `${escapeHtml(doc.info.title)} ${escapeHtml(doc.info.version)}`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title><style>${STYLE}</style></head>
<body><nav><b>${title}</b><p><a href="/openapi.json">openapi.json</a></p>${nav}<h4><a href="#schemas">Schemas</a></h4></nav>
<main><h1>${title}</h1><p>${inlineCode(escapeHtml(doc.info.description ?? ''))}</p>
${sections}
<h2 id="schemas">Schemas</h2>${schemas}</main></body></html>`;
}
