// How long a session lasts: the session middleware and its lifetime rules in the app, over a
// real SQLite store where the store's own expiry is part of it, with the fake provider.
import { afterAll, describe, expect, it } from 'vitest';

import { SESSION_COOKIE } from '../../src/http/session.js';
import { createMemoryStores } from '../../src/store/memory.js';
import type { AppStores } from '../../src/store/types.js';
import { setCookies, shouldNotSetCookie, shouldSetCookie } from '../helpers/assertions.js';
import { connect } from '../helpers/login.js';
import { useRouteApp } from '../helpers/routeApp.js';
import { sqliteBackend } from '../helpers/storeBackends.js';

const createRouteApp = useRouteApp();
const sqlite = sqliteBackend();
afterAll(() => sqlite.tearDown());

function clock() {
  let offset = 0;
  return { now: () => Date.now() + offset, advance: (ms: number) => (offset += ms) };
}

/** The spec's own stores, closed when it is done with them. */
async function using<T>(stores: AppStores, use: (stores: AppStores) => Promise<T>): Promise<T> {
  try {
    return await use(stores);
  } finally {
    await stores.close();
  }
}

describe('how long a session lasts', () => {
  it('ends an idle session after SESSION_IDLE_MINUTES, in the cookie and in the store', async () => {
    const time = clock();
    await using(await sqlite.open(time.now, { sessionIdleMs: 5 * 60_000 }), async (stores) => {
      const route = createRouteApp({ SESSION_IDLE_MINUTES: '5' }, { now: time.now, stores });
      const browser = await connect(route);
      const home = await browser.get('/');
      const cookie = setCookies(home).find((c) => c.startsWith(`${SESSION_COOKIE}=`))!;
      // Each answer pushes the expiry out again, five minutes from now: only an idle session ends.
      const expires = Date.parse(/Expires=([^;]+)/i.exec(cookie)![1]!);
      expect(Math.abs(expires - (Date.now() + 5 * 60_000))).toBeLessThan(60_000);

      time.advance(4 * 60_000);
      expect((await browser.get('/sms')).status).toBe(200);
      time.advance(6 * 60_000);
      const idle = await browser.get('/sms');
      expect(idle.status).toBe(303);
      expect(idle.headers.location).toBe('/?notice=connect-first&return=%2Fsms');
    });
  });

  it('sends the cookie again only when activity moves its expiry by a minute or more', async () => {
    const time = clock();
    await using(await sqlite.open(time.now, { sessionIdleMs: 30 * 60_000 }), async (stores) => {
      const route = createRouteApp({ SESSION_IDLE_MINUTES: '30' }, { now: time.now, stores });
      const browser = await connect(route);
      const first = await browser.get('/');
      const id = shouldSetCookie(first, SESSION_COOKIE);
      // Within the minute: the same session, answered without re-signing or resending the cookie.
      time.advance(50_000);
      const soon = await browser.get('/sms');
      expect(soon.status).toBe(200);
      shouldNotSetCookie(soon);
      // A minute on: the same session id again, with its expiry 30 minutes from now.
      time.advance(10_000);
      const later = await browser.get('/sms');
      expect(later.status).toBe(200);
      expect(shouldSetCookie(later, SESSION_COOKIE)).toBe(id);
      const cookie = setCookies(later).find((c) => c.startsWith(`${SESSION_COOKIE}=`))!;
      expect(Math.abs(Date.parse(/Expires=([^;]+)/i.exec(cookie)![1]!) - (Date.now() + 30 * 60_000))).toBeLessThan(60_000);
      // A visitor with nothing to remember still gets no cookie.
      shouldNotSetCookie(await route.browser().get('/'));
    });
  });

  it('ends a connection after SESSION_MAX_HOURS however busy, and asks to connect again', async () => {
    const time = clock();
    const route = createRouteApp({ SESSION_MAX_HOURS: '1' }, { now: time.now });
    const browser = await connect(route);
    // Busy all along: a request every 19 minutes, so only the absolute limit can end it.
    for (let step = 0; step < 3; step++) {
      time.advance(19 * 60_000);
      expect((await browser.get('/')).text).toContain('Disconnect');
    }
    time.advance(4 * 60_000);
    const late = await browser.get('/sms');
    expect(late.status).toBe(303);
    expect(new URL(late.headers.location as string, 'http://app').searchParams.get('notice')).toBe('session-expired');
    expect(new URL(late.headers.location as string, 'http://app').searchParams.get('return')).toMatch(/^\//);
    const home = await browser.get('/?notice=session-expired');
    expect(home.text).toContain('Your connection reached its time limit');
    expect(home.text).toContain('Connect with Nexmo');
    expect((await browser.get('/sms')).headers.location).toBe('/?notice=connect-first&return=%2Fsms');
  });

  it('treats a tampered, foreign-signed or garbage cookie as no session, never an error', async () => {
    const route = createRouteApp();
    const browser = await connect(route);
    const home = await browser.get('/');
    const real = shouldSetCookie(home, SESSION_COOKIE);
    const tampered = real.slice(0, -3) + (real.endsWith('A') ? 'BBB' : 'AAA');
    for (const cookie of [tampered, `${SESSION_COOKIE}=s%3Aforeign.c2lnbmVkLWVsc2V3aGVyZQ`, `${SESSION_COOKIE}=%%%garbage`, `${SESSION_COOKIE}=${'x'.repeat(5000)}`]) {
      const res = await route.browser().get('/').set('Cookie', cookie);
      expect(res.status).toBe(200);
      expect(res.text).toContain('Connect with Nexmo');
      expect(res.text).not.toContain('Disconnect');
    }
  });

  it('still reads a cookie signed with a previous secret in the rotation list', async () => {
    await using(createMemoryStores(), async (stores) => {
      const before = createRouteApp({ SESSION_SECRET: 'old-secret' }, { stores });
      const browser = await connect(before);
      const cookie = shouldSetCookie(await browser.get('/'), SESSION_COOKIE);
      // The app again, on the same stores, with a new secret first in the list.
      const after = createRouteApp({ SESSION_SECRET: 'new-secret,old-secret' }, { stores });
      const res = await after.browser().get('/').set('Cookie', cookie);
      expect(res.status).toBe(200);
      expect(res.text).toContain('Disconnect');
    });
  });
});
