// Property-based fuzzing of everything the app reads from a request: form fields, query and path
// parameters, headers, the session cookie and delivery-receipt webhooks. Whatever arrives, the
// app answers without a 5xx, reflects nothing unescaped into a page, redirects only to itself
// (or the provider's pages), and calls the provider for nothing it should have refused.
//
// Deterministic by default (a fixed seed); FUZZ_SEED=<n> runs another sequence and FUZZ_SCALE=<k>
// k times as many cases. A failure prints the seed and path that replay it.
import { parse as parseQueryString } from 'node:querystring';
import fc from 'fast-check';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { hostNameOf, isTrustedHost } from '../../src/lib/hostNames.js';
import { trustedHostNames } from '../../src/main/addresses.js';
import { DELIVERY_STATUSES, parseReceipt } from '../../src/nexmo/receipts.js';
import { validateSmsForm } from '../../src/nexmo/smsFormValidation.js';
import { RECEIPT_PATH } from '../../src/routes/paths.js';
import { setCookies, shouldNotSetCookie, shouldSetCookie } from '../helpers/assertions.js';
import { csrfFrom, smsFormTokens } from '../helpers/html.js';
import { connect, pathOf } from '../helpers/login.js';
import { NO_LIMITS, startTestApp, type TestApp } from '../helpers/testApp.js';
import { RAW_PAIRS, enc, expectSafeAnswer, fuzz, fuzzTimeout, headerSafe, hostile, hostileOr, withMarker } from './hostile.js';

const RECEIPT_KEY = 'fuzz-receipt-key-0123456789abcdef';
/** The sandbox's own receipts are held back, and nothing it does runs out during a run. */
const SANDBOX = { receiptDelayMs: 600_000, startingBalance: 1_000_000, maxRequestsPerSecond: 1_000_000 };
const SEND_ID = /^\/messages\/[A-Za-z0-9_-]{22}$/;

type Browser = supertest.Agent;

/**
 * Node itself answers 431 to a URL or header block over 16 kB (long values get there), before
 * the app runs: then nothing may have reached the provider either.
 */
function refusedByNode(res: { status: number }, app: TestApp, before: ReturnType<NonNullable<TestApp['sandbox']>['stats']>): boolean {
  if (res.status !== 431) return false;
  expect(app.sandbox!.stats(), 'provider calls for a request Node refused').toEqual(before);
  return true;
}

// ---------------------------------------------------------------------------------------------
// Query strings and form bodies

/** One parameter (encoded when sent) or a piece sent as it is (malformed escapes, `a[b]=1`, …). */
type Part = { key: string; value: string } | { raw: string };

/** A parameter as a form or link would send it, left out, repeated, or bracketed. */
const param = (key: string, value: fc.Arbitrary<string>): fc.Arbitrary<Part[]> =>
  fc.oneof(
    { weight: 10, arbitrary: value.map((v) => [{ key, value: v }]) },
    { weight: 1, arbitrary: fc.constant<Part[]>([]) },
    { weight: 1, arbitrary: fc.tuple(value, value).map(([a, b]) => [{ key, value: a }, { key, value: b }]) },
    { weight: 1, arbitrary: value.map((v) => [{ key: `${key}[x]`, value: v }]) },
  );

const extraParts: fc.Arbitrary<Part[]> = fc.array(
  fc.oneof(
    fc.record({ key: hostile, value: hostile }),
    fc.constantFrom(...RAW_PAIRS).map((raw) => ({ raw })),
  ),
  { maxLength: 2 },
);

/** The named parameters and a few extra ones, in a random order. */
function paramsArb(params: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<Part[]> {
  const named = Object.entries(params).map(([key, value]) => param(key, value));
  return fc
    .tuple(fc.tuple(...(named as [fc.Arbitrary<Part[]>])), extraParts, fc.boolean())
    .map(([groups, extra, extraFirst]) => (extraFirst ? [...extra, ...groups.flat()] : [...groups.flat(), ...extra]));
}

function serialize(parts: Part[]): string {
  return parts.map((part) => ('raw' in part ? part.raw : `${enc(part.key)}=${enc(part.value)}`)).join('&');
}

/**
 * What the server reads from `parts` when that is unambiguous: plain keys, each once, nothing
 * raw. Otherwise undefined, and only the weaker properties are checked.
 */
function plainModel(parts: Part[]): Record<string, string> | undefined {
  const model: Record<string, string> = {};
  for (const part of parts) {
    if ('raw' in part || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(part.key) || part.key in Object.prototype || Object.hasOwn(model, part.key)) return undefined;
    model[part.key] = decodeURIComponent(enc(part.value));
  }
  return model;
}

function withQuery(path: string, parts: Part[]): string {
  const query = serialize(parts);
  return query === '' ? path : `${path}?${query}`;
}

/**
 * What the app makes of a Host header (PUBLIC_URL unset): the origin it answers as, or undefined
 * when it refuses the host (400). Mirrors src/hosts.ts, which the app applies first of all.
 */
const TRUSTED = trustedHostNames([]);
function appOriginFor(host: string | undefined, fallback: string, protocol = 'http'): string | undefined {
  if (host === undefined) return fallback;
  const seen = host.replace(/^[ \t]+|[ \t]+$/g, '');
  const name = hostNameOf(seen);
  return name !== undefined && isTrustedHost(name, TRUSTED) ? `${protocol}://${seen}` : undefined;
}

const accept = fc.option(fc.oneof(fc.constantFrom('text/html', 'application/json', '*/*', 'text/plain', 'image/png', 'application/json;q=0.9, text/html;q=0.1', '*/*;q=abc'), hostile.map(headerSafe)), { nil: undefined });

// ---------------------------------------------------------------------------------------------

describe('fuzzing a connected browser', () => {
  let app: TestApp;
  let browser: Browser;
  let token: string;
  let origin: string;
  let sessionCookie: string;
  let messagePath: string;
  let messageId: string;

  beforeAll(async () => {
    app = await startTestApp({ RECEIPT_KEY, ...NO_LIMITS }, { sandbox: SANDBOX });
    origin = new URL(app.url).origin;
    browser = await connect(app);
    const form = await browser.get('/sms');
    token = csrfFrom(form.text);
    sessionCookie = shouldSetCookie(form, 'nexmo.sid');
    const sent = await browser.post('/sms').type('form').send({ ...smsFormTokens(form.text), from: 'Demo', to: '447700900000', text: 'Fuzz' });
    messagePath = sent.headers.location as string;
    expect(messagePath).toMatch(SEND_ID);
    messageId = (await app.sandbox!.outbox())[0]!.messageIds[0]!;
  });
  afterAll(async () => {
    // Still connected: nothing the fuzz sent ended the session.
    expect((await browser.get('/sms')).status).toBe(200);
    if (process.env.FUZZ_VERBOSE) console.info('sandbox calls:', app.sandbox!.stats());
    await app.close();
  });

  const smsCalls = () => app.sandbox!.stats().smsCalls;
  /**
   * What this browser sent, by recipient and text: the same again within minutes, from a new
   * form, is held as a repeat (303 to the "Send it again" form) and sends nothing.
   */
  const sentBefore = new Set<string>([`447700900000\nFuzz`]);
  /** The answer a valid send gets: a new send, or the repeat of an earlier one. */
  async function expectSendOrRepeat(res: { headers: Record<string, unknown> }, fields: { from: unknown; to: unknown; text: unknown } | undefined, calls: number): Promise<boolean> {
    const checked = fields === undefined ? undefined : validateSmsForm(fields);
    if (checked === undefined) {
      // A body the model cannot read field by field: either answer is a right one, and what
      // was sent is read back from the provider's outbox (newest first).
      const repeat = /^\/sms\?again=/.test(String(res.headers.location));
      expect(calls).toBe(repeat ? 0 : 1);
      const sent = repeat ? undefined : (await app.sandbox!.outbox())[0];
      if (sent) sentBefore.add(`${sent.to}\n${sent.text}`);
      return !repeat;
    }
    if (!checked.ok) throw new Error('only a valid form sends');
    const key = `${checked.value.to}\n${checked.value.text}`;
    if (sentBefore.has(key)) {
      expect(res.headers.location).toMatch(/^\/sms\?again=[A-Za-z0-9_-]{22}$/);
      expect(calls, 'SMS calls for a repeat').toBe(0);
      return false;
    }
    sentBefore.add(key);
    expect(res.headers.location).toMatch(SEND_ID);
    expect(calls).toBe(1);
    return true;
  }
  /** A new form's send key: each post that may send is a form of its own (one form sends once). */
  const freshKey = async () => smsFormTokens((await browser.get('/sms')).text).sendKey;

  /** After a send: the message page and the history show what was sent, escaped. */
  async function expectSentPagesSafe(location: string, marker: string) {
    for (const path of [location, '/messages']) {
      const page = await browser.get(path).set('Accept', 'text/html');
      expect(page.status, path).toBe(200);
      expectSafeAnswer(page, [marker], `GET ${path} after a send`);
    }
  }

  it(
    'POST /sms: any from/to/text/_csrf and extra fields; sends only what the form validation accepts',
    async () => {
      const body = fc.record({
        parts: paramsArb({
          _csrf: fc.oneof({ weight: 4, arbitrary: fc.constant(token) }, { weight: 1, arbitrary: hostile }),
          from: hostileOr('Demo', '447700900000', 'ACME Co', '+1 (555) 0100'),
          to: hostileOr('447700900000', '+44 7700 900000', '0044 (0)20 7946 0000'),
          text: hostileOr('Hello', 'Ünïcødé 🎉'),
        }),
        kind: fc.constantFrom('form', 'form', 'form', 'form', 'json', 'json-as-form'),
      });
      await fuzz(
        fc.asyncProperty(body, async (generated) => {
          const { marker, value } = withMarker(generated);
          const parts = [...value.parts, { key: 'sendKey', value: await freshKey() }];
          const before = smsCalls();
          const model = plainModel(parts);
          const body =
            value.kind === 'form' ? serialize(parts) : JSON.stringify(Object.fromEntries(parts.map((p) => ('raw' in p ? [p.raw, p.raw] : [p.key, p.value]))));
          const res = await browser.post('/sms').type(value.kind === 'json' ? 'json' : 'form').send(body);
          // The form parser's limit; the JSON is not parsed at all.
          const tooLarge = value.kind !== 'json' && (Buffer.byteLength(body) > 100 * 1024 || body.split('&').length > 20);
          expectSafeAnswer(res, [marker], 'POST /sms');
          if (value.kind === 'form' && model) {
            const fields = { from: model.from, to: model.to, text: model.text };
            const expected = tooLarge ? 413 : model._csrf !== token ? 403 : validateSmsForm(fields).ok ? 303 : 400;
            expect(res.status, `POST /sms ${JSON.stringify(model).slice(0, 300)}`).toBe(expected);
          }
          if (value.kind !== 'form') expect(res.status).toBe(tooLarge ? 413 : 403);
          if (res.status === 303) {
            if (await expectSendOrRepeat(res, model && { from: model.from, to: model.to, text: model.text }, smsCalls() - before)) await expectSentPagesSafe(res.headers.location as string, marker);
          } else {
            expect([400, 403, 413], `status ${res.status}`).toContain(res.status);
            expect(smsCalls() - before, 'SMS calls for a refused form').toBe(0);
          }
        }),
        500,
      );
    },
    fuzzTimeout(),
  );

  it(
    'POST /sms: any Origin, Sec-Fetch-Site, Content-Type, Accept and Host; a cross-site request never sends',
    async () => {
      // Each header left out half the time, so that same-origin requests (that do send) are common too.
      const header = (...usual: string[]) => fc.option(fc.oneof(fc.constantFrom(...usual), hostile.map(headerSafe)), { nil: undefined, freq: 2 });
      const headers = fc.record({
        origin: header(origin, 'null', 'https://evil.example', `${origin}/`, origin.toUpperCase(), origin.replace('127.0.0.1', 'localhost')),
        site: header('same-origin', 'same-site', 'cross-site', 'none', 'SAME-ORIGIN', ''),
        contentType: header(
          'application/x-www-form-urlencoded; charset=utf-8',
          'application/x-www-form-urlencoded; charset=iso-8859-1',
          'application/x-www-form-urlencoded; charset=utf-16',
          'application/x-www-form-urlencoded; charset=koi8-r',
          'multipart/form-data; boundary=x',
          'text/plain',
          'application/json',
        ),
        accept,
        host: header('localhost', 'evil.example', '[::1]:1', ''),
        text: hostileOr('Header fuzz'),
      });
      await fuzz(
        fc.asyncProperty(headers, async (generated) => {
          const { marker, value } = withMarker(generated);
          const sendKey = await freshKey();
          const statsBefore = app.sandbox!.stats();
          const before = smsCalls();
          const req = browser.post('/sms');
          if (value.origin !== undefined) req.set('Origin', value.origin);
          if (value.site !== undefined) req.set('Sec-Fetch-Site', value.site);
          if (value.accept !== undefined) req.set('Accept', value.accept);
          if (value.host !== undefined) req.set('Host', value.host);
          req.set('Content-Type', value.contentType ?? 'application/x-www-form-urlencoded');
          const res = await req.send(serialize([{ key: '_csrf', value: token }, { key: 'sendKey', value: sendKey }, { key: 'from', value: 'Demo' }, { key: 'to', value: '447700900000' }, { key: 'text', value: value.text }]));
          expectSafeAnswer(res, [marker], 'POST /sms with headers');
          if (refusedByNode(res, app, statsBefore)) return;
          // The server sees header values without surrounding spaces and tabs.
          const seen = (v: string | undefined) => v?.replace(/^[ \t]+|[ \t]+$/g, '');
          const [o, s] = [seen(value.origin), seen(value.site)];
          const appOrigin = appOriginFor(value.host, origin);
          const foreign = o !== undefined && o !== 'null' && o !== appOrigin;
          const crossSite = s !== undefined ? s !== 'same-origin' : o === 'null';
          if (appOrigin === undefined) {
            expect(res.status, `Host ${JSON.stringify(value.host)} is not one the app trusts`).toBe(400);
          } else if (foreign || crossSite) {
            expect(res.status, `Origin ${JSON.stringify(o)}, Sec-Fetch-Site ${JSON.stringify(s)}`).toBe(403);
          } else if (value.contentType === undefined) {
            const checked = validateSmsForm({ from: 'Demo', to: '447700900000', text: value.text });
            // A repeat answers a script that prefers JSON with 409 instead of the redirect.
            const repeat = checked.ok && sentBefore.has(`${checked.value.to}\n${checked.value.text}`);
            expect(res.status, `a same-origin form (text ${JSON.stringify(value.text.slice(0, 80))})`).toBe(!checked.ok ? 400 : repeat && res.status === 409 ? 409 : 303);
          }
          if (res.status === 409) {
            expect(res.body.error.title).toBe('This message was sent a moment ago');
            expect(smsCalls() - before, 'SMS calls for a repeat').toBe(0);
          } else if (res.status === 303) {
            if (await expectSendOrRepeat(res, { from: 'Demo', to: '447700900000', text: value.text }, smsCalls() - before)) await expectSentPagesSafe(res.headers.location as string, marker);
          } else {
            expect(smsCalls() - before, `SMS calls for a refused request (${res.status})`).toBe(0);
          }
        }),
        250,
      );
    },
    fuzzTimeout(),
  );

  it(
    'GET with any query: /?notice=, /messages?page=, /messages/status.json?ids=, /auth/login?page=, /auth/callback',
    async () => {
      const routes = fc.oneof(
        fc.record({ path: fc.constant('/'), parts: paramsArb({ notice: hostileOr('connected', 'disconnected', 'token-revoked', '__proto__') }) }),
        fc.record({ path: fc.constant('/messages'), parts: paramsArb({ page: hostileOr('1', '2', '999999', '0', '01', '1000000') }) }),
        fc.record({ path: fc.constant('/messages/status.json'), parts: paramsArb({ ids: hostileOr(messagePath.slice('/messages/'.length), `${messagePath.slice('/messages/'.length)},AAAAAAAAAAAAAAAAAAAAAA`, ',,') }) }),
        fc.record({ path: fc.constant('/auth/login'), parts: paramsArb({ page: hostileOr('authorize', 'authenticate', 'Authorize') }) }),
        fc.record({ path: fc.constant('/auth/callback'), parts: paramsArb({ oauth_token: hostile, oauth_verifier: hostile, denied: fc.option(hostile, { nil: '' }) }) }),
        fc.record({ path: fc.constant('/sms'), parts: paramsArb({ from: hostile, to: hostile, text: hostile }) }),
      );
      await fuzz(
        fc.asyncProperty(routes, accept, async (generated, acceptHeader) => {
          const { marker, value } = withMarker(generated);
          const statsBefore = app.sandbox!.stats();
          const url = withQuery(value.path, value.parts);
          const req = browser.get(url);
          if (acceptHeader !== undefined) req.set('Accept', acceptHeader);
          const res = await req;
          expectSafeAnswer(res, [marker], `GET ${url.slice(0, 200)}`, { origins: [origin] });
          if (refusedByNode(res, app, statsBefore)) return;
          const after = app.sandbox!.stats();
          const model = plainModel(value.parts);
          expect(after.accessTokenCalls, 'access-token calls').toBe(statsBefore.accessTokenCalls);
          expect(after.smsCalls, 'SMS calls').toBe(statsBefore.smsCalls);
          switch (value.path) {
            case '/':
            case '/sms':
              expect(res.status).toBe(200);
              break;
            case '/messages':
              expect([200, 303, 400]).toContain(res.status);
              if (model) {
                const readable = model.page === undefined || /^[1-9][0-9]{0,5}$/.test(model.page);
                if (readable) expect([200, 303], `page ${model.page}`).toContain(res.status);
                else expect(res.status, `page ${model.page}`).toBe(400);
              }
              break;
            case '/messages/status.json':
              expect([200, 400]).toContain(res.status);
              if (res.status === 200) expect(String(res.headers['content-type'])).toMatch(/^application\/json/);
              break;
            case '/auth/login': {
              const page = model?.page;
              if (res.status !== 302) expect(after.requestTokenCalls - statsBefore.requestTokenCalls, 'request-token calls for a refused login').toBe(0);
              if (model) expect(res.status, `page ${page}`).toBe(page === undefined || page === 'authorize' || page === 'authenticate' ? 302 : 400);
              break;
            }
            case '/auth/callback':
              // No such sign-in was started: refused, or the cancellation page.
              expect([200, 400, 403]).toContain(res.status);
              break;
          }
        }),
        600,
      );
    },
    fuzzTimeout(),
  );

  it(
    'GET with any path parameter: /messages/:id, /messages/:id/status.json, /sms/sent/:id and its old receipts.json',
    async () => {
      const realId = messagePath.slice('/messages/'.length);
      const segment = fc.oneof(
        // Under 8 kB: the redirects repeat the id in Location, and a response header block over
        // 16 kB is more than the test's own HTTP client reads.
        { weight: 6, arbitrary: hostile.map(enc).filter((s) => s !== '' && s.length < 8_000) },
        { weight: 2, arbitrary: fc.constantFrom('%C3%28', '%', '%E0%A4%A', '..', '.', '..%2f..%2fetc%2fpasswd', '%00', '%2e%2e', 'status.json', realId, realId.toLowerCase(), `${realId}A`, realId.slice(1)) },
      );
      const cases = fc.record({ route: fc.constantFrom('/messages/:id', '/messages/:id/status.json', '/sms/sent/:id', '/sms/sent/:id/receipts.json'), segment, accept });
      await fuzz(
        fc.asyncProperty(cases, async (generated) => {
          const { marker, value } = withMarker(generated);
          const statsBefore = app.sandbox!.stats();
          const url = value.route.replace(':id', value.segment);
          const req = browser.get(url);
          if (value.accept !== undefined) req.set('Accept', value.accept);
          const res = await req;
          expectSafeAnswer(res, [marker], `GET ${url.slice(0, 200)}`);
          if (refusedByNode(res, app, statsBefore)) return;
          let id: string | undefined;
          try {
            id = decodeURIComponent(value.segment);
          } catch {
            id = undefined;
          }
          if (id === undefined) {
            expect(res.status, 'an undecodable path parameter').toBe(400);
          } else if (/^(?:\.|%2e){1,2}$/i.test(value.segment)) {
            // A dot segment: the static middleware, first in line, may redirect to the directory it
            // names, or the route answers for an id of "." or "..".
            expect([301, 308, 404]).toContain(res.status);
          } else if (value.route.startsWith('/sms/sent/')) {
            const tail = value.route.endsWith('receipts.json') ? '/status.json' : '';
            expect(res.status).toBe(tail ? 308 : 301);
            expect(res.headers.location).toBe(`/messages/${encodeURIComponent(id)}${tail}`);
          } else if (value.route === '/messages/:id' && id === 'status.json') {
            expect(res.status).toBe(400);
          } else {
            expect(res.status, `GET ${url}`).toBe(id === realId ? 200 : 404);
          }
        }),
        400,
      );
    },
    fuzzTimeout(),
  );

  it(
    'POST /auth/logout with any wrong _csrf or extra fields: refused, and still connected',
    async () => {
      const body = paramsArb({ _csrf: hostile.filter((s) => s !== token) });
      await fuzz(
        fc.asyncProperty(body, async (generated) => {
          const { marker, value } = withMarker(generated);
          const req = browser.post('/auth/logout').type('form').send(serialize(value));
          const res = await req;
          expectSafeAnswer(res, [marker], 'POST /auth/logout');
          expect([403, 413], `status ${res.status}`).toContain(res.status);
          expect(setCookies(res).some((c) => c.startsWith('nexmo.sid=;')), 'the session cookie is cleared').toBe(false);
        }),
        200,
        1_500,
      );
      expect((await browser.get('/sms')).status).toBe(200);
    },
    fuzzTimeout(1_500),
  );

  it(
    'any tampered or garbage session cookie is no session: no form, no send',
    async () => {
      const [name, value] = [sessionCookie.slice(0, sessionCookie.indexOf('=')), sessionCookie.slice(sessionCookie.indexOf('=') + 1)];
      const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_%.=';
      const tampered = fc.oneof(
        fc.tuple(fc.nat({ max: value.length - 1 }), fc.constantFrom(...B64)).map(([at, c]) => value.slice(0, at) + c + value.slice(at + 1)),
        fc.nat({ max: value.length - 1 }).map((at) => value.slice(0, at)),
        hostile.map((s) => value + headerSafe(s).replace(/[;,]/g, '')),
        hostile.map((s) => headerSafe(s).replace(/[;,]/g, '')),
        fc.constant(value.replace(/\.[^.]*$/, '')),
        fc.constant(`s%3A${value.slice(4).split('.')[0]}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`),
      );
      const cookieHeader = fc.oneof(
        tampered.map((v) => `${name}=${v}`),
        fc.tuple(tampered, hostile).map(([v, other]) => `${headerSafe(other).replace(/[;=]/g, '') || 'x'}=1; ${name}=${v}; ${name}=${value.slice(0, 10)}`),
        hostile.map((s) => headerSafe(s)),
      );
      await fuzz(
        fc.asyncProperty(cookieHeader, fc.constantFrom('GET /sms', 'GET /messages', 'GET /', 'POST /sms'), async (generated, what) => {
          const { marker, value: cookie } = withMarker(generated);
          const sendKey = what === 'POST /sms' ? await freshKey() : '';
          const statsBefore = app.sandbox!.stats();
          const before = smsCalls();
          const client = supertest(app.url);
          const res =
            what === 'POST /sms'
              ? await client.post('/sms').set('Cookie', cookie).type('form').send({ _csrf: token, sendKey, from: 'Demo', to: '447700900000', text: 'From a tampered cookie' })
              : await client.get(what.slice(4)).set('Cookie', cookie);
          expectSafeAnswer(res, [marker], `${what} with Cookie: ${cookie.slice(0, 120)}`);
          if (refusedByNode(res, app, statsBefore)) return;
          // Express-session reads the first nexmo.sid, decoded; that may still be the genuine one.
          const first = /(?:^|;\s*)nexmo\.sid=([^;]*)/.exec(cookie)?.[1];
          let genuine = false;
          try {
            genuine = first !== undefined && decodeURIComponent(first.trim()) === decodeURIComponent(value);
          } catch {
            genuine = false;
          }
          if (genuine) return;
          if (what === 'GET /') {
            expect(res.status).toBe(200);
            expect(res.text).not.toContain('Disconnect');
          } else {
            expect(res.status, `${what} without a valid session`).toBe(303);
            expect(new URL(res.headers.location as string, 'http://app').searchParams.get('notice')).toBe('connect-first');
          }
          expect(smsCalls() - before, 'SMS calls with a tampered cookie').toBe(0);
        }),
        300,
      );
    },
    fuzzTimeout(),
  );

  it(
    'hostile delivery-receipt fields for a real message are shown escaped on its page',
    async () => {
      const text = fc.oneof(hostile, fc.integer().map(String));
      const receipt = fc.record(
        {
          status: fc.constantFrom(...DELIVERY_STATUSES),
          'err-code': fc.oneof(fc.constantFrom('0', '1', '5', '99', '999'), text),
          msisdn: text,
          to: text,
          'network-code': text,
          price: text,
          scts: text,
          'client-ref': text,
          'message-timestamp': fc.oneof(fc.constantFrom('2026-11-23 12:00:00', '9999-99-99 99:99:99', '0000-00-00 00:00:00'), text),
        },
        { requiredKeys: ['status'] },
      );
      await fuzz(
        fc.asyncProperty(receipt, fc.constantFrom('json', 'form', 'get'), async (generated, how) => {
          const { marker, value } = withMarker(generated);
          const statsBefore = app.sandbox!.stats();
          const fields = { messageId, ...value };
          const path = `${RECEIPT_PATH}/${RECEIPT_KEY}`;
          const hook = supertest(app.url);
          const res =
            how === 'json'
              ? await hook.post(path).send(fields)
              : how === 'form'
                ? await hook.post(path).type('form').send(serialize(Object.entries(fields).map(([key, v]) => ({ key, value: v }))))
                : await hook.get(withQuery(path, Object.entries(fields).map(([key, v]) => ({ key, value: v }))));
          expectSafeAnswer(res, [marker], `receipt by ${how}`);
          if (refusedByNode(res, app, statsBefore)) return;
          expect([204, 400, 413], `receipt answered ${res.status}: ${res.text}`).toContain(res.status);
          for (const page of [messagePath, `${messagePath}/status.json`, '/messages']) {
            const shown = await browser.get(page).set('Accept', 'text/html');
            expect(shown.status, page).toBe(200);
            expectSafeAnswer(shown, [marker], `GET ${page} after a hostile receipt`);
          }
        }),
        150,
      );
    },
    fuzzTimeout(),
  );
});

describe('fuzzing visitors without a session, and the delivery-receipt webhook', () => {
  let app: TestApp;
  let origin: string;

  beforeAll(async () => {
    app = await startTestApp({ RECEIPT_KEY, ...NO_LIMITS }, { sandbox: SANDBOX });
    origin = new URL(app.url).origin;
  });
  afterAll(async () => {
    await app.close();
  });

  it(
    'GET any query without a session: no provider call but for a real login start, and no session created for nothing',
    async () => {
      const routes = fc.oneof(
        fc.record({ path: fc.constant('/'), parts: paramsArb({ notice: hostileOr('connected', 'disconnected', 'connect-first', 'session-expired', 'hasOwnProperty') }) }),
        fc.record({ path: fc.constant('/auth/login'), parts: paramsArb({ page: hostileOr('authorize', 'authenticate') }) }),
        fc.record({ path: fc.constant('/auth/callback'), parts: paramsArb({ oauth_token: hostile, oauth_verifier: hostile, denied: hostile }) }),
        fc.record({ path: fc.constantFrom('/messages', '/messages/status.json', '/sms'), parts: paramsArb({ page: hostile, ids: hostile }) }),
      );
      await fuzz(
        fc.asyncProperty(routes, accept, async (generated, acceptHeader) => {
          const { marker, value } = withMarker(generated);
          const statsBefore = app.sandbox!.stats();
          const url = withQuery(value.path, value.parts);
          const req = supertest(app.url).get(url);
          if (acceptHeader !== undefined) req.set('Accept', acceptHeader);
          const res = await req;
          expectSafeAnswer(res, [marker], `GET ${url.slice(0, 200)}`, { origins: [origin] });
          if (refusedByNode(res, app, statsBefore)) return;
          const after = app.sandbox!.stats();
          expect(after.accessTokenCalls, 'access-token calls').toBe(statsBefore.accessTokenCalls);
          if (value.path === '/auth/login' && res.status === 302) {
            expect(after.requestTokenCalls - statsBefore.requestTokenCalls).toBe(1);
            expect(new URL(res.headers.location as string).origin).toBe(origin);
            return;
          }
          expect(after.requestTokenCalls, 'request-token calls').toBe(statsBefore.requestTokenCalls);
          shouldNotSetCookie(res);
          if (value.path === '/') expect(res.status).toBe(200);
          else if (value.path === '/auth/login') expect(res.status).toBe(400);
          else if (value.path === '/auth/callback') expect([200, 403]).toContain(res.status);
          else expect(new URL(res.headers.location as string, 'http://app').searchParams.get('notice')).toBe('connect-first');
        }),
        400,
      );
    },
    fuzzTimeout(),
  );

  it(
    'a real pending sign-in called back with any verifier: never connected by a wrong one',
    async () => {
      await fuzz(
        fc.asyncProperty(paramsArb({ oauth_verifier: hostile }), async (generated) => {
          const { marker, value } = withMarker(generated);
          const visitor = supertest.agent(app.url);
          const login = await visitor.get('/auth/login');
          expect(login.status).toBe(302);
          const oauthToken = new URL(login.headers.location as string).searchParams.get('oauth_token')!;
          const afterLogin = app.sandbox!.stats();
          const url = withQuery('/auth/callback', [{ key: 'oauth_token', value: oauthToken }, ...value]);
          const res = await visitor.get(url).set('Accept', 'text/html');
          const model = plainModel(value);
          const verifier = model?.oauth_verifier;
          const calls = app.sandbox!.stats().accessTokenCalls - afterLogin.accessTokenCalls;
          if (refusedByNode(res, app, afterLogin)) return;
          // A 502 only where the provider was asked and refused the verifier: its answer to relay, not a crash.
          expectSafeAnswer(res, [marker], `GET ${url.slice(0, 200)}`, { providerRefusal: calls === 1 });
          // The provider's refusal is explained: a wrong verifier as a sign-in not confirmed (403),
          // one it cannot read as its own problem (502).
          if (calls === 1 && res.status !== 400) expect([403, 502]).toContain(res.status);
          if (calls === 1 && res.status === 403) expect(res.text).toContain('Nexmo did not confirm this sign-in');
          expect(res.status, 'a guessed verifier connects').not.toBe(302);
          if (model && (verifier === undefined || verifier === '')) {
            expect(res.status).toBe(400);
            expect(calls, 'access-token calls without a verifier').toBe(0);
          }
        }),
        60,
        1_500,
      );
    },
    fuzzTimeout(1_500),
  );

  it(
    'GET any path: static files never leave public/, and nothing is reflected',
    async () => {
      const segment = fc.oneof(
        fc.constantFrom('..', '%2e%2e', '.%2e', '..%2f', '..%5c', '%2f', '%00', '%C3%28', 'css', 'js', 'package.json', '.env', 'etc', 'passwd', 'src', 'app.ts', '.git', 'config', 'sandbox', 'webhooks', 'delivery-receipt', RECEIPT_KEY),
        // Not too long: the static middleware redirects a directory to the path as asked, and a
        // Location of more than 16 kB is more than the test's own HTTP client will read.
        hostile.map(enc).filter((s) => s.length < 2_000),
      );
      await fuzz(
        fc.asyncProperty(fc.array(segment, { minLength: 1, maxLength: 6 }), fc.constantFrom('GET', 'POST', 'HEAD'), accept, async (generated, method, acceptHeader) => {
          const { marker, value } = withMarker(generated);
          const statsBefore = app.sandbox!.stats();
          const url = `/${value.join('/')}`;
          const client = supertest(app.url);
          const req = method === 'GET' ? client.get(url) : method === 'HEAD' ? client.head(url) : client.post(url).type('form').send('a=1');
          if (acceptHeader !== undefined) req.set('Accept', acceptHeader);
          const res = await req;
          expectSafeAnswer(res, [marker], `${method} ${url.slice(0, 200)}`, { origins: [origin] });
          if (refusedByNode(res, app, statsBefore)) return;
          const body = res.text ?? '';
          for (const secret of ['"name": "nexmo-oauth-consumer"', 'root:x:0:0', 'SESSION_SECRET=', 'createApp(', '[core]']) {
            expect(body.includes(secret), `${method} ${url} served ${secret}`).toBe(false);
          }
        }),
        300,
      );
    },
    fuzzTimeout(),
  );

  it(
    'delivery receipts by GET, POST form and POST JSON: any field, type or nesting; 204 only for a well-formed receipt',
    async () => {
      const FIELDS = ['messageId', 'status', 'err-code', 'msisdn', 'to', 'network-code', 'price', 'scts', 'message-timestamp', 'client-ref', '__proto__', 'constructor', 'toString'];
      const jsonValue: fc.Arbitrary<unknown> = fc.oneof(
        { weight: 4, arbitrary: hostileOr('ABCDEF0123456789', 'delivered', 'failed', '0', '2026-11-23 12:00:00') },
        { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null)) },
        { weight: 1, arbitrary: fc.array(hostile, { maxLength: 2 }) },
        { weight: 1, arbitrary: fc.dictionary(hostile, hostile, { maxKeys: 2 }) },
      );
      const entries = fc.array(fc.tuple(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...FIELDS) }, { weight: 1, arbitrary: hostile }), jsonValue), { maxLength: 10 });
      const requests = fc.oneof(
        fc.record({ how: fc.constant('json' as const), entries, top: fc.constantFrom('object', 'object', 'object', 'array', 'string', 'number', 'null', 'garbage') }),
        fc.record({ how: fc.constantFrom('get' as const, 'form' as const), parts: paramsArb({ messageId: hostileOr('ABCDEF0123456789'), status: hostileOr('delivered', 'expired'), 'err-code': hostileOr('0', '1'), 'message-timestamp': hostile, price: hostile, 'client-ref': hostile }) }),
      );
      const keys = fc.oneof({ weight: 8, arbitrary: fc.constant(RECEIPT_KEY) }, { weight: 1, arbitrary: hostile.filter((s) => s !== '').map(enc) }, { weight: 1, arbitrary: fc.constantFrom(RECEIPT_KEY.toUpperCase(), `${RECEIPT_KEY}x`, RECEIPT_KEY.slice(1), '%C3%28') });
      await fuzz(
        fc.asyncProperty(requests, keys, async (generated, key) => {
          const { marker, value } = withMarker(generated);
          const statsBefore = app.sandbox!.stats();
          const path = `${RECEIPT_PATH}/${key}`;
          const hook = supertest(app.url);
          let res: supertest.Response;
          let expected: number | undefined;
          if (value.how === 'json') {
            const members = value.entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
            const text =
              value.top === 'object' ? `{${members.join(',')}}` : value.top === 'array' ? `[{${members.join(',')}}]` : value.top === 'string' ? '"x"' : value.top === 'number' ? '1' : value.top === 'null' ? 'null' : `{${members.join(',')}`;
            res = await hook.post(path).type('json').send(text);
            let parsed: unknown;
            try {
              parsed = JSON.parse(text);
            } catch {
              parsed = undefined;
            }
            expected = parseReceipt(parsed, new Date()).ok ? 204 : 400;
          } else if (value.how === 'get') {
            const query = serialize(value.parts);
            res = await hook.get(query ? `${path}?${query}` : path);
            expected = parseReceipt(parseQueryString(query), new Date()).ok ? 204 : 400;
          } else {
            res = await hook.post(path).type('form').send(serialize(value.parts));
            const model = plainModel(value.parts);
            if (model) expected = parseReceipt(model, new Date()).ok ? 204 : 400;
          }
          expectSafeAnswer(res, [marker], `receipt by ${value.how}`);
          if (refusedByNode(res, app, statsBefore)) return;
          if (key !== RECEIPT_KEY) {
            // Nothing stored; a body is parsed before the key is looked at, so a malformed one is a 400.
            expect([400, 404, 413], `key ${key}`).toContain(res.status);
            if (key !== '%C3%28' && value.how !== 'json' && value.how !== 'form') expect(res.status, `key ${key}`).toBe(404);
            return;
          }
          expect([204, 400, 413]).toContain(res.status);
          if (expected !== undefined && res.status !== 413) expect(res.status, `receipt ${JSON.stringify(value).slice(0, 300)}`).toBe(expected);
          if (res.status === 400 && String(res.headers['content-type']).startsWith('text/plain')) {
            expect(res.text).toMatch(/^Receipt refused: [A-Za-z -]+$/);
          }
        }),
        700,
      );
    },
    fuzzTimeout(),
  );
});

describe('fuzzing X-Forwarded-* headers behind a trusted proxy (TRUST_PROXY)', () => {
  let app: TestApp;
  let browser: Browser;
  let token: string;
  let origin: string;
  /** Each proxied send has a text of its own: the same text again would be held as a repeat. */
  let proxied = 0;

  beforeAll(async () => {
    app = await startTestApp({ TRUST_PROXY: 'true', ...NO_LIMITS }, { sandbox: SANDBOX });
    origin = new URL(app.url).origin;
    browser = await connect(app);
    token = csrfFrom((await browser.get('/sms')).text);
  });
  afterAll(async () => {
    await app.close();
  });

  it(
    'any X-Forwarded-For/Proto/Host/Port/Prefix and Host: no 5xx, same answers, redirects stay on the app',
    async () => {
      const header = (...usual: string[]) => fc.option(fc.oneof(fc.constantFrom(...usual), hostile.map(headerSafe)), { nil: undefined });
      const headers = fc.record({
        'X-Forwarded-For': header('203.0.113.7', '203.0.113.7, 10.0.0.1', 'unknown', '::1', '999.999.999.999', ', ,'),
        'X-Forwarded-Proto': header('https', 'http', 'https, http', 'ftp', 'HTTPS', ''),
        'X-Forwarded-Host': header('evil.example', 'evil.example:443', 'localhost, evil.example', '[::1]', ''),
        'X-Forwarded-Port': header('443', '-1', '99999'),
        'X-Forwarded-Prefix': header('/evil', '//evil.example'),
        Host: header('evil.example', 'localhost:1'),
      });
      await fuzz(
        fc.asyncProperty(headers, fc.constantFrom('GET /', 'GET /sms', 'GET /messages', 'POST /sms', 'GET /auth/login', 'GET /missing'), async (generated, what) => {
          const { marker, value } = withMarker(generated);
          const sendKey = what === 'POST /sms' ? smsFormTokens((await browser.get('/sms')).text).sendKey : '';
          const statsBefore = app.sandbox!.stats();
          const before = app.sandbox!.stats().smsCalls;
          const req =
            what === 'POST /sms'
              ? browser.post('/sms').type('form').send({ _csrf: token, sendKey, from: 'Demo', to: '447700900000', text: `Via a proxy ${++proxied}` })
              : browser.get(what === 'GET /auth/login' ? '/auth/login?page=authorize' : what.slice(4));
          for (const [name, v] of Object.entries(value)) if (v !== undefined) req.set(name, v);
          const res = await req;
          // A trusted Host is followed (the address a teammate used); behind a trusted proxy the
          // scheme comes from X-Forwarded-Proto, as Express reads it.
          const forwardedProto = value['X-Forwarded-Proto']?.split(',')[0]?.trim() === 'https' ? 'https' : 'http';
          const appOrigin = appOriginFor(value.Host ?? new URL(origin).host, origin, forwardedProto);
          const origins = [origin, ...(appOrigin ? [appOrigin] : []), ...(value.Host ? ['http', 'https'].map((p) => `${p}://${value.Host!.trim()}`) : [])];
          expectSafeAnswer(res, [marker], `${what} with ${JSON.stringify(value).slice(0, 300)}`, { origins });
          if (refusedByNode(res, app, statsBefore)) return;
          const expected = appOrigin === undefined ? 400 : { 'GET /': 200, 'GET /sms': 200, 'GET /messages': 200, 'POST /sms': 303, 'GET /auth/login': 302, 'GET /missing': 404 }[what];
          expect(res.status, what).toBe(expected);
          expect(app.sandbox!.stats().smsCalls - before).toBe(what === 'POST /sms' && appOrigin !== undefined ? 1 : 0);
          if (appOrigin === undefined) return;
          if (what === 'POST /sms') expect(res.headers.location).toMatch(SEND_ID);
          if (what === 'GET /auth/login') expect(pathOf(res.headers.location as string)).toMatch(/^\/sandbox\/oauth\/authorize\?oauth_token=/);
        }),
        250,
      );
    },
    fuzzTimeout(),
  );
});
