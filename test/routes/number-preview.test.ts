// GET /sms/preview: what the SMS form's To field will send to, for its preview as a person
// types. The router on a throwaway app with a stand-in session, then once through the app (the
// route harness) to show where it is mounted and that it calls the provider for nothing.

import express, { type RequestHandler } from 'express';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';

import type { SmsFormRules } from '../../src/nexmo/smsFormValidation.js';
import { MAX_RECIPIENT_LENGTH, numberPreviewRouter } from '../../src/routes/numberPreview.js';
import { connect } from '../helpers/login.js';
import { useRouteApp } from '../helpers/routeApp.js';

/** A session as the session middleware leaves it: connected or not. */
const session = (connected: boolean): RequestHandler => (req, _res, next) => {
  (req as unknown as { session: object }).session = connected ? { connection: { account: 'acct' } } : {};
  next();
};

function previewApp(rules: SmsFormRules, connected = true) {
  const app = express();
  app.use(session(connected));
  app.use('/sms/preview', numberPreviewRouter(rules));
  return supertest(app);
}

const SANDBOX_RULES: SmsFormRules = { defaultCountry: 'GB' };

describe('GET /sms/preview', () => {
  it('previews a national number as the form will send it, with its country, and is never cached', async () => {
    const res = await previewApp(SANDBOX_RULES).get('/sms/preview').query({ to: '07700 900123' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({ preview: '+44 7700 900123 (United Kingdom)' });
    expect((await previewApp(SANDBOX_RULES).get('/sms/preview?to=%2B353%2086%20123%204567')).body).toEqual({ preview: '+353 86 123 4567 (Ireland)' });
  });

  it('answers the form’s own error for a number the form would refuse, without echoing what was typed', async () => {
    const typed = await previewApp(SANDBOX_RULES).get('/sms/preview').query({ to: '<b>07</b>' });
    expect(typed.status).toBe(200);
    expect(typed.body).toEqual({ error: expect.stringContaining('Enter an international number such as +44 7700 900000') });
    expect(JSON.stringify(typed.body)).not.toContain('<b>');
    expect((await previewApp(SANDBOX_RULES).get('/sms/preview').query({ to: '+44 77' })).body).toEqual({ error: expect.stringMatching(/^That number has 4 digits/) });
    expect((await previewApp(SANDBOX_RULES).get('/sms/preview').query({ to: ' ' })).body).toEqual({ error: 'Enter the phone number to send to.' });
    // This deployment's own rules count too: the preview and the form agree.
    const onlyIreland = previewApp({ ...SANDBOX_RULES, allowedPrefixes: ['353'] });
    expect((await onlyIreland.get('/sms/preview').query({ to: '07700 900123' })).body).toEqual({ error: 'This app only sends to numbers starting +353.' });
    const live = previewApp({ ...SANDBOX_RULES, refuseUnreachable: true });
    expect((await live.get('/sms/preview').query({ to: '020 7946 0000' })).body).toEqual({ error: expect.stringContaining('is a landline number') });
  });

  it('refuses a request the form cannot make: no number, several, or longer than the field takes', async () => {
    const app = previewApp(SANDBOX_RULES);
    for (const query of ['', '?to=1&to=2', '?to[a]=1', `?to=${'1'.repeat(MAX_RECIPIENT_LENGTH + 1)}`]) {
      const res = await app.get(`/sms/preview${query}`);
      expect(res.status, query).toBe(400);
      expect(res.headers['cache-control'], query).toBe('no-store');
      expect(res.body, query).toEqual({ error: expect.any(String) });
      expect(res.body.preview, query).toBeUndefined();
    }
    // The longest the field takes is still read.
    expect((await app.get('/sms/preview').query({ to: `+44 7700 900123${' '.repeat(MAX_RECIPIENT_LENGTH - 15)}` })).body).toEqual({ preview: '+44 7700 900123 (United Kingdom)' });
  });

  it('answers only connected people', async () => {
    const res = await previewApp(SANDBOX_RULES, false).get('/sms/preview').query({ to: '07700 900123' });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'Connect with Nexmo first to send SMS.' });
  });
});

describe('/sms/preview in the app', () => {
  const createRouteApp = useRouteApp();

  it('is mounted beside the form, calls the provider for nothing, and logs no number', async () => {
    const route = createRouteApp();
    const browser = await connect(route);
    const res = await browser.get('/sms/preview').query({ to: '07400 123456' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ preview: '+44 7400 123456 (United Kingdom)' });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(route.nexmo.calls).toEqual([]);
    expect(route.logs).toContain('GET /sms/preview 200');
    expect(route.logs.join('\n')).not.toContain('123456');
    // Not connected: the same answer a script gets, never the form's redirect.
    const stranger = await route.browser().get('/sms/preview').query({ to: '07400 123456' });
    expect(stranger.status).toBe(401);
    expect(stranger.body).toEqual({ error: 'Connect with Nexmo first to send SMS.' });
  });
});
