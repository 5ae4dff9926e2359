// The start page and the app's 404, in sandbox mode: what a visitor who is not connected sees.
import { describe, expect, it } from 'vitest';

import { shouldNotSetCookie } from '../helpers/assertions.js';
import { linksIn } from '../helpers/html.js';
import { useRouteApp } from '../helpers/routeApp.js';

const createRouteApp = useRouteApp();

describe('the home page', () => {
  it('explains the app and offers Connect with Nexmo to a disconnected visitor, without creating a session', async () => {
    const route = createRouteApp({}, { sandbox: {} });
    const res = await route.browser().get('/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Connect with Nexmo');
    expect(linksIn(res.text).map((link) => link.href)).toContain('/auth/login');
    expect(res.text).toContain('Sandbox mode');
    shouldNotSetCookie(res);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(route.consumer.tokenCalls).toEqual([]);
  });

  it('answers unknown addresses with a 404 page', async () => {
    const route = createRouteApp({}, { sandbox: {} });
    const res = await route.browser().get('/nowhere');
    expect(res.status).toBe(404);
    expect(res.text).toContain('Page not found');
  });
});
