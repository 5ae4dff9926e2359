// How many times one send writes to the store, counted by the backends themselves: SQLite
// commits and Redis write commands, during one POST /sms of a valid form. The app with the fake
// provider on each real backend, opened as the app opens it, so every write counted is the
// app's own. The figures are printed for the README's bench section too.
import { afterAll, describe, expect, it } from 'vitest';

import { loadConfig } from '../../src/config/config.js';
import { silentLogger } from '../../src/logging/logger.js';
import { openStores } from '../../src/store/open.js';
import { sentOutcome } from '../helpers/fakeNexmo.js';
import { smsFormTokens } from '../helpers/html.js';
import { connect } from '../helpers/login.js';
import { useRouteApp } from '../helpers/routeApp.js';
import { redisBackend, sqliteBackend } from '../helpers/storeBackends.js';
import { countSqliteCommits, watchRedisWrites } from '../helpers/storeWrites.js';

const createRouteApp = useRouteApp();
const sqlite = sqliteBackend();
const redis = redisBackend();
afterAll(async () => {
  await sqlite.tearDown();
  await redis.tearDown();
});

/** The app on the store `env` names, logged in, a form drawn; `post()` then sends it once. */
async function appOn(env: Record<string, string>) {
  const config = loadConfig({ ...env, SESSION_SECRET: 'send-writes-spec' });
  const stores = await openStores(config.store, { log: silentLogger, storeKeys: config.storeKeys, sessionIdleMs: config.session.idleMs });
  const route = createRouteApp(env, { stores });
  route.nexmo.answerSend(sentOutcome('0A00000000000001', '447911123456'));
  const browser = await connect(route);
  const form = await browser.get('/sms');
  expect(form.status).toBe(200);
  return {
    route,
    post: () => browser.post('/sms').type('form').send({ ...smsFormTokens(form.text), from: 'Demo', to: '447911123456', text: 'Counted' }),
    close: () => stores.close(),
  };
}

describe('store writes of one send', () => {
  it('on SQLite: two commits, the reservation and the completion (with the timeline entry)', async () => {
    const commits = countSqliteCommits();
    try {
      const app = await appOn(await sqlite.env());
      commits.reset();
      const sent = await app.post();
      expect(sent.status).toBe(303);
      expect(app.route.nexmo.sends()).toHaveLength(1);
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
      const app = await appOn(env);
      await watch.reset();
      const sent = await app.post();
      expect(sent.status).toBe(303);
      expect(app.route.nexmo.sends()).toHaveLength(1);
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
