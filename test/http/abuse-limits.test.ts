// Abuse limits, through real HTTP with real concurrency: SMS pumping costs real money and every
// login start costs a provider call, so a client over a limit gets a 429 and the provider is
// never asked. Limits are set small through the environment, as an operator would.
import supertest from 'supertest';
import { afterAll, afterEach, describe, expect, it } from 'vitest';

import { countSegments } from '../../src/nexmo/segments.js';
import { expectNoSmsSent, expectProviderCalls, providerCalls, setCookies, shouldNotSetCookie } from '../helpers/assertions.js';
import { startRedisServer } from '../helpers/redisServer.js';
import { allBackends } from '../helpers/storeBackends.js';
import { NO_LIMITS, connect, connectWithCookie, smsFormTokens, startTestApp, type TestApp } from '../helpers/testApp.js';

type Browser = Awaited<ReturnType<typeof connect>>;

const apps: TestApp[] = [];
async function start(env: Record<string, string>): Promise<TestApp> {
  // A fast sandbox: its own throttle must not be what stops the sends.
  const app = await startTestApp({ ...NO_LIMITS, ...env }, { sandbox: { receiptDelayMs: 600_000, maxRequestsPerSecond: 1000 } });
  apps.push(app);
  return app;
}
afterEach(async () => {
  // express-rate-limit reports misconfiguration through the app's log: there must be none.
  for (const app of apps) expect(app.logs.filter((line) => /rate.?limit/i.test(line))).toEqual([]);
  for (const app of apps.splice(0)) await app.close();
});

const backends = allBackends();
afterAll(async () => {
  for (const backend of backends) await backend.tearDown();
});

/**
 * `count` freshly drawn forms' hidden fields, handed out one per post: each form's send key
 * sends once (a second post of one form is the same send), so every post here is a new form.
 */
async function formsOf(browser: Browser, count: number): Promise<{ next(): { _csrf: string; sendKey: string } }> {
  // The first form gives the session its CSRF token (which the send keys are bound to), as a
  // person's first page does; the others are drawn at once.
  const first = await browser.get('/sms');
  const forms = [first, ...(await Promise.all(Array.from({ length: count - 1 }, () => browser.get('/sms'))))];
  const tokens = forms.map((form) => {
    expect(form.status).toBe(200);
    return smsFormTokens(form.text);
  });
  return {
    next() {
      const form = tokens.shift();
      if (!form) throw new Error('the spec posted more forms than it drew');
      return form;
    },
  };
}

/** A number that is nobody's test number: every limit counts sends to it. */
const ORDINARY = '+44 7700 900123';

/**
 * `times` posts of the form at once from one browser, each with a text of its own: the same text
 * to the same number again within minutes is held as a repeat (a form refilled after Back), which
 * is not what these specs are about. A given text is used as it is first, then after a number.
 */
async function sendAtOnce(browser: Browser, times: number, fields: { from?: string; to?: string; text?: string } = {}) {
  const forms = await formsOf(browser, times);
  return Promise.all(
    Array.from({ length: times }, (_, i) =>
      browser
        .post('/sms')
        .type('form')
        .send({ ...forms.next(), from: 'Demo', to: ORDINARY, ...fields, text: fields.text === undefined ? `Message ${i}` : i === 0 ? fields.text : `${i} ${fields.text}` }),
    ),
  );
}

let posted = 0;
/** A text no other post of this file used. */
const fresh = () => `Message ${++posted}`;

const statuses = (answers: { status: number }[]) => answers.map((a) => a.status).sort();
const refused = <T extends { status: number }>(answers: T[]) => answers.filter((a) => a.status === 429);

describe('the per-account send limit', () => {
  it('lets exactly N of 100 rapid sends from one session reach the provider; the rest get 429 with Retry-After and the typed text kept', async () => {
    const app = await start({ LIMIT_SMS_PER_ACCOUNT_PER_MINUTE: '3' });
    const browser = await connect(app);
    const answers = await sendAtOnce(browser, 100, { text: 'Typed by hand <and kept> & shown again' });

    expect(answers.filter((a) => a.status === 303)).toHaveLength(3);
    expect(refused(answers)).toHaveLength(97);
    expectProviderCalls(app.sandbox!, 'sms', 3);
    expect(await app.sandbox!.outbox()).toHaveLength(3);
    // The refused forms are drawn without asking the provider for the balance: only the first GET did.
    expectProviderCalls(app.sandbox!, 'balance', 1);
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
    const app = await start({ LIMIT_SMS_PER_ACCOUNT_PER_MINUTE: '1' });
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
    expectProviderCalls(app.sandbox!, 'sms', 1);
  });

  it('counts only valid sends: refused input and refusals under a limit use up nothing', async () => {
    const app = await start({ LIMIT_SMS_PER_ACCOUNT_PER_MINUTE: '2', LIMIT_SMS_PER_ADDRESS_PER_MINUTE: '2' });
    const browser = await connect(app);
    const invalid = await sendAtOnce(browser, 20, { to: '070' });
    expect(statuses(invalid)).toEqual(Array(20).fill(400));
    await expectNoSmsSent(app.sandbox!);
    // Both limits are still whole: two sends go, and the third is refused.
    const answers = await sendAtOnce(browser, 3);
    expect(statuses(answers)).toEqual([303, 303, 429]);
    expectProviderCalls(app.sandbox!, 'sms', 2);
  });

  it('takes back what a send refused by another limit counted, so refusals use up no limit', async () => {
    const app = await start({ LIMIT_SMS_PER_ACCOUNT_PER_MINUTE: '2', LIMIT_SMS_PER_NUMBER_PER_HOUR: '1' });
    const browser = await connect(app);
    // One goes to the number; the other nineteen are refused, by one limit or the other.
    expect(refused(await sendAtOnce(browser, 20, { to: '+44 7700 900111' }))).toHaveLength(19);
    // The account has used one of its two sends: another number still gets one, then no more.
    expect(statuses(await sendAtOnce(browser, 1, { to: '+44 7700 900222' }))).toEqual([303]);
    const over = await sendAtOnce(browser, 1, { to: '+44 7700 900333' });
    expect(statuses(over)).toEqual([429]);
    expect(over[0]!.text).toContain('a minute from one Nexmo account');
    expectProviderCalls(app.sandbox!, 'sms', 2);
  });

  it('counts each account on its own', async () => {
    const app = await start({ LIMIT_SMS_PER_ACCOUNT_PER_MINUTE: '2' });
    const alice = await connect(app, app.browser(), 'alice');
    const bob = await connect(app, app.browser(), 'bob');
    const [fromAlice, fromBob] = await Promise.all([sendAtOnce(alice, 10), sendAtOnce(bob, 10)]);
    expect(refused(fromAlice)).toHaveLength(8);
    expect(refused(fromBob)).toHaveLength(8);
    expectProviderCalls(app.sandbox!, 'sms', 4);
  });
});

describe('the per-address send limit', () => {
  it('holds one client address to N sends across two sessions of different accounts', async () => {
    const app = await start({ LIMIT_SMS_PER_ADDRESS_PER_MINUTE: '4' });
    const alice = await connect(app, app.browser(), 'alice');
    const bob = await connect(app, app.browser(), 'bob');
    const answers = (await Promise.all([sendAtOnce(alice, 30), sendAtOnce(bob, 30)])).flat();
    expect(answers.filter((a) => a.status === 303)).toHaveLength(4);
    expect(refused(answers)).toHaveLength(56);
    expect(refused(answers)[0]!.text).toContain('a minute from one network address');
    expectProviderCalls(app.sandbox!, 'sms', 4);
  });

  it('counts the address the trusted proxy reports, so clients behind it are counted apart', async () => {
    const app = await start({ LIMIT_SMS_PER_ADDRESS_PER_MINUTE: '2', TRUST_PROXY: 'loopback' });
    const browser = await connect(app);
    const forms = await formsOf(browser, 10);
    const post = (address: string) => browser.post('/sms').set('X-Forwarded-For', address).type('form').send({ ...forms.next(), from: 'Demo', to: '447700900123', text: fresh() });
    const first = await Promise.all(Array.from({ length: 5 }, () => post('198.51.100.7')));
    const second = await Promise.all(Array.from({ length: 5 }, () => post('203.0.113.9')));
    expect(statuses(first)).toEqual([303, 303, 429, 429, 429]);
    expect(statuses(second)).toEqual([303, 303, 429, 429, 429]);
    expectProviderCalls(app.sandbox!, 'sms', 4);
  });
  it('with TRUST_PROXY=1 trusts one hop only: a client cannot name another address by adding one of its own in front', async () => {
    const app = await start({ LIMIT_SMS_PER_ADDRESS_PER_MINUTE: '2', TRUST_PROXY: '1' });
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
    expectProviderCalls(app.sandbox!, 'sms', 3);
  });
  it('counts an IPv4 client the same whether it arrives as a.b.c.d or as the IPv6-mapped ::ffff:a.b.c.d', async () => {
    const app = await start({ LIMIT_SMS_PER_ADDRESS_PER_MINUTE: '2', TRUST_PROXY: 'loopback' });
    const browser = await connect(app);
    const forms = await formsOf(browser, 10);
    const post = (address: string) => browser.post('/sms').set('X-Forwarded-For', address).type('form').send({ ...forms.next(), from: 'Demo', to: '447700900123', text: fresh() });
    const answers = [await post('198.51.100.7'), await post('::ffff:198.51.100.7'), await post('::FFFF:198.51.100.7'), await post('198.51.100.8')];
    expect(answers.map((a) => a.status)).toEqual([303, 303, 429, 303]);
    expectProviderCalls(app.sandbox!, 'sms', 3);
  });
});

describe('the per-number send limit', () => {
  it('does not count the sandbox’s test numbers, which reach nobody’s phone: a whole room can send to one', async () => {
    // The default limit of 10; the other limits off, so only the per-number one could refuse.
    const app = await start({ LIMIT_SMS_PER_NUMBER_PER_HOUR: '10' });
    const browsers = await Promise.all(['alice', 'bob', 'carol'].map((account) => connect(app, app.browser(), account)));
    const answers = (await Promise.all(browsers.map((browser) => sendAtOnce(browser, 5, { to: '+44 7700 900000' })))).flat();
    expect(statuses(answers)).toEqual(Array(15).fill(303));
    const outbox = await app.sandbox!.outbox();
    expect(outbox.filter((m) => m.to === '447700900000')).toHaveLength(15);
    // An ordinary number in the same app is still limited.
    const ordinary = await sendAtOnce(browsers[0]!, 11, { to: '+44 7700 900123' });
    expect(refused(ordinary)).toHaveLength(1);
    expect(refused(ordinary)[0]!.text).toContain('This number, +447700900123, has had 10 messages in the last hour');
    expectProviderCalls(app.sandbox!, 'sms', 25);
  });

  it('counts sends to the sandbox’s test numbers against none of the app’s limits: the demo tour goes through', async () => {
    const app = await start({ LIMIT_SMS_PER_NUMBER_PER_HOUR: '1', LIMIT_SMS_PER_ACCOUNT_PER_MINUTE: '3', LIMIT_SMS_PER_ADDRESS_PER_MINUTE: '3', LIMIT_SMS_PARTS_PER_ACCOUNT_PER_DAY: '5' });
    const browser = await connect(app);
    // "Use this number" for each listed test number in turn, and a long one: every send goes.
    const tour = app.sandbox!.testNumbers;
    const answers = [];
    for (const digits of tour) answers.push(...(await sendAtOnce(browser, 1, { to: `+${digits}`, text: `Trying ${digits}` })));
    answers.push(...(await sendAtOnce(browser, 1, { to: '+44 7700 900000', text: 'x'.repeat(153 * 2 + 1) })));
    expect(statuses(answers)).toEqual(Array(tour.length + 1).fill(303));
    expectProviderCalls(app.sandbox!, 'sms', tour.length + 1);
    // Nothing was counted: an ordinary number still has every limit whole, and then they bite.
    const ordinary = await sendAtOnce(browser, 4, { to: ORDINARY });
    expect(statuses(ordinary)).toEqual([303, 429, 429, 429]);
    expect(refused(ordinary)[0]!.text).toContain('This number, +447700900123, has had 1 message in the last hour');
  });

  it('lets N sends an hour reach one number, from any account, and leaves other numbers alone', async () => {
    const app = await start({ LIMIT_SMS_PER_NUMBER_PER_HOUR: '3' });
    const alice = await connect(app, app.browser(), 'alice');
    const bob = await connect(app, app.browser(), 'bob');
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
    const outbox = await app.sandbox!.outbox();
    expect(outbox.filter((m) => m.to === '447700900123')).toHaveLength(3);
    expect(outbox).toHaveLength(4);
  });
});

describe('the daily parts cap per account', () => {
  it('stops at the cap counted in parts, not messages, and still lets a short message fit', async () => {
    const app = await start({ LIMIT_SMS_PARTS_PER_ACCOUNT_PER_DAY: '10' });
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
    expectProviderCalls(app.sandbox!, 'sms', 3);

    // The tenth part is still there for a one-part message, and then nothing is.
    expect(statuses(await sendAtOnce(browser, 3, { text: 'short' }))).toEqual([303, 429, 429]);
    const outbox = await app.sandbox!.outbox();
    expect(outbox.reduce((sum, m) => sum + m.parts, 0)).toBe(10);
  });

  it('refuses a message longer than the whole day’s cap as a field error, counting nothing', async () => {
    const app = await start({ LIMIT_SMS_PARTS_PER_ACCOUNT_PER_DAY: '2' });
    const browser = await connect(app);
    const [answer] = await sendAtOnce(browser, 1, { text: 'x'.repeat(400) });
    expect(answer!.status).toBe(400);
    expect(answer!.text).toContain('This message needs 3 parts, and this app sends at most 2 a day from one account. Shorten it.');
    await expectNoSmsSent(app.sandbox!);
    expect(statuses(await sendAtOnce(browser, 3, { text: 'x'.repeat(200) }))).toEqual([303, 429, 429]);
  });
});

describe('the login start limit per address', () => {
  it('lets exactly N of 100 rapid logins without a cookie reach the provider; the 429s set no cookie', async () => {
    const app = await start({ LIMIT_LOGINS_PER_ADDRESS_PER_MINUTE: '4' });
    const answers = await Promise.all(Array.from({ length: 100 }, () => app.browser().get('/auth/login')));
    expect(answers.filter((a) => a.status === 302)).toHaveLength(4);
    const over = refused(answers);
    expect(over).toHaveLength(96);
    expectProviderCalls(app.sandbox!, 'request_token', 4);
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
    const app = await start({ LIMIT_LOGINS_PER_ADDRESS_PER_MINUTE: '1' });
    const invalid = await Promise.all(Array.from({ length: 5 }, () => app.browser().get('/auth/login?page=elsewhere')));
    expect(statuses(invalid)).toEqual(Array(5).fill(400));
    expect((await app.browser().get('/auth/login')).status).toBe(302);
    const over = await app.browser().get('/auth/login').set('Accept', 'application/json');
    expect(over.status).toBe(429);
    expect(over.body.error.title).toBe('Too many connection attempts');
    expect(Number(over.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    shouldNotSetCookie(over);
    expectProviderCalls(app.sandbox!, 'request_token', 1);
  });
});

describe('the SMS destination allow-list', () => {
  it('refuses a number outside the allowed prefixes as a field error, before any provider call', async () => {
    const app = await start({ SMS_ALLOWED_PREFIXES: '44,353', LIMIT_SMS_PER_ACCOUNT_PER_MINUTE: '1' });
    const browser = await connect(app);
    const answers = await sendAtOnce(browser, 5, { to: '+1 202 555 0100', text: 'kept as typed' });
    expect(statuses(answers)).toEqual(Array(5).fill(400));
    expect(answers[0]!.text).toContain('This app only sends to numbers starting +44 or +353.');
    expect(answers[0]!.text).toContain('value="+1 202 555 0100"');
    expect(answers[0]!.text).toContain('kept as typed</textarea>');
    await expectNoSmsSent(app.sandbox!);
    // Refused numbers counted nothing: the one send a minute is still there, for an allowed number.
    expect(statuses(await sendAtOnce(browser, 1, { to: '+353 85 123 4567' }))).toEqual([303]);
  });
});

describe.each(backends.filter((b) => b.name !== 'memory'))('limits kept in the $name store', (backend) => {
  it('are shared by two app instances on the one store', async () => {
    const env = { ...(await backend.env()), LIMIT_SMS_PER_ACCOUNT_PER_MINUTE: '3', LIMIT_LOGINS_PER_ADDRESS_PER_MINUTE: '5', LIMIT_SMS_PARTS_PER_ACCOUNT_PER_DAY: '100' };
    const a = await start(env);
    const b = await start(env);
    // One session, used through both instances (the store holds sessions and the sandbox's state).
    const { browser, cookie } = await connectWithCookie(a);
    const forms = await formsOf(browser, 20);
    const post = (app: TestApp) => supertest(app.url).post('/sms').set('Cookie', cookie).type('form').send({ ...forms.next(), from: 'Demo', to: '447700900123', text: fresh() });
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => post(i % 2 ? a : b)));
    expect(answers.filter((x) => x.status === 303)).toHaveLength(3);
    expect(refused(answers)).toHaveLength(17);
    expect(providerCalls(a.sandbox!, 'sms') + providerCalls(b.sandbox!, 'sms')).toBe(3);

    // One login start was used by connect(); four more across the two instances, then none.
    const logins = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).browser().get('/auth/login')));
    expect(logins.filter((x) => x.status === 302)).toHaveLength(4);
    expect(providerCalls(a.sandbox!, 'request_token') + providerCalls(b.sandbox!, 'request_token')).toBe(5);
  });
});

describe('limits kept in a Redis that goes away', () => {
  it('answer 503 without calling the provider while Redis is down, and count again when it is back', async () => {
    const redis = await startRedisServer();
    try {
      const app = await start({ REDIS_URL: redis.url, LIMIT_LOGINS_PER_ADDRESS_PER_MINUTE: '2' });
      await redis.stop();
      const down = await app.browser().get('/auth/login');
      expect(down.status).toBe(503);
      shouldNotSetCookie(down);
      expectProviderCalls(app.sandbox!, 'request_token', 0);
      // Back empty (no persistence): the counter script is loaded again and counting resumes.
      await redis.restart();
      await expect.poll(async () => (await app.browser().get('/readyz')).status, { timeout: 10_000 }).toBe(200);
      const answers = await Promise.all(Array.from({ length: 5 }, () => app.browser().get('/auth/login')));
      expect(statuses(answers)).toEqual([302, 302, 429, 429, 429]);
      expectProviderCalls(app.sandbox!, 'request_token', 2);
    } finally {
      for (const app of apps.splice(0)) await app.close();
      await redis.close();
    }
  });
});
