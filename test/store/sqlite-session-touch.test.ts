// The SQLite session store writes a touch only when it moves the stored expiry by a step (a
// minute here), so a busy session does not cost a commit per request; and what it reads back
// carries the expiry the row really has.
//
// The store keeps one clock: its own (injected) one writes and judges every expiry. The machine's
// date is set to a year back, today and a year ahead around the same store clock, and every case
// must come out the same: express-session's cookie reads the real clock, and nothing it computes
// from it may leak into the store's expiries.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type session from 'express-session';
import type { Request } from 'express';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { openDatabase } from '../../src/store/sqlite/db.js';
import { SqliteSessionStore } from '../../src/store/sqlite/sessions.js';
import { testSealer } from '../helpers/storeBackends.js';

const IDLE_MS = 30 * 60_000;
/** The store's clock starts here, whatever the machine's date. */
const T0 = Date.UTC(2026, 11, 2, 12, 0, 0);
const YEAR_MS = 365 * 24 * 60 * 60_000;

describe.each([
  { machineDate: 'a year before the store clock', offset: -YEAR_MS },
  { machineDate: 'the store clock itself', offset: 0 },
  { machineDate: 'a year after the store clock', offset: YEAR_MS },
])('the SQLite session store, touched on every request (machine date: $machineDate)', ({ offset }) => {
  let dir: string;
  let db: ReturnType<typeof openDatabase>;
  let store: SqliteSessionStore;
  let clock: number;
  beforeEach(() => {
    // Only Date is faked: the store's own timers and SQLite run as usual.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0 + offset);
    clock = T0;
    dir = mkdtempSync(join(tmpdir(), 'session-touch-'));
    db = openDatabase(join(dir, 'app.db'));
    store = new SqliteSessionStore(db, testSealer, { idleMs: IDLE_MS, now: () => clock });
  });
  afterEach(() => {
    vi.useRealTimers();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Both clocks move on together, as they do in a running app. */
  const wait = (ms: number) => {
    clock += ms;
    vi.setSystemTime(Date.now() + ms);
  };
  const storedExpiry = (sid: string) => (db.prepare('SELECT expires_at FROM sessions WHERE sid = ?').get(sid) as { expires_at: number } | undefined)?.expires_at;
  const get = (sid: string) =>
    new Promise<session.SessionData | null | undefined>((resolve, reject) => store.get(sid, (err, data) => (err ? reject(err) : resolve(data))));
  /** Reads the session as express-session does on a request, and touches it as its rolling cookie does. */
  const load = async (sid: string) => {
    const data = await get(sid);
    if (!data) throw new Error('no session');
    return store.createSession({} as Request, data);
  };
  const touch = (sid: string, loaded: session.Session & session.SessionData) => {
    loaded.touch();
    return new Promise<void>((resolve) => store.touch(sid, loaded, () => resolve()));
  };
  const start = (sid: string) =>
    new Promise<void>((resolve, reject) =>
      store.set(sid, { cookie: { originalMaxAge: IDLE_MS, expires: new Date(Date.now() + IDLE_MS) }, loginOwner: 'owner-a' } as unknown as session.SessionData, (err) =>
        err ? reject(err) : resolve(),
      ),
    );

  it('stores a new session as expiring the idle time after now, by its own clock', async () => {
    await start('sid-new');
    expect(storedExpiry('sid-new')).toBe(T0 + IDLE_MS);
    expect((await get('sid-new'))?.loginOwner).toBe('owner-a');
  });

  it('leaves the stored expiry alone when a touch moves it by less than a minute', async () => {
    await start('sid-a');
    wait(20_000);
    const loaded = await load('sid-a');
    await touch('sid-a', loaded);
    expect(storedExpiry('sid-a')).toBe(T0 + IDLE_MS);
    // Still there, and still read back with the expiry the row has.
    expect((await load('sid-a')).cookie.expires?.getTime()).toBe(T0 + IDLE_MS);
  });

  it('writes a touch that moves the expiry by a minute or more, and reads the moved expiry back', async () => {
    await start('sid-b');
    wait(90_000);
    const loaded = await load('sid-b');
    await touch('sid-b', loaded);
    expect(storedExpiry('sid-b')).toBe(T0 + 90_000 + IDLE_MS);
    // The sealed data still says the old expiry; what is read back is the row's.
    const again = await load('sid-b');
    expect(again.cookie.expires?.getTime()).toBe(T0 + 90_000 + IDLE_MS);
    expect(again.loginOwner).toBe('owner-a');
  });

  it('always writes the touch of a session it did not load (a new or regenerated one)', async () => {
    await start('sid-c');
    wait(5_000);
    const fresh = { cookie: { originalMaxAge: IDLE_MS, expires: new Date(Date.now() + IDLE_MS) } } as unknown as session.SessionData;
    await new Promise<void>((resolve) => store.touch('sid-c', fresh, () => resolve()));
    expect(storedExpiry('sid-c')).toBe(T0 + 5_000 + IDLE_MS);
  });

  it('reads a session untouched for the idle time as gone, and one touched within it as alive', async () => {
    await start('sid-idle');
    await start('sid-busy');
    wait(IDLE_MS - 60_000);
    await touch('sid-busy', await load('sid-busy'));
    wait(60_000);
    expect(await get('sid-idle')).toBeNull();
    expect((await get('sid-busy'))?.loginOwner).toBe('owner-a');
  });
});
