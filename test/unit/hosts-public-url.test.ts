// What the start-up log says about PUBLIC_URL and the room, and which setting makes the app
// follow the address each browser uses.
import { describe, expect, it } from 'vitest';

import { answersEveryAddress } from '../../src/lib/hostNames.js';
import { loopbackPublicUrlWarning } from '../../src/present/addressPages.js';

describe('PUBLIC_URL and the room', () => {
  it('answers at every address of this machine without PUBLIC_URL, or with one on a loopback name', () => {
    expect(answersEveryAddress(undefined)).toBe(true);
    for (const url of ['http://localhost:3000', 'http://127.0.0.1:3000', 'http://[::1]:3000', 'http://demo.localhost:3000']) expect(answersEveryAddress(url), url).toBe(true);
    for (const url of ['https://sms.example.com', 'http://192.168.1.20:3000']) expect(answersEveryAddress(url), url).toBe(false);
  });

  it('warns about a loopback PUBLIC_URL only when the machine has network addresses, naming one at PUBLIC_URL’s port', () => {
    const warning = loopbackPublicUrlWarning('http://localhost:3000', ['http://192.168.1.20:3000', 'http://[fd00::1]:3000']);
    expect(warning).toContain('PUBLIC_URL is http://localhost:3000, a name only this machine can open.');
    expect(warning).toContain('e.g. PUBLIC_URL=http://192.168.1.20:3000');
    expect(loopbackPublicUrlWarning('http://localhost:3000', [])).toBeUndefined();
    expect(loopbackPublicUrlWarning(undefined, ['http://192.168.1.20:3000'])).toBeUndefined();
    expect(loopbackPublicUrlWarning('https://sms.example.com', ['http://192.168.1.20:3000'])).toBeUndefined();
  });
});
