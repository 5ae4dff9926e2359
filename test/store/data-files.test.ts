// The SQLite file, its -wal and -shm and the folder they live in hold every number and text
// sent: only the user running the app may read them, whatever the umask. The tests run as root,
// so they check the modes with stat rather than by trying to read as someone else.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { createLogger } from '../../src/logging/logger.js';
import { openStores } from '../../src/store/open.js';
import type { AppStores } from '../../src/store/types.js';
import { TEST_STORE_KEY } from '../helpers/storeBackends.js';

const modeOf = (path: string) => statSync(path).mode & 0o777;

let dir: string;
let previousUmask: number;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'data-files-'));
  // A permissive umask, as on many machines: the modes must not depend on it.
  previousUmask = process.umask(0o022);
});
afterAll(() => {
  process.umask(previousUmask);
  rmSync(dir, { recursive: true, force: true });
});

const opened: AppStores[] = [];
afterEach(async () => {
  for (const stores of opened.splice(0)) await stores.close();
});

/** Opens the SQLite store as the app does, with the warnings it logs. */
async function open(path: string): Promise<{ stores: AppStores; warnings: string[] }> {
  const warnings: string[] = [];
  const log = createLogger({
    level: 'warn',
    format: 'json',
    destination: { write: (line: string) => void warnings.push((JSON.parse(line) as { msg: string }).msg) },
  });
  const stores = await openStores({ kind: 'sqlite', path }, { log, storeKeys: [TEST_STORE_KEY] });
  opened.push(stores);
  return { stores, warnings };
}

describe('the data files', () => {
  it('a new folder is made 0700, and the database, its -wal and -shm 0600, with no warning', async () => {
    const folder = join(dir, 'fresh', 'data');
    const file = join(folder, 'app.db');
    const { stores, warnings } = await open(file);
    // A write, so the write-ahead log holds something while it is open.
    await stores.settings.getOrCreate('probe', () => 'value');

    expect(modeOf(folder)).toBe(0o700);
    for (const path of [file, `${file}-wal`, `${file}-shm`]) expect([path, modeOf(path)]).toEqual([path, 0o600]);
    expect(warnings).toEqual([]);
  });

  it('the development key file made beside it is 0600 too', async () => {
    const folder = join(dir, 'with-key');
    const warnings: string[] = [];
    const log = createLogger({ level: 'warn', format: 'json', destination: { write: (line: string) => void warnings.push(line) } });
    opened.push(await openStores({ kind: 'sqlite', path: join(folder, 'app.db') }, { log }));
    expect(modeOf(join(folder, 'app.db.key'))).toBe(0o600);
    expect(modeOf(folder)).toBe(0o700);
  });

  it('an existing database file that others could read is made 0600', async () => {
    const folder = join(dir, 'old-file');
    mkdirSync(folder, { mode: 0o700 });
    const file = join(folder, 'app.db');
    (await open(file)).stores.close();
    opened.splice(0);
    chmodSync(file, 0o644);
    await open(file);
    expect(modeOf(file)).toBe(0o600);
  });

  it('an existing folder others can read is left alone, with a warning naming it and the fix', async () => {
    const folder = join(dir, 'shared');
    mkdirSync(folder);
    chmodSync(folder, 0o755);
    const file = join(folder, 'app.db');
    const { warnings } = await open(file);

    expect(warnings).toContain(`the data folder ${folder} can be read by other users of this machine (mode 0755): run chmod 700 ${folder}`);
    expect(modeOf(folder)).toBe(0o755);
    // The files in it are private all the same.
    expect(modeOf(file)).toBe(0o600);
  });
});
