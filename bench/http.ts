/**
 * HTTP benchmark: what a marketplace sees through the API. Starts the real
 * server (`connects serve`, one or more processes on one store), seeds
 * freelancers and jobs through the API, then drives with many keep-alive
 * connections:
 *   1. proposals: each request a new proposal by a different freelancer on a
 *      different job (4 Connects each), so nothing contends;
 *   2. balance reads of random freelancers;
 *   3. the ceiling: a bare node:http server answering JSON, same client.
 * Afterwards every freelancer's balance is read back: it must equal the
 * seeded Connects minus 4 per acknowledged proposal (each debited once).
 * Flags:
 *   --store postgres|pglite (default pglite)   --connections 64   --seconds 10
 *   --freelancers 1000   --jobs 400   --servers 1 (PostgreSQL only above 1)
 *   --url <admin PostgreSQL url>   --json (the JSON summary is always the last line)
 *   --pooler host:port   the servers reach the database through a transaction pooler there (PgBouncer),
 *                        with CONNECTS_DB_POOLER=transaction
 *   --profile <dir>      each server runs with node --cpu-prof and writes its profile there on exit
 * The JSON also gives CPU per request (user + system, from /proc), steadier than the throughput on a
 * shared machine: the servers', PostgreSQL's (every postgres process on this machine) and the whole
 * machine's (client, servers, database, kernel; what bounds the throughput when the cores are busy).
 *   --as freelancer|admin  who sends the proposals and balance reads (default freelancer: each
 *                        freelancer with its own token, as a marketplace's users do; admin: the admin
 *                        token, an operator acting for them: its proposals are batched with its own,
 *                        stamped with its actor, and each request leaves an audit row)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { intFlag, stringFlag, type Flags } from './args.ts';
import { cpuPerOperation, processesCpuMs, readCpu } from './cpu-counters.ts';
import { callAll, HttpTarget, runHttpLoad, type HttpCall, type HttpLoadResult } from './http-load.ts';
import { scratchDatabase, type Scratch } from './scratch-database.ts';

const ADMIN_TOKEN = 'bench-admin-token-0123456789';
const SEED_CONNECTS = 100_000;
const PROPOSAL_COST = 4; // a $50-$499 budget on the default rate card
const BUDGET_CENTS = 20_000;

const say = (line: string) => process.stdout.write(`${line}\n`);

interface RunningServer {
  readonly url: string;
  readonly child: ChildProcess;
}

/** Starts `connects serve` on a free port and waits for its "listening on" line. */
function startServer(env: Record<string, string>, profileDir?: string): Promise<RunningServer> {
  const profile = profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`];
  const child = spawn(process.execPath, [...profile, 'bin/connects.mjs', 'serve'], {
    env: { ...process.env, PORT: '0', CONNECTS_ADMIN_TOKEN: ADMIN_TOKEN, NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    // Generous: the embedded store applies every migration first, slow on a busy machine.
    const timer = setTimeout(
      () => reject(new Error(`server did not start in 180 s:\n${out}${err}`)),
      180_000,
    );
    child.stderr?.on('data', (chunk: Buffer) => {
      err = (err + chunk.toString()).slice(-4000);
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      if (out.length < 100_000) out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1] as string, child });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening:\n${out}${err}`));
    });
  });
}

/** CPU readings where `own` is the servers' (user + system). */
const cpuNow = (servers: readonly RunningServer[]) =>
  readCpu(() => processesCpuMs(servers.map((server) => server.child.pid)));

async function stopServer(server: RunningServer): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

/** The database URL with its host and port replaced by the pooler's. */
function throughPooler(url: string, address: string): string {
  const through = new URL(url);
  through.host = address;
  return through.toString();
}

/** A bare node:http server answering a small JSON document: the ceiling of this client on this machine. */
async function bareServer(): Promise<{ url: string; close(): Promise<void> }> {
  const body = JSON.stringify({ balance: 50, available: 50, held: 0 });
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const freelancerId = (n: number) => `bench-fl-${n}`;
const jobId = (n: number) => `bench-job-${n}`;

/** Issues one token per freelancer (admin), in freelancer order. */
async function freelancerTokens(target: HttpTarget, freelancers: number): Promise<string[]> {
  const answers = await callAll(
    target,
    Array.from({ length: freelancers }, (_, n) => ({
      method: 'POST' as const,
      path: `/v1/freelancers/${freelancerId(n)}/tokens`,
    })),
    16,
  );
  return answers.map((a) => (JSON.parse(a.body) as { token: string }).token);
}

async function seed(target: HttpTarget, freelancers: number, jobs: number): Promise<void> {
  const started = performance.now();
  const ids = Array.from({ length: freelancers }, (_, n) => freelancerId(n));
  await callAll(
    target,
    ids.map((id) => ({ method: 'POST', path: '/v1/freelancers', body: { id } })),
    16,
  );
  await callAll(
    target,
    ids.map((id) => ({
      method: 'POST',
      path: '/v1/admin/grants',
      body: { freelancerId: id, connects: SEED_CONNECTS, reason: 'benchmark seed' },
    })),
    16,
  );
  await callAll(
    target,
    Array.from({ length: jobs }, (_, n) => ({
      method: 'POST' as const,
      path: '/v1/jobs',
      body: { id: jobId(n), clientId: 'bench-client', budgetCents: BUDGET_CENTS },
    })),
    16,
  );
  say(
    `seeded ${freelancers} freelancers and ${jobs} jobs through the API in ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

async function balances(target: HttpTarget, freelancers: number): Promise<number[]> {
  const answers = await callAll(
    target,
    Array.from({ length: freelancers }, (_, n) => ({
      method: 'GET' as const,
      path: `/v1/freelancers/${freelancerId(n)}/balance`,
    })),
    16,
  );
  return answers.map((a) => (JSON.parse(a.body) as { balance: number }).balance);
}

function describe(label: string, r: HttpLoadResult): void {
  say(
    `${label}: ${r.requests} requests in ${r.seconds} s = ${r.rps}/s, p50 ${r.p50Ms} ms, ` +
      `p99 ${r.p99Ms} ms, statuses ${JSON.stringify(r.statuses)}`,
  );
}

export async function run(flags: Flags): Promise<void> {
  const engine = stringFlag(flags, 'store') ?? 'pglite';
  if (engine !== 'postgres' && engine !== 'pglite') throw new Error('--store is postgres or pglite');
  const connections = intFlag(flags, 'connections', 64);
  const seconds = intFlag(flags, 'seconds', 10);
  const freelancers = intFlag(flags, 'freelancers', 1000);
  const jobs = intFlag(flags, 'jobs', 400);
  const servers = intFlag(flags, 'servers', 1);
  const postgres = engine === 'postgres';
  if (servers > 1 && engine !== 'postgres') throw new Error('--servers above 1 needs --store postgres');
  const adminUrl =
    stringFlag(flags, 'url') ??
    process.env['TEST_DATABASE_URL'] ??
    'postgres://postgres@127.0.0.1:5432/postgres';

  let scratch: Scratch | undefined;
  let dataDir: string | undefined;
  const running: RunningServer[] = [];
  try {
    if (engine === 'postgres') scratch = await scratchDatabase(adminUrl, 'connects_bench_http');
    else dataDir = await mkdtemp(join(tmpdir(), 'connects-bench-http-'));
    const pooler = stringFlag(flags, 'pooler');
    if (pooler !== undefined && scratch === undefined) throw new Error('--pooler needs --store postgres');
    const env: Record<string, string> =
      scratch === undefined
        ? { CONNECTS_DATA_DIR: dataDir as string }
        : pooler === undefined
          ? { DATABASE_URL: scratch.url }
          : { DATABASE_URL: throughPooler(scratch.url, pooler), CONNECTS_DB_POOLER: 'transaction' };
    // One at a time: the first applies the migrations.
    const profileDir = stringFlag(flags, 'profile');
    for (let s = 0; s < servers; s++) running.push(await startServer(env, profileDir));
    say(`${servers} server(s) on ${engine}: ${running.map((r) => r.url).join(', ')}`);
    const target = new HttpTarget(
      running.map((r) => r.url),
      ADMIN_TOKEN,
      connections,
    );
    await seed(target, freelancers, jobs);
    const as = stringFlag(flags, 'as') ?? 'freelancer';
    if (as !== 'freelancer' && as !== 'admin') throw new Error('--as is freelancer or admin');
    const tokens = as === 'freelancer' ? await freelancerTokens(target, freelancers) : undefined;
    const tokenOf = (f: number) => (tokens === undefined ? {} : { token: tokens[f] as string });

    // 1. Proposals: call k is freelancer k % F on job (k + floor(k / F)) % J, so no pair repeats below F * J.
    let k = 0;
    const acknowledged = new Array<number>(freelancers).fill(0);
    /** One phase of load, with the CPU it cost per request. */
    const measured = async (options: Parameters<typeof runHttpLoad>[1]) => {
      const before = await cpuNow(running);
      const load = await runHttpLoad(target, options);
      return { load, cpu: cpuPerOperation(before, await cpuNow(running), load.requests, postgres) };
    };
    const { load: proposals, cpu: proposalsCpu } = await measured({
      connections,
      seconds,
      next: () => {
        if (k >= freelancers * jobs) return null;
        const n = k++;
        const f = n % freelancers;
        const j = (n + Math.floor(n / freelancers)) % jobs;
        return {
          method: 'POST',
          path: `/v1/jobs/${jobId(j)}/proposals`,
          body: { proposalId: `bench-p-${n}`, freelancerId: freelancerId(f), bidCents: 10_000 },
          ...tokenOf(f),
        };
      },
      onAnswer: (call, answer) => {
        if (answer.status !== 201) return;
        const f = Number((call.body as { freelancerId: string }).freelancerId.slice('bench-fl-'.length));
        acknowledged[f] = (acknowledged[f] ?? 0) + 1;
      },
    });
    describe('proposals', proposals);

    // 2. Balance reads.
    let seedState = 12_345;
    const { load: balanceLoad, cpu: balancesCpu } = await measured({
      connections,
      seconds,
      next: (): HttpCall => {
        seedState = (seedState * 1_103_515_245 + 12_345) % 2_147_483_648;
        const f = seedState % freelancers;
        return { method: 'GET', path: `/v1/freelancers/${freelancerId(f)}/balance`, ...tokenOf(f) };
      },
    });
    describe('balances', balanceLoad);
    for (const [phase, cpu] of [
      ['proposals', proposalsCpu],
      ['balances', balancesCpu],
    ] as const) {
      say(
        `CPU per request, ${phase}: server ${cpu.own} ms, PostgreSQL ${cpu.database ?? '-'} ms, ` +
          `machine ${cpu.machine} ms (every process and the kernel)`,
      );
    }

    // The ledger check: each acknowledged proposal debited exactly once, nothing else.
    const read = await balances(target, freelancers);
    const wrong = read.filter(
      (balance, f) => balance !== 50 + SEED_CONNECTS - PROPOSAL_COST * (acknowledged[f] ?? 0),
    ).length;
    const ledgerOk = wrong === 0;
    say(
      ledgerOk
        ? `check: all ${freelancers} balances = seeded - ${PROPOSAL_COST} x acknowledged proposals`
        : `check FAILED: ${wrong} of ${freelancers} balances differ from the acknowledged proposals`,
    );
    target.close();

    // 3. The ceiling, same client and connections.
    const bare = await bareServer();
    const bareTarget = new HttpTarget([bare.url], undefined, connections);
    const ceiling = await runHttpLoad(bareTarget, {
      connections,
      seconds,
      next: () => ({ method: 'GET', path: '/' }),
    });
    bareTarget.close();
    await bare.close();
    describe('ceiling (bare node:http)', ceiling);

    const summary = (r: HttpLoadResult) => ({
      rps: r.rps,
      p50Ms: r.p50Ms,
      p99Ms: r.p99Ms,
      requests: r.requests,
      statuses: r.statuses,
    });
    say(
      JSON.stringify({
        name: 'http',
        store: engine,
        connections,
        servers,
        as,
        pooler: pooler === undefined ? null : 'transaction',
        proposals: summary(proposals),
        balances: summary(balanceLoad),
        ceiling: { rps: ceiling.rps, p50Ms: ceiling.p50Ms, p99Ms: ceiling.p99Ms },
        serverCpuMsPerRequest: { proposals: proposalsCpu.own, balances: balancesCpu.own },
        databaseCpuMsPerRequest: { proposals: proposalsCpu.database, balances: balancesCpu.database },
        machineCpuMsPerRequest: { proposals: proposalsCpu.machine, balances: balancesCpu.machine },
        ratioToCeiling: {
          proposals: Math.round((proposals.rps / ceiling.rps) * 1000) / 1000,
          balances: Math.round((balanceLoad.rps / ceiling.rps) * 1000) / 1000,
        },
        ledgerOk,
      }),
    );
    if (!ledgerOk) process.exitCode = 1;
  } finally {
    await Promise.all(running.map(stopServer));
    await scratch?.drop();
    if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
  }
}
