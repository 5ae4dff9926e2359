// Many SMS forms posted at once from one browser, for the specs of the abuse limits: each post
// a freshly drawn form (a form's send key sends once), each text new (the same text again is
// held as a repeat), so only the limits can refuse them.
import type supertest from 'supertest';
import { expect } from 'vitest';

import { smsFormTokens } from './html.js';

type Browser = supertest.Agent;

/**
 * `count` freshly drawn forms' hidden fields, handed out one per post: each form's send key
 * sends once (a second post of one form is the same send), so every post here is a new form.
 */
export async function formsOf(browser: Browser, count: number): Promise<{ next(): { _csrf: string; sendKey: string } }> {
  // The first form gives the session its CSRF token (which the send keys are bound to), as a
  // person's first page does; the others are drawn at once.
  const first = await browser.get('/sms');
  const forms = [first, ...(await Promise.all(Array.from({ length: count - 1 }, () => browser.get('/sms'))))];
  const tokens = forms.map((form) => {
    expect(form.status).toBe(200);
    return smsFormTokens(form.text);
  });
  return {
    next() {
      const form = tokens.shift();
      if (!form) throw new Error('the spec posted more forms than it drew');
      return form;
    },
  };
}

/** A number that is nobody's test number: every limit counts sends to it. */
export const ORDINARY = '+44 7700 900123';

/**
 * `times` posts of the form at once from one browser, each with a text of its own: the same text
 * to the same number again within minutes is held as a repeat (a form refilled after Back), which
 * is not what these specs are about. A given text is used as it is first, then after a number.
 */
export async function sendAtOnce(browser: Browser, times: number, fields: { from?: string; to?: string; text?: string } = {}) {
  const forms = await formsOf(browser, times);
  return Promise.all(
    Array.from({ length: times }, (_, i) =>
      browser
        .post('/sms')
        .type('form')
        .send({ ...forms.next(), from: 'Demo', to: ORDINARY, ...fields, text: fields.text === undefined ? `Message ${i}` : i === 0 ? fields.text : `${i} ${fields.text}` }),
    ),
  );
}

let posted = 0;
/** A text no other post of this run used. */
export const fresh = () => `Message ${++posted}`;

export const statuses = (answers: { status: number }[]) => answers.map((a) => a.status).sort();
export const refused = <T extends { status: number }>(answers: T[]) => answers.filter((a) => a.status === 429);
