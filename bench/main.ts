/**
 * Benchmark dispatcher: `npm run bench -- <name> [--flags]`.
 * Each benchmark prints progress lines and, last, one JSON object.
 */
import { parseFlags } from './args.ts';

const benchmarks: Record<
  string,
  () => Promise<{ run(flags: ReturnType<typeof parseFlags>): Promise<void> }>
> = {
  spend: () => import('./spend.ts'),
  tick: () => import('./tick.ts'),
  http: () => import('./http.ts'),
  verify: () => import('./verify.ts'),
  simulate: () => import('./simulate.ts'),
  report: () => import('./report.ts'),
};

async function main(): Promise<void> {
  const [name, ...rest] = process.argv.slice(2);
  const load = name === undefined ? undefined : benchmarks[name];
  if (load === undefined) {
    process.stderr.write(`usage: npm run bench -- <${Object.keys(benchmarks).join('|')}> [--flags]\n`);
    process.exitCode = 2;
    return;
  }
  await (await load()).run(parseFlags(rest));
}

await main();
