// Abuse limits on one instance, with real concurrent requests: SMS pumping costs real money and
// every login start costs a provider call, so a client over a limit gets a 429 and the provider
// is never asked. Limits are set small through the environment, as an operator would. The app
// in sandbox mode (its test numbers) with the fake provider, which counts every call; limits
// shared by two instances on one store, and a store that goes away: test/http/abuse-limits.
import { afterEach, describe, expect, it } from 'vitest';

import { countSegments } from '../../src/nexmo/segments.js';
import { setCookies, shouldNotSetCookie } from '../helpers/assertions.js';
import { connect } from '../helpers/login.js';
import { ORDINARY, formsOf, fresh, refused, sendAtOnce, statuses } from '../helpers/manyForms.js';
import { useRouteApp, type RouteApp } from '../helpers/routeApp.js';
import { NO_LIMITS } from '../helpers/testApp.js';

const createRouteApp = useRouteApp();
const apps: RouteApp[] = [];
/** The app with every limit off but those `env` sets. */
function start(env: Record<string, string>): RouteApp {
  const app = createRouteApp({ ...NO_LIMITS, ...env }, { sandbox: {} });
  apps.push(app);
  return app;
}
afterEach(() => {
  // express-rate-limit reports misconfiguration through the app's log: there must be none.
  for (const app of apps.splice(0)) expect(app.logs.filter((line) => /rate.?limit/i.test(line))).toEqual([]);
});

const requestTokenCalls = (app: RouteApp) => app.consumer.tokenCalls.filter((call) => call.kind === 'request_token').length;

describe('the per-account send limit', () => {
  it('lets exactly N of 100 rapid sends from one session reach the provider; the rest get 429 with Retry-After and the typed text kept', async () => {
    const app = start({ LIMIT_SMS_PER_ACCOUNT_PER_MINUTE: '3' });
    const browser = await connect(app);
    const answers = await sendAtOnce(browser, 100, { text: 'Typed by hand <and kept> & shown again' });

    expect(answers.filter((a) => a.status === 303)).toHaveLength(3);
    expect(refused(answers)).toHaveLength(97);
    expect(app.nexmo.sends()).toHaveLength(3);
    expect(app.nexmo.sends()).toHaveLength(3);
    // The refused forms are drawn without asking the provider for the balance: only the first GET did.
    expect(app.nexmo.balanceCalls()).toBe(1);
    for (const answer of refused(answers)) {
      const seconds = Number(answer.headers['retry-after']);
      expect(seconds).toBeGreaterThanOrEqual(1);
      expect(seconds).toBeLessThanOrEqual(60);
      expect(answer.text).toContain('Typed by hand &lt;and kept&gt; &amp; shown again</textarea>');
      expect(answer.text).toContain('value="+44 7700 900123"');
      expect(answer.text).toMatch(/Try again in \d+ seconds?\./);
      expect(answer.text).toContain('Nothing was sent.');
    }
  });

  it('answers a script that asks for JSON with a JSON 429 and Retry-After', async () => {
    const app = start({ LIMIT_SMS_PER_ACCOUNT_PER_MINUTE: '1' });
    const browser = await connect(app);
    const forms = await formsOf(browser, 2);
    const post = () => browser.post('/sms').set('Accept', 'application/json').type('form').send({ ...forms.next(), from: 'Demo', to: '447700900123', text: fresh() });
    expect((await post()).status).toBe(303);
    const over = await post();
    expect(over.status).toBe(429);
    expect(over.headers['content-type']).toMatch(/^application\/json/);
    expect(Number(over.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(over.body.error.status).toBe(429);
    expect(over.body.error.message).toMatch(/Try again in \d+ seconds?\./);
    expect(app.nexmo.sends()).toHaveLength(1);
  });

  it('counts only valid sends: refused input and refusals under a limit use up nothing', async () => {
    const app = start({ LIMIT_SMS_PER_ACCOUNT_PER_MINUTE: '2', LIMIT_SMS_PER_ADDRESS_PER_MINUTE: '2' });
    const browser = await connect(app);
    const invalid = await sendAtOnce(browser, 20, { to: '070' });
    expect(statuses(invalid)).toEqual(Array(20).fill(400));
    expect(app.nexmo.sends()).toEqual([]);
    // Both limits are still whole: two sends go, and the third is refused.
    const answers = await sendAtOnce(browser, 3);
    expect(statuses(answers)).toEqual([303, 303, 429]);
    expect(app.nexmo.sends()).toHaveLength(2);
  });

  it('takes back what a send refused by another limit counted, so refusals use up no limit', async () => {
    const app = start({ LIMIT_SMS_PER_ACCOUNT_PER_MINUTE: '2', LIMIT_SMS_PER_NUMBER_PER_HOUR: '1' });
    const browser = await connect(app);
    // One goes to the number; the other nineteen are refused, by one limit or the other.
    expect(refused(await sendAtOnce(browser, 20, { to: '+44 7700 900111' }))).toHaveLength(19);
    // The account has used one of its two sends: another number still gets one, then no more.
    expect(statuses(await sendAtOnce(browser, 1, { to: '+44 7700 900222' }))).toEqual([303]);
    const over = await sendAtOnce(browser, 1, { to: '+44 7700 900333' });
    expect(statuses(over)).toEqual([429]);
    expect(over[0]!.text).toContain('a minute from one Nexmo account');
    expect(app.nexmo.sends()).toHaveLength(2);
  });

  it('counts each account on its own', async () => {
    const app = start({ LIMIT_SMS_PER_ACCOUNT_PER_MINUTE: '2' });
    const alice = await connect(app, { account: 'alice' });
    const bob = await connect(app, { account: 'bob' });
    const [fromAlice, fromBob] = await Promise.all([sendAtOnce(alice, 10), sendAtOnce(bob, 10)]);
    expect(refused(fromAlice)).toHaveLength(8);
    expect(refused(fromBob)).toHaveLength(8);
    expect(app.nexmo.sends()).toHaveLength(4);
  });
});

describe('the per-address send limit', () => {
  it('holds one client address to N sends across two sessions of different accounts', async () => {
    const app = start({ LIMIT_SMS_PER_ADDRESS_PER_MINUTE: '4' });
    const alice = await connect(app, { account: 'alice' });
    const bob = await connect(app, { account: 'bob' });
    const answers = (await Promise.all([sendAtOnce(alice, 30), sendAtOnce(bob, 30)])).flat();
    expect(answers.filter((a) => a.status === 303)).toHaveLength(4);
    expect(refused(answers)).toHaveLength(56);
    expect(refused(answers)[0]!.text).toContain('a minute from one network address');
    expect(app.nexmo.sends()).toHaveLength(4);
  });

  it('counts the address the trusted proxy reports, so clients behind it are counted apart', async () => {
    const app = start({ LIMIT_SMS_PER_ADDRESS_PER_MINUTE: '2', TRUST_PROXY: 'loopback' });
    const browser = await connect(app);
    const forms = await formsOf(browser, 10);
    const post = (address: string) => browser.post('/sms').set('X-Forwarded-For', address).type('form').send({ ...forms.next(), from: 'Demo', to: '447700900123', text: fresh() });
    const first = await Promise.all(Array.from({ length: 5 }, () => post('198.51.100.7')));
    const second = await Promise.all(Array.from({ length: 5 }, () => post('203.0.113.9')));
    expect(statuses(first)).toEqual([303, 303, 429, 429, 429]);
    expect(statuses(second)).toEqual([303, 303, 429, 429, 429]);
    expect(app.nexmo.sends()).toHaveLength(4);
  });
  it('with TRUST_PROXY=1 trusts one hop only: a client cannot name another address by adding one of its own in front', async () => {
    const app = start({ LIMIT_SMS_PER_ADDRESS_PER_MINUTE: '2', TRUST_PROXY: '1' });
    const browser = await connect(app);
    const forms = await formsOf(browser, 10);
    const post = (forwardedFor: string) => browser.post('/sms').set('X-Forwarded-For', forwardedFor).type('form').send({ ...forms.next(), from: 'Demo', to: '447700900123', text: fresh() });
    // The proxy appends the address it saw (198.51.100.7); whatever the client wrote before it is
    // not believed, so these four posts are one client's.
    const answers = [];
    for (const claimed of ['192.0.2.1', '192.0.2.2', '192.0.2.3']) answers.push(await post(`${claimed}, 198.51.100.7`));
    answers.push(await post('203.0.113.9'));
    expect(answers.map((a) => a.status)).toEqual([303, 303, 429, 303]);
    expect(answers[2]!.text).toContain('a minute from one network address');
    expect(app.nexmo.sends()).toHaveLength(3);
  });
  it('counts an IPv4 client the same whether it arrives as a.b.c.d or as the IPv6-mapped ::ffff:a.b.c.d', async () => {
    const app = start({ LIMIT_SMS_PER_ADDRESS_PER_MINUTE: '2', TRUST_PROXY: 'loopback' });
    const browser = await connect(app);
    const forms = await formsOf(browser, 10);
    const post = (address: string) => browser.post('/sms').set('X-Forwarded-For', address).type('form').send({ ...forms.next(), from: 'Demo', to: '447700900123', text: fresh() });
    const answers = [await post('198.51.100.7'), await post('::ffff:198.51.100.7'), await post('::FFFF:198.51.100.7'), await post('198.51.100.8')];
    expect(answers.map((a) => a.status)).toEqual([303, 303, 429, 303]);
    expect(app.nexmo.sends()).toHaveLength(3);
  });
});

describe('the per-number send limit', () => {
  it('does not count the sandbox’s test numbers, which reach nobody’s phone: a whole room can send to one', async () => {
    // The default limit of 10; the other limits off, so only the per-number one could refuse.
    const app = start({ LIMIT_SMS_PER_NUMBER_PER_HOUR: '10' });
    const browsers = await Promise.all(['alice', 'bob', 'carol'].map((account) => connect(app, { account })));
    const answers = (await Promise.all(browsers.map((browser) => sendAtOnce(browser, 5, { to: '+44 7700 900000' })))).flat();
    expect(statuses(answers)).toEqual(Array(15).fill(303));
    expect(app.nexmo.sends().filter((m) => m.to === '447700900000')).toHaveLength(15);
    // An ordinary number in the same app is still limited.
    const ordinary = await sendAtOnce(browsers[0]!, 11, { to: '+44 7700 900123' });
    expect(refused(ordinary)).toHaveLength(1);
    expect(refused(ordinary)[0]!.text).toContain('This number, +447700900123, has had 10 messages in the last hour');
    expect(app.nexmo.sends()).toHaveLength(25);
  });

  it('counts sends to the sandbox’s test numbers against none of the app’s limits: the demo tour goes through', async () => {
    const app = start({ LIMIT_SMS_PER_NUMBER_PER_HOUR: '1', LIMIT_SMS_PER_ACCOUNT_PER_MINUTE: '3', LIMIT_SMS_PER_ADDRESS_PER_MINUTE: '3', LIMIT_SMS_PARTS_PER_ACCOUNT_PER_DAY: '5' });
    const browser = await connect(app);
    // "Use this number" for each listed test number in turn, and a long one: every send goes.
    const tour = [...app.provider.testNumbers];
    const answers = [];
    for (const digits of tour) answers.push(...(await sendAtOnce(browser, 1, { to: `+${digits}`, text: `Trying ${digits}` })));
    answers.push(...(await sendAtOnce(browser, 1, { to: '+44 7700 900000', text: 'x'.repeat(153 * 2 + 1) })));
    expect(statuses(answers)).toEqual(Array(tour.length + 1).fill(303));
    expect(app.nexmo.sends()).toHaveLength(tour.length + 1);
    // Nothing was counted: an ordinary number still has every limit whole, and then they bite.
    const ordinary = await sendAtOnce(browser, 4, { to: ORDINARY });
    expect(statuses(ordinary)).toEqual([303, 429, 429, 429]);
    expect(refused(ordinary)[0]!.text).toContain('This number, +447700900123, has had 1 message in the last hour');
  });

  it('lets N sends an hour reach one number, from any account, and leaves other numbers alone', async () => {
    const app = start({ LIMIT_SMS_PER_NUMBER_PER_HOUR: '3' });
    const alice = await connect(app, { account: 'alice' });
    const bob = await connect(app, { account: 'bob' });
    // The same number, written two ways: it is the validated number that counts.
    const answers = (await Promise.all([sendAtOnce(alice, 20, { to: '+44 7700 900123' }), sendAtOnce(bob, 20, { to: '0044 (7700) 900-123' })])).flat();
    expect(answers.filter((a) => a.status === 303)).toHaveLength(3);
    const over = refused(answers);
    expect(over).toHaveLength(37);
    // The refusal names the number and the limit, so whoever is told knows what to change.
    expect(over[0]!.text).toContain('This number, +447700900123, has had 3 messages in the last hour, the most this app sends to one phone number (LIMIT_SMS_PER_NUMBER_PER_HOUR). Nothing was sent.');
    const seconds = Number(over[0]!.headers['retry-after']);
    expect(seconds).toBeGreaterThan(60);
    expect(seconds).toBeLessThanOrEqual(3600);
    expect(over[0]!.text).toMatch(/Try again in (\d+ minutes|1 hour)\./);

    const other = await sendAtOnce(alice, 1, { to: '+44 7700 900456' });
    expect(statuses(other)).toEqual([303]);
    expect(app.nexmo.sends().filter((m) => m.to === '447700900123')).toHaveLength(3);
    expect(app.nexmo.sends()).toHaveLength(4);
  });
});

describe('the daily parts cap per account', () => {
  it('stops at the cap counted in parts, not messages, and still lets a short message fit', async () => {
    const app = start({ LIMIT_SMS_PARTS_PER_ACCOUNT_PER_DAY: '10' });
    const browser = await connect(app);
    const threeParts = 'x'.repeat(400);
    expect(countSegments(threeParts).parts).toBe(3);
    // 10 parts a day: three 3-part messages (9 parts) of twenty sent at once.
    const answers = await sendAtOnce(browser, 20, { text: threeParts });
    expect(answers.filter((a) => a.status === 303)).toHaveLength(3);
    const over = refused(answers);
    expect(over).toHaveLength(17);
    expect(over[0]!.text).toContain('This account has sent 9 of the 10 SMS parts this app allows in a day, and this message needs 3.');
    expect(over[0]!.text).toContain(`${threeParts}</textarea>`);
    const seconds = Number(over[0]!.headers['retry-after']);
    expect(seconds).toBeGreaterThan(23 * 3600);
    expect(seconds).toBeLessThanOrEqual(24 * 3600);
    expect(app.nexmo.sends()).toHaveLength(3);

    // The tenth part is still there for a one-part message, and then nothing is.
    expect(statuses(await sendAtOnce(browser, 3, { text: 'short' }))).toEqual([303, 429, 429]);
    expect(app.nexmo.sends().reduce((sum, m) => sum + countSegments(m.text).parts, 0)).toBe(10);
  });

  it('refuses a message longer than the whole day’s cap as a field error, counting nothing', async () => {
    const app = start({ LIMIT_SMS_PARTS_PER_ACCOUNT_PER_DAY: '2' });
    const browser = await connect(app);
    const [answer] = await sendAtOnce(browser, 1, { text: 'x'.repeat(400) });
    expect(answer!.status).toBe(400);
    expect(answer!.text).toContain('This message needs 3 parts, and this app sends at most 2 a day from one account. Shorten it.');
    expect(app.nexmo.sends()).toEqual([]);
    expect(statuses(await sendAtOnce(browser, 3, { text: 'x'.repeat(200) }))).toEqual([303, 429, 429]);
  });
});

describe('the login start limit per address', () => {
  it('lets exactly N of 100 rapid logins without a cookie reach the provider; the 429s set no cookie', async () => {
    const app = start({ LIMIT_LOGINS_PER_ADDRESS_PER_MINUTE: '4' });
    const answers = await Promise.all(Array.from({ length: 100 }, () => app.browser().get('/auth/login')));
    expect(answers.filter((a) => a.status === 302)).toHaveLength(4);
    const over = refused(answers);
    expect(over).toHaveLength(96);
    expect(requestTokenCalls(app)).toBe(4);
    for (const answer of over) {
      shouldNotSetCookie(answer);
      expect(Number(answer.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(answer.text).toContain('Too many connection attempts');
      expect(answer.text).toMatch(/Try again in \d+ seconds?\./);
    }
    // The starts that went through each hold a session; the refused ones made none.
    expect(answers.filter((a) => setCookies(a).length > 0)).toHaveLength(4);
  });

  it('answers JSON to a client that asks for it, and an invalid start counts nothing', async () => {
    const app = start({ LIMIT_LOGINS_PER_ADDRESS_PER_MINUTE: '1' });
    const invalid = await Promise.all(Array.from({ length: 5 }, () => app.browser().get('/auth/login?page=elsewhere')));
    expect(statuses(invalid)).toEqual(Array(5).fill(400));
    expect((await app.browser().get('/auth/login')).status).toBe(302);
    const over = await app.browser().get('/auth/login').set('Accept', 'application/json');
    expect(over.status).toBe(429);
    expect(over.body.error.title).toBe('Too many connection attempts');
    expect(Number(over.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    shouldNotSetCookie(over);
    expect(requestTokenCalls(app)).toBe(1);
  });
});

describe('the SMS destination allow-list', () => {
  it('refuses a number outside the allowed prefixes as a field error, before any provider call', async () => {
    const app = start({ SMS_ALLOWED_PREFIXES: '44,353', LIMIT_SMS_PER_ACCOUNT_PER_MINUTE: '1' });
    const browser = await connect(app);
    const answers = await sendAtOnce(browser, 5, { to: '+1 202 555 0100', text: 'kept as typed' });
    expect(statuses(answers)).toEqual(Array(5).fill(400));
    expect(answers[0]!.text).toContain('This app only sends to numbers starting +44 or +353.');
    expect(answers[0]!.text).toContain('value="+1 202 555 0100"');
    expect(answers[0]!.text).toContain('kept as typed</textarea>');
    expect(app.nexmo.sends()).toEqual([]);
    // Refused numbers counted nothing: the one send a minute is still there, for an allowed number.
    expect(statuses(await sendAtOnce(browser, 1, { to: '+353 85 123 4567' }))).toEqual([303]);
  });
});
