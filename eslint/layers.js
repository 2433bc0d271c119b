import { dirname, relative, resolve } from 'node:path';

/**
 * The layer rule: each part of `src` may import only what its layer allows.
 * Imports are judged by the file they resolve to, not by how the path is
 * spelled, so `../../store/store.ts` from deep inside the core is caught as
 * surely as `../store/store.ts`.
 *
 * Options, per layer:
 * - `forbidden`: folders or files under the project root this layer must not import;
 * - `inside`: when set, relative imports must stay inside this folder;
 * - `packages`: when set, the only bare package names allowed (node built-ins included).
 */
const boundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Keeps each layer of src importing only what its layer allows.' },
    schema: [
      {
        type: 'object',
        properties: {
          layer: { type: 'string' },
          forbidden: { type: 'array', items: { type: 'string' } },
          inside: { type: 'string' },
          packages: { type: 'array', items: { type: 'string' } },
        },
        required: ['layer'],
        additionalProperties: false,
      },
    ],
    messages: {
      forbidden: "The {{layer}} layer must not import '{{target}}' ({{rule}}).",
      outside: "The {{layer}} layer imports only from {{inside}}; '{{target}}' is outside it.",
      package: "The {{layer}} layer may not import the package '{{target}}'; allowed: {{allowed}}.",
    },
  },
  create(context) {
    const options = context.options[0];
    const root = context.cwd;
    const here = dirname(context.filename);
    const check = (node, source) => {
      if (typeof source !== 'string') return;
      if (!source.startsWith('.')) {
        if (options.packages === undefined) return;
        const name = source.startsWith('@') ? source.split('/').slice(0, 2).join('/') : source.split('/')[0];
        if (!options.packages.includes(name)) {
          context.report({
            node,
            messageId: 'package',
            data: { layer: options.layer, target: source, allowed: options.packages.join(', ') || 'none' },
          });
        }
        return;
      }
      const target = relative(root, resolve(here, source));
      for (const rule of options.forbidden ?? []) {
        if (target === rule || target.startsWith(`${rule}/`)) {
          context.report({ node, messageId: 'forbidden', data: { layer: options.layer, target, rule } });
          return;
        }
      }
      if (
        options.inside !== undefined &&
        !(target === options.inside || target.startsWith(`${options.inside}/`))
      ) {
        context.report({
          node,
          messageId: 'outside',
          data: { layer: options.layer, target, inside: options.inside },
        });
      }
    };
    const fromSource = (node) => check(node, node.source?.value);
    return {
      ImportDeclaration: fromSource,
      ExportNamedDeclaration: fromSource,
      ExportAllDeclaration: fromSource,
      ImportExpression: (node) => check(node, node.source.type === 'Literal' ? node.source.value : undefined),
    };
  },
};

export default { rules: { boundaries } };
