import { afterEach, describe, expect, it } from 'vitest';

import { connect, startTestApp, type TestApp } from '../helpers/testApp.js';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('errors in the client’s format', () => {
  it('answers a script asking for JSON with a JSON error, and a browser with a page', async () => {
    app = await startTestApp();
    const browser = await connect(app);
    const missing = '/messages/AAAAAAAAAAAAAAAAAAAAAA/status.json';

    const json = await browser.get(missing).set('Accept', 'application/json');
    expect(json.status).toBe(404);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(json.body).toEqual({ error: { status: 404, title: 'Message not found', message: 'There is no sent message at this address for your connection.', requestId: json.headers['x-request-id'] } });

    const page = await browser.get(missing).set('Accept', 'text/html,application/xhtml+xml,*/*;q=0.8');
    expect(page.status).toBe(404);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('<h1>Message not found</h1>');
  });

  it('gives a page to a client that accepts neither', async () => {
    app = await startTestApp();
    const res = await app.browser().get('/nowhere').set('Accept', 'image/png');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('Page not found');
  });
});
