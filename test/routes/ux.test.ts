// What the pages say and link to beyond the basics: the form filled in again from "Send
// another", the counter's Unicode notes and cost as the server draws them, the error summary,
// operator names, the favicon, landmarks and focusable scrolling tables. The app in sandbox
// mode with the fake provider (a sent part's network and price are its answer's).
import { describe, expect, it } from 'vitest';

import { elementOf, fieldValue, linksIn, pageOf, smsFormTokens, textOf } from '../helpers/html.js';
import { connect, type ConnectedBrowser } from '../helpers/login.js';
import { useRouteApp } from '../helpers/routeApp.js';

const createRouteApp = useRouteApp();

async function connected() {
  const route = createRouteApp({}, { sandbox: {} });
  return { route, browser: await connect(route) };
}

async function post(browser: ConnectedBrowser, fields: Record<string, string>) {
  const form = await browser.get('/sms');
  return browser.post('/sms').type('form').send({ ...smsFormTokens(form.text), ...fields });
}


describe('"Send another"', () => {
  it('links to the form with the same From and To, which the form fills in', async () => {
    const { route, browser } = await connected();
    const sent = await post(browser, { from: 'AcmeShop', to: '+44 7700 900123', text: 'Hello' });
    expect(sent.status).toBe(303);
    expect(route.nexmo.sends()).toHaveLength(1);
    const page = await browser.get(sent.headers.location as string);
    // A link drawn as the page's main button.
    const href = pageOf(page.text).querySelectorAll('a.button.button-primary').find((a) => textOf(a) === 'Send another')?.getAttribute('href');
    expect(href).toBe('/sms?from=AcmeShop&to=%2B447700900123');

    const form = await browser.get(href!);
    expect(form.status).toBe(200);
    expect(fieldValue(form.text, 'from')).toBe('AcmeShop');
    expect(fieldValue(form.text, 'to')).toBe('+44 7700 900123');
    expect(elementOf(form.text, '#text').tagName.toLowerCase()).toBe('textarea');
    expect(fieldValue(form.text, 'text').trim()).toBe('');
  });

  it('ignores values the form would refuse, and never echoes markup', async () => {
    const { browser } = await connected();
    const bad = await browser.get('/sms').query({ from: '"><script>alert(1)</script>', to: '070' });
    expect(bad.status).toBe(200);
    // A refused sender is ignored like any other value: the form starts from the app's default.
    expect(fieldValue(bad.text, 'from')).toBe('NexmoSMS');
    expect(fieldValue(bad.text, 'to')).toBe('');
    expect(bad.text).not.toContain('alert(1)');
    const repeated = await browser.get('/sms?from=A&from=B&to=%2B447700900123');
    expect(fieldValue(repeated.text, 'from')).toBe('NexmoSMS');
    expect(fieldValue(repeated.text, 'to')).toBe('+44 7700 900123');
    // A sender number is written as digits, as it is sent.
    expect(fieldValue((await browser.get('/sms?from=%2B44%207700%20900000')).text, 'from')).toBe('447700900000');
  });
});

describe('the counter as the server draws it', () => {
  it('says why a message is Unicode, highlights the character and suggests a replacement', async () => {
    const { browser } = await connected();
    // An invalid number: the form comes back with the text, counted by the server.
    const res = await post(browser, { from: 'AcmeShop', to: '123', text: 'Don’t' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('5 characters · Unicode (UCS-2) · 1 part (65 left in this part)');
    expect(res.text).toContain('<p class="counter-culprits">Unicode because of: <mark class="culprit">’</mark> (U+2019)</p>');
    expect(res.text).toContain('<p class="counter-hint">Replace ’ with &#39; to send it as GSM-7: 160 characters a part instead of 70.</p>');
    // No send yet, so no price is known and no cost is shown.
    expect(res.text).not.toContain('data-part-price');
    expect(res.text).not.toContain('Estimated cost');
  });

  it('warns when one character triples the parts, and estimates the cost from the last price once there is one', async () => {
    const { route, browser } = await connected();
    expect((await post(browser, { from: 'AcmeShop', to: '447700900123', text: 'First' })).status).toBe(303);
    expect(route.nexmo.sends()).toHaveLength(1);

    const form = await browser.get('/sms');
    expect(form.text).toContain('data-part-price="0.03330000"');
    const res = await post(browser, { from: 'AcmeShop', to: '0', text: `Don’t ${'a'.repeat(149)}` });
    expect(res.status).toBe(400);
    expect(res.text).toContain('155 characters · Unicode (UCS-2) · 3 parts');
    expect(res.text).toContain('<p class="counter-multiplied">This one character triples the message: 3 parts instead of 1.</p>');
    expect(res.text).toMatch(/<p id="sms-cost" class="counter-cost">Estimated cost: €0\.0999 \(3 parts × €0\.0333\)<\/p>/);
  });
});

describe('a refused form', () => {
  it('has an error summary to focus, linking to each field with an error', async () => {
    const { browser } = await connected();
    const res = await post(browser, { from: '', to: '070', text: '' });
    expect(res.status).toBe(400);
    const summary = elementOf(res.text, '#error-summary');
    expect(summary.getAttribute('tabindex')).toBe('-1');
    expect(textOf(summary)).toContain('Nothing was sent');
    expect(linksIn(summary).map((l) => l.href)).toEqual(['#from', '#to', '#text']);
    expect(res.text).toContain('<script type="module" src="/js/app/browser/error-summary.js"></script>');
    for (const id of ['from', 'to', 'text']) expect(['input', 'textarea'], `the control #${id}`).toContain(elementOf(res.text, `#${id}`).tagName.toLowerCase());
    // Only the fields with errors are listed.
    const one = await post(browser, { from: 'AcmeShop', to: '070', text: 'Hi' });
    expect(linksIn(one.text, '#error-summary li a').map((l) => l.href)).toEqual(['#to']);
    expect(one.text).toContain('Please correct the field marked below. Nothing was sent.');
    // A form without errors has no summary and no script for it.
    expect((await browser.get('/sms')).text).not.toContain('error-summary');
  });
});

describe('the message page and the history', () => {
  it('show the network with its operator, the parts as one region, focusable table wrappers, times and live regions', async () => {
    const { browser } = await connected();
    const sent = await post(browser, { from: 'AcmeShop', to: '447700900123', text: 'Hello' });
    const page = await browser.get(sent.headers.location as string);
    expect(page.text).toContain('<td data-label="Network">O2 UK <span class="muted small nowrap">(23410)</span></td>');
    // The parts are one region named "Parts"; their group (one part: drawn open) is no landmark of its own.
    expect(page.text).toContain('<section class="card" aria-labelledby="parts-heading">');
    expect(page.text.match(/aria-labelledby="parts-heading"/g)).toHaveLength(1);
    expect(page.text).toContain('<details class="part-group" data-group="waiting" open>');
    expect(page.text).toMatch(/<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z">\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d:\d\d UTC<\/time>/);
    expect(page.text).toContain('<script type="module" src="/js/app/browser/local-time.js"></script>');
    expect(page.text).toContain('<p id="receipt-announcer" class="visually-hidden" role="status" aria-atomic="true"></p>');

    const history = await browser.get('/messages');
    expect(history.text).toContain('<div class="table-wrap" tabindex="0" role="region" aria-labelledby="history-caption">');
    expect(history.text).toContain('<caption id="history-caption"');
    expect(history.text).toContain('<p id="status-announcer" class="visually-hidden" role="status" aria-atomic="true"></p>');
  });
});

describe('every page', () => {
  it('links the favicon, which is served as SVG; /favicon.ico leads to it', async () => {
    const route = createRouteApp({}, { sandbox: {} });
    const browser = route.browser();
    const home = await browser.get('/');
    expect(home.text).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml">');
    const icon = await browser.get('/favicon.svg');
    expect(icon.status).toBe(200);
    expect(icon.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(String(icon.body ?? icon.text)).toContain('<svg');
    const legacy = await browser.get('/favicon.ico');
    expect(legacy.status).toBe(301);
    expect(legacy.headers.location).toBe('/favicon.svg');
    // Error pages have it too.
    expect((await browser.get('/nowhere')).text).toContain('href="/favicon.svg"');
  });

  it('puts the sandbox banner in a labelled region', async () => {
    const route = createRouteApp({}, { sandbox: {} });
    const home = await route.browser().get('/');
    const banner = elementOf(home.text, '.sandbox-banner');
    expect(banner.getAttribute('role')).toBe('region');
    expect(banner.getAttribute('aria-label')).toBe('Sandbox mode');
  });
});
