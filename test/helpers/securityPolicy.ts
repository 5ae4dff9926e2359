/**
 * The app's security policy as a spec reads it off a response: its CSP directives, the headers
 * that go with it, and pages that load scripts only from files.
 */
import { expect } from 'vitest';

/** `a b; c d e` → { a: ['b'], c: ['d', 'e'] } */
export function directives(csp: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const directive of csp.split(';')) {
    const [name, ...sources] = directive.trim().split(/\s+/);
    if (name) out[name.toLowerCase()] = sources;
  }
  return out;
}

/** The app's own policy, whatever page it is on. */
export function expectAppSecurityHeaders(res: { headers: Record<string, unknown> }): void {
  const csp = res.headers['content-security-policy'];
  expect(typeof csp, 'Content-Security-Policy header').toBe('string');
  const policy = directives(csp as string);
  // No inline script: scripts come from the app's own origin only, with no escape hatch.
  expect(policy['script-src']).toEqual(["'self'"]);
  expect(policy['default-src']).toEqual(["'self'"]);
  expect(policy['object-src']).toEqual(["'none'"]);
  expect(policy['base-uri']).toEqual(["'none'"]);
  expect(policy['frame-ancestors']).toEqual(["'none'"]);
  // Forms post to the app only: an injected form cannot send a token elsewhere.
  expect(policy['form-action']).toEqual(["'self'"]);
  expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|nonce-|sha256-/);
  // The callback URL carries oauth_token: it must never travel on in a Referer.
  expect(res.headers['referrer-policy']).toBe('no-referrer');
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['x-frame-options']).toBe('DENY');
}

/** Every <script> on the page loads a file; none carries code of its own or an inline handler. */
export function expectNoInlineScript(html: string): void {
  for (const [, attrs, body] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    expect(attrs, 'a <script> without src').toMatch(/\bsrc="[^"]+"/);
    expect(body!.trim(), 'code inside a <script src> element').toBe('');
  }
  expect(html).not.toMatch(/\son[a-z]+\s*=/i);
  expect(html).not.toMatch(/href="javascript:/i);
}
