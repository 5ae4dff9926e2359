// The login routes over createApp(deps) with a fake consumer: the two token calls the login
// makes, and the exchanges those calls return landing in the connection's timeline.

import { describe, expect, it } from 'vitest';

import { elementOf, linksIn, pageOf, textOf } from '../helpers/html.js';
import { connect, pathOf } from '../helpers/login.js';
import { useRouteApp, type RouteApp } from '../helpers/routeApp.js';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const createRouteApp = useRouteApp();

describe('a completed login', () => {
  it('makes one request-token and one access-token call, and keeps both returned exchanges in the timeline', async () => {
    const route = createRouteApp({}, { now: () => NOW });
    const browser = await connect(route);
    expect(route.consumer.tokenCalls.map((call) => call.kind)).toEqual(['request_token', 'access_token']);
    expect(route.nexmo.calls).toEqual([]);

    const page = await browser.get('/how-it-works');
    expect(page.status).toBe(200);
    // One call each, and each shows the URL it was sent to.
    const calls = pageOf(page.text).querySelectorAll('section.call').map((call) => call.id);
    expect(calls).toEqual(['call-request-token', 'call-authorize', 'call-callback', 'call-access-token']);
    expect(textOf(elementOf(page.text, '#call-request-token'))).toContain('https://rest.nexmo.test/oauth/request_token');
    expect(textOf(elementOf(page.text, '#call-access-token'))).toContain('https://rest.nexmo.test/oauth/access_token');
    // Nothing the fake handed out travels to the page unmasked.
    expect(page.text).not.toContain('access-secret-1');
    expect(page.text).not.toContain('rt-secret-1');
  });

  it('shows no timeline to a browser that never connected, and made no token call for it', async () => {
    const route = createRouteApp({}, { now: () => NOW });
    const page = await route.browser().get('/how-it-works');
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('https://rest.nexmo.test/oauth/request_token');
    expect(route.consumer.tokenCalls).toEqual([]);
  });
});

describe('where a login returns to', () => {
  /** Starts a login from `/auth/login?return=…` and completes it as the provider would. */
  async function loginReturningTo(r: RouteApp, browser: ReturnType<RouteApp['browser']>, returnTo?: string): Promise<string> {
    const login = await browser.get('/auth/login').query(returnTo === undefined ? {} : { return: returnTo });
    expect(login.status).toBe(302);
    const done = await browser.get(pathOf(await r.approve(browser, login.headers.location as string)));
    expect(done.status).toBe(302);
    return done.headers.location as string;
  }

  it('goes back to the page that started it, with the notice added to its own query', async () => {
    const route = createRouteApp({}, { now: () => NOW });
    expect(await loginReturningTo(route, route.browser(), '/sms?to=447400123456')).toBe('/sms?to=447400123456&notice=connected');
    expect(await loginReturningTo(route, route.browser(), '/messages')).toBe('/messages?notice=connected');
  });

  it('never leaves the app: another origin, a scheme-relative or backslashed path, or the login itself go home', async () => {
    const route = createRouteApp({}, { now: () => NOW });
    for (const returnTo of ['https://evil.example/', '//evil.example/sms', '/\\evil.example', 'javascript:alert(1)', '/auth/logout', '/auth/login?return=/sms', `/${'x'.repeat(600)}`]) {
      expect(await loginReturningTo(route, route.browser(), returnTo), returnTo).toBe('/?notice=connected');
    }
  });

  it('keeps each tab’s page with its own pending login, so two tabs each return where they started', async () => {
    const route = createRouteApp({}, { now: () => NOW });
    const browser = route.browser();
    const fromForm = await browser.get('/auth/login').query({ return: '/sms' });
    const fromHistory = await browser.get('/auth/login').query({ return: '/messages' });
    const callbackOf = async (res: { headers: Record<string, unknown> }) => pathOf(await route.approve(browser, res.headers.location as string));
    const second = await browser.get(await callbackOf(fromHistory));
    expect(second.headers.location).toBe('/messages?notice=connected');
    const first = await browser.get(await callbackOf(fromForm));
    expect(first.headers.location).toBe('/sms?notice=connected');
  });

  it('is offered by the start page a disconnected visitor is sent to, for a page and for a posted form', async () => {
    const route = createRouteApp({}, { now: () => NOW });
    const browser = route.browser();
    const asked = await browser.get('/messages?page=2');
    expect(asked.headers.location).toBe('/?notice=connect-first&return=%2Fmessages%3Fpage%3D2');
    const home = await browser.get(asked.headers.location as string);
    expect(linksIn(home.text, 'main a.button')).toContainEqual({ href: '/auth/login?return=%2Fmessages%3Fpage%3D2', text: 'Connect with Nexmo' });
    expect(textOf(elementOf(home.text, '.notice'))).toBe('Connect with Nexmo first to send SMS.');
    const posted = await browser.post('/sms').type('form').send({ text: 'hi' });
    expect(posted.headers.location).toBe('/?notice=connect-first&return=%2Fsms');
    // A hostile return is dropped from the link.
    const hostile = await browser.get('/?notice=connect-first&return=//evil.example');
    expect(linksIn(hostile.text, 'main a.button')).toContainEqual({ href: '/auth/login', text: 'Connect with Nexmo' });
    expect(route.consumer.tokenCalls).toEqual([]);
  });
});
