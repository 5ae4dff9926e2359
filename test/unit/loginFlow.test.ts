import { describe, expect, it } from 'vitest';

import { ProviderHttpError } from '../../src/oauth/errors.js';
import { accountKeyOf, createLoginFlow, type LoginCompletion, type LoginStart } from '../../src/oauth/loginFlow.js';
import { MAX_PENDING_LOGINS, PENDING_LOGIN_TTL_MS } from '../../src/oauth/pendingLogin.js';
import type { OAuthConsumer, TokenPair } from '../../src/oauth/types.js';
import { fakeFacts } from '../helpers/fakeNexmo.js';
import { createMemoryStorage } from '@nexmo-oauth/sandbox';
import { createMemoryPendingLogins } from '../../src/store/memoryPendingLogins.js';
import { createRecorder, type ExchangeRecorder } from '../../src/timeline/recorder.js';
import { createTimelineStore } from '../../src/timeline/store.js';

/** A consumer that hands out numbered request tokens and records every exchange's facts. */
function fakeConsumer(recorder: ExchangeRecorder, options: { failRequestToken?: boolean } = {}) {
  let issued = 0;
  const exchanges: { requestToken: TokenPair; verifier: string }[] = [];
  const callbacks: (string | undefined)[] = [];
  const consumer: OAuthConsumer = {
    async getRequestToken(callbackUrl) {
      if (options.failRequestToken) throw new ProviderHttpError('refused', { status: 401 });
      callbacks.push(callbackUrl);
      issued += 1;
      recorder.exchangeStarts()(fakeFacts('POST', `https://provider.example/request_token/${issued}`, 200));
      return { token: `rt-${issued}`, secret: `rs-${issued}`, extra: {} };
    },
    async getAccessToken(requestToken, verifier) {
      // As the real consumer: where the facts go is asked as the exchange starts.
      const record = recorder.exchangeStarts();
      exchanges.push({ requestToken, verifier });
      // Yield so concurrent completions really interleave.
      await new Promise((resolve) => setImmediate(resolve));
      record(fakeFacts('POST', `https://provider.example/access_token/${requestToken.token}`, 200));
      return { token: `at-for-${requestToken.token}`, secret: 'as', extra: { username: 'ann' } };
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
  const recorder = createRecorder();
  const { consumer, exchanges, callbacks } = fakeConsumer(recorder, options);
  const timeline = createTimelineStore(createMemoryStorage({ now }), 60_000);
  const flow = createLoginFlow({
    consumer,
    pendingLogins: createMemoryPendingLogins(now),
    providerPagesUrl: 'https://provider.example/oauth/',
    pagesFollowAppOrigin: options.pagesFollowAppOrigin,
    pagesPath: '/sandbox/oauth/',
    callbackPath: '/auth/callback',
    providerId: 'https://provider.example',
    recorder,
    timeline,
    now,
  });
  return { flow, exchanges, callbacks, timeline, advance: (ms: number) => (clock += ms) };
}

const APP = 'https://app.example';

/** Where a start sends the browser; fails the spec if it did not start. */
function targetOf(started: LoginStart): URL {
  if (started.kind !== 'started') throw new Error(`the login did not start: ${started.failure.message}`);
  return started.target;
}
const tokenOf = (started: LoginStart) => targetOf(started).searchParams.get('oauth_token') ?? '';

/** The connection a completion made; fails the spec if it was refused or failed. */
function connectionOf(completed: LoginCompletion) {
  if (completed.kind !== 'connected') throw new Error(`not connected: ${completed.kind}`);
  return completed.connection;
}

/** Why a completion was refused ('connected' or 'failed' when it was not refused). */
async function refusal(completion: Promise<LoginCompletion>): Promise<string> {
  const completed = await completion;
  return completed.kind === 'refused' ? completed.reason : completed.kind;
}

describe('the login flow', () => {
  it('sends the browser to the chosen provider page with only the request token', async () => {
    const { flow } = setUp();
    const url = targetOf(await flow.start('owner-a', 'authenticate', APP));
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
    const url = targetOf(await flow.start('owner-a', 'authorize', 'http://192.168.1.20:3000'));
    expect(url.origin + url.pathname).toBe('http://192.168.1.20:3000/sandbox/oauth/authorize');
  });

  it('exchanges the verifier with the request token and its secret, and returns the connection', async () => {
    const { flow, exchanges } = setUp();
    const token = tokenOf(await flow.start('owner-a', 'authorize', APP));
    const connection = connectionOf(await flow.complete('owner-a', token, 'v-1'));
    expect(exchanges).toEqual([{ requestToken: { token: 'rt-1', secret: 'rs-1' }, verifier: 'v-1' }]);
    expect(connection).toMatchObject({ token: 'at-for-rt-1', secret: 'as', extra: { username: 'ann' }, connectedAt: 1_000_000 });
    expect(connection.account).toBe(accountKeyOf('https://provider.example', { token: 'at-for-rt-1', secret: 'as', extra: { username: 'ann' } }));
  });

  it('starts the connection’s timeline with both token calls as recorded, and the way through the provider’s page, masked', async () => {
    const { flow, timeline, advance } = setUp();
    const started = await flow.start('owner-a', 'authorize', APP);
    advance(5_000);
    const connection = connectionOf(await flow.complete('owner-a', tokenOf(started), 'verifier-1'));
    expect(connection.timelineId).toMatch(/^[\w-]{22}$/);
    const { login, balanceReads } = await timeline.read(connection.timelineId!);
    expect(login).toEqual([
      { kind: 'request-token', facts: fakeFacts('POST', 'https://provider.example/request_token/1', 200) },
      { kind: 'authorize', at: 1_000_000, url: 'https://provider.example/oauth/authorize?oauth_token=rt-1… (4 characters)' },
      { kind: 'callback', at: 1_005_000, token: 'rt-1… (4 characters)', verifier: 'veri… (10 characters)' },
      { kind: 'access-token', facts: fakeFacts('POST', 'https://provider.example/access_token/rt-1', 200) },
    ]);
    expect(balanceReads).toEqual([]);
    expect(JSON.stringify(login)).not.toContain('verifier-1');
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
    const results = await Promise.all(Array.from({ length: 8 }, () => flow.complete('owner-a', token, 'v')));
    expect(results.filter((r) => r.kind === 'connected')).toHaveLength(1);
    expect(results.flatMap((r) => (r.kind === 'refused' ? [r.reason] : []))).toEqual(Array(7).fill('unknown'));
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

  it('answers a provider refusal as a value carrying the ProviderError, and keeps nothing pending', async () => {
    const { flow } = setUp({ failRequestToken: true });
    const started = await flow.start('owner-a', 'authorize', APP);
    expect(started.kind).toBe('failed');
    expect(started.kind === 'failed' && started.failure).toBeInstanceOf(ProviderHttpError);
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
