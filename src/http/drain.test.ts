import { describe, expect, it } from 'vitest';
import { drainable } from './drain.ts';

const later = () => {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { done, finish };
};

describe('drainable', () => {
  it('answers new requests with 503 and Connection: close once draining, and waits for those in flight', async () => {
    const gate = later();
    const requests = drainable(async () => {
      await gate.done;
      return new Response('done');
    });
    const inFlight = requests.fetch(new Request('http://x/a'));
    expect(requests.inFlight()).toBe(1);
    let drained: boolean | undefined;
    const draining = requests.drain(5_000).then((value) => (drained = value));
    const refused = await requests.fetch(new Request('http://x/b'));
    expect(refused.status).toBe(503);
    expect(refused.headers.get('connection')).toBe('close');
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('store_unavailable');
    await Promise.resolve();
    expect(drained).toBeUndefined();
    gate.finish();
    const answered = await inFlight;
    expect(await answered.text()).toBe('done');
    expect(answered.headers.get('connection')).toBe('close');
    await draining;
    expect(drained).toBe(true);
  });

  it('gives up after the grace period and says so', async () => {
    const requests = drainable(() => new Promise<Response>(() => undefined));
    void requests.fetch(new Request('http://x/'));
    expect(await requests.drain(20)).toBe(false);
    expect(requests.inFlight()).toBe(1);
  });

  it('drains at once when nothing is in flight', async () => {
    expect(await drainable(() => new Response('')).drain(1_000)).toBe(true);
  });
});
