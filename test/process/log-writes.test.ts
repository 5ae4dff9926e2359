// In production the JSON lines are gathered into larger writes to stdout: none may be lost or
// held back. The built server as a real process, in sandbox mode with SANDBOX=1.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { freePort } from '../helpers/ports.js';
import { requireBuild, startServerProcess, type ServerProcess } from '../helpers/serverProcess.js';

let dir: string;
let server: ServerProcess | undefined;
beforeAll(() => {
  requireBuild();
  dir = mkdtempSync(join(tmpdir(), 'log-writes-'));
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function production(): Promise<{ server: ServerProcess; base: string }> {
  const port = await freePort();
  const env = {
    NODE_ENV: 'production',
    SANDBOX: '1',
    PORT: String(port),
    PUBLIC_URL: `https://localhost:${port}`,
    SESSION_SECRET: 's'.repeat(40),
    STORE_KEY: 'k'.repeat(32),
    SQLITE_PATH: join(dir, `app-${port}.db`),
  };
  return { server: await startServerProcess(env), base: `http://localhost:${port}` };
}

/** The access lines (JSON) the process wrote for `path`. */
function accessLines(output: string, path: string): Array<Record<string, unknown>> {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.path === path);
}

async function eventually(check: () => boolean): Promise<boolean> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  return check();
}

describe('JSON log lines of a production server', () => {
  it('reaches stdout without waiting for more lines, when the server is otherwise quiet', async () => {
    const started = await production();
    server = started.server;
    const res = await fetch(`${started.base}/readyz`);
    expect(res.status).toBe(200);
    // One short line is far below a gathered write's size: the periodic write brings it out.
    expect(await eventually(() => server!.output().includes('/readyz'))).toBe(true);
    const [line] = accessLines(server.output(), '/readyz');
    expect(line).toMatchObject({ level: 'info', method: 'GET', statusCode: 200 });
    await server.stop();
    server = undefined;
  });

  it('writes every gathered line before the process exits on SIGTERM', async () => {
    const started = await production();
    const running = started.server;
    server = running;
    const answers = await Promise.all(Array.from({ length: 20 }, () => fetch(`${started.base}/healthz`)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    await running.stop();
    server = undefined;
    expect(accessLines(running.output(), '/healthz')).toHaveLength(20);
    expect(running.output()).toContain('SIGTERM received, closing');
  });
});
