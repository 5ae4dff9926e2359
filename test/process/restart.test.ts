// A restart of `npm start` loses nothing: the built server as a real process, stopped and
// started again on the same SQLite file, in the default sandbox mode.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { freePort } from '../helpers/ports.js';
import { requireBuild, startServerProcess, type ServerProcess } from '../helpers/serverProcess.js';
import { smsFormTokens } from '../helpers/html.js';
import { decideOnConsentPage, pathOf } from '../helpers/login.js';

let dir: string;
let server: ServerProcess | undefined;
beforeAll(() => {
  requireBuild();
  dir = mkdtempSync(join(tmpdir(), 'restart-'));
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('restarting the server on the same SQLite file', () => {
  it('keeps the connection, the message history and a pending login, and the sandbox demo can still send', async () => {
    const port = await freePort();
    // No SESSION_SECRET: the default set-up must survive a restart too.
    const env = { PORT: String(port), SQLITE_PATH: join(dir, 'app.db') };
    const base = `http://localhost:${port}`;
    server = await startServerProcess(env);
    const browser = supertest.agent(base);

    const login = await browser.get('/auth/login');
    const callback = await decideOnConsentPage(browser, login.headers.location as string, 'Authorize');
    expect((await browser.get(pathOf(callback))).headers.location).toBe('/?notice=connected');
    const form = await browser.get('/sms');
    const sent = await browser.post('/sms').type('form').send({ ...smsFormTokens(form.text), from: 'Demo', to: '447700900000', text: 'Sent before the restart' });
    expect(sent.status).toBe(303);
    const messageUrl = sent.headers.location as string;
    // A second tab starts a login and gets as far as the provider's answer before the restart.
    const pending = await browser.get('/auth/login');
    const pendingCallback = await decideOnConsentPage(browser, pending.headers.location as string, 'Authorize');

    expect(await server.stop()).toBe(0);
    server = await startServerProcess(env);

    const home = await browser.get('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('Disconnect');
    const message = await browser.get(messageUrl);
    expect(message.status).toBe(200);
    expect(message.text).toContain('Sent before the restart');

    const completed = await browser.get(pathOf(pendingCallback));
    expect(completed.status).toBe(302);
    expect(completed.headers.location).toBe('/?notice=connected');

    const again = await browser.get('/sms');
    expect(again.status).toBe(200);
    const resent = await browser.post('/sms').type('form').send({ ...smsFormTokens(again.text), from: 'Demo', to: '447700900000', text: 'Sent after the restart' });
    expect(resent.status).toBe(303);
    const after = await browser.get(resent.headers.location as string);
    expect(after.text).toContain('Sent after the restart');
    expect(after.text).not.toContain('Not sent');
    expect(server.output()).not.toMatch(/MemoryStore/);
  });
});
