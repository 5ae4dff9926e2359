import { describe, expect, it } from 'vitest';
import { createMemoryStorage, createSandbox } from '../../src/index.js';
import type { SandboxStorage } from '../../src/index.js';
import { TEST_CONSUMER, authorizationHeader, authorize, connect, getRequestToken, parseForm, postSigned, signRequest, startSandbox, balanceOf } from '../helpers/sandboxClient.js';
import type { SandboxHarness } from '../helpers/sandboxClient.js';

describe('a sandbox re-created on the same storage', () => {
  it('still knows the access tokens, balances, outbox and pending sign-ins of the one before', async () => {
    const storage = createMemoryStorage();
    const before = await startSandbox({ storage });
    const access = await connect(before, 'carol');
    const sent = await postSigned(before, '/sms/json', { ...TEST_CONSUMER, token: access.token, tokenSecret: access.secret, form: { from: 'Demo', to: '447700900000', text: 'before the restart' } });
    expect(sent.body.messages[0].status).toBe('0');
    const pending = await getRequestToken(before);
    const verifier = await authorize(before, pending.token, 'dave');
    await before.close();
    before.sandbox.close();

    const after = await startSandbox({ storage });
    try {
      const balance = await balanceOf(after, access);
      expect(balance.status).toBe(200);
      expect(balance.body.value).toBe(9.9667);
      expect((await after.sandbox.outbox()).map((e) => [e.account, e.text])).toEqual([['carol', 'before the restart']]);
      // A sign-in approved before the restart is exchanged after it, once.
      const sign = { ...TEST_CONSUMER, token: pending.token, tokenSecret: pending.secret, oauth: { oauth_verifier: verifier } };
      const exchanged = await postSigned(after, '/oauth/access_token', sign);
      expect(parseForm(exchanged.text)['username']).toBe('dave');
      expect(parseForm((await postSigned(after, '/oauth/access_token', sign)).text)['oauth_problem']).toBe('token_used');
      // Message ids go on from where they were, never repeating.
      const next = await postSigned(after, '/sms/json', { ...TEST_CONSUMER, token: access.token, tokenSecret: access.secret, form: { from: 'Demo', to: '447700900000', text: 'after' } });
      expect(BigInt(`0x${next.body.messages[0]['message-id']}`)).toBe(BigInt(`0x${sent.body.messages[0]['message-id']}`) + 1n);
    } finally {
      await after.close();
    }
  });

  it('keeps the consumer credentials it generated the first time, unless they are given', async () => {
    const storage = createMemoryStorage();
    const first = await createSandbox({ storage });
    const second = await createSandbox({ storage });
    expect([second.consumerKey, second.consumerSecret]).toEqual([first.consumerKey, first.consumerSecret]);
    expect(first.consumerSecret.length).toBeGreaterThanOrEqual(40);
    const other = await createSandbox({ storage: createMemoryStorage() });
    expect(other.consumerKey).not.toBe(first.consumerKey);
    const given = await createSandbox({ storage, consumerKey: 'k', consumerSecret: 's' });
    expect([given.consumerKey, given.consumerSecret]).toEqual(['k', 's']);
  });

  it('refuses a nonce replayed to another sandbox sharing the storage', async () => {
    const storage: SandboxStorage = createMemoryStorage();
    const a = await startSandbox({ storage });
    const b = await startSandbox({ storage });
    try {
      const sign = { ...TEST_CONSUMER, nonce: 'shared-nonce', oauth: { oauth_callback: 'oob' } };
      const one = signRequest({ ...sign, method: 'POST', url: `${a.base}/oauth/request_token` });
      expect((await a.http.post('/sandbox/oauth/request_token').set('Authorization', authorizationHeader(one))).status).toBe(200);
      const two = signRequest({ ...sign, method: 'POST', url: `${b.base}/oauth/request_token` });
      const replay = await b.http.post('/sandbox/oauth/request_token').set('Authorization', authorizationHeader(two));
      expect(parseForm(replay.text)['oauth_problem']).toBe('nonce_used');
    } finally {
      await a.close();
      await b.close();
    }
  });
});
