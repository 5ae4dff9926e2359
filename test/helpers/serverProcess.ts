// The built server (dist/main/server.js) as a real process, as `npm start` runs it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

import { projectRoot } from '../../src/config/paths.js';

export const serverEntry = resolve(projectRoot, 'dist/main/server.js');

/** Without a build these tests would test nothing; say so instead of skipping them. */
export function requireBuild(): void {
  if (!existsSync(serverEntry)) {
    throw new Error(`${serverEntry} does not exist: run \`npm run build\` first (\`npm test\` builds before it runs the tests).`);
  }
}

export interface ServerProcess {
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL, as an OOM kill or a power cut would end it: nothing runs after it. Resolves on exit. */
  kill(): Promise<void>;
}

/** Starts the server and resolves once it says it is listening (or rejects with what it printed). */
export function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  return new Promise((resolvePromise, reject) => {
    const child: ChildProcess = spawn(process.execPath, [serverEntry], { env: { PATH: process.env.PATH ?? '', ...env }, cwd: '/' });
    let output = '';
    let started = false;
    const exited = new Promise<number | null>((resolveExit) => child.once('close', (code) => resolveExit(code)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not start within 20 s:\n${output}`));
    }, 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (!started && /listening on/.test(output)) {
        started = true;
        clearTimeout(timer);
        resolvePromise({
          output: () => output,
          stop: async () => {
            child.kill('SIGTERM');
            return exited;
          },
          kill: async () => {
            child.kill('SIGKILL');
            await exited;
          },
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', reject);
    void exited.then((code) => {
      clearTimeout(timer);
      if (!started) reject(new Error(`the server exited with ${code} before listening:\n${output}`));
    });
  });
}
