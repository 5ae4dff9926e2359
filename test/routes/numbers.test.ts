// Phone numbers as the SMS form reads them, in sandbox mode (its test numbers sendable) and
// live (every number someone's phone): sent as E.164, shown with their country, refused with
// the ways to write them. The app with the fake provider, which shows what was sent.
import { describe, expect, it } from 'vitest';

import { sentOutcome } from '../helpers/fakeNexmo.js';
import { fieldValue, pageOf, smsFormTokens } from '../helpers/html.js';
import { connect } from '../helpers/login.js';
import { useRouteApp, type RouteApp } from '../helpers/routeApp.js';
import { sendSms } from '../helpers/smsForm.js';

const createRouteApp = useRouteApp();

/** The app in sandbox mode, connected. */
async function sandboxApp(env: Record<string, string> = {}) {
  const route = createRouteApp(env, { sandbox: {} });
  return { route, browser: await connect(route) };
}

/** Every message the app stored, for all accounts (the stores are the test's own, in memory). */
async function storedTo(test: RouteApp): Promise<string[]> {
  const sessions = await new Promise<Record<string, { connection?: { account: string } }>>((resolve, reject) =>
    test.stores.sessions.all!((err, all) => (err ? reject(err) : resolve((all ?? {}) as Record<string, { connection?: { account: string } }>))),
  );
  const accounts = [...new Set(Object.values(sessions).flatMap((s) => (s.connection ? [s.connection.account] : [])))];
  const pages = await Promise.all(accounts.map((account) => test.stores.messages.list(account, { offset: 0, limit: 50 })));
  return pages.flatMap((page) => page.records.map((record) => record.request.to));
}

describe('numbers in sandbox mode (SMS_DEFAULT_COUNTRY defaults to GB)', () => {
  it('a national number is sent as E.164, and shown with its country on the message page and in the history', async () => {
    const { route, browser } = await sandboxApp();
    const sent = await sendSms(browser, { to: '07700 900123', text: 'Hello' });
    expect(sent.status).toBe(303);
    expect(route.nexmo.sends().map((sms) => sms.to)).toEqual(['447700900123']);
    expect(await storedTo(route)).toEqual(['447700900123']);

    const page = await browser.get(sent.headers.location as string);
    const to = pageOf(page.text).querySelectorAll('.facts div').find((row) => row.querySelector('dt')?.textContent === 'To');
    expect(to?.querySelector('dd')?.textContent?.replace(/\s+/g, ' ').trim()).toBe('+44 7700 900123 (United Kingdom)');
    const history = await browser.get('/messages');
    expect(pageOf(history.text).querySelector('td[data-label="To"]')?.textContent).toBe('+44 7700 900123\nUnited Kingdom');
  });

  it('the form, shown again, previews where the number sends to; a sandbox test number stays sendable', async () => {
    const { route, browser } = await sandboxApp();
    const form = await browser.get('/sms');
    const refused = await browser.post('/sms').type('form').send({ ...smsFormTokens(form.text), from: 'Demo', to: '07700 900901', text: '' });
    expect(refused.status).toBe(400);
    expect(fieldValue(refused.text, 'to')).toBe('07700 900901');
    expect(pageOf(refused.text).querySelector('#to-preview')?.textContent).toBe('Sends to +44 7700 900901 (United Kingdom)');
    expect(route.nexmo.sends()).toEqual([]);
    expect((await sendSms(browser, { to: '+44 7700 900999' })).status).toBe(303);
    expect(route.nexmo.sends().map((sms) => sms.to)).toEqual(['447700900999']);
  });
});

describe('numbers in live mode', () => {
  async function liveApp(env: Record<string, string> = {}) {
    const route = createRouteApp(env);
    return { route, browser: await connect(route) };
  }

  it.each([
    ['a landline', '020 7946 0000', '+44 20 7946 0000 (United Kingdom) is a landline number, which can’t receive SMS.'],
    ['a premium-rate number', '09098790000', 'is a premium-rate number, which this app does not send to.'],
    ['a sandbox test number (fictional, so invalid)', '+44 7700 900123', '+44 7700 900123 (United Kingdom) is not a valid phone number.'],
  ])('%s is a field error saying so, and nothing is sent', async (_name, to, words) => {
    const { route, browser } = await liveApp();
    const res = await sendSms(browser, { to });
    expect(res.status).toBe(400);
    expect(pageOf(res.text).querySelector('#to-error')?.textContent).toContain(words);
    expect(route.nexmo.sends()).toEqual([]);
    expect(await storedTo(route)).toEqual([]);
  });

  it('a national mobile in the configured country is sent as E.164', async () => {
    const { route, browser } = await liveApp({ SMS_DEFAULT_COUNTRY: 'US' });
    route.nexmo.answerSend(sentOutcome('US1', '12025550123'));
    expect((await sendSms(browser, { to: '(202) 555-0123' })).status).toBe(303);
    expect(route.nexmo.sends().map((sms) => sms.to)).toEqual(['12025550123']);
    expect(await storedTo(route)).toEqual(['12025550123']);
  });
});

describe('the To field’s hint follows SMS_DEFAULT_COUNTRY', () => {
  it.each([
    [{}, 'An international number such as +44 7700 900000, or a national one such as 07700 900000 (United Kingdom).'],
    [{ SMS_DEFAULT_COUNTRY: 'DE' }, 'An international number such as +44 7700 900000, or a national one such as 01512 3456789 (Germany).'],
    [{ SMS_DEFAULT_COUNTRY: 'none' }, 'International format, e.g. +44 7700 900000.'],
  ])('with %j the form says: %s', async (env, hint) => {
    const { browser } = await sandboxApp(env);
    const form = await browser.get('/sms');
    expect(form.status).toBe(200);
    const to = pageOf(form.text).querySelector('#to');
    expect(to?.getAttribute('aria-describedby')).toBe('to-hint');
    // Each example number is kept on one line (non-breaking spaces).
    expect(pageOf(form.text).querySelector('#to-hint')?.textContent).toBe(hint.replace(/(?<=[\d)]) (?=\(?\d)/g, '\u00a0'));
  });

  it('a refused number is told the same ways to write it, and nothing is sent', async () => {
    const { route, browser } = await sandboxApp({ SMS_DEFAULT_COUNTRY: 'US' });
    const refused = await sendSms(browser, { to: '0201 555 0123' });
    expect(refused.status).toBe(400);
    const page = pageOf(refused.text);
    expect(page.querySelector('#to-hint')?.textContent).toBe('An international number such as +44\u00a07700\u00a0900000, or a national one such as (201)\u00a0555-0123 (United States).');
    expect(page.querySelector('#to-error')?.textContent).toBe(
      'That doesn’t look like a national number (United States). Enter an international number such as +44 7700 900000, or a national one such as (201) 555-0123 (United States).',
    );
    expect(route.nexmo.sends()).toEqual([]);
  });
});
