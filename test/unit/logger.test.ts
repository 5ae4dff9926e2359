import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';

import { createLogger, lineLogger, withRequestLog } from '../../src/logging/logger.js';

function capture(format: 'json' | 'pretty' = 'json', level: 'info' | 'debug' = 'info') {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const log = createLogger({ level, format, destination });
  return { log, lines };
}

describe('the logger', () => {
  it('writes JSON lines with a level name, an ISO time and the message', () => {
    const { log, lines } = capture();
    log.info({ component: 'store' }, 'opened');
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!);
    expect(entry).toMatchObject({ level: 'info', msg: 'opened', component: 'store' });
    expect(new Date(entry.time).toISOString()).toBe(entry.time);
    // No host name or pid on every line.
    expect(entry).not.toHaveProperty('hostname');
  });

  it('honours the level', () => {
    const { log, lines } = capture('json', 'info');
    log.debug('hidden');
    log.warn('shown');
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['shown']);
  });

  it('redacts secret fields wherever they are, headers included', () => {
    const { log, lines } = capture();
    const secret = 'the-secret-value';
    log.info(
      {
        consumerSecret: secret,
        connection: { token: secret, secret, tokenSecret: secret },
        login: { requestToken: secret, oauth_token: secret, oauth_token_secret: secret, verifier: secret, oauth_verifier: secret },
        form: { _csrf: secret, csrfToken: secret },
        receiptKey: secret,
        receipt: { signatureSecret: secret, NEXMO_SIGNATURE_SECRET: secret, sig: secret },
        req: { headers: { authorization: `OAuth oauth_signature="${secret}"`, cookie: `nexmo.sid=${secret}` } },
        res: { headers: { 'set-cookie': [`nexmo.sid=${secret}`] } },
        deep: { a: { b: { oauth_signature: secret } } },
      },
      'fields only',
    );
    expect(lines[0]).not.toContain(secret);
    const entry = JSON.parse(lines[0]!);
    expect(entry.connection).toEqual({ token: '[hidden]', secret: '[hidden]', tokenSecret: '[hidden]' });
    expect(entry.req.headers).toEqual({ authorization: '[hidden]', cookie: '[hidden]' });
    expect(entry.res.headers['set-cookie']).toBe('[hidden]');
    expect(entry.receipt).toEqual({ signatureSecret: '[hidden]', NEXMO_SIGNATURE_SECRET: '[hidden]', sig: '[hidden]' });
    expect(entry.msg).toBe('fields only');
  });

  it('redacts at any depth, in arrays, in any letter case, and in a child logger\'s bindings', () => {
    const { log, lines } = capture();
    const secret = 'the-secret-value';
    log.child({ requestId: 'r-9', token: secret }).info(
      {
        headers: { Authorization: `OAuth oauth_token="${secret}"`, 'Set-Cookie': [`nexmo.sid=${secret}`] },
        calls: [{ exchange: { request: { oauth_token: secret, method: 'POST' } } }],
        a: { b: { c: { d: { e: { accessToken: secret, kept: 'visible' } } } } },
      },
      'deep',
    );
    expect(lines[0]).not.toContain(secret);
    const entry = JSON.parse(lines[0]!);
    expect(entry).toMatchObject({ requestId: 'r-9', token: '[hidden]', msg: 'deep' });
    expect(entry.headers).toEqual({ Authorization: '[hidden]', 'Set-Cookie': '[hidden]' });
    expect(entry.calls).toEqual([{ exchange: { request: { oauth_token: '[hidden]', method: 'POST' } } }]);
    expect(entry.a.b.c.d.e).toEqual({ accessToken: '[hidden]', kept: 'visible' });
  });

  it('leaves the objects it was given unchanged', () => {
    const { log } = capture();
    const fields = { connection: { token: 'the-secret-value' }, list: [{ secret: 'the-secret-value' }] };
    log.info(fields, 'logged');
    expect(fields).toEqual({ connection: { token: 'the-secret-value' }, list: [{ secret: 'the-secret-value' }] });
  });

  it('writes readable single lines in development', () => {
    const { log, lines } = capture('pretty');
    log.warn({ requestId: 'r-1', token: 'the-secret-value' }, 'SANDBOX MODE');
    const text = lines.join('');
    expect(text).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] WARN: SANDBOX MODE \{"requestId":"r-1","token":"\[hidden\]"\}\n$/);
  });

  it('adapts to a plain line callback, naming the request a line was logged for', async () => {
    const { log, lines } = capture();
    const line = lineLogger(log, { component: 'sandbox' });
    line('outside any request');
    await new Promise<void>((resolve) =>
      withRequestLog(log.child({ requestId: 'r-2' }), () => {
        void Promise.resolve().then(() => {
          line('inside a request');
          resolve();
        });
      }),
    );
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({ component: 'sandbox', msg: 'outside any request' }),
      expect.objectContaining({ component: 'sandbox', requestId: 'r-2', msg: 'inside a request' }),
    ]);
    expect(JSON.parse(lines[0]!)).not.toHaveProperty('requestId');
  });
});
