import { parse } from 'node-html-parser';
import supertest from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../src/index.js';
import {
  TEST_CONSUMER,
  anotherBrowser,
  authorizeAs,
  balanceOf,
  connect,
  consentNonce,
  formBody,
  getRequestToken,
  parseForm,
  postSigned,
  renderedForm,
  rfc3986,
  signIn,
  startSandbox,
} from '../helpers/sandboxClient.js';
import type { SandboxHarness } from '../helpers/sandboxClient.js';

let h: SandboxHarness;

beforeEach(async () => {
  h = await startSandbox({ startingBalance: 1 });
});
afterEach(async () => {
  await h.close();
});

const TWO_WORDS = /^[a-z]+-[a-z]+$/;

/** Submits the consent form with exactly the given account fields; returns the response. */
async function decide(token: string, fields: Record<string, string>, browser: SandboxHarness = h) {
  const nonce = await consentNonce(browser, token);
  return browser.http
    .post('/sandbox/oauth/authorize')
    .type('form')
    .send(formBody({ oauth_token: token, consent_nonce: nonce, ...fields, decision: 'authorize' }));
}

async function exchange(rt: { token: string; secret: string }, location: string, browser: SandboxHarness = h) {
  const verifier = new URL(location).searchParams.get('oauth_verifier') as string;
  const res = await postSigned(browser, '/oauth/access_token', { ...TEST_CONSUMER, token: rt.token, tokenSecret: rt.secret, oauth: { oauth_verifier: verifier } });
  expect(res.status).toBe(200);
  return parseForm(res.text);
}

/** The consent page `browser` gets for a fresh request token, parsed. */
async function consentPage(browser: SandboxHarness = h) {
  const { token } = await getRequestToken(browser);
  const page = await browser.http.get(`/sandbox/oauth/authorize?oauth_token=${rfc3986(token)}`);
  expect(page.status).toBe(200);
  const root = parse(page.text);
  const checked = root.querySelectorAll('input[type="radio"]').filter((r) => r.hasAttribute('checked'));
  expect(checked).toHaveLength(1);
  return {
    html: page.text,
    checked: checked[0]?.getAttribute('value'),
    name: root.querySelector('#account-name')?.getAttribute('value'),
    ownLabel: root.querySelector('label[for="account-own"]')?.text,
  };
}

/** The sandbox's account cookie a response set: its value and attributes. */
function accountCookie(res: supertest.Response): string | undefined {
  return ((res.headers['set-cookie'] as unknown as string[] | undefined) ?? []).find((c) => c.startsWith('nexmo_sandbox_account='));
}

describe('choosing the sandbox account on the consent page', () => {
  it('offers a new account of one’s own with a fresh name, and the shared accounts unchecked, in a labelled fieldset', async () => {
    const page = await consentPage();
    expect(page.html).toMatch(/<fieldset[^>]*aria-describedby="accounts-hint"[^>]*>\s*<legend>Sign in to the sandbox as<\/legend>/);
    expect(page.html).toContain('People share an account only by picking the same name');
    // Its own account is the one chosen, under a readable name nobody has picked.
    expect(page.checked).toBe('');
    expect(page.ownLabel).toBe('A new account of your own');
    expect(page.name).toMatch(TWO_WORDS);
    expect(page.html).toContain(`<input type="hidden" name="account_name_shown" value="${page.name}">`);
    expect(page.html).toMatch(/<label for="account-name">Account name<\/label>/);
    expect(page.html).toMatch(/<input type="text" name="account_name" id="account-name"/);
    expect(page.html).toContain('A name made up for you that nobody has picked yet.');
    // The shared accounts are there, labelled, and not chosen for anyone.
    expect(DEMO_ACCOUNTS).toEqual(['alice', 'bob', 'carol']);
    for (const [i, name] of DEMO_ACCOUNTS.entries()) {
      expect(page.html).toMatch(new RegExp(`<input type="radio" name="account" id="account-${i}" aria-describedby="shared-hint" value="${name}">`));
      expect(page.html).toContain(`<label for="account-${i}">${name}</label>`);
    }
    expect(page.html).not.toContain('sandbox-demo');
    expect(page.html).not.toMatch(/<script/i);
  });

  it('two browsers that press Authorize straight away land in two different accounts of their own', async () => {
    const teammate = anotherBrowser(h);
    const [mine, theirs] = await Promise.all([getRequestToken(h), getRequestToken(teammate)]);
    const [myPick, theirPick] = await Promise.all([authorizeAs(h, mine.token), authorizeAs(teammate, theirs.token)]);
    expect(myPick.account).toMatch(TWO_WORDS);
    expect(theirPick.account).toMatch(TWO_WORDS);
    expect(myPick.account).not.toBe(theirPick.account);
    const finish = async (browser: SandboxHarness, rt: { token: string; secret: string }, verifier: string) =>
      parseForm((await postSigned(browser, '/oauth/access_token', { ...TEST_CONSUMER, token: rt.token, tokenSecret: rt.secret, oauth: { oauth_verifier: verifier } })).text);
    const [me, them] = await Promise.all([finish(h, mine, myPick.verifier), finish(teammate, theirs, theirPick.verifier)]);
    expect(me['username']).toBe(myPick.account);
    expect(them['username']).toBe(theirPick.account);
    // One's send leaves the other's balance and outbox alone.
    const myAccess = { token: me['oauth_token'] as string, secret: me['oauth_token_secret'] as string };
    const theirAccess = { token: them['oauth_token'] as string, secret: them['oauth_token_secret'] as string };
    await postSigned(h, '/sms/json', { ...TEST_CONSUMER, token: myAccess.token, tokenSecret: myAccess.secret, form: { from: 'Me', to: '447700900000', text: 'mine' } });
    expect((await balanceOf(teammate, theirAccess)).body.value).toBe(1);
    expect((await balanceOf(h, myAccess)).body.value).toBe(0.9667);
    expect((await signIn(teammate, undefined, 'outbox')).text).toContain('No messages yet');
  });

  it('suggests a different name on every page a room opens at once', async () => {
    const pages = await Promise.all(Array.from({ length: 12 }, () => consentPage(anotherBrowser(h))));
    expect(new Set(pages.map((p) => p.name)).size).toBe(12);
  });

  it('remembers a browser’s last choice in its own cookie and preselects it next time; another browser’s page does not', async () => {
    const rt = await getRequestToken(h);
    const res = await decide(rt.token, { account_name: 'Team-Blue' });
    expect(res.status).toBe(302);
    const cookie = accountCookie(res) as string;
    expect(cookie).toMatch(/^nexmo_sandbox_account=team-blue; Max-Age=2592000; Path=\/sandbox; Expires=[^;]+; HttpOnly; SameSite=Lax$/);

    const again = await consentPage();
    expect(again.checked).toBe('');
    expect(again.name).toBe('team-blue');
    expect(again.ownLabel).toBe('Your own account');
    expect(again.html).toContain('The account this browser picked last time.');
    const stranger = await consentPage(anotherBrowser(h));
    expect(stranger.name).toMatch(TWO_WORDS);
    expect(stranger.ownLabel).toBe('A new account of your own');

    // Picking a shared account is a choice too: its radio button next time, and a fresh name beside it.
    const shared = await getRequestToken(h);
    await decide(shared.token, { ...renderedForm(again.html), account: 'bob' });
    const third = await consentPage();
    expect(third.checked).toBe('bob');
    expect(third.name).toMatch(TWO_WORDS);
    expect(third.name).not.toBe('team-blue');
  });

  it('reads the choice from the cookie alone, the sandbox session first, and ignores a cookie that is not an account name', async () => {
    const { token } = await getRequestToken(h);
    const page = (cookie: string) => supertest(h.server).get(`/sandbox/oauth/authorize?oauth_token=${rfc3986(token)}`).set('Cookie', cookie);
    const fromCookie = parse((await page('nexmo_sandbox_account=carol')).text);
    expect(fromCookie.querySelector('input[value="carol"]')?.hasAttribute('checked')).toBe(true);
    for (const bad of ['Carol', 'not%20valid', 'x'.repeat(33), '']) {
      const ignored = parse((await page(`nexmo_sandbox_account=${bad}`)).text);
      expect(ignored.querySelector('#account-own')?.hasAttribute('checked'), bad).toBe(true);
      expect(ignored.querySelector('#account-name')?.getAttribute('value'), bad).toMatch(TWO_WORDS);
    }
    // Signed in to the sandbox as dave: that is the choice, whatever an older cookie says.
    const signedIn = await anotherBrowser(h).http.post('/sandbox/signin').type('form').send(formBody({ next: 'outbox', account_name: 'dave' }));
    const session = ((signedIn.headers['set-cookie'] as unknown as string[])[0] as string).split(';')[0] as string;
    const fromSession = parse((await page(`${session}; nexmo_sandbox_account=carol`)).text);
    expect(fromSession.querySelector('#account-name')?.getAttribute('value')).toBe('dave');
    expect(fromSession.querySelector('input[value="carol"]')?.hasAttribute('checked')).toBe(false);
  });

  it('gives a client that posts only the decision a fresh account of its own, never a shared one', async () => {
    const first = await getRequestToken(h);
    const second = await getRequestToken(h);
    const a = await exchange(first, (await decide(first.token, {})).headers['location'] as string);
    const b = await exchange(second, (await decide(second.token, {}, anotherBrowser(h))).headers['location'] as string);
    expect(a['username']).toMatch(TWO_WORDS);
    expect(b['username']).toMatch(TWO_WORDS);
    expect(a['username']).not.toBe(b['username']);
    expect([...DEMO_ACCOUNTS, 'sandbox-demo']).not.toContain(a['username']);
  });

  it('names the picked account in the access-token reply: a shared one, a typed name (lower-cased), or its own', async () => {
    const first = await getRequestToken(h);
    const page = renderedForm((await h.http.get(`/sandbox/oauth/authorize?oauth_token=${rfc3986(first.token)}`)).text);
    expect((await exchange(first, (await decide(first.token, { ...page, account: 'bob' })).headers['location'] as string))['username']).toBe('bob');
    const second = await getRequestToken(h);
    const typed = await decide(second.token, { account: 'bob', account_name: '  Team-Blue-7 ', account_name_shown: 'amber-otter' });
    expect((await exchange(second, typed.headers['location'] as string))['username']).toBe('team-blue-7');
    const third = await getRequestToken(h);
    const own = await decide(third.token, { account: '', account_name: 'quiet-heron', account_name_shown: 'quiet-heron' });
    expect((await exchange(third, own.headers['location'] as string))['username']).toBe('quiet-heron');
  });

  it('refuses an invalid name with a clear page that keeps the form usable, and remembers nothing', async () => {
    for (const bad of ['has space', 'x'.repeat(33), 'émile', 'a_b', 'a/b']) {
      const { token } = await getRequestToken(h);
      const res = await decide(token, { account: 'alice', account_name: bad, account_name_shown: 'amber-otter' });
      expect(res.status, bad).toBe(400);
      expect(res.headers['location']).toBeUndefined();
      expect(accountCookie(res)).toBeUndefined();
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
    // "An account of your own" with its name cleared: the name is needed.
    const empty = await decide(token, { account: '', account_name: '', account_name_shown: 'amber-otter' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('1 to 32 characters');
    expect(parse(empty.text).querySelector('#account-own')?.hasAttribute('checked')).toBe(true);
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
