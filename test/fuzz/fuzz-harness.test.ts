// The fuzz harness itself: a failure says how to replay it, and a case cut off by the time
// limit is finished (and judged) before the next one starts, so its requests are never
// counted against another case.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { FUZZ_SEED, FuzzFailure, fuzz } from './hostile.js';

/** Resolves after `ms`; only used to keep a case running past the time limit. */
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the fuzz harness', () => {
  it('names the seed, the shrunk counterexample and the command that replays a failure', async () => {
    const failure = await fuzz(
      fc.asyncProperty(fc.integer({ min: 0, max: 1000 }), async (n) => {
        expect(n).toBeLessThan(500);
      }),
      200,
      60_000,
    ).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(FuzzFailure);
    const message = (failure as Error).message;
    expect(message).toContain('counterexample: [500]');
    expect(message).toMatch(new RegExp(`replay it: FUZZ_SEED=${FUZZ_SEED} FUZZ_PATH=[0-9:]+ npx vitest run test/fuzz`));
    expect(message).toContain('expected 500 to be less than 500');
  });

  it('returns only once a case cut off by the time limit has finished its work', async () => {
    const finished: number[] = [];
    let started = 0;
    await fuzz(
      fc.asyncProperty(fc.integer(), async () => {
        started += 1;
        // Far longer than the limit: fast-check stops watching this case while it still runs.
        await pause(300);
        finished.push(started);
      }),
      1_000,
      20,
    );
    expect(started).toBeGreaterThan(0);
    // Every case that started has finished by the time fuzz() returns.
    expect(finished).toHaveLength(started);
  });

  it('fails the run when the case cut off by the time limit fails after fast-check stopped watching it', async () => {
    const failure = await fuzz(
      fc.asyncProperty(fc.integer(), async () => {
        await pause(300);
        throw new Error('found after the time limit');
      }),
      1_000,
      20,
    ).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(FuzzFailure);
    expect((failure as Error).message).toMatch(/still running when the time limit stopped the run failed/);
    expect((failure as Error).message).toContain('found after the time limit');
  });
});
