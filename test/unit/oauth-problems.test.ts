import { describe, expect, it } from 'vitest';

import { isTokenProblem, readProblem } from '../../src/oauth/problems.js';

const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);
const now = () => NOW;

describe('reading a refusal (OAuth Problem Reporting)', () => {
  it('reads the problem and its hints from a form-encoded body', () => {
    const body = 'oauth_problem=parameter_absent&oauth_parameters_absent=oauth_token%26oauth_nonce&oauth_problem_advice=whatever';
    expect(readProblem({ headers: {}, body }, now)).toEqual({ code: 'parameter_absent', parametersAbsent: ['oauth_token', 'oauth_nonce'] });
  });

  it('reads it from WWW-Authenticate when the body is not form-encoded, with quoted and encoded values', () => {
    const headers = { 'www-authenticate': 'OAuth realm="Nexmo, Inc", oauth_problem="timestamp_refused", oauth_acceptable_timestamps="1780315000-1780315600"' };
    expect(readProblem({ headers, body: '{"error-code":"401"}' }, now)).toEqual({
      code: 'timestamp_refused',
      acceptableTimestamps: { from: 1780315000, to: 1780315600 },
      clockSkewSeconds: 1780315300 - NOW / 1000,
    });
  });

  it('prefers the Date header to the acceptable range for the clock difference', () => {
    const headers = { date: new Date(NOW - 125_000).toUTCString() };
    expect(readProblem({ headers, body: 'oauth_problem=timestamp_refused&oauth_acceptable_timestamps=1-2' }, now)?.clockSkewSeconds).toBe(-125);
  });

  it('finds no problem in a body or header that names none, or names one in a shape no provider sends', () => {
    expect(readProblem({ headers: {}, body: 'Unauthorized' }, now)).toBeUndefined();
    expect(readProblem({ headers: { 'www-authenticate': 'Basic realm="x"' }, body: '' }, now)).toBeUndefined();
    expect(readProblem({ headers: {}, body: 'oauth_problem=<script>alert(1)</script>' }, now)).toBeUndefined();
    expect(readProblem({ headers: {}, body: 'oauth_problem=parameter_absent&oauth_parameters_absent=%3Cb%3E' }, now)).toEqual({ code: 'parameter_absent' });
  });

  it('tells a dead token from other problems', () => {
    for (const code of ['token_rejected', 'token_revoked', 'token_expired', 'token_used']) expect(isTokenProblem({ code })).toBe(true);
    for (const code of ['timestamp_refused', 'consumer_key_unknown', 'nonce_used']) expect(isTokenProblem({ code })).toBe(false);
    expect(isTokenProblem(undefined)).toBe(false);
  });
});
