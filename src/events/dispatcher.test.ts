import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { T0, debit, freshAccount, grant } from '../store/testing/fixtures.ts';
import { testEngines, type OpenedEngine } from '../store/testing/test-engines.ts';
import type { LedgerStore } from '../store/store.ts';
import { listDeliveries, retryFailedDeliveries } from './delivery-admin.ts';
import { WebhookDispatcher } from './dispatcher.ts';
import { deleteEndpoint, listEndpoints, registerEndpoint, type RegisteredEndpoint } from './endpoints.ts';
import { fanOut } from './fan-out.ts';
import { verifyWebhook } from './signing.ts';
import { localReceiverOptions as local, startReceiver, type TestReceiver } from './testing/receiver.ts';

const S = 1000;

describe.each(testEngines)('webhook dispatcher on $name', (engine) => {
  let opened: OpenedEngine;
  let store: LedgerStore;
  let receiver: TestReceiver;
  beforeAll(async () => {
    opened = await engine.open();
    store = opened.store;
  });
  afterAll(() => opened.cleanup());

  // Every test starts with no endpoint and an outbox already handed out.
  beforeEach(async () => {
    receiver = await startReceiver();
    while ((await fanOut(store, T0, 5000)).events > 0);
  });
  afterEach(async () => {
    for (const endpoint of await listEndpoints(store)) await deleteEndpoint(store, endpoint.id, T0);
    await receiver.close();
  });

  async function run(account: string, op: Parameters<LedgerStore['execute']>[0]['op'], now = T0) {
    const r = await store.execute({ account, op, now });
    if (!r.ok) throw new Error(r.error.message);
  }
  async function endpoint(events?: string[]): Promise<RegisteredEndpoint> {
    const r = await registerEndpoint(store, { url: receiver.url, events }, T0, local);
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  }
  const dispatcher = (options: Partial<ConstructorParameters<typeof WebhookDispatcher>[1]> = {}) =>
    new WebhookDispatcher(store, { clock: () => T0, ...local, ...options });

  it('delivers each event once, signed per Standard Webhooks', async () => {
    const { secret } = await endpoint();
    const account = freshAccount();
    await run(account, grant(30));
    await run(account, debit(4, 'proposal:p1'), T0 + S);
    const report = await dispatcher().dispatchOnce(T0 + 2 * S);
    expect(report).toMatchObject({ fannedOut: 2, attempted: 1, delivered: 1 });
    await dispatcher().dispatchOnce(T0 + 2 * S);
    expect(await dispatcher().dispatchOnce(T0 + 2 * S)).toMatchObject({ attempted: 0 });

    expect(receiver.received).toHaveLength(2);
    const [first, second] = receiver.received;
    for (const request of [first, second]) {
      if (request === undefined) throw new Error('missing request');
      expect(request.headers['content-type']).toBe('application/json');
      expect(verifyWebhook(secret, request.headers, request.body, Date.now())).toMatchObject({ ok: true });
      const tampered = request.body.replace('"amount":', '"amount":1');
      expect(verifyWebhook(secret, request.headers, tampered, Date.now()).ok).toBe(false);
      expect(JSON.parse(request.body).id).toBe(request.headers['webhook-id']);
    }
    expect(receiver.accepted().map((e) => [e.type, e.data['amount']])).toEqual([
      ['connects.granted', 30],
      ['connects.spent', 4],
    ]);
    expect(receiver.accepted()[1]?.data).toMatchObject({ freelancerId: account, ref: 'proposal:p1' });
  });

  it('retries a failing receiver with backoff, same id and body, until it answers 2xx', async () => {
    const { id } = await endpoint();
    let failures = 2;
    receiver.respondWith(() => (failures-- > 0 ? 503 : 200));
    const account = freshAccount();
    await run(account, grant(25));
    const d = dispatcher();
    expect(await d.dispatchOnce(T0)).toMatchObject({ attempted: 1, retrying: 1 });
    expect(await d.dispatchOnce(T0 + 4 * S)).toMatchObject({ attempted: 0 });
    expect(await d.dispatchOnce(T0 + 5 * S)).toMatchObject({ attempted: 1, retrying: 1 });
    expect(await d.dispatchOnce(T0 + 34 * S)).toMatchObject({ attempted: 0 });
    const [pending] = await listDeliveries(store, id);
    expect(pending).toMatchObject({
      status: 'pending',
      attempts: 2,
      lastStatus: 503,
      lastError: 'HTTP 503: nope',
      nextAttemptAt: T0 + 35 * S,
    });
    expect(await d.dispatchOnce(T0 + 35 * S)).toMatchObject({ attempted: 1, delivered: 1 });
    expect(receiver.received.map((r) => r.status)).toEqual([503, 503, 200]);
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
    expect((await listDeliveries(store, id))[0]).toMatchObject({
      status: 'delivered',
      attempts: 3,
      deliveredAt: T0 + 35 * S,
      lastError: null,
    });
  });

  it('keeps each account in order while another account flows', async () => {
    await endpoint();
    const slow = freshAccount('slow');
    const fast = freshAccount('fast');
    let slowFailures = 3;
    receiver.respondWith((body) => {
      const event = JSON.parse(body) as { data: { freelancerId: string } };
      return event.data.freelancerId === slow && slowFailures-- > 0 ? 500 : 200;
    });
    await run(slow, grant(40));
    await run(fast, grant(40));
    for (let i = 1; i <= 3; i += 1) {
      await run(slow, debit(i), T0 + i * S);
      await run(fast, debit(i), T0 + i * S);
    }
    const d = dispatcher();
    let now = T0 + 10 * S;
    for (let round = 0; round < 6; round += 1) await d.dispatchOnce(now);
    const seqsOf = (account: string) =>
      receiver
        .accepted()
        .filter((e) => e.data['freelancerId'] === account)
        .map((e) => e.data['seq']);
    expect(seqsOf(fast)).toEqual([1, 2, 3, 4]);
    expect(seqsOf(slow)).toEqual([]);
    // The slow account's first event is retried; nothing after it was sent meanwhile.
    const slowRequests = receiver.received.filter((r) => r.body.includes(`"freelancerId":"${slow}"`));
    expect(new Set(slowRequests.map((r) => r.headers['webhook-id'])).size).toBe(1);
    for (const wait of [5, 30, 120]) {
      now += wait * S;
      for (let round = 0; round < 5; round += 1) await d.dispatchOnce(now);
    }
    expect(seqsOf(slow)).toEqual([1, 2, 3, 4]);
  });

  it('sends only the event types an endpoint asked for', async () => {
    await endpoint(['balance.low']);
    const account = freshAccount();
    await run(account, grant(12));
    await run(account, debit(5), T0 + S);
    for (let round = 0; round < 3; round += 1) await dispatcher().dispatchOnce(T0 + 2 * S);
    expect(receiver.accepted().map((e) => [e.type, e.data['balanceAfter']])).toEqual([['balance.low', 7]]);
  });

  it('marks a delivery failed after the last attempt, lets the account move on, and can requeue it', async () => {
    const { id } = await endpoint();
    const account = freshAccount();
    let refuseFirst = true;
    receiver.respondWith((body) => (refuseFirst && body.includes('connects.granted') ? 500 : 200));
    await run(account, grant(30));
    await run(account, debit(1), T0 + S);
    const d = dispatcher({ retryDelaysMs: [S, 2 * S] });
    await d.dispatchOnce(T0 + S);
    await d.dispatchOnce(T0 + 2 * S);
    expect(await d.dispatchOnce(T0 + 4 * S)).toMatchObject({ attempted: 1, failed: 1 });
    expect(await listDeliveries(store, id, { status: 'failed' })).toMatchObject([
      { type: 'connects.granted', freelancerId: account, attempts: 3, lastError: 'HTTP 500: nope' },
    ]);
    expect(await d.dispatchOnce(T0 + 4 * S)).toMatchObject({ attempted: 1, delivered: 1 });
    expect(receiver.accepted().map((e) => e.type)).toEqual(['connects.spent']);

    refuseFirst = false;
    expect(await retryFailedDeliveries(store, id, T0 + 5 * S)).toEqual({ requeued: 1 });
    expect(await d.dispatchOnce(T0 + 5 * S)).toMatchObject({ delivered: 1 });
    expect(receiver.accepted().map((e) => e.type)).toEqual(['connects.spent', 'connects.granted']);
    expect(await listDeliveries(store, id, { status: 'failed' })).toEqual([]);
  });

  it('stops delivering to a deleted endpoint', async () => {
    const { id } = await endpoint();
    receiver.respondWith(() => 500);
    const account = freshAccount();
    await run(account, grant(30));
    await dispatcher().dispatchOnce(T0);
    expect(await deleteEndpoint(store, id, T0 + S)).toEqual({ ok: true, value: undefined });
    expect((await deleteEndpoint(store, id, T0 + S)).ok).toBe(false);
    await run(account, debit(2), T0 + S);
    expect(await dispatcher().dispatchOnce(T0 + 60 * S)).toMatchObject({ attempted: 0 });
    expect(receiver.received).toHaveLength(1);
    expect(await listDeliveries(store, id)).toMatchObject([
      { status: 'cancelled', lastError: 'endpoint deleted' },
    ]);
  });

  it('gives up on a receiver that does not answer within the timeout', async () => {
    const { id } = await endpoint();
    receiver.respondWith(() => new Promise((resolve) => setTimeout(() => resolve(200), 2 * S)));
    const account = freshAccount();
    await run(account, grant(30));
    const report = await dispatcher({ timeoutMs: 200 }).dispatchOnce(T0);
    expect(report).toMatchObject({ attempted: 1, retrying: 1 });
    expect((await listDeliveries(store, id))[0]).toMatchObject({
      lastStatus: null,
      lastError: 'timed out after 200 ms',
    });
  });

  it('runs as a loop until stopped', async () => {
    await endpoint();
    const account = freshAccount();
    const errors: unknown[] = [];
    const d = dispatcher({ pollIntervalMs: 20, onError: (e) => errors.push(e) });
    d.start();
    await run(account, grant(30));
    for (let i = 0; i < 200 && receiver.accepted().length === 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await d.stop();
    expect(receiver.accepted().map((e) => e.type)).toEqual(['connects.granted']);
    expect(errors).toEqual([]);
  });

  it('delivers nothing for a write that rolled back', async () => {
    await endpoint();
    const account = freshAccount();
    await expect(
      store.transaction(async (tx) => {
        await tx.applyOps(account, [grant(30)], T0);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await run(account, grant(5), T0 + S);
    for (let round = 0; round < 3; round += 1) await dispatcher().dispatchOnce(T0 + 2 * S);
    expect(receiver.accepted().map((e) => e.data['amount'])).toEqual([5]);
  });

  it('keeps order and sends each event once with two dispatchers racing', async () => {
    await endpoint();
    const other = engine.name === 'postgres' ? await opened.another() : store;
    const accounts = Array.from({ length: 12 }, () => freshAccount('race'));
    const cmds = accounts.flatMap((account) => [
      { account, op: grant(50), now: T0 },
      ...[1, 2, 3, 4].map((n) => ({ account, op: debit(n), now: T0 + n * S })),
    ]);
    for (const cmd of cmds) await run(cmd.account, cmd.op, cmd.now);
    const a = new WebhookDispatcher(store, { clock: () => T0, batchSize: 5, ...local });
    const b = new WebhookDispatcher(other, { clock: () => T0, batchSize: 5, ...local });
    for (let round = 0; round < 40 && receiver.accepted().length < cmds.length; round += 1) {
      await Promise.all([a.dispatchOnce(T0 + 10 * S), b.dispatchOnce(T0 + 10 * S)]);
    }
    const accepted = receiver.accepted();
    expect(accepted).toHaveLength(cmds.length);
    expect(new Set(accepted.map((e) => e.id)).size).toBe(cmds.length);
    for (const account of accounts) {
      const seqs = accepted.filter((e) => e.data['freelancerId'] === account).map((e) => e.data['seq']);
      expect(seqs).toEqual([1, 2, 3, 4, 5]);
    }
  });
});
