// Errors in the client's format: JSON for a script that asks for it, a page for everyone else.
import { describe, expect, it } from 'vitest';

import { elementOf, textOf } from '../helpers/html.js';
import { connect } from '../helpers/login.js';
import { useRouteApp } from '../helpers/routeApp.js';

const createRouteApp = useRouteApp();

describe('errors in the client’s format', () => {
  it('answers a script asking for JSON with a JSON error, and a browser with a page', async () => {
    const route = createRouteApp();
    const browser = await connect(route);
    const missing = '/messages/AAAAAAAAAAAAAAAAAAAAAA/status.json';

    const json = await browser.get(missing).set('Accept', 'application/json');
    expect(json.status).toBe(404);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(json.body).toEqual({ error: { status: 404, title: 'Message not found', message: 'There is no sent message at this address for your connection.', requestId: json.headers['x-request-id'] } });

    const page = await browser.get(missing).set('Accept', 'text/html,application/xhtml+xml,*/*;q=0.8');
    expect(page.status).toBe(404);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(textOf(elementOf(page.text, 'h1'))).toBe('Message not found');
    expect(route.nexmo.calls).toEqual([]);
  });

  it('gives a page to a client that accepts neither', async () => {
    const route = createRouteApp();
    const res = await route.browser().get('/nowhere').set('Accept', 'image/png');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('Page not found');
  });
});
