// Two real addresses of this machine, at once, through the real sandbox: with PUBLIC_URL on
// localhost, a login ends where it started for the presenter at 127.0.0.1 and a teammate at
// 127.0.0.2, each on the mounted sandbox's consent page at their own address. The origin each
// Host resolves to: test/middleware/hosts; the login's redirect and the refusal: test/routes/hosts.
import type { AddressInfo } from 'node:net';

import supertest from 'supertest';
import { describe, expect, it } from 'vitest';

import { expectProviderCalls } from '../helpers/assertions.js';
import { decideOnConsentPage, pathOf } from '../helpers/login.js';
import { useTestApp } from '../helpers/testApp.js';

const startTestApp = useTestApp();

describe('the address the app answers at', () => {
  it('with PUBLIC_URL on localhost, ends a login where it started: a teammate at another address and the presenter at 127.0.0.1 both connect, at once', async () => {
    const app = await startTestApp({ PUBLIC_URL: 'http://localhost:3999' });
    const port = (app.server.address() as AddressInfo).port;
    // The presenter opened http://127.0.0.1:<port>; a teammate's laptop reaches this machine at 127.0.0.2.
    const addresses = [`http://127.0.0.1:${port}`, `http://127.0.0.2:${port}`];
    const results = await Promise.all(
      addresses.map(async (origin, i) => {
        const browser = supertest.agent(origin);
        const login = await browser.get('/auth/login');
        expect(login.status).toBe(302);
        expect((login.headers.location as string).startsWith(`${origin}/sandbox/oauth/authorize?`)).toBe(true);
        const callback = await decideOnConsentPage(browser, login.headers.location as string, 'Authorize', `person-${i}`);
        expect(callback.startsWith(`${origin}/auth/callback?`)).toBe(true);
        const done = await browser.get(pathOf(callback));
        return { origin, location: done.headers.location as string, home: (await browser.get('/')).text };
      }),
    );
    for (const { location, home } of results) {
      expect(location).toBe('/?notice=connected');
      expect(home).toContain('Disconnect');
    }
    expectProviderCalls(app.sandbox!, 'access_token', 2);
  });
});
