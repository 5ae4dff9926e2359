// The stores' operations timed for /metrics: each call is observed once as it settles, as ok or
// error, and hands its caller exactly what the store answered (a value, a rejection, a session
// through express-session's callback), whether the store answers at once or later.
import { describe, expect, it } from 'vitest';

import { instrumentStores } from '../../src/metrics/instrumentStores.js';
import { NO_METRICS, type Metrics } from '../../src/metrics/metrics.js';
import { createMemoryStores } from '../../src/store/memory.js';

function recordingMetrics() {
  const operations: Array<{ operation: string; failed: boolean; seconds: number }> = [];
  const metrics: Metrics = { ...NO_METRICS, storeOperation: (operation, seconds, failed) => void operations.push({ operation, seconds, failed }) };
  return { metrics, operations };
}

describe('store operation timings', () => {
  it('observe a message store call once, as ok, and pass its value through', async () => {
    const { metrics, operations } = recordingMetrics();
    const stores = instrumentStores(createMemoryStores(() => 1_000), metrics);
    expect(await stores.messages.get('no-such-id', 'ann')).toBeUndefined();
    expect(operations).toEqual([{ operation: 'messages.get', failed: false, seconds: expect.any(Number) }]);
    expect(operations[0]!.seconds).toBeGreaterThanOrEqual(0);
  });

  it('observe a call that throws at once, or rejects later, as an error, and hand the caller that error', async () => {
    const { metrics, operations } = recordingMetrics();
    const raw = createMemoryStores();
    raw.messages.get = () => {
      throw new Error('store down');
    };
    raw.messages.list = () => Promise.reject(new Error('store gone'));
    const stores = instrumentStores(raw, metrics);
    await expect(stores.messages.get('id', 'ann')).rejects.toThrow('store down');
    await expect(stores.messages.list('ann', { limit: 10, offset: 0 })).rejects.toThrow('store gone');
    expect(operations.map(({ operation, failed }) => [operation, failed])).toEqual([
      ['messages.get', true],
      ['messages.list', true],
    ]);
  });

  it('observe the session store’s callback methods, handing express-session the session read', async () => {
    const { metrics, operations } = recordingMetrics();
    const stores = instrumentStores(createMemoryStores(), metrics);
    const data = { cookie: { originalMaxAge: 60_000, expires: new Date(Date.now() + 60_000) }, greeting: 'hello' };
    await new Promise<void>((resolve, reject) => stores.sessions.set('sid-1', data as never, (err) => (err ? reject(err) : resolve())));
    const read = await new Promise((resolve, reject) => stores.sessions.get('sid-1', (err, session) => (err ? reject(err) : resolve(session))));
    expect(read).toMatchObject({ greeting: 'hello' });
    await new Promise<void>((resolve) => stores.sessions.destroy('sid-1', () => resolve()));
    expect(operations.map(({ operation, failed }) => [operation, failed])).toEqual([
      ['sessions.set', false],
      ['sessions.get', false],
      ['sessions.destroy', false],
    ]);
  });

  it('leave the stores untouched when metrics are off', () => {
    const stores = createMemoryStores();
    expect(instrumentStores(stores, NO_METRICS)).toBe(stores);
  });
});
