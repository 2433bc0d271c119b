import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import layers from './eslint/layers.js';

export default tseslint.config(
  { ignores: ['node_modules', 'data', 'dist', 'coverage', 'web/dist', '.tmp'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.name='parseFloat']", message: 'Connects and money are integers.' },
      ],
    },
  },
  // The layers (docs/rules.md, "Layers"): each rule is proven to fire by test/lint/layers.test.ts.
  { files: ['src/**/*.ts'], plugins: { layers } },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'layers/boundaries': [
        'error',
        { layer: 'core', inside: 'src/core', packages: ['zod', 'vitest', 'fast-check'] },
      ],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts', 'src/core/**/test-kit.ts'],
    rules: {
      'layers/boundaries': ['error', { layer: 'core', inside: 'src/core', packages: ['zod'] }],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'The core never reads the environment.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'The core takes the time as an argument.' },
        { object: 'Math', property: 'random', message: 'The core is deterministic.' },
      ],
    },
  },
  {
    files: ['src/app/**/*.ts'],
    rules: {
      'layers/boundaries': [
        'error',
        { layer: 'app', forbidden: ['src/http', 'src/cli', 'src/server.ts', 'src/connects.ts'] },
      ],
    },
  },
  // Outside src/http only the server entry and the client generator reach into it.
  {
    files: ['src/events/**/*.ts'],
    rules: {
      'layers/boundaries': [
        'error',
        { layer: 'events', forbidden: ['src/http', 'src/cli', 'src/server.ts', 'src/connects.ts'] },
      ],
    },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: { 'layers/boundaries': ['error', { layer: 'cli', forbidden: ['src/http'] }] },
  },
  {
    // The simulator runs the core and the use cases' pure helpers; the HTTP and CLI layers call it, never the reverse.
    files: ['src/sim/**/*.ts'],
    rules: {
      'layers/boundaries': ['error', { layer: 'sim', forbidden: ['src/http', 'src/cli', 'src/server.ts'] }],
    },
  },
  {
    files: ['src/*.ts', 'src/client/**/*.ts'],
    // The client's own tests run it against the API.
    ignores: ['src/server.ts', 'src/client/generate.ts', 'src/client/**/*.test.ts'],
    rules: {
      'layers/boundaries': ['error', { layer: 'root', forbidden: ['src/http', 'src/cli', 'src/server.ts'] }],
    },
  },
  {
    files: ['src/store/**/*.ts'],
    rules: {
      'layers/boundaries': [
        'error',
        { layer: 'store', forbidden: ['src/app', 'src/http', 'src/cli', 'src/events', 'src/server.ts'] },
      ],
    },
  },
);
