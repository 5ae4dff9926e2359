import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { LATEST_VERSION } from '../../src/store/sqlite/migrations.js';

import { requireBuild, serverEntry } from '../helpers/serverProcess.js';

// These run the compiled entry point exactly as `npm start` does (`npm test` builds first).
const entry = serverEntry;

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

const dir = mkdtempSync(join(tmpdir(), 'startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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
    const res = await run({ NODE_ENV: 'production', PUBLIC_URL: 'https://sms.example.com', SESSION_SECRET: 'x'.repeat(40), STORE_KEY: 'k'.repeat(32) });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('SANDBOX=1');
  });

  it('refuses PLAINTEXT over the sandbox’s http before logging anything or opening the store', async () => {
    const res = await run({ PORT: '0', OAUTH_SIGNATURE_METHOD: 'PLAINTEXT', SQLITE_PATH: join(dir, 'plaintext', 'app.db') });
    expect(res.code).toBe(1);
    expect(res.stderr).toBe('Configuration error: OAUTH_SIGNATURE_METHOD: PLAINTEXT sends the consumer secret in clear, so it needs https, but NEXMO_OAUTH_URL is the built-in sandbox (http); use HMAC-SHA1\n');
    expect(res.stdout).toBe('');
    expect(existsSync(join(dir, 'plaintext'))).toBe(false);
  });

  it('starts in sandbox mode with no configuration, says so loudly, and stops cleanly on SIGTERM', async () => {
    const res = await run({ PORT: '0', SQLITE_PATH: join(dir, 'fresh', 'app.db') }, /listening on/);
    expect(res.stdout).toMatch(/SANDBOX MODE/);
    expect(res.stdout).toContain(`storage: SQLite file ${join(dir, 'fresh', 'app.db')}`);
    expect(existsSync(join(dir, 'fresh', 'app.db'))).toBe(true);
    // Only this user may read the history, or the key that opens its tokens.
    expect(statSync(join(dir, 'fresh')).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'fresh', 'app.db')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'fresh', 'app.db.key')).mode & 0o777).toBe(0o600);
    // The embedded store is the default: express-session's in-memory store never runs.
    expect(res.stdout + res.stderr).not.toMatch(/MemoryStore/);
    expect(res.stdout).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(res.stdout).toMatch(/SIGTERM received, closing/);
    expect(res.code).toBe(0);
  });

  it('stops naming SQLITE_PATH when the file cannot be created', async () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'not a folder');
    const res = await run({ PORT: '0', SQLITE_PATH: join(blocker, 'app.db') });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^Configuration error: SQLITE_PATH: cannot create or open /m);
  });

  it('stops with a plain message when the SQLite file was written by a newer version, and leaves it as it was', async () => {
    const file = join(dir, 'newer', 'app.db');
    mkdirSync(join(dir, 'newer'), { mode: 0o700 });
    const db = new Database(file);
    db.exec('CREATE TABLE from_the_future (x)');
    db.pragma('user_version = 99');
    db.close();
    const before = readFileSync(file);
    const res = await run({ PORT: '0', SQLITE_PATH: file });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`Could not start: ${file} was written by a newer version of this app (schema 99; this app knows up to ${LATEST_VERSION}). Upgrade the app, or point SQLITE_PATH at another file.`);
    expect(res.stdout).not.toMatch(/listening on/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('stops naming REDIS_URL when it is malformed, without printing its password', async () => {
    const res = await run({ PORT: '0', REDIS_URL: 'http://user:hunter2-password@localhost:6379' });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('Configuration error: REDIS_URL: must start with redis:// or rediss://');
    expect(res.stdout + res.stderr).not.toContain('hunter2-password');
  });

  it('prints every address it can be reached at when PUBLIC_URL is not set', async () => {
    const res = await run({ PORT: '0', SQLITE_PATH: join(dir, 'urls', 'app.db') }, /Network: /);
    expect(res.stdout).toMatch(/ {2}Local: {3}http:\/\/localhost:\d+\//);
    expect(res.stdout).toMatch(/ {2}Network: /);
  });

  it('with PUBLIC_URL on localhost, still prints every address, and warns what to set for a room when it has network addresses', async () => {
    const res = await run({ PORT: '0', PUBLIC_URL: 'http://localhost:3999', SQLITE_PATH: join(dir, 'loopback-url', 'app.db') }, /Network: /);
    expect(res.stdout).toMatch(/ {2}Local: {3}http:\/\/localhost:\d+\//);
    const network = /Network: (http:\/\/\S+?)\//.exec(res.stdout)?.[1];
    expect(network).toBeDefined();
    if (network!.startsWith('http://none')) return;
    // The warning names a Network address at PUBLIC_URL's port as the value to set.
    expect(res.stdout).toContain('PUBLIC_URL is http://localhost:3999, a name only this machine can open.');
    expect(res.stdout).toMatch(/For a room, leave PUBLIC_URL unset, or set it to a Network address, e\.g\. PUBLIC_URL=http:\/\/\S+:3999/);
  });

  it('says which port is taken and how to choose another', async () => {
    const blocker = createServer();
    await new Promise<void>((resolveListen) => blocker.listen(0, resolveListen));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const res = await run({ PORT: String(port), SQLITE_PATH: join(dir, 'busy', 'app.db') });
      expect(res.code).toBe(1);
      expect(res.stderr).toContain(`port ${port} is already in use`);
      expect(res.stderr).toContain(`PORT=${port + 1} npm start`);
    } finally {
      blocker.close();
    }
  });

  it('logs JSON lines in production, with level, time and message, and no secret', async () => {
    const env = { NODE_ENV: 'production', PUBLIC_URL: 'https://sms.example.com', SESSION_SECRET: 's'.repeat(40), STORE_KEY: 'k'.repeat(32), SANDBOX: '1', PORT: '0', SQLITE_PATH: join(dir, 'production', 'app.db') };
    const res = await run(env, /listening on/);
    expect(res.code).toBe(0);
    const lines = res.stdout.trim().split('\n');
    const entries = lines.map((line) => JSON.parse(line) as { level: unknown; time: unknown; msg: unknown });
    for (const entry of entries) {
      expect(entry.level).toMatch(/^(trace|debug|info|warn|error|fatal)$/);
      expect(new Date(entry.time as string).toISOString()).toBe(entry.time);
      expect(entry.msg).toEqual(expect.any(String));
    }
    const messages = entries.map((e) => e.msg as string);
    expect(messages.some((m) => m.startsWith('SANDBOX MODE'))).toBe(true);
    expect(messages).toContain(`storage: SQLite file ${join(dir, 'production', 'app.db')}`);
    expect(messages.some((m) => m.startsWith('listening on https://sms.example.com'))).toBe(true);
    expect(messages).toContain('SIGTERM received, closing');
    expect(res.stdout).not.toContain('s'.repeat(40));
    expect(res.stdout).not.toContain('k'.repeat(32));
  });

  it('logs readable text in development, and LOG_LEVEL=warn keeps only warnings and worse', async () => {
    const res = await run({ PORT: '0', SQLITE_PATH: join(dir, 'development', 'app.db') }, /listening on/);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: listening on http:\/\/127\.0\.0\.1:\d+/m);
    expect(res.stdout).toMatch(/^\[[\d:.]+\] WARN: SANDBOX MODE/m);
    expect(res.stdout).not.toMatch(/^\{/m);

    const quiet = await run({ PORT: '0', SQLITE_PATH: join(dir, 'development', 'app.db'), LOG_LEVEL: 'warn' }, /SANDBOX MODE/);
    expect(quiet.stdout).toMatch(/WARN: SANDBOX MODE/);
    expect(quiet.stdout).not.toMatch(/INFO:/);
  });

  it('stops naming LOG_LEVEL when it is not a level', async () => {
    const res = await run({ PORT: '0', LOG_LEVEL: 'loud' });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('Configuration error: LOG_LEVEL: must be one of');
  });
});
