import { describe, expect, it } from 'vitest';

import { percentEncode } from '../../src/lib/percentEncoding.js';
import { HIDDEN, maskSensitive, maskToken, redactSecrets, safeExcerpt } from '../../src/logging/redaction.js';

const SECRET = 'cs/5ecret+!';
const TOKEN = 'tok-0123456789abcdef';

describe('the one masking module', () => {
  it('hides a secret in every form a text can carry it: raw, encoded, and encoded twice', () => {
    const text = `raw=${SECRET} once=${percentEncode(SECRET)} twice=${percentEncode(percentEncode(SECRET))}`;
    expect(maskSensitive(text, { tokens: [], secrets: [SECRET] })).toBe(`raw=${HIDDEN} once=${HIDDEN} twice=${HIDDEN}`);
  });

  it('shows a token by its start and length only', () => {
    expect(maskSensitive(`token ${TOKEN}.`, { tokens: [TOKEN], secrets: [] })).toBe('token tok-… (20 characters).');
    expect(maskToken(TOKEN)).not.toContain(TOKEN.slice(4));
  });

  it('uses the same placeholder for log fields, known values and token-like values in a provider body', () => {
    expect(HIDDEN).toBe('[hidden]');
    expect(redactSecrets({ req: { headers: { authorization: 'OAuth x' } } })).toEqual({ req: { headers: { authorization: HIDDEN } } });
    expect(safeExcerpt('oauth_problem=x&oauth_token_secret=s3cr3t&api_secret="abc"')).toBe(`oauth_problem=x&oauth_token_secret=${HIDDEN}&api_secret="${HIDDEN}"`);
    expect(maskSensitive(SECRET, { tokens: [], secrets: [SECRET] })).toBe(HIDDEN);
  });
});
