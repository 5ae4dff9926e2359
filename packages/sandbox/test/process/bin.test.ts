import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/paths.js';

// The compiled command, as npm links it: node_modules/.bin/nexmo-sandbox is a symlink to
// dist/standalone.js. The root `npm test` builds first; without a build these tests fail.
const entry = resolve(packageRoot, 'dist/standalone.js');
const linkDir = mkdtempSync(join(tmpdir(), 'nexmo-sandbox-bin-'));
afterAll(() => rmSync(linkDir, { recursive: true, force: true }));

function run(command: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { env: { PATH: process.env['PATH'] ?? '', ...env }, cwd: '/' });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      // Started: stop it once, the way a person would.
      if (!signalled && stdout.includes('Sign requests for the host name')) {
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

describe('the nexmo-sandbox command', () => {
  it('has been built (run `npm run build` first)', () => {
    expect(existsSync(entry), `${entry} does not exist: run \`npm run build\` before these tests`).toBe(true);
  });

  it('starts through a symlink, as npm installs it, prints its credentials and stops on SIGTERM', async () => {
    const link = join(linkDir, 'nexmo-sandbox');
    symlinkSync(entry, link);
    // Executed directly: the shebang and the executable bit matter too.
    const res = await run(link, [], { SANDBOX_PORT: '0', SANDBOX_CONSUMER_KEY: 'bin-key', SANDBOX_CONSUMER_SECRET: 'bin-secret' });
    expect(res.stderr).toBe('');
    expect(res.stdout).toMatch(/^Nexmo sandbox listening on http:\/\/127\.0\.0\.1:\d+$/m);
    expect(res.stdout).toContain('consumer key:     bin-key');
    expect(res.stdout).toContain('SIGTERM received, closing the sandbox');
    expect(res.code).toBe(0);
  });

  it('stops with the variable named when its configuration is invalid', async () => {
    const res = await run(process.execPath, [entry], { SANDBOX_PORT: 'nope' });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('SANDBOX_PORT');
    expect(res.stdout).toBe('');
  });

  it('does nothing when imported', async () => {
    const res = await run(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(entry)}); console.log('imported');`], { SANDBOX_PORT: '0' });
    expect(res.stdout.trim()).toBe('imported');
    expect(res.code).toBe(0);
  });
});
