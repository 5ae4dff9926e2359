// The SQLite group commit: the writes asked for in one turn of the event loop share one
// transaction, and none is reported done before that transaction has committed. The turn is the
// spec's own (a schedule it runs by hand); the file is real, and a second connection on it reads
// only what was committed, as another instance would.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createGroupCommit, type GroupCommit } from '../../src/store/sqlite/groupCommit.js';
import { createSqliteStores } from '../../src/store/sqlite/index.js';
import type { SendReservation } from '../../src/store/types.js';
import { sqliteBackend, testSealer } from '../helpers/storeBackends.js';
import { countSqliteCommits } from '../helpers/storeWrites.js';

describe('the SQLite group commit', () => {
  let dir: string;
  let db: Database.Database;
  let other: Database.Database;
  let turns: Array<() => void>;
  let writes: GroupCommit;
  /** Ends the current turn: runs what was scheduled for after it. */
  const endTurn = () => {
    const scheduled = turns;
    turns = [];
    for (const run of scheduled) run();
  };
  const settled = async <T>(promise: Promise<T>) => {
    let state: 'pending' | 'resolved' | 'rejected' = 'pending';
    promise.then(
      () => (state = 'resolved'),
      () => (state = 'rejected'),
    );
    await new Promise((resolve) => setImmediate(resolve));
    return state;
  };
  const committedNames = () => (other.prepare('SELECT name FROM items ORDER BY name').all() as Array<{ name: string }>).map((row) => row.name);
  const insert = (name: string) => () => db.prepare('INSERT INTO items (name) VALUES (?)').run(name).changes;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'group-commit-'));
    const path = join(dir, 'app.db');
    db = new Database(path, { timeout: 20 });
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE items (name TEXT PRIMARY KEY)');
    other = new Database(path, { timeout: 20 });
    turns = [];
    writes = createGroupCommit(db, (flush) => turns.push(flush));
  });
  afterEach(() => {
    db.close();
    other.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('commits the writes asked for in one turn once, together, and reports none done before that', async () => {
    // Counted from the writer's own making: the counter watches the transactions made after it.
    const commits = countSqliteCommits();
    try {
      writes = createGroupCommit(db, (flush) => turns.push(flush));
      const a = writes.write(insert('a'));
      const b = writes.write(insert('b'));
      expect(turns).toHaveLength(1);
      // Nothing is on disk, and nothing is reported done, until the turn ends.
      expect(await settled(a)).toBe('pending');
      expect(committedNames()).toEqual([]);
      endTurn();
      expect(await Promise.all([a, b])).toEqual([1, 1]);
      expect(committedNames()).toEqual(['a', 'b']);
      expect(commits.what()).toEqual(['transaction groupCommit']);
    } finally {
      commits.stop();
    }
  });

  it('starts a new batch for writes asked for after the turn ended', async () => {
    const first = writes.write(insert('a'));
    endTurn();
    await first;
    const second = writes.write(insert('b'));
    expect(turns).toHaveLength(1);
    expect(await settled(second)).toBe('pending');
    expect(committedNames()).toEqual(['a']);
    endTurn();
    await second;
    expect(committedNames()).toEqual(['a', 'b']);
  });

  it('runs writes in the order asked, so the second of two for the same thing sees the first', async () => {
    const claim = (name: string) => () => db.prepare('INSERT INTO items (name) VALUES (?) ON CONFLICT DO NOTHING').run(name).changes === 1;
    const first = writes.write(claim('same'));
    const second = writes.write(claim('same'));
    endTurn();
    expect(await Promise.all([first, second])).toEqual([true, false]);
    expect(committedNames()).toEqual(['same']);
  });

  it('fails a write that throws alone, leaving nothing of it, and commits the others', async () => {
    const before = writes.write(insert('before'));
    const broken = writes.write(() => {
      insert('half-done')();
      throw new Error('refused part way');
    });
    const after = writes.write(insert('after'));
    endTurn();
    await expect(broken).rejects.toThrow('refused part way');
    expect(await Promise.all([before, after])).toEqual([1, 1]);
    expect(committedNames()).toEqual(['after', 'before']);
  });

  it('fails every write of a batch whose transaction cannot be had, and writes none of them', async () => {
    // Another connection holds the file's write lock (another instance mid-write) past the busy timeout.
    other.prepare('BEGIN IMMEDIATE').run();
    const a = writes.write(insert('a'));
    const b = writes.write(insert('b'));
    endTurn();
    await expect(a).rejects.toThrow(/locked|busy/i);
    await expect(b).rejects.toThrow(/locked|busy/i);
    other.prepare('ROLLBACK').run();
    expect(committedNames()).toEqual([]);
    // The next batch goes through.
    const c = writes.write(insert('c'));
    endTurn();
    await c;
    expect(committedNames()).toEqual(['c']);
  });

  it('commits what is waiting when closed, and refuses writes after that', async () => {
    const waiting = writes.write(insert('at-shutdown'));
    writes.close();
    expect(await waiting).toBe(1);
    expect(committedNames()).toEqual(['at-shutdown']);
    await expect(writes.write(insert('late'))).rejects.toThrow('closed');
    expect(committedNames()).toEqual(['at-shutdown']);
  });
});

describe('sends on the SQLite store, through its group commit', () => {
  const backend = sqliteBackend();
  afterAll(() => backend.tearDown());
  const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
  const reservation = (id: string, text: string): SendReservation => ({
    record: { id, account: 'acct-1', createdAt: NOW, request: { from: 'Demo', to: '447700900000', text, type: 'text' } },
    counters: [{ key: 'sends-per-account:acct-1', amount: 1, limit: 5, windowMs: 60_000 }],
  });

  it('eight concurrent reservations are one commit, and still never pass a limit', async () => {
    const commits = countSqliteCommits();
    const stores = await backend.open(() => NOW);
    try {
      // Whatever the store does when it opens (its first prune) is committed first.
      await new Promise((resolve) => setImmediate(resolve));
      commits.reset();
      const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => stores.messages.reserve(reservation(`send-${String(i).padStart(17, '0')}`, `text ${i}`))));
      expect(answers.map((a) => a.kind)).toEqual(['reserved', 'reserved', 'reserved', 'reserved', 'reserved', 'refused', 'refused', 'refused']);
      expect(commits.what()).toEqual(['transaction groupCommit']);
      expect((await stores.messages.list('acct-1', { offset: 0, limit: 10 })).total).toBe(5);
    } finally {
      commits.stop();
      await stores.close();
    }
  });

  it('a completion asked for just before the store closes is committed, not dropped', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'group-commit-')), 'app.db');
    const stores = createSqliteStores(path, { now: () => NOW, sealer: testSealer });
    const id = 'send-closing-000000';
    expect((await stores.messages.reserve(reservation(id, 'closing'))).kind).toBe('reserved');
    const completing = stores.messages.complete({ ...reservation(id, 'closing').record, outcome: { kind: 'unknown' } });
    await stores.close();
    await completing;
    const reopened = createSqliteStores(path, { now: () => NOW, sealer: testSealer });
    try {
      expect((await reopened.messages.get(id, 'acct-1'))?.outcome).toEqual({ kind: 'unknown' });
    } finally {
      await reopened.close();
      rmSync(dirname(path), { recursive: true, force: true });
    }
  });
});
