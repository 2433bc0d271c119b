import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * Each layer rule fires on a deliberate violation and stays quiet on the
 * allowed import beside it, judged by the project's own eslint.config.js on
 * files that exist only in this test.
 */
const eslint = new ESLint({ cwd: process.cwd() });

async function layerProblems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'layers/boundaries' || m.ruleId?.startsWith('no-restricted'))
    .map((m) => m.message);
}

const cases: readonly { file: string; bad: string; good: string; says: RegExp }[] = [
  {
    file: 'src/core/ledger/violation.ts',
    bad: "import { x } from '../../store/store.ts';",
    good: "import { x } from '../errors.ts';",
    says: /core layer imports only from src\/core; 'src\/store\/store.ts'/,
  },
  {
    file: 'src/core/policy/violation.ts',
    bad: "import { x } from '../../http/app.ts';",
    good: "import { x } from '../calendar.ts';",
    says: /outside it/,
  },
  {
    file: 'src/core/violation.ts',
    bad: "import { readFile } from 'node:fs';",
    good: "import { z } from 'zod';",
    says: /may not import the package 'node:fs'/,
  },
  {
    file: 'src/core/violation.ts',
    bad: "export * from '../app/context.ts';",
    good: "export * from './errors.ts';",
    says: /outside it/,
  },
  {
    file: 'src/app/jobs/violation.ts',
    bad: "import { x } from '../../http/app.ts';",
    good: "import { x } from '../../store/store.ts';",
    says: /app layer must not import 'src\/http\/app.ts'/,
  },
  {
    file: 'src/app/violation.ts',
    bad: "import { x } from '../cli/run.ts';",
    good: "import { x } from '../core/errors.ts';",
    says: /app layer must not import 'src\/cli\/run.ts'/,
  },
  {
    file: 'src/app/scheduler/violation.ts',
    bad: "const m = await import('../../connects.ts');",
    good: "const m = await import('../../core/errors.ts');",
    says: /app layer must not import 'src\/connects.ts'/,
  },
  {
    file: 'src/events/violation.ts',
    bad: "import { x } from '../http/routes/webhooks.ts';",
    good: "import { x } from '../store/store.ts';",
    says: /events layer must not import 'src\/http\/routes\/webhooks.ts'/,
  },
  {
    file: 'src/cli/commands/violation.ts',
    bad: "import { x } from '../../http/create-services.ts';",
    good: "import { x } from '../../connects.ts';",
    says: /cli layer must not import 'src\/http\/create-services.ts'/,
  },
  {
    file: 'src/cli/commands/support/violation.ts',
    bad: "import { x } from '../../../http/schemas.ts';",
    good: "import { x } from '../../../server.ts';",
    says: /cli layer must not import 'src\/http\/schemas.ts'/,
  },
  {
    file: 'src/sim/violation.ts',
    bad: "import { x } from '../cli/command.ts';",
    good: "import { x } from '../app/accounts/grants.ts';",
    says: /sim layer must not import 'src\/cli\/command.ts'/,
  },
  {
    file: 'src/sim/violation.ts',
    bad: "import { x } from '../http/app.ts';",
    good: "import { x } from '../store/rows.ts';",
    says: /sim layer must not import 'src\/http\/app.ts'/,
  },
  {
    file: 'src/violation.ts',
    bad: "import { x } from './http/logger.ts';",
    good: "import { x } from './app/context.ts';",
    says: /root layer must not import 'src\/http\/logger.ts'/,
  },
  {
    file: 'src/client/violation.ts',
    bad: "import { x } from '../http/app.ts';",
    good: "import { x } from './schema.ts';",
    says: /root layer must not import 'src\/http\/app.ts'/,
  },
  {
    file: 'src/store/violation.ts',
    bad: "import { x } from '../app/context.ts';",
    good: "import { x } from '../core/errors.ts';",
    says: /store layer must not import 'src\/app\/context.ts'/,
  },
];

describe('layer lint rules', () => {
  for (const c of cases) {
    it(`${c.file}: refuses ${c.bad}`, async () => {
      const bad = await layerProblems(c.file, `${c.bad}\nexport const y = 1;\n`);
      expect(
        bad.some((m) => c.says.test(m)),
        bad.join('\n'),
      ).toBe(true);
      const good = await layerProblems(c.file, `${c.good}\nexport const y = 1;\n`);
      expect(good).toEqual([]);
    });
  }

  it('the server entry and the client generator may import the HTTP layer', async () => {
    const allowed = [
      ['src/server.ts', './http/app.ts'],
      ['src/client/generate.ts', '../http/app.ts'],
      ['src/http/routes/violation.ts', '../app.ts'],
    ] as const;
    for (const [file, target] of allowed) {
      expect(await layerProblems(file, `import { x } from '${target}';\nexport const y = 1;\n`)).toEqual([]);
    }
  });

  it('the core may not read the clock or the environment', async () => {
    const problems = await layerProblems(
      'src/core/violation.ts',
      'export const a = Date.now();\nexport const b = process.env.X;\n',
    );
    expect(problems).toHaveLength(2);
  });
});
