// The public folder's files are listed once; only those paths reach express.static, so pages,
// forms and callbacks go on without a file-system look-up.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import express from 'express';
import supertest from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';

import { publicPaths, staticFiles } from '../../src/http/staticFiles.js';

const dir = mkdtempSync(join(tmpdir(), 'static-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, 'css', 'print'), { recursive: true });
writeFileSync(join(dir, 'favicon.svg'), '<svg/>');
writeFileSync(join(dir, 'css', 'app.css'), 'body{}');
writeFileSync(join(dir, 'css', 'print', 'page.css'), '@page{}');

function appOver(folder: string) {
  const reached: string[] = [];
  const app = express();
  app.use(staticFiles(folder, { maxAge: '1h' }));
  app.use((req, res) => {
    reached.push(`${req.method} ${req.path}`);
    res.status(404).send('not a file');
  });
  return { app, reached };
}

describe('the public folder', () => {
  it('lists every file, nested ones too, as the paths they are served at', () => {
    expect(publicPaths(dir).sort()).toEqual(['/css/app.css', '/css/print/page.css', '/favicon.svg']);
  });

  it('serves a listed file to GET and HEAD with its type and cache lifetime, and nothing after it runs', async () => {
    const { app, reached } = appOver(dir);
    const css = await supertest(app).get('/css/print/page.css');
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    expect(css.headers['cache-control']).toBe('public, max-age=3600');
    expect(css.text).toBe('@page{}');
    const head = await supertest(app).head('/favicon.svg');
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(reached).toEqual([]);
  });

  it('passes any other path and method on to the app', async () => {
    const { app, reached } = appOver(dir);
    const page = await supertest(app).get('/sms');
    expect(page.status).toBe(404);
    expect(page.text).toBe('not a file');
    const posted = await supertest(app).post('/css/app.css').send('x');
    expect(posted.status).toBe(404);
    const folder = await supertest(app).get('/css');
    expect(folder.status).toBe(404);
    expect(reached).toEqual(['GET /sms', 'POST /css/app.css', 'GET /css']);
  });

  it('reads the folder once: a file added while the app runs is not looked for', async () => {
    const later = mkdtempSync(join(dir, 'later-'));
    const { app, reached } = appOver(later);
    writeFileSync(join(later, 'new.css'), 'a{}');
    const res = await supertest(app).get('/new.css');
    expect(res.status).toBe(404);
    expect(reached).toEqual(['GET /new.css']);
  });
});
