// resolveAppOrigin (src/http/hosts.ts) on a throwaway app: the origin each request is answered
// as, for every way PUBLIC_URL can be set, and the Hosts it refuses. What the app does with
// that origin (the login's redirect, the refusal page): test/routes/hosts.
import express from 'express';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';

import { loadConfig } from '../../src/config/config.js';
import { HttpError } from '../../src/http/errors.js';
import { resolveAppOrigin } from '../../src/http/hosts.js';
import { trustedHostNames } from '../../src/main/addresses.js';

/** The middleware in front of a page that answers with the origin it resolved, as the app configures it from `env`. */
function appWith(env: Record<string, string> = {}) {
  const config = loadConfig({ SESSION_SECRET: 'hosts-spec', ...env });
  const app = express();
  if (config.trustProxy !== undefined) app.set('trust proxy', config.trustProxy);
  app.use(resolveAppOrigin(config, trustedHostNames(config.allowedHosts)));
  app.get('/', (_req, res) => res.json({ origin: res.locals.appOrigin }));
  app.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(err instanceof HttpError ? err.status : 500).json({ refused: err instanceof HttpError ? err.page.title : String(err) });
  });
  return supertest(app);
}

/** The origin a request with `host` is answered as, or the refusal. */
async function originFor(app: ReturnType<typeof appWith>, host: string, headers: Record<string, string> = {}) {
  const res = await app.get('/').set('Host', host).set(headers);
  return res.status === 200 ? (res.body.origin as string) : `${res.status} ${res.body.refused as string}`;
}

const REFUSED = '400 This address is not one the app answers to';

describe('without PUBLIC_URL', () => {
  it('follows the address the browser used when it is one of this machine’s', async () => {
    const app = appWith();
    for (const host of ['localhost:3000', '127.0.0.1:3000', '127.0.0.2:3000', '[::1]:3000']) expect(await originFor(app, host), host).toBe(`http://${host}`);
  });

  it('follows a host listed in ALLOWED_HOSTS, with its port', async () => {
    expect(await originFor(appWith({ ALLOWED_HOSTS: 'demo.example.test' }), 'demo.example.test:8080')).toBe('http://demo.example.test:8080');
  });

  it('refuses any other Host, and one that is no host at all', async () => {
    const app = appWith();
    for (const host of ['evil.example', 'evil.example:3000', 'localhost.evil.example', '[::ffff:8.8.8.8]', 'a b']) expect(await originFor(app, host), host).toBe(REFUSED);
  });

  it('says https only for a request that came over https, through a trusted proxy', async () => {
    expect(await originFor(appWith({ TRUST_PROXY: 'loopback' }), 'localhost:3000', { 'X-Forwarded-Proto': 'https' })).toBe('https://localhost:3000');
    expect(await originFor(appWith(), 'localhost:3000', { 'X-Forwarded-Proto': 'https' })).toBe('http://localhost:3000');
  });
});

describe('with PUBLIC_URL on a loopback name (a presenter’s http://localhost:3999)', () => {
  it('still follows this machine’s addresses, so a login ends where it started', async () => {
    const app = appWith({ PUBLIC_URL: 'http://localhost:3999' });
    for (const host of ['localhost:3999', '127.0.0.1:3000', '127.0.0.2:3000']) expect(await originFor(app, host), host).toBe(`http://${host}`);
  });

  it('still refuses a Host that is none of this machine’s', async () => {
    expect(await originFor(appWith({ PUBLIC_URL: 'http://localhost:3999' }), 'evil.example')).toBe(REFUSED);
  });
});

describe('with PUBLIC_URL on a public name (behind a proxy)', () => {
  it('answers as PUBLIC_URL whatever Host the request carries', async () => {
    const app = appWith({ PUBLIC_URL: 'https://sms.example.com' });
    for (const host of ['evil.example', 'localhost:3000', 'upstream:8080']) expect(await originFor(app, host), host).toBe('https://sms.example.com');
  });

  it('follows the hosts listed in ALLOWED_HOSTS as themselves', async () => {
    const app = appWith({ PUBLIC_URL: 'https://sms.example.com', ALLOWED_HOSTS: 'demo.example.test' });
    expect(await originFor(app, 'demo.example.test:8080')).toBe('http://demo.example.test:8080');
    expect(await originFor(app, 'other.example.test:8080')).toBe('https://sms.example.com');
  });
});
