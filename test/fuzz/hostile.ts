/**
 * Random and hostile values for the fuzz specs (fast-check arbitraries), and the checks every
 * answer to them must pass. Markup in the values carries a per-case marker, so a reflection
 * found in a page is known to come from that very case and not from an earlier one.
 */
import fc from 'fast-check';
import { expect } from 'vitest';

/** Deterministic by default, so a failure replays; FUZZ_SEED picks another sequence. */
export const FUZZ_SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : 20_240_611;
/** With FUZZ_SEED, the path fast-check printed replays that one counterexample directly (run the test alone, with -t). */
const FUZZ_PATH = process.env.FUZZ_PATH;
/** FUZZ_SCALE=10 for a long local run; the default keeps the suite quick. */
const FUZZ_SCALE = process.env.FUZZ_SCALE !== undefined ? Number(process.env.FUZZ_SCALE) : 1;

/**
 * Runs a property with the suite's seed, `runs` cases (times FUZZ_SCALE) and a time limit: on a
 * busy machine fewer cases run rather than the test timing out.
 *
 * fast-check's time limit abandons the case in flight when it strikes (it races the case against
 * a timer). An abandoned case goes on in the background: its request still reaches the app and
 * the provider, and would be counted against the next case, or the next test. So every case is
 * awaited to its end before this returns, and a case that failed after fast-check stopped
 * watching it fails the test all the same.
 *
 * A failure says how to replay it: the seed, and fast-check's path to the (shrunk) counterexample.
 */
export async function fuzz<Ts extends [unknown, ...unknown[]]>(property: fc.IAsyncProperty<Ts>, runs: number, timeLimitMs = 2_000): Promise<void> {
  const [startCases, started] = [cases, performance.now()];
  const inFlight = new Set<Promise<unknown>>();
  const lateFailures: Array<{ value: Ts; error: unknown }> = [];
  const run = property.run.bind(property);
  property.run = (value) => {
    const result = run(value);
    inFlight.add(result);
    void result.then((outcome) => {
      inFlight.delete(result);
      if (outcome !== null && typeof outcome === 'object' && 'error' in outcome) lateFailures.push({ value, error: outcome.error });
    });
    return result;
  };
  const details = await fc.check(property, {
    seed: FUZZ_SEED,
    ...(FUZZ_PATH !== undefined ? { path: FUZZ_PATH } : {}),
    numRuns: Math.max(1, Math.round(runs * FUZZ_SCALE)),
    interruptAfterTimeLimit: timeLimitMs * FUZZ_SCALE,
  });
  // The case the time limit abandoned, if any: its requests end before the next case starts.
  while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  if (process.env.FUZZ_VERBOSE) console.info(`fuzz: ${cases - startCases} cases in ${Math.round(performance.now() - started)} ms (seed ${FUZZ_SEED})`);
  // Cut off before any case ended, fast-check reports a failure without a counterexample: that
  // is not one, and the cut-off case is judged below like any other.
  if (details.failed && details.counterexample !== null) {
    throw new FuzzFailure(
      `failed after ${details.numRuns} cases (${details.numShrinks} shrinks)\n` +
        `counterexample: ${fc.stringify(details.counterexample)}\n` +
        `replay it: FUZZ_SEED=${details.seed} FUZZ_PATH=${details.counterexamplePath} npx vitest run test/fuzz -t "<this test's name>"\n` +
        `error: ${errorText(details.errorInstance)}`,
      details.errorInstance,
    );
  }
  // Only an abandoned case can fail unseen: every case fast-check saw end was reported above.
  const late = lateFailures[0];
  if (late) {
    throw new FuzzFailure(
      `a case still running when the time limit stopped the run failed (seed ${details.seed}; rerun with FUZZ_SCALE=2 to give it time)\n` +
        `case: ${fc.stringify(late.value)}\n` +
        `error: ${errorText(late.error)}`,
      late.error,
    );
  }
}

/** A property failed; the message names the seed, the counterexample and how to replay it. */
export class FuzzFailure extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = 'FuzzFailure';
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A vitest timeout comfortably above a property's time limit (shrinking included). */
export const fuzzTimeout = (timeLimitMs = 2_000) => timeLimitMs * FUZZ_SCALE * 3 + 10_000;

// ---------------------------------------------------------------------------------------------
// Values

/** Stands for the case's marker in generated values; replaced by `withMarker`. */
const M = '\u27e6M\u27e7';

/** Markup that would run or break out of an attribute if it reached a page unescaped. */
const MARKUP = [
  `<script>alert('${M}')</script>`,
  `"><img src=x onerror=alert('${M}')>`,
  `'><svg onload=alert('${M}')>`,
  `</textarea><script>alert('${M}')</script>`,
  `" onmouseover="alert('${M}')`,
  `' onfocus='alert('${M}')`,
  `<${M}>`,
  `javascript:alert('${M}')`,
];

/** What must never appear as such in an HTML answer to a case with marker `marker`. */
export function rawFragments(marker: string): string[] {
  return [
    `<script>alert('${marker}')`,
    `<img src=x onerror=alert('${marker}')`,
    `<svg onload=alert('${marker}')`,
    `" onmouseover="alert('${marker}')`,
    `' onfocus='alert('${marker}')`,
    `<${marker}>`,
    `href="javascript:alert('${marker}')`,
  ];
}

/** Anything else that has broken web apps: traversal, NULs, CRLF, prototype keys, odd Unicode. */
const ODD = [
  '', ' ', '\t', '\r\n', '\r\nSet-Cookie: fz=1', '\r\n\r\n<html>', '\u0000', '%00', '%', '%%', '%C3%28', '%E0%A4%A', '%FF', '%uD800',
  '../../etc/passwd', '..%2f..%2fetc%2fpasswd', '..\\..\\windows\\win.ini', '/', '//evil.example', 'https://evil.example/',
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf',
  'a=1&a=2', 'a[b]=1', '[]', '{}', '{"a":1}', '[1,2]', '{"__proto__":{"x":1}}', 'null', 'undefined', 'NaN', 'true', '-1', '0', '1e309', '0x1f',
  '🎉', '👩‍👩‍👧‍👦', '𝕏', '\uFEFF', '\u200B', '\u200F', '\u202E', '\u2028', '\uD800', '\uDC00', 'é', 'e\u0301',
  // Values the app does accept somewhere, so that hostile parts also reach the happy paths.
  'Demo', '447700900000', '+44 7700 900000', 'authorize', 'authenticate', 'connected', 'disconnected', 'connect-first', '1', '2',
];

/** A long run (up to ~10 kB) of one unit, markup included. */
const long = fc
  .tuple(fc.constantFrom('A', ' ', 'é', '🎉', '%', `<script>alert('${M}')</script>`, '\r\n'), fc.integer({ min: 200, max: 10_000 }))
  .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length));

/** One piece of a value: random text, full Unicode, markup, an odd value or a long run. */
const piece = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 24 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
  { weight: 4, arbitrary: fc.constantFrom(...MARKUP) },
  { weight: 4, arbitrary: fc.constantFrom(...ODD) },
  { weight: 1, arbitrary: long },
);

/** A value for any field, parameter or header: a few pieces glued together. */
export const hostile = fc.array(piece, { minLength: 1, maxLength: 3 }).map((pieces) => pieces.join(''));

/** Like `hostile`, but also the values the app expects; `valid` comes first so shrinking ends there. */
export const hostileOr = (...valid: string[]) => (valid.length ? fc.oneof(fc.constantFrom(...valid), hostile) : hostile);

let cases = 0;
/** A marker no other case uses, and the generated values with it filled in. */
export function withMarker<T>(value: T): { marker: string; value: T } {
  const marker = `fz${(cases += 1)}q`;
  return { marker, value: fill(value, marker) as T };
}

function fill(value: unknown, marker: string): unknown {
  if (typeof value === 'string') return value.replaceAll(M, marker);
  if (Array.isArray(value)) return value.map((item) => fill(item, marker));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) Object.defineProperty(out, fill(k, marker) as string, { value: fill(v, marker), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Encoding for the wire

/** Percent-encoding that survives lone surrogates (sent as U+FFFD, as a browser would). */
export function enc(value: string): string {
  return encodeURIComponent(value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'));
}

/** Query-string and form pieces that are sent as they are (not encoded again): malformed escapes, repeated and bracketed keys. */
export const RAW_PAIRS = [Array.from({ length: 25 }, (_, i) => `p${i}=1`).join('&'), 'a=1&a=2', 'a[b]=1', '%C3%28=%C3%28', 'x=%E0%A4%A', 'x=%', '%00=%00', '__proto__[x]=1', 'constructor[prototype][x]=1', '=', '&&', 'novalue', 'x=%FF%FE'];

/** A header value Node will send: no CR, LF or characters outside Latin-1. */
export function headerSafe(value: string): string {
  return value.replace(/[^\t\x20-\x7e\x80-\xff]/g, '');
}

// ---------------------------------------------------------------------------------------------
// Checks on every answer

export interface Answer {
  status: number;
  text: string;
  headers: Record<string, unknown>;
}

/**
 * No 5xx (but a 502 relaying a provider's refusal where the caller allows it); the usual headers; in an HTML answer none of the case's markup as such; and a redirect
 * that stays on this app (or goes to the provider's own pages, `allowedOrigins`).
 */
export function expectSafeAnswer(res: Answer, markers: readonly string[], what: string, options: { origins?: readonly string[]; providerRefusal?: boolean } = {}): void {
  const allowedOrigins = options.origins ?? [];
  if (!(options.providerRefusal && res.status === 502)) expect(res.status, `${what}: status (body: ${res.text?.slice(0, 300)})`).toBeLessThan(500);
  // 431: Node's own answer to an over-long URL or header block (16 kB), before the app sees it.
  if (res.status === 431) return;
  expect(res.headers['x-content-type-options'], `${what}: nosniff (status ${res.status})`).toBe('nosniff');
  const type = String(res.headers['content-type'] ?? '');
  const body = res.text ?? '';
  if (type.startsWith('text/html')) {
    for (const marker of markers) {
      for (const fragment of rawFragments(marker)) {
        const at = body.indexOf(fragment);
        expect(at, `${what}: unescaped ${JSON.stringify(fragment)} in …${body.slice(Math.max(0, at - 80), at + 80)}…`).toBe(-1);
      }
    }
    expect(/\s(?:href|src|action)\s*=\s*["']?\s*javascript:/i.test(body), `${what}: a javascript: URL in the page`).toBe(false);
  }
  const location = res.headers.location;
  if (typeof location === 'string') {
    const target = new URL(location, 'http://app.invalid');
    const ok = target.origin === 'http://app.invalid' ? location.startsWith('/') && !location.startsWith('//') && !location.startsWith('/\\') : allowedOrigins.includes(target.origin);
    expect(ok, `${what}: redirect to ${location}`).toBe(true);
  }
}
