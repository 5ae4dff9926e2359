// State-changing requests from another site are refused even with a valid synchronizer token:
// the same-origin check before the session, over the app in sandbox mode with the fake
// provider, which shows that a refused post asks the provider for nothing.
import { describe, expect, it } from 'vitest';

import { RECEIPT_PATH } from '../../src/routes/paths.js';
import { csrfFrom, smsFormTokens } from '../helpers/html.js';
import { connect } from '../helpers/login.js';
import { useRouteApp } from '../helpers/routeApp.js';

const createRouteApp = useRouteApp();

const SMS = { from: 'Demo', to: '447700900000', text: 'Cross-site?' };
/** The address every request names, so the app's own origin is known to the spec. */
const HOST = '127.0.0.1:3000';

async function connected() {
  const route = createRouteApp({}, { sandbox: {} });
  const browser = (await connect(route)).set('Host', HOST);
  return { route, browser };
}

describe('requests that change state', () => {
  it.each([
    ['an Origin of another site', { Origin: 'https://evil.example' }],
    ['an Origin of another site, claiming same-origin', { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'same-origin' }],
    ['Origin: null from a browser without Sec-Fetch-Site', { Origin: 'null' }],
    ['Origin: null from a cross-site frame', { Origin: 'null', 'Sec-Fetch-Site': 'cross-site' }],
    ['Sec-Fetch-Site: cross-site', { 'Sec-Fetch-Site': 'cross-site' }],
    ['Sec-Fetch-Site: same-site (a sibling subdomain)', { 'Sec-Fetch-Site': 'same-site' }],
  ])('refuses POST /sms with a valid token but %s, and sends nothing', async (_name, headers) => {
    const { route, browser } = await connected();
    const form = await browser.get('/sms');
    const res = await browser.post('/sms').set(headers).type('form').send({ ...smsFormTokens(form.text), ...SMS });
    expect(res.status).toBe(403);
    expect(res.text).toContain('This request came from another site');
    expect(route.nexmo.sends()).toEqual([]);
  });

  it('refuses a cross-origin logout and stays connected', async () => {
    const { browser } = await connected();
    const home = await browser.get('/');
    const res = await browser.post('/auth/logout').set('Origin', 'https://evil.example').type('form').send({ _csrf: csrfFrom(home.text) });
    expect(res.status).toBe(403);
    expect((await browser.get('/')).text).toContain('Disconnect');
  });

  it('accepts a form posted from the app’s own page, which says Origin: null under its no-referrer policy', async () => {
    const { route, browser } = await connected();
    const form = await browser.get('/sms');
    expect(form.headers['referrer-policy']).toBe('no-referrer');
    const res = await browser.post('/sms').set({ Origin: 'null', 'Sec-Fetch-Site': 'same-origin' }).type('form').send({ ...smsFormTokens(form.text), ...SMS });
    expect(res.status).toBe(303);
    expect(route.nexmo.sends()).toHaveLength(1);
  });

  it('accepts the same request from the app’s own origin', async () => {
    const { route, browser } = await connected();
    const form = await browser.get('/sms');
    const res = await browser.post('/sms').set({ Origin: `http://${HOST}`, 'Sec-Fetch-Site': 'same-origin' }).type('form').send({ ...smsFormTokens(form.text), ...SMS });
    expect(res.status).toBe(303);
    expect(route.nexmo.sends()).toHaveLength(1);
  });

  it('leaves the receipt webhook open to the provider’s servers', async () => {
    const route = createRouteApp({ RECEIPT_KEY: 'cross-site-receipt-key-0123456789' }, { sandbox: {} });
    const res = await route.browser().post(`${RECEIPT_PATH}/cross-site-receipt-key-0123456789`).set('Origin', 'https://rest.nexmo.com').send({ messageId: 'ABC123', status: 'delivered' });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    // Taken, not refused: the receipt is kept for a send that may not be stored yet.
    expect(route.logs).toContain('delivery receipt: delivered err-code=0 (send not stored yet: kept)');
    expect(route.logs.some((line) => line.startsWith('delivery receipt refused'))).toBe(false);
  });
});
