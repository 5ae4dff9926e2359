import { describe, expect, it } from 'vitest';

import { ProviderHttpError } from '../../src/oauth/errors.js';
import { LoginRefusedError, accountKeyOf, createLoginFlow } from '../../src/oauth/loginFlow.js';
import { MAX_PENDING_LOGINS, PENDING_LOGIN_TTL_MS } from '../../src/oauth/pendingLogin.js';
import type { OAuthConsumer, TokenPair } from '../../src/oauth/types.js';
import { fakeExchange } from '../helpers/fakeNexmo.js';
import { createMemoryPendingLogins } from '../../src/store/memoryPendingLogins.js';

/** A consumer that hands out numbered request tokens and records every exchange. */
function fakeConsumer(options: { failRequestToken?: boolean } = {}) {
  let issued = 0;
  const exchanges: { requestToken: TokenPair; verifier: string }[] = [];
  const callbacks: (string | undefined)[] = [];
  const consumer: OAuthConsumer = {
    async getRequestToken(callbackUrl) {
      if (options.failRequestToken) throw new ProviderHttpError('refused', { status: 401 });
      callbacks.push(callbackUrl);
      issued += 1;
      return { reply: { token: `rt-${issued}`, secret: `rs-${issued}`, extra: {} }, exchange: fakeExchange('POST', `request_token #${issued}`, 200) };
    },
    async getAccessToken(requestToken, verifier) {
      exchanges.push({ requestToken, verifier });
      // Yield so concurrent completions really interleave.
      await new Promise((resolve) => setImmediate(resolve));
      return { reply: { token: `at-for-${requestToken.token}`, secret: 'as', extra: { username: 'ann' } }, exchange: fakeExchange('POST', `access_token for ${requestToken.token}`, 200) };
    },
    signedGet: () => Promise.reject(new Error('not used')),
    signedPost: () => Promise.reject(new Error('not used')),
    close: () => {},
  };
  return { consumer, exchanges, callbacks };
}

function setUp(options: { failRequestToken?: boolean; pagesFollowAppOrigin?: boolean } = {}) {
  let clock = 1_000_000;
  const now = () => clock;
  const { consumer, exchanges, callbacks } = fakeConsumer(options);
  const flow = createLoginFlow({
    consumer,
    pendingLogins: createMemoryPendingLogins(now),
    providerPagesUrl: 'https://provider.example/oauth/',
    pagesFollowAppOrigin: options.pagesFollowAppOrigin,
    pagesPath: '/sandbox/oauth/',
    providerId: 'https://provider.example',
    now,
  });
  return { flow, exchanges, callbacks, advance: (ms: number) => (clock += ms) };
}

const APP = 'https://app.example';
const tokenOf = (started: { target: URL }) => started.target.searchParams.get('oauth_token') ?? '';

async function refusal(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(LoginRefusedError);
  return (err as LoginRefusedError).reason;
}

describe('the login flow', () => {
  it('sends the browser to the chosen provider page with only the request token', async () => {
    const { flow } = setUp();
    const { target: url } = await flow.start('owner-a', 'authenticate', APP);
    expect(url.origin + url.pathname).toBe('https://provider.example/oauth/authenticate');
    expect([...url.searchParams.keys()]).toEqual(['oauth_token']);
  });

  it('gives the provider a callback at the address the browser used for the app', async () => {
    const { flow, callbacks } = setUp();
    await flow.start('owner-a', 'authorize', 'http://192.168.1.20:3000');
    expect(callbacks).toEqual(['http://192.168.1.20:3000/auth/callback']);
  });

  it('sends the browser to the mounted sandbox at that same address', async () => {
    const { flow } = setUp({ pagesFollowAppOrigin: true });
    const { target: url } = await flow.start('owner-a', 'authorize', 'http://192.168.1.20:3000');
    expect(url.origin + url.pathname).toBe('http://192.168.1.20:3000/sandbox/oauth/authorize');
  });

  it('exchanges the verifier with the request token and its secret, and returns the connection', async () => {
    const { flow, exchanges } = setUp();
    const token = tokenOf(await flow.start('owner-a', 'authorize', APP));
    const { connection } = await flow.complete('owner-a', token, 'v-1');
    expect(exchanges).toEqual([{ requestToken: { token: 'rt-1', secret: 'rs-1' }, verifier: 'v-1' }]);
    expect(connection).toMatchObject({ token: 'at-for-rt-1', secret: 'as', extra: { username: 'ann' }, connectedAt: 1_000_000 });
    expect(connection.account).toBe(accountKeyOf('https://provider.example', { token: 'at-for-rt-1', secret: 'as', extra: { username: 'ann' } }));
  });

  it('returns each token call as the consumer recorded it, with the value it produced', async () => {
    const { flow } = setUp();
    const started = await flow.start('owner-a', 'authorize', APP);
    expect(started.exchange).toEqual(fakeExchange('POST', 'request_token #1', 200));
    const completed = await flow.complete('owner-a', tokenOf(started), 'v-1');
    expect(completed.exchange).toEqual(fakeExchange('POST', 'access_token for rt-1', 200));
    expect(completed.connection.token).toBe('at-for-rt-1');
  });

  it('lets each pending login be used once', async () => {
    const { flow, exchanges } = setUp();
    const token = tokenOf(await flow.start('owner-a', 'authorize', APP));
    await flow.complete('owner-a', token, 'v');
    expect(await refusal(flow.complete('owner-a', token, 'v'))).toBe('unknown');
    expect(exchanges).toHaveLength(1);
  });

  it('exchanges exactly once when the same callback arrives eight times at once', async () => {
    const { flow, exchanges } = setUp();
    const token = tokenOf(await flow.start('owner-a', 'authorize', APP));
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => flow.complete('owner-a', token, 'v')));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => ((r as PromiseRejectedResult).reason as LoginRefusedError).reason)).toEqual(Array(7).fill('unknown'));
    expect(exchanges).toHaveLength(1);
  });

  it('keeps every login of concurrent starts in one browser, so each tab completes', async () => {
    const { flow, exchanges } = setUp();
    const urls = await Promise.all([1, 2, 3].map(() => flow.start('owner-a', 'authorize', APP)));
    for (const url of urls) await flow.complete('owner-a', tokenOf(url), 'v');
    expect(exchanges.map((e) => e.requestToken.token).sort()).toEqual(['rt-1', 'rt-2', 'rt-3']);
  });

  it('refuses a login started by another browser, and leaves it usable by its owner', async () => {
    const { flow, exchanges } = setUp();
    const token = tokenOf(await flow.start('owner-a', 'authorize', APP));
    expect(await refusal(flow.complete('owner-b', token, 'v'))).toBe('unknown');
    expect(exchanges).toHaveLength(0);
    await expect(flow.complete('owner-a', token, 'v')).resolves.toMatchObject({ connection: { token: 'at-for-rt-1' } });
  });

  it('refuses a callback without a verifier and keeps the login pending', async () => {
    const { flow, exchanges } = setUp();
    const token = tokenOf(await flow.start('owner-a', 'authorize', APP));
    expect(await refusal(flow.complete('owner-a', token, undefined))).toBe('no-verifier');
    expect(exchanges).toHaveLength(0);
    await expect(flow.complete('owner-a', token, 'v')).resolves.toMatchObject({ connection: { token: 'at-for-rt-1', secret: 'as', extra: { username: 'ann' } } });
    expect(exchanges, 'the one exchange, once the verifier came').toEqual([{ requestToken: { token: 'rt-1', secret: 'rs-1' }, verifier: 'v' }]);
  });

  it('expires a login after 10 minutes and drops it, without an exchange', async () => {
    const { flow, exchanges, advance } = setUp();
    const token = tokenOf(await flow.start('owner-a', 'authorize', APP));
    advance(PENDING_LOGIN_TTL_MS + 1);
    expect(await refusal(flow.complete('owner-a', token, 'v'))).toBe('expired');
    expect(await refusal(flow.complete('owner-a', token, 'v'))).toBe('unknown');
    expect(exchanges).toHaveLength(0);
  });

  it('still completes a login at exactly 10 minutes', async () => {
    const { flow, exchanges, advance } = setUp();
    const token = tokenOf(await flow.start('owner-a', 'authorize', APP));
    advance(PENDING_LOGIN_TTL_MS);
    await expect(flow.complete('owner-a', token, 'v')).resolves.toMatchObject({ connection: { token: 'at-for-rt-1', connectedAt: 1_000_000 + PENDING_LOGIN_TTL_MS } });
    expect(exchanges.map((e) => e.requestToken.token)).toEqual(['rt-1']);
  });

  it(`keeps at most ${MAX_PENDING_LOGINS} pending logins per browser, dropping the oldest`, async () => {
    const { flow, exchanges, advance } = setUp();
    const tokens: string[] = [];
    for (let i = 0; i < MAX_PENDING_LOGINS + 2; i++) {
      tokens.push(tokenOf(await flow.start('owner-a', 'authorize', APP)));
      advance(1);
    }
    expect(await refusal(flow.complete('owner-a', tokens[0]!, 'v'))).toBe('unknown');
    expect(await refusal(flow.complete('owner-a', tokens[1]!, 'v'))).toBe('unknown');
    for (const token of tokens.slice(2)) await expect(flow.complete('owner-a', token, 'v')).resolves.toMatchObject({ connection: { token: `at-for-${token}` } });
    expect(exchanges.map((e) => e.requestToken.token), 'exchanges: only the logins still kept').toEqual(tokens.slice(2));
  });

  it('forgets a denied login so its token cannot be used afterwards', async () => {
    const { flow, exchanges } = setUp();
    const token = tokenOf(await flow.start('owner-a', 'authorize', APP));
    await flow.cancel('owner-a', token);
    expect(await refusal(flow.complete('owner-a', token, 'v'))).toBe('unknown');
    expect(exchanges).toHaveLength(0);
  });

  it('passes a provider refusal through as a ProviderError and keeps nothing pending', async () => {
    const { flow } = setUp({ failRequestToken: true });
    await expect(flow.start('owner-a', 'authorize', APP)).rejects.toBeInstanceOf(ProviderHttpError);
  });
});

describe('the account a connection belongs to', () => {
  const reply = (token: string, extra: Record<string, string>) => ({ token, secret: 's', extra });

  it('is the same for two access tokens of one named account, so reconnecting keeps the history', () => {
    expect(accountKeyOf('https://p', reply('t1', { username: 'ann' }))).toBe(accountKeyOf('https://p', reply('t2', { username: 'ann' })));
  });

  it('differs between accounts, and between providers with the same account name', () => {
    expect(accountKeyOf('https://p', reply('t', { username: 'ann' }))).not.toBe(accountKeyOf('https://p', reply('t', { username: 'bob' })));
    expect(accountKeyOf('https://p', reply('t', { username: 'ann' }))).not.toBe(accountKeyOf('https://q', reply('t', { username: 'ann' })));
  });

  it('falls back to the access token when the reply names no account, without revealing it', () => {
    const key = accountKeyOf('https://p', reply('secret-token-value', {}));
    expect(key).not.toBe(accountKeyOf('https://p', reply('other-token', {})));
    expect(key).not.toContain('secret-token-value');
    expect(key).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });
});
