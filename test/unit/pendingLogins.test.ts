import { describe, expect, it } from 'vitest';

import { MAX_PENDING_LOGINS, PENDING_LOGIN_TTL_MS, addPendingLogin, takePendingLogin, type PendingLogin } from '../../src/oauth/pendingLogins.js';

const login = (token: string, createdAt: number): PendingLogin => ({ token, secret: `${token}-secret`, createdAt });

describe('pending logins', () => {
  it('keeps several logins so two tabs can both complete', () => {
    const list = addPendingLogin(addPendingLogin(undefined, login('a', 0), 0), login('b', 1), 1);
    expect(list.map((p) => p.token)).toEqual(['a', 'b']);
    const first = takePendingLogin(list, 'a', 2);
    expect(first.outcome).toBe('found');
    const second = takePendingLogin(first.rest, 'b', 3);
    expect(second.outcome).toBe('found');
    expect(second.rest).toEqual([]);
  });

  it(`drops the oldest beyond ${MAX_PENDING_LOGINS}`, () => {
    let list: PendingLogin[] = [];
    for (let i = 0; i < MAX_PENDING_LOGINS + 2; i++) list = addPendingLogin(list, login(`t${i}`, i), i);
    expect(list).toHaveLength(MAX_PENDING_LOGINS);
    expect(list[0]?.token).toBe('t2');
    expect(takePendingLogin(list, 't0', 10).outcome).toBe('unknown');
  });

  it('can be used once', () => {
    const list = addPendingLogin([], login('a', 0), 0);
    const taken = takePendingLogin(list, 'a', 1);
    expect(taken.outcome).toBe('found');
    expect(takePendingLogin(taken.rest, 'a', 2).outcome).toBe('unknown');
  });

  it('expires after 10 minutes and is dropped', () => {
    const list = addPendingLogin([], login('a', 0), 0);
    expect(takePendingLogin(list, 'a', PENDING_LOGIN_TTL_MS).outcome).toBe('found');
    const late = takePendingLogin(list, 'a', PENDING_LOGIN_TTL_MS + 1);
    expect(late.outcome).toBe('expired');
    expect(late.rest).toEqual([]);
  });

  it('does not match a token of another length or a prefix', () => {
    const list = addPendingLogin([], login('abcdef', 0), 0);
    expect(takePendingLogin(list, 'abc', 1).outcome).toBe('unknown');
    expect(takePendingLogin(list, 'abcdefg', 1).outcome).toBe('unknown');
  });
});
