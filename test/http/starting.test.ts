// The moment the port opens, before the app is built (the sandbox and the app are still being
// made), a request is answered at once: "starting", never silence. Here the sandbox's storage
// is held closed, so the app stays in that window for as long as the spec needs.
import type { SandboxStorage } from '@nexmo-oauth/sandbox';
import supertest from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';

import { startServer, type RunningApp } from '../../src/main/compose.js';
import { loadConfig } from '../../src/config/config.js';
import { resolveProviderPlan } from '../../src/config/provider.js';
import pino from 'pino';
import { createMemoryStores } from '../../src/store/memory.js';
import { freePort } from '../helpers/ports.js';

const quiet = pino({ level: 'silent' });

/** A storage whose every call waits for `open()`: the sandbox cannot be built before it. */
function heldStorage(inner: SandboxStorage): { storage: SandboxStorage; open(): void; firstCall: Promise<void> } {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let called!: () => void;
  const firstCall = new Promise<void>((resolve) => (called = resolve));
  const storage = new Proxy(inner, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        called();
        await gate;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { storage, open, firstCall };
}

describe('a request that arrives while the app is starting', () => {
  let running: RunningApp | undefined;
  const stores = createMemoryStores();
  afterEach(async () => {
    await running?.close();
  });

  it('is answered at once (503, Retry-After, "starting"), and by the app as soon as it is ready', async () => {
    const port = await freePort();
    const held = heldStorage(stores.sandbox);
    const config = loadConfig({ PORT: String(port), SESSION_SECRET: 'test-session-secret' });
    const starting = startServer(config, resolveProviderPlan(config), { log: quiet, stores: { ...stores, sandbox: held.storage } });
    // The port is open and the sandbox is waiting on its storage: the window is open.
    await held.firstCall;
    const client = supertest(`http://127.0.0.1:${port}`);

    const ready = await client.get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.headers['retry-after']).toBe('1');
    expect(ready.body).toEqual({ status: 'starting' });

    const page = await client.get('/').set('Accept', 'text/html');
    expect(page.status).toBe(503);
    expect(page.headers['retry-after']).toBe('1');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.text).toContain('The app is starting');
    expect(page.text).toContain('http-equiv="refresh"');

    const json = await client.post('/sms').set('Accept', 'application/json').type('form').send({ text: 'too early' });
    expect(json.status).toBe(503);
    expect(json.body).toEqual({ status: 'starting' });

    // The process itself is alive: a liveness check must not restart it for starting slowly.
    const health = await client.get('/healthz');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok' });

    held.open();
    running = await starting;
    const after = await client.get('/readyz');
    expect(after.status).toBe(200);
    expect(after.body).toEqual({ status: 'ready' });
    const home = await client.get('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('Connect with Nexmo');
  });

  it('closes the port again when starting fails after it opened', async () => {
    const port = await freePort();
    const failing = new Proxy(stores.sandbox, {
      get: () => async () => {
        throw new Error('storage refused');
      },
    });
    const config = loadConfig({ PORT: String(port), SESSION_SECRET: 'test-session-secret' });
    await expect(startServer(config, resolveProviderPlan(config), { log: quiet, stores: { ...stores, sandbox: failing } })).rejects.toThrow('storage refused');
    // The same port can be bound again at once: nothing was left listening.
    const again = await startServer(config, resolveProviderPlan(config), { log: quiet, stores });
    running = again;
    expect((await supertest(again.url).get('/readyz')).body).toEqual({ status: 'ready' });
  });
});
