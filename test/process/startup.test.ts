import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { projectRoot } from '../../src/paths.js';

// These run the compiled entry point exactly as `npm start` does (`npm test` builds first).
const entry = resolve(projectRoot, 'dist/server.js');

/** Without a build these tests would test nothing; say so instead of skipping them. */
function requireBuild(): void {
  if (!existsSync(entry)) {
    throw new Error(`${entry} does not exist: run \`npm run build\` first (\`npm test\` builds before it runs the tests).`);
  }
}

function run(env: Record<string, string>, untilLine?: RegExp): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [entry], { env: { PATH: process.env.PATH ?? '', ...env }, cwd: '/' });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (!signalled && untilLine && untilLine.test(stdout)) {
        signalled = true;
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
    setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
  });
}

describe('starting the server', () => {
  const cleanUp: Array<() => void> = [];
  beforeAll(requireBuild);
  afterAll(() => cleanUp.forEach((fn) => fn()));

  it('stops with the variable named when configuration is invalid, never printing a secret', async () => {
    const secret = 'very-secret-consumer-secret-value';
    const res = await run({ PORT: 'abc', NEXMO_CONSUMER_KEY: 'k', NEXMO_CONSUMER_SECRET: secret });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('Configuration error: PORT:');
    expect(res.stdout + res.stderr).not.toContain(secret);
  });

  it('stops when only half of the credentials are set', async () => {
    const res = await run({ NEXMO_CONSUMER_KEY: 'k' });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('NEXMO_CONSUMER_SECRET');
  });

  it('refuses sandbox mode in production without SANDBOX=1', async () => {
    const res = await run({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40) });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('SANDBOX=1');
  });

  it('starts in sandbox mode with no configuration, says so loudly, and stops cleanly on SIGTERM', async () => {
    // Its own database file: the default (data/app.db) is the developer's, not the tests'.
    const dir = mkdtempSync(resolve(tmpdir(), 'nexmo-startup-'));
    cleanUp.push(() => rmSync(dir, { recursive: true, force: true }));
    const res = await run({ PORT: '0', SQLITE_PATH: resolve(dir, 'app.db') }, /listening on/);
    expect(res.stdout).toMatch(/SANDBOX MODE/);
    expect(res.stdout).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(res.stdout).toMatch(/SIGTERM received, closing/);
    expect(res.code).toBe(0);
  });
});
