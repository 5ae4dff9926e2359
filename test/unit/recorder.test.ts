// The recorder routes each exchange's facts to the caller that started it, by the moment it
// started (the consumer asks as the exchange starts), however the completions interleave.
import { describe, expect, it } from 'vitest';

import { createRecorder, type ExchangeRecorder } from '../../src/timeline/recorder.js';
import { fakeFacts } from '../helpers/fakeNexmo.js';

/** A consumer's call as the real one makes it: asks where its facts go as it starts, records them when its answer comes. */
function exchange(recorder: ExchangeRecorder, name: string, answer: Promise<void>): Promise<string> {
  const record = recorder.exchangeStarts();
  return answer.then(() => {
    record(fakeFacts('POST', `https://provider.example/${name}`, 200));
    return name;
  });
}

/** A promise the spec settles by hand, to order the answers. */
function later(): { promise: Promise<void>; settle(): void } {
  let settle = () => {};
  const promise = new Promise<void>((resolve) => (settle = resolve));
  return { promise, settle };
}

const urls = (recorded: Array<{ url: string }>) => recorded.map((facts) => facts.url);

describe('the exchange recorder', () => {
  it('hands a collected call its own exchanges, in the order they completed, once their answers came', async () => {
    const recorder = createRecorder();
    const first = later();
    const second = later();
    const collected = recorder.collect(async () => {
      const both = Promise.all([exchange(recorder, 'first', first.promise), exchange(recorder, 'second', second.promise)]);
      return (await both).join('+');
    });
    second.settle();
    first.settle();
    const { value, recorded } = await collected;
    expect(value).toBe('first+second');
    expect(urls(recorded)).toEqual(['https://provider.example/second', 'https://provider.example/first']);
  });

  it('keeps concurrent callers apart however their answers interleave', async () => {
    const recorder = createRecorder();
    const answers = [later(), later(), later()];
    const calls = ['a', 'b', 'c'].map((name, i) => recorder.collect(() => exchange(recorder, name, answers[i]!.promise)));
    for (const i of [2, 0, 1]) answers[i]!.settle();
    const results = await Promise.all(calls);
    expect(results.map(({ value, recorded }) => [value, urls(recorded)])).toEqual([
      ['a', ['https://provider.example/a']],
      ['b', ['https://provider.example/b']],
      ['c', ['https://provider.example/c']],
    ]);
  });

  it('records a call made outside any collect nowhere, not even in a collect running meanwhile', async () => {
    const recorder = createRecorder();
    const outside = later();
    const inside = later();
    const stray = exchange(recorder, 'outside', outside.promise);
    const collected = recorder.collect(() => exchange(recorder, 'inside', inside.promise));
    outside.settle();
    await stray;
    inside.settle();
    expect(urls((await collected).recorded)).toEqual(['https://provider.example/inside']);
  });

  it('gives a collect inside another its own exchanges, and the outer one the rest', async () => {
    const recorder = createRecorder();
    const collected = recorder.collect(async () => {
      const inner = recorder.collect(() => exchange(recorder, 'inner', Promise.resolve()));
      const outer = exchange(recorder, 'outer', Promise.resolve());
      return { inner: urls((await inner).recorded), outer: await outer };
    });
    const { value, recorded } = await collected;
    expect(value.inner).toEqual(['https://provider.example/inner']);
    expect(urls(recorded)).toEqual(['https://provider.example/outer']);
  });

  it('passes on a call that throws before it awaits, and records nothing for it', async () => {
    const recorder = createRecorder();
    await expect(
      recorder.collect(() => {
        throw new Error('refused at once');
      }),
    ).rejects.toThrow('refused at once');
    // The next caller starts clean.
    expect(urls((await recorder.collect(() => exchange(recorder, 'next', Promise.resolve()))).recorded)).toEqual(['https://provider.example/next']);
  });
});
