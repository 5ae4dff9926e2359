// The room board end to end, with the real sandbox: instances sharing one Redis show one board,
// and whatever the room does, the board and its JSON carry names and counts only, never a token,
// a key, a number or a text. Where it is offered: test/routes/room-qr.test.ts.
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { expectNoSecretIn } from '../helpers/assertions.js';
import { startRedisServer, type RedisServer } from '../helpers/redisServer.js';
import { sendSms } from '../helpers/smsForm.js';
import { TEST_STORE_KEY } from '../helpers/storeBackends.js';
import { connect } from '../helpers/login.js';
import { useTestApp, type TestApp } from '../helpers/testApp.js';

const startTestApp = useTestApp();

type Person = { name: string; leg: string; sends: number; deliveries: number; lastSeen: string };
const boardOf = async (app: TestApp): Promise<Person[]> => {
  const res = await supertest(app.url).get('/room.json');
  expect(res.status).toBe(200);
  return (res.body as { people: Person[] }).people;
};
const counts = (people: Person[]) => people.map(({ name, leg, sends, deliveries }) => ({ name, leg, sends, deliveries }));

describe('instances sharing one Redis', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis.close();
  });

  /** An instance in sandbox mode, its sandbox's state and the app's records in the shared Redis. */
  async function instance(): Promise<TestApp> {
    return startTestApp({ REDIS_URL: redis.url, STORE_KEY: TEST_STORE_KEY }, { sandbox: { receiptDelayMs: 20 } });
  }

  it('show one board: a person connected and sending through A appears on B, deliveries and all, and B’s on A', async () => {
    // One after the other: the first creates the sandbox's credentials in Redis, the second reads them.
    const a = await instance();
    const b = await instance();
    expect(await boardOf(b)).toEqual([]);

    const onA = await connect(a, { account: 'amber-otter' });
    expect(counts(await boardOf(b))).toEqual([{ name: 'amber-otter', leg: 'connected', sends: 0, deliveries: 0 }]);

    const sent = await sendSms(onA, { to: '447700900123', text: 'Through A' });
    expect(sent.status).toBe(303);
    // The receipt reaches A (its own callback address); B's board counts it.
    await expect.poll(async () => counts(await boardOf(b)), { timeout: 5_000 }).toEqual([{ name: 'amber-otter', leg: 'sending', sends: 1, deliveries: 1 }]);

    await connect(b, { account: 'rapid-salmon' });
    expect(counts(await boardOf(a))).toEqual([
      { name: 'rapid-salmon', leg: 'connected', sends: 0, deliveries: 0 },
      { name: 'amber-otter', leg: 'sending', sends: 1, deliveries: 1 },
    ]);
    expect(await boardOf(a)).toEqual(await boardOf(b));
  });
});

describe('what the board shows', () => {
  it('never a token, a key, a secret, a cookie, a phone number or a message’s text, to a visitor or to someone connected', async () => {
    const app = await startTestApp({}, { sandbox: { receiptDelayMs: 20 } });
    const presenter = await connect(app);
    const cookie = presenter.sessionCookie;
    const teammate = await connect(app, { account: 'quiet-heron' });
    const texts = ['Secret meeting at 9', 'PIN 4321 for the door'];
    await sendSms(presenter, { to: '447700900123', text: texts[0] });
    await sendSms(teammate, { to: '447700900999', text: texts[1] });
    await expect.poll(async () => (await boardOf(app)).reduce((sum, p) => sum + p.deliveries, 0), { timeout: 5_000 }).toBe(1);

    // Every secret the app holds for this room: the connections' tokens, its consumer
    // credentials, the receipt key, the session cookie, and what was sent.
    const sessions = await new Promise<Record<string, { connection?: { token: string; secret: string; account: string } }>>((resolve, reject) =>
      app.stores.sessions.all!((err, all) => (err ? reject(err) : resolve((all ?? {}) as never))),
    );
    const connections = Object.values(sessions).flatMap((s) => (s.connection ? [s.connection] : []));
    expect(connections).toHaveLength(2);
    const receiptKey = await app.stores.settings.getOrCreate('receipt-key', () => 'never-used');
    const secrets = [
      ...connections.flatMap((c) => [c.token, c.secret, c.account]),
      app.provider.consumerKey,
      app.provider.consumerSecret,
      receiptKey,
      cookie.split('=')[1]!,
      '447700900123', '7700 900123', '7700900123', '447700900999', '7700 900999',
      ...texts,
    ];
    const pages = [
      await supertest(app.url).get('/room'),
      await supertest(app.url).get('/room.json'),
      await presenter.get('/room'),
      await teammate.get('/room.json'),
    ];
    for (const page of pages) expect(page.status).toBe(200);
    expectNoSecretIn(pages.map((page) => page.text), ...secrets);
    // What it does show: the names the two chose, and their counts.
    const shown = counts(await boardOf(app)).map(({ name, sends }) => [name, sends]);
    expect(shown).toHaveLength(2);
    expect(shown).toContainEqual(['quiet-heron', 1]);
    expect(shown.filter(([name]) => name !== 'quiet-heron')).toEqual([[expect.stringMatching(/^[a-z]+-[a-z]+$/), 1]]);
    expect(Object.keys((await boardOf(app))[0]!).sort()).toEqual(['deliveries', 'lastSeen', 'leg', 'name', 'sends']);
  });
});
