// The sandbox's state at rest, as the whole app keeps it in its own store: after a login
// through the mounted sandbox, a copy of the SQLite file or a Redis dump holds neither the
// access token the sandbox issued nor its secret, nor the sandbox's consumer secret. The app's
// own tokens at rest: test/store/at-rest.
import { afterAll, describe, expect, it } from 'vitest';

import { connect } from '../helpers/login.js';
import { rawStore, storedConnection } from '../helpers/rawStore.js';
import { redisBackend, sqliteBackend } from '../helpers/storeBackends.js';
import { useTestApp } from '../helpers/testApp.js';

const startTestApp = useTestApp();
const backends = [sqliteBackend(), redisBackend()];
afterAll(async () => {
  for (const backend of backends) await backend.tearDown();
});

describe.each(backends)('the sandbox’s state at rest in the $name store', (backend) => {
  it('is sealed too: neither the access token it issued nor its secret, nor its consumer secret, is readable', async () => {
    const env = await backend.env();
    const app = await startTestApp(env);
    await connect(app);
    const { token, secret } = await storedConnection(backend.name, env);
    expect(token.length).toBeGreaterThan(10);
    const raw = await rawStore(backend.name, env);
    for (const value of [token, secret, app.provider.consumerSecret]) expect(raw).not.toContain(value);
  });
});
