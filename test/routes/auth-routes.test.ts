// The login routes over createApp(deps) with a fake consumer: the two token calls the login
// makes, and the exchanges those calls return landing in the connection's timeline.

import { afterEach, describe, expect, it } from 'vitest';

import { createRouteApp, type RouteApp } from '../helpers/routeApp.js';

const NOW = Date.parse('2026-11-23T12:00:00Z');
let route: RouteApp | undefined;
afterEach(async () => {
  await route?.close();
  route = undefined;
});

describe('a completed login', () => {
  it('makes one request-token and one access-token call, and keeps both returned exchanges in the timeline', async () => {
    route = createRouteApp({}, { now: () => NOW });
    const browser = await route.connect();
    expect(route.consumer.tokenCalls.map((call) => call.kind)).toEqual(['request_token', 'access_token']);
    expect(route.nexmo.calls).toEqual([]);

    const page = await browser.get('/how-it-works');
    expect(page.status).toBe(200);
    expect(page.text.split('https://rest.nexmo.test/oauth/request_token')).toHaveLength(2);
    expect(page.text.split('https://rest.nexmo.test/oauth/access_token')).toHaveLength(2);
    // Nothing the fake handed out travels to the page unmasked.
    expect(page.text).not.toContain('access-secret-1');
    expect(page.text).not.toContain('rt-secret-1');
  });

  it('shows no timeline to a browser that never connected, and made no token call for it', async () => {
    route = createRouteApp({}, { now: () => NOW });
    const page = await route.browser().get('/how-it-works');
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('https://rest.nexmo.test/oauth/request_token');
    expect(route.consumer.tokenCalls).toEqual([]);
  });
});
