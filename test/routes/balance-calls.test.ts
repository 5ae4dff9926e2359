// The balance on the SMS form costs a signed call on the user's Nexmo account that no send limit
// counts, so the form makes at most one a minute per account, whoever asks, and a refused or
// invalid form makes none. The app with the fake provider, which counts the calls; one call
// between two instances on one store: test/http/balance-calls.
import { describe, expect, it } from 'vitest';

import { sentInParts } from '../helpers/fakeNexmo.js';
import { smsFormTokens } from '../helpers/html.js';
import { connect } from '../helpers/login.js';
import { useRouteApp, type RouteApp } from '../helpers/routeApp.js';
import { NO_LIMITS } from '../helpers/testApp.js';

const createRouteApp = useRouteApp();

/** A clock that stands still until the test moves it. */
function testClock() {
  let at = Date.parse('2026-11-23T12:00:00Z');
  return { now: () => at, advance: (ms: number) => (at += ms) };
}

async function sandboxApp(clock = testClock()) {
  const route = createRouteApp(NO_LIMITS, { now: clock.now, sandbox: {} });
  return { route, clock, browser: await connect(route) };
}

function expectBalanceCalls(route: RouteApp, times: number): void {
  expect(route.nexmo.balanceCalls(), 'balance calls that reached the provider').toBe(times);
}

const balanceLine = (html: string) => /<p class="balance" id="balance">([\s\S]*?)<\/p>/.exec(html)?.[1]?.replace(/\s+/g, ' ').trim();

describe('the balance on the SMS form', () => {
  it('ten loads within a minute make one balance call, each showing the balance; a minute later one more', async () => {
    const { route, clock, browser } = await sandboxApp();
    for (let i = 0; i < 10; i++) {
      const form = await browser.get('/sms');
      expect(form.status).toBe(200);
      expect(balanceLine(form.text)).toBe('Balance: <strong>€10.00</strong>');
      clock.advance(5_000);
    }
    expectBalanceCalls(route, 1);

    clock.advance(15_000); // 65 s after the call
    const later = await browser.get('/sms');
    expect(balanceLine(later.text)).toBe('Balance: <strong>€10.00</strong>');
    expectBalanceCalls(route, 2);
    await browser.get('/sms');
    expectBalanceCalls(route, 2);
  });

  it('invalid posts re-render the form with the known balance and call the provider for nothing', async () => {
    const { route, clock, browser } = await sandboxApp();
    const tokens = smsFormTokens((await browser.get('/sms')).text);
    expectBalanceCalls(route, 1);
    for (let i = 0; i < 20; i++) {
      // Minutes apart: even a stale figure is shown rather than fetched again.
      clock.advance(120_000);
      const res = await browser.post('/sms').type('form').send({ ...tokens, from: 'Demo', to: 'not a number', text: `attempt ${i}` });
      expect(res.status).toBe(400);
      expect(res.text).toContain(`attempt ${i}`);
      expect(balanceLine(res.text)).toBe('Balance: <strong>€10.00</strong>');
    }
    expectBalanceCalls(route, 1);
    expect(route.nexmo.sends()).toEqual([]);
  });

  it('after a send shows the balance the send reported (the lowest of its parts), with no balance call', async () => {
    const { route, clock, browser } = await sandboxApp();
    const tokens = smsFormTokens((await browser.get('/sms')).text);
    expectBalanceCalls(route, 1);
    clock.advance(120_000); // the fetched figure is now stale; the send's is newer
    // Two parts at €0.0333, from €10: the provider reports €9.9667, then €9.9334.
    route.nexmo.answerSend(sentInParts(['0A00000000000001', '0A00000000000002']));
    const sent = await browser.post('/sms').type('form').send({ ...tokens, from: 'Demo', to: '447700900000', text: 'x'.repeat(200) });
    expect(sent.status).toBe(303);
    expect(route.nexmo.sends()).toHaveLength(1);

    const form = await browser.get('/sms');
    // Two parts at €0.0333: €10 − €0.0666 = €9.9334, shown to the cent.
    expect(balanceLine(form.text)).toBe('Balance: <strong>€9.93</strong>');
    expectBalanceCalls(route, 1);
  });

  it('concurrent loads with nothing known make one call, and every page shows its answer', async () => {
    // The login ends on the home page, which asks for no balance: nothing is known yet.
    const { route, browser } = await sandboxApp();
    const pages = await Promise.all(Array.from({ length: 10 }, () => browser.get('/sms')));
    for (const page of pages) {
      expect(page.status).toBe(200);
      expect(balanceLine(page.text)).toBe('Balance: <strong>€10.00</strong>');
    }
    expectBalanceCalls(route, 1);
  });

  it('an invalid post with no balance known shows none and calls nothing (live provider)', async () => {
    const route = createRouteApp(NO_LIMITS, { now: testClock().now });
    route.nexmo.answerBalance({ kind: 'unavailable' });
    const browser = await connect(route);
    const form = await browser.get('/sms');
    expect(balanceLine(form.text)).toContain('Balance unavailable right now');
    expectBalanceCalls(route, 1);

    const res = await browser.post('/sms').type('form').send({ ...smsFormTokens(form.text), from: 'Demo', to: '447911123456', text: '' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('name="text"');
    expect(res.text).not.toContain('id="balance"');
    expectBalanceCalls(route, 1);
    expect(route.nexmo.sends()).toEqual([]);
  });
});
