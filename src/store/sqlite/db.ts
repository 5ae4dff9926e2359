import { dirname } from 'node:path';
import Database from 'better-sqlite3';

import { keepFilePrivate, makeFilePrivate, prepareDataFolder } from '../dataFiles.js';
import { SchemaTooNewError } from '../schemaVersion.js';
import { LATEST_VERSION, headerVersion, migrate } from './migrations.js';

/**
 * Opens (creating it and its folder on first start) the SQLite file, and brings its schema up
 * to this app's version (see migrations.ts). WAL lets readers go on while one writer writes, and
 * a busy timeout lets a second process on the same file wait its turn. The folder is made 0700
 * and the file, its -wal and -shm 0600: they hold every number and text sent. A file written by
 * a newer version of the app is refused (SchemaTooNewError) before anything in it is changed.
 * Throws when the path cannot be created or opened.
 */
export function openDatabase(path: string): Database.Database {
  const onDisk = path !== ':memory:';
  if (onDisk) {
    prepareDataFolder(dirname(path));
    // Read from the header before SQLite opens the file: opening it would add -wal and -shm.
    const version = headerVersion(path);
    if (version !== undefined && version > LATEST_VERSION) throw new SchemaTooNewError(path, version, LATEST_VERSION, 'SQLITE_PATH');
    makeFilePrivate(path);
  }
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    // With WAL, NORMAL syncs at checkpoints rather than on every commit: a crash of the process
    // loses nothing, and the file is never corrupted; only a power cut can take back the last
    // commits. A send makes several small commits, and each fsync cost more than the rest of it.
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    migrate(db, path);
    // SQLite gives them the main file's mode; set it anyway, as for the file itself.
    if (onDisk) for (const suffix of ['-wal', '-shm']) keepFilePrivate(`${path}${suffix}`);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}
