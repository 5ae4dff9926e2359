/**
 * Refusals in the shape of the OAuth Problem Reporting extension: a form-encoded body with
 * `oauth_problem` and, where the extension defines them, hints such as
 * `oauth_acceptable_timestamps`. Every client library can read this body; most show it.
 */
import type { Response } from 'express';
import { percentEncode } from './rfc5849.js';

export type ProblemCode =
  | 'version_rejected'
  | 'parameter_absent'
  | 'parameter_rejected'
  | 'timestamp_refused'
  | 'nonce_used'
  | 'signature_method_rejected'
  | 'signature_invalid'
  | 'consumer_key_unknown'
  | 'token_used'
  | 'token_expired'
  | 'token_rejected'
  | 'permission_unknown'
  | 'permission_denied'
  | 'verifier_invalid';

export interface Problem {
  status: 400 | 401;
  problem: ProblemCode;
  /** Extra fields defined by the extension, e.g. oauth_parameters_absent. */
  extra?: Readonly<Record<string, string>>;
}

export function problem(status: 400 | 401, code: ProblemCode, extra?: Record<string, string>): Problem {
  return extra === undefined ? { status, problem: code } : { status, problem: code, extra };
}

/** `oauth_parameters_absent` and friends are "&"-joined lists of percent-encoded names. */
export function nameList(names: readonly string[]): string {
  return names.map(percentEncode).join('&');
}

export function formEncode(fields: Readonly<Record<string, string>>): string {
  return Object.entries(fields)
    .map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`)
    .join('&');
}

/** Problems that mean "these credentials are no good", as opposed to "this request is bad". */
export function isCredentialProblem(p: Problem): boolean {
  return (
    p.problem === 'consumer_key_unknown' ||
    p.problem === 'token_rejected' ||
    p.problem === 'token_expired' ||
    p.problem === 'token_used' ||
    (p.problem === 'parameter_absent' && /oauth_(consumer_key|token)(&|$)/.test(p.extra?.['oauth_parameters_absent'] ?? ''))
  );
}

export const REALM = 'Nexmo sandbox';

/** 401s carry WWW-Authenticate as HTTP requires; token replies and refusals are never cached. */
export function sendProblem(res: Response, p: Problem): void {
  if (p.status === 401) res.set('WWW-Authenticate', `OAuth realm="${REALM}"`);
  res
    .status(p.status)
    .set('Cache-Control', 'no-store')
    .type('application/x-www-form-urlencoded')
    .send(formEncode({ oauth_problem: p.problem, ...p.extra }));
}

export function sendForm(res: Response, fields: Readonly<Record<string, string>>): void {
  res
    .status(200)
    .set('Cache-Control', 'no-store')
    .type('application/x-www-form-urlencoded')
    .send(formEncode(fields));
}

export function tokenProblem(reason: 'unknown' | 'expired' | 'used'): Problem {
  const code = reason === 'unknown' ? 'token_rejected' : reason === 'expired' ? 'token_expired' : 'token_used';
  return problem(401, code);
}
