// How many times one send writes to the store, counted by the backends themselves: SQLite
// commits and Redis write commands, during one POST /sms of a valid form. The provider is a
// scripted REST server and the OAuth provider the sandbox running alone, so every write
// counted is the app's own. The figures are printed for the README's bench section too.
import supertest from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';

import { startStandalone } from '@nexmo-oauth/sandbox/standalone';
import { json, startScriptedRest } from '../helpers/scriptedRest.js';
import { redisBackend, sqliteBackend } from '../helpers/storeBackends.js';
import { countSqliteCommits, watchRedisWrites } from '../helpers/storeWrites.js';
import { logInThroughProvider, smsFormTokens, startTestApp } from '../helpers/testApp.js';

const KEY = 'writes-consumer-key';
const SECRET = 'writes-consumer-secret';
const REPLY = json({
  'message-count': '1',
  messages: [{ to: '447911123456', 'message-id': '0A00000000000001', status: '0', 'remaining-balance': '9.97', 'message-price': '0.03', network: '23410' }],
});

const sqlite = sqliteBackend();
const redis = redisBackend();
afterAll(async () => {
  await sqlite.tearDown();
  await redis.tearDown();
});

/** Starts a live-mode app on `env`, logs in, draws a form; `post()` then sends it once. */
async function liveApp(env: Record<string, string>) {
  const provider = await startStandalone({ port: 0, host: '127.0.0.1', consumerKey: KEY, consumerSecret: SECRET }, () => {});
  const rest = await startScriptedRest();
  rest.answerSms(REPLY);
  const app = await startTestApp({ ...env, NEXMO_CONSUMER_KEY: KEY, NEXMO_CONSUMER_SECRET: SECRET, NEXMO_OAUTH_URL: `${provider.baseUrl}/oauth/`, NEXMO_REST_URL: rest.url });
  const cookie = await logInThroughProvider(app, provider.baseUrl);
  const client = () => supertest(app.url);
  const form = await client().get('/sms').set('Cookie', cookie);
  expect(form.status).toBe(200);
  return {
    rest,
    post: () => client().post('/sms').set('Cookie', cookie).type('form').send({ ...smsFormTokens(form.text), from: 'Demo', to: '447911123456', text: 'Counted' }),
    close: async () => {
      await app.close();
      await rest.close();
      await provider.close();
    },
  };
}

describe('store writes of one send', () => {
  it('on SQLite: two commits, the reservation and the completion (with the timeline entry)', async () => {
    const commits = countSqliteCommits();
    try {
      const app = await liveApp(await sqlite.env());
      commits.reset();
      const sent = await app.post();
      expect(sent.status).toBe(303);
      expect(app.rest.smsCalls()).toHaveLength(1);
      // The reservation and the completion, each committed by the group commit (alone here: no
      // other write was asked for in the same turn of the event loop).
      expect(commits.what()).toEqual(['transaction groupCommit', 'transaction groupCommit']);
      console.info(`store writes per send, SQLite: ${commits.count()} commits\n  ${commits.what().join('\n  ')}`);
      expect(commits.count()).toBe(2);
      await app.close();
    } finally {
      commits.stop();
    }
  });

  it('on Redis: the reservation script and the completion script (with the timeline entry), and the session store\'s touch', async () => {
    const env = await redis.env();
    const watch = await watchRedisWrites(env.REDIS_URL!);
    try {
      const app = await liveApp(env);
      await watch.reset();
      const sent = await app.post();
      expect(sent.status).toBe(303);
      expect(app.rest.smsCalls()).toHaveLength(1);
      const writes = await watch.writes();
      console.info(`store writes per send, Redis: ${writes.length} write commands\n  ${writes.join('\n  ')}`);
      const commands = writes.map((line) => /\] "([^"]+)"/.exec(line)![1]!.toUpperCase());
      // The session read that also moves its idle expiry (GETEX, one command on every request:
      // the session middleware's, not the send's), then the reservation and the completion, each
      // a script the app loaded when it connected, run by its SHA1.
      expect(commands).toEqual(['GETEX', 'EVALSHA', 'EVALSHA']);
      await app.close();
    } finally {
      await watch.stop();
    }
  });
});
