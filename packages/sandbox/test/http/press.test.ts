// sandbox.press(account, action): a host app presses a break-it switch for the account its
// person is connected as, without the sandbox's sign-in. It does what the control's button does,
// for that account only, and accepts nothing else.
import { afterEach, describe, expect, it } from 'vitest';

import { PRESSABLE_CONTROLS } from '../../src/index.js';
import { TEST_CONSUMER, anotherBrowser, balanceOf, connect, postSigned, startSandbox } from '../helpers/sandboxClient.js';
import type { SandboxHarness } from '../helpers/sandboxClient.js';

const SMS = { from: 'NexmoDemo', to: '447700900123', text: 'Hello' };
type Access = { token: string; secret: string };

let h: SandboxHarness | undefined;
const logged: string[] = [];
afterEach(async () => {
  h?.sandbox.close();
  await h?.close();
  h = undefined;
  logged.length = 0;
});

async function setUp(): Promise<SandboxHarness> {
  h = await startSandbox({ receiptDelayMs: 60_000, log: (line) => void logged.push(line) });
  return h;
}

const sendSms = (harness: SandboxHarness, access: Access) => postSigned(harness, '/sms/json', { ...TEST_CONSUMER, token: access.token, tokenSecret: access.secret, form: SMS });

describe('sandbox.press', () => {
  it('lists the four switches a host app may press', () => {
    expect(PRESSABLE_CONTROLS).toEqual(['break-signature', 'break-nonce', 'break-token', 'cancel-break']);
  });

  it('break-signature: the account’s next send gets status 14, once; a teammate’s send meanwhile goes through', async () => {
    const presenter = await setUp();
    const teammate = anotherBrowser(presenter);
    const [mine, theirs] = await Promise.all([connect(presenter, 'presenter'), connect(teammate, 'teammate')]);
    await presenter.sandbox.press('presenter', 'break-signature');
    expect((await presenter.sandbox.switchesFor('presenter')).map((s) => s.kind)).toEqual(['break-signature']);
    expect(await presenter.sandbox.switchesFor('teammate')).toEqual([]);

    const [refused, teammateSend] = await Promise.all([sendSms(presenter, mine), sendSms(teammate, theirs)]);
    expect(refused.body.messages[0]).toEqual({ status: '14', 'error-text': 'Invalid Signature' });
    expect(teammateSend.body.messages[0]).toMatchObject({ status: '0' });
    expect((await sendSms(presenter, mine)).body.messages[0]).toMatchObject({ status: '0' });
    expect(logged).toContain('sandbox: demo control used from the host app: break-signature');
  });

  it('break-nonce: the next balance read is refused as a replay, the one after it answers', async () => {
    const presenter = await setUp();
    const mine = await connect(presenter, 'presenter');
    await presenter.sandbox.press('presenter', 'break-nonce');
    const refused = await balanceOf(presenter, mine);
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toContain('oauth_problem="nonce_used"');
    expect((await balanceOf(presenter, mine)).body).toEqual({ value: 10, autoReload: false });
  });

  it('break-token revokes the account’s access until it connects again; cancel-break disarms an armed break', async () => {
    const presenter = await setUp();
    const mine = await connect(presenter, 'presenter');
    await presenter.sandbox.press('presenter', 'break-token');
    expect((await sendSms(presenter, mine)).status).toBe(401);
    expect((await sendSms(presenter, mine)).status).toBe(401);
    const again = await connect(presenter, 'presenter');
    await presenter.sandbox.press('presenter', 'break-nonce');
    await presenter.sandbox.press('presenter', 'cancel-break');
    expect(await presenter.sandbox.switchesFor('presenter')).toEqual([]);
    expect((await sendSms(presenter, again)).body.messages[0]).toMatchObject({ status: '0' });
  });

  it('refuses any other control, and a name the sandbox would never give an account, changing nothing', async () => {
    const presenter = await setUp();
    const mine = await connect(presenter, 'presenter');
    const press = presenter.sandbox.press as (account: unknown, action: unknown) => Promise<void>;
    await expect(press('presenter', 'revoke')).rejects.toThrow(TypeError);
    await expect(press('presenter', 'reset-balance')).rejects.toThrow(/accepts only break-signature, break-nonce, break-token, cancel-break/);
    await expect(press('Not An Account', 'break-signature')).rejects.toThrow(TypeError);
    await expect(press(undefined, 'break-token')).rejects.toThrow(TypeError);
    expect(await presenter.sandbox.switchesFor('presenter')).toEqual([]);
    expect((await sendSms(presenter, mine)).body.messages[0]).toMatchObject({ status: '0' });
    expect(logged.filter((line) => line.includes('from the host app'))).toEqual([]);
  });
});
