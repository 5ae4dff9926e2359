// The break-it switches: the next signed call for the account that pressed one is refused as a
// real provider refuses a bad signature or a replayed nonce (or its token is revoked), once; the
// call after it goes through; another account, and the start of a connection, never notice.
import { afterEach, describe, expect, it } from 'vitest';

import type { SandboxOptions } from '../../src/index.js';
import {
  TEST_CONSUMER,
  anotherBrowser,
  balanceOf,
  connect,
  getRequestToken,
  postSigned,
  pressControl,
  signIn,
  startSandbox,
} from '../helpers/sandboxClient.js';
import type { SandboxHarness } from '../helpers/sandboxClient.js';

const SMS = { from: 'NexmoDemo', to: '447700900123', text: 'Hello' };
type Access = { token: string; secret: string };

let h: SandboxHarness | undefined;
afterEach(async () => {
  h?.sandbox.close();
  await h?.close();
  h = undefined;
});

async function setUp(options: SandboxOptions = {}): Promise<SandboxHarness> {
  h = await startSandbox({ receiptDelayMs: 60_000, ...options });
  return h;
}

const sendSms = (harness: SandboxHarness, access: Access) => postSigned(harness, '/sms/json', { ...TEST_CONSUMER, token: access.token, tokenSecret: access.secret, form: SMS });

describe('break-it switches', () => {
  it('"Break its signature": the next send is refused as Nexmo refuses a bad signature, once; a teammate’s send goes through meanwhile', async () => {
    const presenter = await setUp();
    const teammate = anotherBrowser(presenter);
    const [mine, theirs] = await Promise.all([connect(presenter, 'presenter'), connect(teammate, 'teammate')]);
    await signIn(presenter, 'presenter', 'controls');
    expect((await pressControl(presenter, 'break-signature')).status).toBe(303);
    expect(await presenter.sandbox.switchesFor('presenter')).toEqual([
      { kind: 'break-signature', label: 'The next signed call is refused: its signature will not match (signature_invalid)', path: '/controls#break-title' },
    ]);

    const [refused, teammateSend] = await Promise.all([sendSms(presenter, mine), sendSms(teammate, theirs)]);
    expect(refused.status).toBe(200);
    expect(refused.body.messages[0]).toEqual({ status: '14', 'error-text': 'Invalid Signature' });
    expect(teammateSend.body.messages[0]).toMatchObject({ status: '0' });
    // One-shot: the next send goes through, and nothing is armed any more.
    expect((await sendSms(presenter, mine)).body.messages[0]).toMatchObject({ status: '0' });
    expect(await presenter.sandbox.switchesFor('presenter')).toEqual([]);
    expect((await presenter.sandbox.outbox()).map((e) => e.account).sort()).toEqual(['presenter', 'teammate']);
  });

  it('"Replay its nonce": the next balance read gets 401 with nonce_used in WWW-Authenticate, and the one after it its balance', async () => {
    const presenter = await setUp();
    const mine = await connect(presenter, 'presenter');
    await signIn(presenter, 'presenter', 'controls');
    await pressControl(presenter, 'break-nonce');
    const refused = await balanceOf(presenter, mine);
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toContain('oauth_problem="nonce_used"');
    expect(refused.body).toEqual({ 'error-code': '401', 'error-code-label': 'authentication failed' });
    const answered = await balanceOf(presenter, mine);
    expect(answered.status).toBe(200);
    expect(answered.body).toEqual({ value: 10, autoReload: false });
  });

  it('breaks the exchange that finishes a connection, never the start of one, which acts for no account yet', async () => {
    const presenter = await setUp();
    await connect(presenter, 'presenter');
    await signIn(presenter, 'presenter', 'controls');
    await pressControl(presenter, 'break-signature');
    // Starting a connection is untouched.
    expect((await getRequestToken(presenter)).token).toMatch(/\w+/);
    // The exchange for this account is refused with the extension's problem and its base string hint.
    await expect(connect(presenter, 'presenter')).rejects.toThrow(/^access_token answered 401: oauth_problem=signature_invalid&oauth_signature_base_string=POST%26/);
    // The switch is used up: connecting again works.
    expect((await connect(presenter, 'presenter')).username).toBe('presenter');
  });

  it('"Revoke its token" revokes the account’s access, like the revoke control; "Cancel" disarms a break', async () => {
    const presenter = await setUp();
    const mine = await connect(presenter, 'presenter');
    await signIn(presenter, 'presenter', 'controls');
    await pressControl(presenter, 'break-token');
    expect((await sendSms(presenter, mine)).status).toBe(401);
    const again = await connect(presenter, 'presenter');
    await pressControl(presenter, 'break-nonce');
    const page = await presenter.http.get('/sandbox/controls');
    expect(page.text).toContain('the next signed call will be refused as a replay (nonce_used)');
    await pressControl(presenter, 'cancel-break');
    expect(await presenter.sandbox.switchesFor('presenter')).toEqual([]);
    expect((await sendSms(presenter, again)).body.messages[0]).toMatchObject({ status: '0' });
  });
});

