import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../src/index.js';
import { TEST_CONSUMER, authorizationHeader, connect, consentNonce, formBody, getRequestToken, parseForm, postSigned, rfc3986, signIn, signRequest, startSandbox, balanceOf } from '../helpers/sandboxClient.js';
import type { SandboxHarness } from '../helpers/sandboxClient.js';

let h: SandboxHarness;

beforeEach(async () => {
  h = await startSandbox({ startingBalance: 1 });
});
afterEach(async () => {
  await h.close();
});

/** Submits the consent form with the given extra fields; returns the response. */
async function decide(token: string, fields: Record<string, string>) {
  const nonce = await consentNonce(h, token);
  return h.http
    .post('/sandbox/oauth/authorize')
    .type('form')
    .send(formBody({ oauth_token: token, consent_nonce: nonce, ...fields, decision: 'authorize' }));
}

async function exchange(rt: { token: string; secret: string }, location: string) {
  const verifier = new URL(location).searchParams.get('oauth_verifier') as string;
  const res = await postSigned(h, '/oauth/access_token', { ...TEST_CONSUMER, token: rt.token, tokenSecret: rt.secret, oauth: { oauth_verifier: verifier } });
  expect(res.status).toBe(200);
  return parseForm(res.text);
}

describe('choosing the sandbox account on the consent page', () => {
  it('offers the demo accounts as labelled radio buttons in a fieldset, the default selected, and a name field', async () => {
    const { token } = await getRequestToken(h);
    const page = await h.http.get(`/sandbox/oauth/authorize?oauth_token=${rfc3986(token)}`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<fieldset[^>]*>\s*<legend>Sign in to the sandbox as<\/legend>/);
    for (const [i, name] of DEMO_ACCOUNTS.entries()) {
      expect(page.text).toContain(`id="account-${i}" value="${name}"`);
      expect(page.text).toContain(`<label for="account-${i}">${name}</label>`);
    }
    const radios = page.text.match(/<input type="radio"[^>]*>/g) ?? [];
    expect(radios.filter((r) => r.includes(' checked'))).toEqual([expect.stringContaining('value="sandbox-demo"')]);
    expect(page.text).toMatch(/<label for="account-name">/);
    expect(page.text).toMatch(/<input type="text" name="account_name" id="account-name"/);
    expect(page.text).not.toMatch(/<script/i);
  });

  it('names the picked account in the access-token reply, from the radio buttons or the name field (lower-cased)', async () => {
    const first = await getRequestToken(h);
    expect((await exchange(first, (await decide(first.token, { account: 'bob' })).headers['location'] as string))['username']).toBe('bob');
    const second = await getRequestToken(h);
    const typed = await decide(second.token, { account: 'bob', account_name: '  Team-Blue-7 ' });
    expect((await exchange(second, typed.headers['location'] as string))['username']).toBe('team-blue-7');
    const third = await getRequestToken(h);
    expect((await exchange(third, (await decide(third.token, {})).headers['location'] as string))['username']).toBe('sandbox-demo');
  });

  it('refuses an invalid name with a clear page that keeps the form usable', async () => {
    for (const bad of ['has space', 'x'.repeat(33), 'émile', 'a_b', 'a/b']) {
      const { token } = await getRequestToken(h);
      const res = await decide(token, { account: 'alice', account_name: bad });
      expect(res.status, bad).toBe(400);
      expect(res.headers['location']).toBeUndefined();
      expect(res.text).toContain("That account name can't be used");
      expect(res.text).toContain('1 to 32 characters');
      expect(res.text).toContain('aria-invalid="true"');
      expect(res.text).toContain('aria-describedby="account-name-hint account-name-error"');
      // What was chosen stays chosen, and the token can still be approved.
      expect(res.text).toMatch(/value="alice" checked/);
      const ok = await decide(token, { account: 'alice' });
      expect(ok.status).toBe(302);
    }
    const { token } = await getRequestToken(h);
    expect((await decide(token, { account: 'Not Valid!' })).status).toBe(400);
  });

  it('keeps the balance with the account across connections, and names it in the outbox', async () => {
    const alice = await connect(h, 'alice');
    const sms = await postSigned(h, '/sms/json', { ...TEST_CONSUMER, token: alice.token, tokenSecret: alice.secret, form: { from: 'Demo', to: '447700900000', text: 'hi' } });
    expect(sms.body.messages[0].status).toBe('0');
    const aliceAgain = await connect(h, 'alice');
    const bob = await connect(h, 'bob');
    expect((await balanceOf(h, aliceAgain)).body.value).toBe(0.9667);
    expect((await balanceOf(h, bob)).body.value).toBe(1);
    expect((await h.sandbox.outbox())[0]).toMatchObject({ account: 'alice', text: 'hi' });
    // The outbox page shows the signed-in account's messages only.
    expect((await signIn(h, 'alice')).text).toContain('>hi<');
    expect((await signIn(h, 'bob')).text).toContain('No messages yet');
  });
});
