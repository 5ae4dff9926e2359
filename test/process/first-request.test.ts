// The built server as `npm start` runs it, asked the moment its port accepts a connection: the
// way a proxy's health check or a teammate's reload meets every restart. That first request is
// answered (ready, or "starting" with Retry-After), on every start.
import { connect, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { freePort } from '../helpers/ports.js';
import { requireBuild, startServerProcess } from '../helpers/serverProcess.js';

const dir = mkdtempSync(join(tmpdir(), 'first-request-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Connects as soon as the port accepts (trying again while it refuses), within `withinMs`. */
async function connectWhenOpen(port: number, withinMs: number): Promise<Socket> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    try {
      return await new Promise<Socket>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1');
        socket.once('connect', () => resolve(socket));
        socket.once('error', reject);
      });
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

/** Sends one raw request on `socket` and reads the whole answer (the server closes after it). */
function ask(socket: Socket, path: string): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    let raw = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (raw += chunk));
    socket.once('error', reject);
    socket.once('end', () => {
      const [head = '', body = ''] = raw.split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), headers: head, body });
    });
    socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
  });
}

describe('the first request after a start', () => {
  beforeAll(requireBuild);

  it.each([1, 2, 3])('is answered, ready or starting, on start %i', async (n) => {
    const port = await freePort();
    const starting = startServerProcess({ PORT: String(port), SQLITE_PATH: join(dir, `app-${n}.db`) });
    const socket = await connectWhenOpen(port, 20_000);
    const first = await ask(socket, '/readyz');
    const server = await starting;
    try {
      if (first.status === 503) {
        expect(first.headers).toMatch(/\r\nRetry-After: 1\r\n/i);
        expect(JSON.parse(first.body)).toEqual({ status: 'starting' });
      } else {
        expect(first.status).toBe(200);
        expect(JSON.parse(first.body)).toEqual({ status: 'ready' });
      }
      // Once it says it is listening, it is ready.
      const later = await ask(await connectWhenOpen(port, 5_000), '/readyz');
      expect(later.status).toBe(200);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});
