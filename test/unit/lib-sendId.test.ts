import { describe, expect, it } from 'vitest';

import { randomToken } from '../../src/lib/randomPool.js';
import { SEND_ID } from '../../src/lib/sendId.js';

describe("a send id's shape", () => {
  it('is what a send key makes: 16 random bytes in base64url', () => {
    for (let i = 0; i < 200; i++) expect(randomToken(16)).toMatch(SEND_ID);
    expect(SEND_ID.test('AbCdEfGhIjKlMnOpQr-_09')).toBe(true);
  });

  it('refuses anything else: another length, padding, base64 characters, a whole key, a path, a line break', () => {
    for (const value of ['AbCdEfGhIjKlMnOpQr-_0', 'AbCdEfGhIjKlMnOpQr-_09x', 'AbCdEfGhIjKlMnOpQr-_0=', 'AbCdEfGhIjKlMnOpQr+/09', `${randomToken(16)}.mac`, `../${randomToken(16)}`, `${randomToken(16)}\n`, '']) {
      expect(SEND_ID.test(value), JSON.stringify(value)).toBe(false);
    }
  });
});
