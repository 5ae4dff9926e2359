import type Database from 'better-sqlite3';

/**
 * Group commit for one SQLite connection: the writes asked for within one turn of the event loop
 * share one IMMEDIATE transaction and one commit. A commit is most of a small write's cost (each
 * appends every page it changed to the WAL), and concurrent sends change the same pages (the
 * counters, the ends of the indexes): committed together, each page is written once per batch.
 *
 * Nothing is promised before it is durable: a write's promise settles only once the commit that
 * holds it has returned, so a send's reservation is on disk before its provider call, as it was
 * with a commit of its own. Each write runs in a savepoint of its own: one that throws leaves no
 * trace and fails alone; a commit that fails fails every write in it. Writes run in the order
 * asked, so of two for the same thing the second sees the first.
 */
export interface GroupCommit {
  /** Runs `work` (synchronous statements) in the next shared transaction; its value once committed. */
  write<T>(work: () => T): Promise<T>;
  /** Commits what is waiting now; writes asked for later are refused. */
  close(): void;
}

/** When the waiting writes are committed: once the current turn of the event loop is over. */
export type Schedule = (flush: () => void) => void;

interface Waiting {
  work: () => unknown;
  resolve(value: unknown): void;
  reject(err: unknown): void;
  outcome?: { ok: true; value: unknown } | { ok: false; error: unknown };
}

// Taken when this module loads: a test that fakes timers for its own clock must not stop commits.
const nextTurn: Schedule = globalThis.setImmediate;

export function createGroupCommit(db: Database.Database, schedule: Schedule = nextTurn): GroupCommit {
  let waiting: Waiting[] = [];
  let closed = false;
  // Inside the batch's transaction better-sqlite3 runs this as SAVEPOINT … RELEASE, and rolls
  // back to the savepoint when the work throws.
  const inSavepoint = db.transaction((work: () => unknown) => work());
  const commit = db.transaction(function groupCommit(batch: Waiting[]) {
    for (const write of batch) {
      try {
        write.outcome = { ok: true, value: inSavepoint(write.work) };
      } catch (error) {
        // An error SQLite answers by rolling back the whole transaction leaves nothing to commit.
        if (!db.inTransaction) throw error;
        write.outcome = { ok: false, error };
      }
    }
  });

  const flush = () => {
    const batch = waiting;
    waiting = [];
    if (batch.length === 0) return;
    try {
      commit.immediate(batch);
    } catch (err) {
      for (const write of batch) write.reject(err);
      return;
    }
    for (const { outcome, resolve, reject } of batch) {
      if (outcome?.ok) resolve(outcome.value);
      else reject(outcome?.error);
    }
  };

  return {
    write<T>(work: () => T): Promise<T> {
      if (closed) return Promise.reject(new Error('the SQLite store is closed'));
      return new Promise<T>((resolve, reject) => {
        if (waiting.length === 0) schedule(flush);
        waiting.push({ work, resolve: resolve as (value: unknown) => void, reject });
      });
    },
    close() {
      closed = true;
      flush();
    },
  };
}

const writers = new WeakMap<Database.Database, GroupCommit>();

/** The one group commit of this connection, shared by every store on it. */
export function groupCommitOf(db: Database.Database): GroupCommit {
  let writer = writers.get(db);
  if (writer === undefined) {
    writer = createGroupCommit(db);
    writers.set(db, writer);
  }
  return writer;
}
