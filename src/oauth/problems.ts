// The OAuth Problem Reporting extension, read from a provider's refusal: `oauth_problem` and its
// hints, in a form-encoded body or in the WWW-Authenticate header, plus how far the provider's
// clock is from ours (its Date header against the app's clock). Only names and numbers come out
// of here: the provider's own words (oauth_problem_advice) are never shown to a person.

import type { IncomingHttpHeaders } from 'node:http';

export interface ProviderProblem {
  /** As the provider sent it (lower-case letters and underscores only, else it is not kept). */
  code: string;
  /** oauth_acceptable_timestamps: the range of seconds the provider would have taken. */
  acceptableTimestamps?: { from: number; to: number };
  /** oauth_parameters_absent / oauth_parameters_rejected: parameter names only. */
  parametersAbsent?: string[];
  parametersRejected?: string[];
  /** oauth_acceptable_versions, e.g. "1.0-1.0". */
  acceptableVersions?: string;
  /**
   * Seconds the provider's clock is ahead of the app's (negative: behind), from the reply's
   * Date header, or else from the middle of oauth_acceptable_timestamps. Undefined when the
   * reply gives neither.
   */
  clockSkewSeconds?: number;
}

/** What a refusal looked like on the wire. */
export interface Refusal {
  headers: IncomingHttpHeaders | undefined;
  body: string;
}

const CODE = /^[a-z][a-z_]{0,63}$/;
const NAME = /^[A-Za-z0-9_.~-]{1,64}$/;

/**
 * The problem a refusal reports, or undefined when it reports none. The body wins over the
 * header: it is where the extension puts the problem first, and carries the hints.
 */
export function readProblem(refusal: Refusal, now: () => number): ProviderProblem | undefined {
  const fields = bodyFields(refusal.body) ?? headerFields(header(refusal.headers, 'www-authenticate'));
  const code = fields?.get('oauth_problem');
  if (fields === undefined || code === undefined || !CODE.test(code)) return undefined;

  const problem: ProviderProblem = { code };
  const range = /^(\d{1,12})-(\d{1,12})$/.exec(fields.get('oauth_acceptable_timestamps') ?? '');
  if (range) problem.acceptableTimestamps = { from: Number(range[1]), to: Number(range[2]) };
  const absent = names(fields.get('oauth_parameters_absent'));
  if (absent) problem.parametersAbsent = absent;
  const rejected = names(fields.get('oauth_parameters_rejected'));
  if (rejected) problem.parametersRejected = rejected;
  const versions = fields.get('oauth_acceptable_versions');
  if (versions !== undefined && /^[0-9.]{1,10}-[0-9.]{1,10}$/.test(versions)) problem.acceptableVersions = versions;

  const skew = clockSkew(header(refusal.headers, 'date'), problem.acceptableTimestamps, now());
  if (skew !== undefined) problem.clockSkewSeconds = skew;
  return problem;
}

/** The Date header is the provider's clock to the second; the acceptable range is its window around it. */
function clockSkew(date: string | undefined, range: ProviderProblem['acceptableTimestamps'], nowMs: number): number | undefined {
  const providerMs = date === undefined ? NaN : Date.parse(date);
  if (Number.isFinite(providerMs)) return Math.round((providerMs - nowMs) / 1000);
  if (range && range.to >= range.from) return Math.round((range.from + range.to) / 2 - nowMs / 1000);
  return undefined;
}

/** A form-encoded body that names a problem; anything else (JSON, HTML, text) is not one. */
function bodyFields(body: string): Map<string, string> | undefined {
  const text = body.trim();
  if (!/^[^=&\s]+=/.test(text) || !/(^|&)oauth_problem=/.test(text)) return undefined;
  const fields = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(text)) if (!fields.has(name)) fields.set(name, value);
  return fields;
}

/** `OAuth realm="…", oauth_problem="…", …`: the auth-params of the OAuth challenge. */
function headerFields(value: string | undefined): Map<string, string> | undefined {
  if (value === undefined || !/^\s*OAuth\b/i.test(value)) return undefined;
  const fields = new Map<string, string>();
  const param = /([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g;
  for (const match of value.replace(/^\s*OAuth\s*/i, '').matchAll(param)) {
    const name = match[1] as string;
    const raw = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : (match[3] ?? '');
    if (fields.has(name)) continue;
    try {
      fields.set(name, decodeURIComponent(raw));
    } catch {
      fields.set(name, raw);
    }
  }
  return fields;
}

/** "&"-joined, percent-encoded names; a list with anything else in it is dropped whole. */
function names(value: string | undefined): string[] | undefined {
  if (value === undefined || value === '') return undefined;
  const list = value.split('&').map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return '';
    }
  });
  return list.every((name) => NAME.test(name)) ? list : undefined;
}

function header(headers: IncomingHttpHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The problems that mean "this token is no good any more". */
const TOKEN_PROBLEMS = new Set(['token_rejected', 'token_revoked', 'token_expired', 'token_used']);

export function isTokenProblem(problem: ProviderProblem | undefined): boolean {
  return problem !== undefined && TOKEN_PROBLEMS.has(problem.code);
}

/** For log lines: the code and the figures, never the provider's text. */
export function describeProblem(problem: ProviderProblem): string {
  const parts = [`oauth_problem=${problem.code}`];
  if (problem.clockSkewSeconds !== undefined) parts.push(`clock_skew=${problem.clockSkewSeconds}s`);
  if (problem.parametersAbsent) parts.push(`absent=${problem.parametersAbsent.join(',')}`);
  if (problem.parametersRejected) parts.push(`rejected=${problem.parametersRejected.join(',')}`);
  return parts.join(' ');
}
