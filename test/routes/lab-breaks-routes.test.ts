// The lab's break-it buttons: POST /how-it-works/break over createApp(deps) in sandbox mode with
// the sandbox's switches faked (what each press asks the sandbox, and what the person is
// answered), the lab page's locals on the router alone, and the partial that draws the buttons.
import type { ActiveSwitch } from '@nexmo-oauth/sandbox';
import ejs from 'ejs';
import express from 'express';
import { join } from 'node:path';
import supertest from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';

import { viewsDir } from '../../src/config/paths.js';
import { silentLogger } from '../../src/logging/logger.js';
import type { LabBreakAction } from '../../src/present/labBreaks.js';
import { labBreaksRouter } from '../../src/routes/labBreaks.js';
import { csrfFrom, elementOf, pageOf, textOf } from '../helpers/html.js';
import { connect } from '../helpers/login.js';
import { createRouteApp, type RouteApp } from '../helpers/routeApp.js';

let route: RouteApp | undefined;
afterEach(async () => {
  await route?.close();
  route = undefined;
});

/** The app in sandbox mode; every press the lab makes is kept in `presses`. */
function sandboxApp(): { r: RouteApp; presses: Array<[string, LabBreakAction]> } {
  const presses: Array<[string, LabBreakAction]> = [];
  route = createRouteApp({}, {
    provider: (live) => ({
      ...live,
      mode: 'sandbox',
      sandboxSwitches: async (): Promise<ActiveSwitch[]> => [],
      sandboxPress: async (account, action) => void presses.push([account, action]),
    }),
  });
  return { r: route, presses };
}

/** A connected browser and its session's form token (from the home page's Disconnect form). */
async function connected(r: RouteApp) {
  const browser = await connect(r);
  const csrf = csrfFrom((await browser.get('/')).text);
  return { browser, csrf };
}

describe('POST /how-it-works/break', () => {
  it.each([
    ['break-signature', 'break-signature', 'Armed for fake-account: the sandbox will refuse the next signed call (a send, a balance read) as if its signature did not match.'],
    ['break-nonce', 'break-nonce', 'Armed for fake-account: the sandbox will refuse the next signed call as a replay'],
    ['break-token', 'break-token', 'The sandbox revoked this app’s access to fake-account: the next call the app makes is refused, and the app will ask you to connect again.'],
    ['cancel-break', 'break-cancelled', 'Nothing is armed any more: the next signed call goes through.'],
  ] as const)('%s: presses it for the connected person’s own sandbox account, and comes back to the lab saying what it did', async (action, notice, words) => {
    const { r, presses } = sandboxApp();
    const { browser, csrf } = await connected(r);
    const res = await browser.post('/how-it-works/break').type('form').send({ _csrf: csrf, action });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/how-it-works?notice=${notice}#break`);
    expect(presses).toEqual([['fake-account', action]]);
    const lab = await browser.get(`/how-it-works?notice=${notice}`);
    expect(lab.status).toBe(200);
    expect(textOf(elementOf(lab.text, '.notice'))).toContain(words);
    expect(r.nexmo.calls, 'pressing calls no API').toEqual([]);
  });

  it('presses nothing for a form without the session’s token, another control, or an account named in the form', async () => {
    const { r, presses } = sandboxApp();
    const { browser, csrf } = await connected(r);
    const forged = await browser.post('/how-it-works/break').type('form').send({ action: 'break-token' });
    expect(forged.status).toBe(403);
    expect(forged.text).toContain('This form has expired');
    for (const action of ['revoke', 'reset-balance', '', undefined]) {
      const res = await browser.post('/how-it-works/break').type('form').send({ _csrf: csrf, ...(action === undefined ? {} : { action }) });
      expect(res.status).toBe(400);
      expect(textOf(elementOf(res.text, 'h1'))).toBe('That is not one of the break-it switches');
      expect(res.text).toContain('Nothing was changed.');
    }
    // The account is the connection's: a field naming another is ignored.
    await browser.post('/how-it-works/break').type('form').send({ _csrf: csrf, action: 'break-nonce', account: 'someone-else' });
    expect(presses).toEqual([['fake-account', 'break-nonce']]);
  });

  it('sends a visitor to connect first, then back to the lab, pressing nothing', async () => {
    const { r, presses } = sandboxApp();
    const res = await r.browser().post('/how-it-works/break').type('form').send({ action: 'break-token' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/?notice=connect-first&return=%2Fhow-it-works');
    expect(presses).toEqual([]);
  });

  it('is not there in live mode: there is no sandbox to break', async () => {
    route = createRouteApp();
    const { browser, csrf } = await connected(route);
    const res = await browser.post('/how-it-works/break').type('form').send({ _csrf: csrf, action: 'break-signature' });
    expect(res.status).toBe(404);
    expect(res.text).toContain('Page not found');
  });
});

/** The lab's router alone: a throwaway app whose page answers with the locals it was given. */
function labPage(switchesFor: (account: string) => Promise<ActiveSwitch[]>, connection?: { extra: Record<string, string> }) {
  const asked: string[] = [];
  const app = express();
  app.use((req, _res, next) => {
    Object.assign(req, { log: silentLogger, session: { csrfToken: 'the-session-token', ...(connection ? { connection } : {}) } });
    next();
  });
  app.use('/how-it-works', labBreaksRouter({ press: async () => {}, switchesFor: (account) => (asked.push(account), switchesFor(account)) }));
  app.get('/how-it-works', (_req, res) => res.json(res.locals.labBreaks ?? null));
  return { app, asked };
}

const ARMED: ActiveSwitch = { kind: 'break-nonce', label: 'The next signed call is refused as a replay (nonce_used)', path: '/controls#break-title' };

describe('the lab page’s locals for the buttons', () => {
  it('gives a connected person’s lab the form’s token and the break armed on their own account', async () => {
    const lab = labPage(async () => [ARMED], { extra: { username: 'amber-otter' } });
    expect((await supertest(lab.app).get('/how-it-works')).body).toEqual({ csrfToken: 'the-session-token', armed: 'nonce' });
    const idle = labPage(async () => [], { extra: { username: 'amber-otter' } });
    expect((await supertest(idle.app).get('/how-it-works')).body).toEqual({ csrfToken: 'the-session-token' });
    expect([...lab.asked, ...idle.asked]).toEqual(['amber-otter', 'amber-otter']);
  });

  it('gives a visitor nothing, asks the sandbox nothing, and loses only the armed line when the store cannot answer', async () => {
    const visitor = labPage(async () => [ARMED]);
    expect((await supertest(visitor.app).get('/how-it-works')).body).toBeNull();
    expect(visitor.asked).toEqual([]);
    const failing = labPage(async () => Promise.reject(new Error('store down')), { extra: { username: 'amber-otter' } });
    const res = await supertest(failing.app).get('/how-it-works');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ csrfToken: 'the-session-token' });
  });
});

describe('views/partials/lab-breaks.ejs', () => {
  const render = (locals: { csrfToken: string; armed?: 'signature' | 'nonce' }) => ejs.renderFile(join(viewsDir, 'partials/lab-breaks.ejs'), { armed: undefined, ...locals });

  it('draws one form posting to /how-it-works/break with the token and a button per switch, at #break, folded while nothing is armed', async () => {
    const html = await render({ csrfToken: 'tok<&>' });
    const details = elementOf(html, 'details#break');
    expect(details.hasAttribute('open')).toBe(false);
    expect(textOf(elementOf(html, 'details#break > summary #break-title'))).toBe('Break the next call');
    const form = elementOf(html, 'form');
    expect([form.getAttribute('method'), form.getAttribute('action')]).toEqual(['post', '/how-it-works/break']);
    expect(elementOf(html, 'input[name="_csrf"]').getAttribute('value')).toBe('tok<&>');
    const buttons = pageOf(html).querySelectorAll('button[name="action"]').map((b) => [b.getAttribute('value'), textOf(b)]);
    expect(buttons).toEqual([
      ['break-signature', 'Break its signature'],
      ['break-nonce', 'Replay its nonce'],
      ['break-token', 'Revoke its token'],
    ]);
    // Every hint a button points at is there.
    for (const button of pageOf(html).querySelectorAll('button[aria-describedby]')) expect(pageOf(html).querySelector(`#${button.getAttribute('aria-describedby')}`)).not.toBeNull();
    expect(html).not.toContain('Armed:');
  });

  it('opens and says which break is armed, with a button that cancels it', async () => {
    const signature = await render({ csrfToken: 't', armed: 'signature' });
    expect(elementOf(signature, 'details#break').hasAttribute('open')).toBe(true);
    expect(textOf(elementOf(signature, '.lab-breaks-armed'))).toBe('Armed: the next signed call will be refused as if its signature did not match (signature_invalid).');
    expect(textOf(elementOf(signature, 'button[value="cancel-break"]'))).toBe('Cancel the armed break');
    const nonce = await render({ csrfToken: 't', armed: 'nonce' });
    expect(textOf(elementOf(nonce, '.lab-breaks-armed'))).toBe('Armed: the next signed call will be refused as a replay of a nonce used before (nonce_used).');
  });
});
