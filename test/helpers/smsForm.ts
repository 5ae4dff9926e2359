import type supertest from 'supertest';

import { smsFormTokens } from './html.js';

/** What a person types into the SMS form; any other field (a second `to`, a forged `type`) goes along as given. */
export interface SmsFields {
  from?: string;
  to?: string;
  text?: string;
  [field: string]: string | undefined;
}

/** What the form is filled with when a spec does not say. */
export const DEFAULT_SMS = { from: 'Demo', to: '447700900000', text: 'Hello' } as const;

/**
 * Sends the SMS form as a browser does: opens /sms (which must answer with the form), takes its
 * CSRF token and send key and posts the fields. Returns the POST's response, unfollowed.
 */
export async function sendSms(browser: supertest.Agent, fields: SmsFields = {}): Promise<supertest.Response> {
  const form = await browser.get('/sms');
  if (form.status !== 200) throw new Error(`the SMS form answered ${form.status}${form.headers.location ? ` (to ${form.headers.location})` : ''}`);
  const body = Object.fromEntries(Object.entries({ ...DEFAULT_SMS, ...fields }).filter((entry): entry is [string, string] => entry[1] !== undefined));
  return browser.post('/sms').type('form').send({ ...smsFormTokens(form.text), ...body });
}
