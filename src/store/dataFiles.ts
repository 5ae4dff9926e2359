// The store's files hold every phone number and text sent, and the key file opens its tokens:
// only the user running the app may read them, whatever the umask.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';

export const PRIVATE_FOLDER_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Makes the folder (and its parents) if it is missing, readable by its owner only. An existing
 * folder is left as it is (it may be shared on purpose), but one that others can enter gets a
 * warning line naming it and the fix; undefined when there is nothing to say.
 */
export function prepareDataFolder(dir: string): string | undefined {
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true, mode: PRIVATE_FOLDER_MODE });
    // mkdir's mode passes through the umask; this does not.
    chmodSync(dir, PRIVATE_FOLDER_MODE);
    return undefined;
  }
  const stat = statSync(dir);
  if (!stat.isDirectory()) throw Object.assign(new Error(`${dir} is not a folder`), { code: 'ENOTDIR' });
  const mode = stat.mode & 0o777;
  if ((mode & 0o077) === 0) return undefined;
  return `the data folder ${dir} can be read by other users of this machine (mode ${mode.toString(8).padStart(4, '0')}): run chmod 700 ${dir}`;
}

/** Creates the file empty if it is missing, and sets it to owner read and write only. */
export function makeFilePrivate(file: string): void {
  closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  chmodSync(file, PRIVATE_FILE_MODE);
}

/** Sets an existing file to owner read and write only; a missing one is nothing to do. */
export function keepFilePrivate(file: string): void {
  if (existsSync(file)) chmodSync(file, PRIVATE_FILE_MODE);
}
