// The SQLite session store writes a touch only when it moves the stored expiry by a step (a
// minute here), so a busy session does not cost a commit per request; and what it reads back
// carries the expiry the row really has.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type session from 'express-session';
import type { Request } from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { openDatabase } from '../../src/store/sqlite/db.js';
import { SqliteSessionStore } from '../../src/store/sqlite/sessions.js';
import { testSealer } from '../helpers/storeBackends.js';

const IDLE_MS = 30 * 60_000;
const T0 = Date.UTC(2026, 11, 2, 12, 0, 0);

describe('the SQLite session store, touched on every request', () => {
  let dir: string;
  let db: ReturnType<typeof openDatabase>;
  let store: SqliteSessionStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'session-touch-'));
    db = openDatabase(join(dir, 'app.db'));
    store = new SqliteSessionStore(db, testSealer, () => T0);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const storedExpiry = (sid: string) => (db.prepare('SELECT expires_at FROM sessions WHERE sid = ?').get(sid) as { expires_at: number }).expires_at;
  const load = (sid: string) =>
    new Promise<session.Session & session.SessionData>((resolve, reject) =>
      store.get(sid, (err, data) => (err || !data ? reject(err ?? new Error('no session')) : resolve(store.createSession({} as Request, data)))),
    );
  const touch = (sid: string, data: session.SessionData) => new Promise<void>((resolve) => store.touch(sid, data, () => resolve()));
  const start = (sid: string) =>
    new Promise<void>((resolve, reject) =>
      store.set(sid, { cookie: { originalMaxAge: IDLE_MS, expires: new Date(T0 + IDLE_MS) }, loginOwner: 'owner-a' } as unknown as session.SessionData, (err) => (err ? reject(err) : resolve())),
    );

  it('leaves the stored expiry alone when a touch moves it by less than a minute', async () => {
    await start('sid-a');
    const loaded = await load('sid-a');
    loaded.cookie.expires = new Date(T0 + IDLE_MS + 20_000);
    await touch('sid-a', loaded);
    expect(storedExpiry('sid-a')).toBe(T0 + IDLE_MS);
  });

  it('writes a touch that moves the expiry by a minute or more, and reads the moved expiry back', async () => {
    await start('sid-b');
    const loaded = await load('sid-b');
    loaded.cookie.expires = new Date(T0 + IDLE_MS + 90_000);
    await touch('sid-b', loaded);
    expect(storedExpiry('sid-b')).toBe(T0 + IDLE_MS + 90_000);
    // The data still says the old expiry; what is read back is the row's.
    const again = await load('sid-b');
    expect(again.cookie.expires?.getTime()).toBe(T0 + IDLE_MS + 90_000);
    expect(again.loginOwner).toBe('owner-a');
  });

  it('always writes the touch of a session it did not load (a new or regenerated one)', async () => {
    await start('sid-c');
    const fresh = { cookie: { originalMaxAge: IDLE_MS, expires: new Date(T0 + IDLE_MS + 5_000) } } as unknown as session.SessionData;
    await touch('sid-c', fresh);
    expect(storedExpiry('sid-c')).toBe(T0 + IDLE_MS + 5_000);
  });
});
