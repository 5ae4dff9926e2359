// Counts the writes a store makes, as the backends themselves see them: for SQLite each commit
// (a transaction, or a write statement outside one), for Redis each write command a client sent
// (MONITOR; a script's own commands are inside its one EVAL or EVALSHA, a MULTI … EXEC is one).
import Database from 'better-sqlite3';
import { createClient } from 'redis';

type Tx = ((...args: unknown[]) => unknown) & Record<'deferred' | 'immediate' | 'exclusive', (...args: unknown[]) => unknown>;

/**
 * Counts SQLite commits of every database this process opens while it is installed (open the
 * stores after calling this). `stop()` puts better-sqlite3 back as it was.
 */
export function countSqliteCommits(): { count(): number; what(): string[]; reset(): void; stop(): void } {
  let commits = 0;
  let what: string[] = [];
  const dbProto = Database.prototype as unknown as { transaction(fn: unknown): Tx };
  const probe = new Database(':memory:');
  const statementProto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<string, (...args: unknown[]) => unknown>;
  probe.close();
  const originalTransaction = dbProto.transaction;
  dbProto.transaction = function (this: Database.Database, fn: unknown): Tx {
    const db = this;
    const tx = originalTransaction.call(this, fn);
    const counted = (run: (...args: unknown[]) => unknown) =>
      function (this: unknown, ...args: unknown[]) {
        if (!db.inTransaction) {
          commits += 1;
          what.push(`transaction ${String((fn as { name?: string }).name || 'anonymous')}`);
        }
        return run.apply(this, args);
      };
    const wrapped = counted(tx) as Tx;
    for (const mode of ['deferred', 'immediate', 'exclusive'] as const) wrapped[mode] = counted(tx[mode]);
    return wrapped;
  };
  const originals: Record<string, (...args: unknown[]) => unknown> = {};
  for (const method of ['run', 'get', 'all', 'iterate']) {
    const original = statementProto[method]!;
    originals[method] = original;
    statementProto[method] = function (this: { readonly: boolean; source: string; database: Database.Database }, ...args: unknown[]) {
      // BEGIN, COMMIT and the like are how a transaction runs: it was counted once already.
      if (!this.readonly && !this.database.inTransaction && !/^\s*(BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE)\b/i.test(this.source)) {
        commits += 1;
        what.push(this.source.trim().split(/\s+/).slice(0, 4).join(' '));
      }
      return original.apply(this, args);
    };
  }
  return {
    count: () => commits,
    /** What each commit was: the transaction's function name, or the statement's first words. */
    what: () => [...what],
    reset: () => {
      commits = 0;
      what = [];
    },
    stop: () => {
      dbProto.transaction = originalTransaction;
      Object.assign(statementProto, originals);
    },
  };
}

/** Commands that change nothing; every other one a client sends counts as a write. */
const READS = new Set(['GET', 'MGET', 'HGET', 'HMGET', 'HGETALL', 'EXISTS', 'TTL', 'PTTL', 'ZRANGE', 'ZCARD', 'LRANGE', 'SCAN', 'PING', 'INFO', 'SELECT', 'CLIENT', 'HELLO', 'SCRIPT', 'EVALSHA_RO', 'EVAL_RO', 'TYPE', 'DBSIZE', 'MONITOR']);

/** Watches a Redis with MONITOR and keeps every write command clients send it. */
export async function watchRedisWrites(url: string): Promise<{ writes(): Promise<string[]>; reset(): Promise<void>; stop(): Promise<void> }> {
  const monitor = createClient({ url });
  const marker = createClient({ url });
  await Promise.all([monitor.connect(), marker.connect()]);
  let lines: string[] = [];
  let inMulti = false;
  const seen = new Set<string>();
  let n = 0;
  // MONITOR's lines arrive after the commands ran: an ECHO of our own, once seen, says every
  // command sent before it has been seen too.
  const caughtUp = async () => {
    const token = `writes-marker-${++n}`;
    await marker.echo(token);
    for (let i = 0; i < 200 && !seen.has(token); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    if (!seen.has(token)) throw new Error('MONITOR did not catch up');
  };
  await monitor.monitor((line: string) => {
    const echoed = /"ECHO" "([^"]+)"/.exec(line);
    if (echoed) {
      seen.add(echoed[1]!);
      return;
    }
    // `<time> [<db> lua] "SET" …` is a script's own command, part of its EVAL.
    const match = /^\S+ \[\d+ ([^\]]+)\] "([^"]+)"/.exec(line);
    if (!match || match[1] === 'lua') return;
    const command = match[2]!.toUpperCase();
    if (command === 'MULTI') inMulti = true;
    if (inMulti && command !== 'EXEC') return;
    if (command === 'EXEC') inMulti = false;
    if (!READS.has(command)) lines.push(line);
  });
  return {
    writes: async () => {
      await caughtUp();
      return [...lines];
    },
    reset: async () => {
      await caughtUp();
      lines = [];
    },
    stop: async () => {
      monitor.destroy();
      marker.destroy();
    },
  };
}
