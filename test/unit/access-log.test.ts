// The access log: one JSON line per request, the same whether or not the request logged lines of
// its own (its child logger is made only then), with the id the response carries.
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';

import express from 'express';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';

import { accessLog, REQUEST_ID_HEADER } from '../../src/http/accessLog.js';
import { createLogger } from '../../src/logging/logger.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function appWithLog() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const app = express();
  app.use(accessLog(createLogger({ level: 'info', format: 'json', destination })));
  app.get('/quiet', (_req, res) => res.send('quiet'));
  app.get('/talks', (req, res) => {
    req.log.info({ messageId: 'm1', token: 'a-token-value' }, 'sms m1: ok');
    res.redirect(303, '/messages/m1');
  });
  app.get('/fails', (_req, res) => res.status(503).send('down'));
  return { app, lines, entries: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('the access log', () => {
  it('writes one line for a request that logged nothing else, naming the id sent back in X-Request-Id', async () => {
    const { app, lines, entries } = appWithLog();
    const res = await supertest(app).get('/quiet?oauth_token=from-the-query').set(REQUEST_ID_HEADER, 'chosen-by-the-client');
    expect(res.status).toBe(200);
    expect(res.text).toBe('quiet');
    const id = res.headers['x-request-id'] as string;
    expect(id).toMatch(UUID);
    expect(lines).toHaveLength(1);
    const [entry] = entries();
    expect(Object.keys(entry!)).toEqual(['level', 'time', 'requestId', 'method', 'path', 'statusCode', 'responseTime', 'msg']);
    expect(entry).toMatchObject({ level: 'info', requestId: id, method: 'GET', path: '/quiet', statusCode: 200, msg: 'GET /quiet 200' });
    expect(typeof entry!.responseTime).toBe('number');
    expect(lines.join('')).not.toMatch(/from-the-query|chosen-by-the-client/);
  });

  it('gives the lines a request logs and its access line the same id, fields in the same order, secrets redacted', async () => {
    const { app, entries } = appWithLog();
    const res = await supertest(app).get('/talks');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/messages/m1');
    const id = res.headers['x-request-id'] as string;
    const [own, access] = entries();
    expect(own).toMatchObject({ level: 'info', requestId: id, messageId: 'm1', token: '[hidden]', msg: 'sms m1: ok' });
    expect(Object.keys(access!)).toEqual(['level', 'time', 'requestId', 'method', 'path', 'statusCode', 'responseTime', 'msg']);
    expect(access).toMatchObject({ requestId: id, statusCode: 303, msg: 'GET /talks 303' });
    expect(entries()).toHaveLength(2);
  });

  it('logs a server error at level error, and gives concurrent requests ids of their own', async () => {
    const { app, entries } = appWithLog();
    const answers = await Promise.all([supertest(app).get('/fails'), supertest(app).get('/quiet'), supertest(app).get('/fails')]);
    expect(answers.map((a) => a.status)).toEqual([503, 200, 503]);
    const ids = answers.map((a) => a.headers['x-request-id'] as string);
    expect(new Set(ids).size).toBe(3);
    const byId = new Map(entries().map((e) => [e.requestId, e]));
    expect(byId.size).toBe(3);
    expect(byId.get(ids[0])).toMatchObject({ level: 'error', statusCode: 503, msg: 'GET /fails 503' });
    expect(byId.get(ids[1])).toMatchObject({ level: 'info', statusCode: 200 });
  });

  it('writes one line, marked aborted, when the client leaves before the answer', async () => {
    const { app, lines, entries } = appWithLog();
    let arrived!: () => void;
    const reached = new Promise<void>((resolve) => (arrived = resolve));
    app.get('/hangs', () => arrived());
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const req = httpRequest({ host: '127.0.0.1', port, path: '/hangs' });
      req.on('error', () => {});
      req.end();
      await reached;
      req.destroy();
      await new Promise<void>((resolve) => {
        const check = () => (lines.length > 0 ? resolve() : setTimeout(check, 5));
        check();
      });
      expect(entries()).toEqual([expect.objectContaining({ method: 'GET', path: '/hangs', statusCode: 200, msg: 'GET /hangs 200 (aborted)' })]);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
