// A room, not one person: every demo switch acts on the account that set it, and another
// account's calls, made at the same time from another browser, go on as if nothing was switched.
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_NUMBERS } from '../../src/index.js';
import type { SandboxOptions } from '../../src/index.js';
import {
  TEST_CONSUMER,
  anotherBrowser,
  authorize,
  balanceOf,
  connect,
  getRequestToken,
  parseForm,
  postSigned,
  pressControl,
  signIn,
  startSandbox,
} from '../helpers/sandboxClient.js';
import type { SandboxHarness } from '../helpers/sandboxClient.js';

const SMS = { from: 'NexmoDemo', to: '447700900123', text: 'Hello' };
type Access = { token: string; secret: string };

let h: SandboxHarness | undefined;
let logs: string[] = [];
afterEach(async () => {
  h?.sandbox.close();
  await h?.close();
  h = undefined;
});

async function setUp(options: SandboxOptions = {}): Promise<SandboxHarness> {
  logs = [];
  h = await startSandbox({ log: (line) => logs.push(line), slowCallMs: 5_000, stalledCallLimitMs: 5_000, receiptDelayMs: 60_000, ...options });
  return h;
}

const sendSms = (harness: SandboxHarness, access: Access, form: Record<string, string> = SMS) =>
  postSigned(harness, '/sms/json', { ...TEST_CONSUMER, token: access.token, tokenSecret: access.secret, form });

/** How many calls the sandbox says it held, of any kind: none may be another account's. */
const held = () => logs.filter((line) => line.includes(' call held (')).length;

/** What Nexmo's status for each test number is: its refusal's, or 0 for every number it accepts. */
const statusOf = (n: (typeof TEST_NUMBERS)[number]) => (n.outcome.kind === 'refused' ? n.outcome.status : '0');

/** Each test number's status for `access`, as the sandbox answers it. */
async function testNumberStatuses(harness: SandboxHarness, access: Access): Promise<Record<string, string>> {
  const statuses: Record<string, string> = {};
  for (const n of TEST_NUMBERS) {
    const res = await sendSms(harness, access, { ...SMS, to: n.digits });
    expect(res.status, n.digits).toBe(200);
    statuses[n.digits] = res.body.messages[0].status;
  }
  return statuses;
}

describe('demo switches belong to the account that set them', () => {
  it('switchesFor lists the clock and the armed calls for the account that set them, and nothing for another', async () => {
    const presenter = await setUp();
    expect(await presenter.sandbox.switchesFor('presenter')).toEqual([]);
    await signIn(presenter, 'presenter', 'controls');
    await pressControl(presenter, 'clock-off');
    await pressControl(presenter, 'slow', { call: 'sms' });
    await pressControl(presenter, 'stall', { call: 'connect' });

    expect(await presenter.sandbox.switchesFor('presenter')).toEqual([
      { kind: 'clock-off', label: 'This app’s clock counts as 10 minutes off', path: '/controls#clock-title' },
      { kind: 'slow', call: 'sms', label: 'The next SMS sent waits 5 s before it is answered', path: '/controls#delays-title' },
      { kind: 'stall', call: 'connect', label: 'The next connection to this account is not answered: it times out', path: '/controls#delays-title' },
    ]);
    // The paths lead to the sections that turn them off.
    const controls = await presenter.http.get('/sandbox/controls');
    expect(controls.text).toContain('<h2 id="clock-title">');
    expect(controls.text).toContain('<h2 id="delays-title">');
    expect(await presenter.sandbox.switchesFor('teammate')).toEqual([]);
    // Names the sandbox never gives an account have nothing on; a non-string is a programming error.
    expect(await presenter.sandbox.switchesFor('Presenter')).toEqual([]);
    expect(await presenter.sandbox.switchesFor('')).toEqual([]);
    await expect(presenter.sandbox.switchesFor(undefined as unknown as string)).rejects.toThrow(TypeError);

    // Turned off, they are no longer listed.
    await pressControl(presenter, 'clock-right');
    await pressControl(presenter, 'cancel-delays');
    expect(await presenter.sandbox.switchesFor('presenter')).toEqual([]);
  });

  it('a call armed for one account is not taken by another account’s call of the same kind', async () => {
    const presenter = await setUp();
    const teammate = anotherBrowser(presenter);
    const [presenterAccess, teammateAccess] = await Promise.all([connect(presenter, 'presenter'), connect(teammate, 'teammate')]);
    await signIn(presenter, 'presenter', 'controls');
    await pressControl(presenter, 'slow', { call: 'sms' });
    await pressControl(presenter, 'stall', { call: 'balance' });
    await pressControl(presenter, 'stall', { call: 'connect' });

    // The teammate's send, balance read and a whole new connection are answered at once, all at the same time.
    const rt = await getRequestToken(teammate);
    const verifier = await authorize(teammate, rt.token, 'teammate');
    const [sent, balance, exchanged] = await Promise.all([
      sendSms(teammate, teammateAccess),
      balanceOf(teammate, teammateAccess),
      postSigned(teammate, '/oauth/access_token', { ...TEST_CONSUMER, token: rt.token, tokenSecret: rt.secret, oauth: { oauth_verifier: verifier } }),
    ]);
    expect(sent.body.messages[0]).toMatchObject({ status: '0', to: SMS.to });
    expect(balance.status).toBe(200);
    expect(exchanged.status).toBe(200);
    expect(parseForm(exchanged.text)['username']).toBe('teammate');
    expect(held()).toBe(0);

    // The presenter's armings are still there, untouched, and the presenter's next balance read is held.
    expect((await presenter.sandbox.switchesFor('presenter')).map((s) => `${s.kind}:${s.call}`)).toEqual(['slow:sms', 'stall:balance', 'stall:connect']);
    const stalled = balanceOf(presenter, presenterAccess).then((res) => res);
    await expect.poll(() => logs.some((line) => line.includes('balance call held (stall'))).toBe(true);
    presenter.sandbox.close();
    expect((await stalled).status).toBe(503);
  });

  it('revoking and resetting one account’s balance leave another account’s tokens and balance alone', async () => {
    const presenter = await setUp();
    const teammate = anotherBrowser(presenter);
    const [presenterAccess, teammateAccess] = await Promise.all([connect(presenter, 'presenter'), connect(teammate, 'teammate')]);
    await Promise.all([sendSms(presenter, presenterAccess), sendSms(teammate, teammateAccess)]);
    await signIn(presenter, 'presenter', 'controls');
    await pressControl(presenter, 'reset-balance');
    await pressControl(presenter, 'revoke');

    const [presenterSend, teammateSend, teammateBalance] = await Promise.all([sendSms(presenter, presenterAccess), sendSms(teammate, teammateAccess), balanceOf(teammate, teammateAccess)]);
    expect(presenterSend.status).toBe(401);
    expect(presenterSend.body).toEqual({ 'error-code': '401', 'error-code-label': 'authentication failed' });
    expect(teammateSend.body.messages[0]).toMatchObject({ status: '0', 'remaining-balance': '9.93340000' });
    expect(teammateBalance.status).toBe(200);
    // The teammate's two sends are both charged; the presenter's reset gave back only the presenter's.
    expect((await balanceOf(teammate, teammateAccess)).body).toEqual({ value: 9.9334, autoReload: false });
    const again = await connect(presenter, 'presenter');
    expect((await balanceOf(presenter, again)).body).toEqual({ value: 10, autoReload: false });
    expect((await presenter.sandbox.outbox()).map((e) => e.account).sort()).toEqual(['presenter', 'teammate', 'teammate']);
  });

  it('the test numbers answer the same for every account, whatever another account switched', async () => {
    const presenter = await setUp();
    const teammate = anotherBrowser(presenter);
    const [teammateAccess, carolAccess] = await Promise.all([connect(teammate, 'teammate'), connect(teammate, 'carol')]);
    await signIn(presenter, 'presenter', 'controls');
    for (const [action, call] of [['clock-off'], ['slow', 'sms'], ['stall', 'balance'], ['revoke'], ['reset-balance']] as const) {
      expect((await pressControl(presenter, action, call === undefined ? {} : { call })).status).toBe(303);
    }
    const expected = Object.fromEntries(TEST_NUMBERS.map((n) => [n.digits, statusOf(n)]));
    const [teammates, carols] = await Promise.all([testNumberStatuses(teammate, teammateAccess), testNumberStatuses(teammate, carolAccess)]);
    expect(teammates).toEqual(expected);
    expect(carols).toEqual(expected);
    expect(held()).toBe(0);
    // The numbers that deliver were kept for each of them; those that refuse cost nothing.
    const delivered = TEST_NUMBERS.filter((n) => statusOf(n) === '0').length;
    const outbox = await presenter.sandbox.outbox();
    expect(outbox.filter((e) => e.account === 'teammate')).toHaveLength(delivered);
    expect(outbox.filter((e) => e.account === 'carol')).toHaveLength(delivered);
    expect((await balanceOf(teammate, carolAccess)).body.value).toBe(Number((10 - delivered * 0.0333).toFixed(4)));
  });
});
