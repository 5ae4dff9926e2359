import { describe, expect, it } from 'vitest';

import { lookupCode } from '../../src/present/codeTable.js';
import { formatMoment, momentText, precisionOf } from '../../src/present/dates.js';
import { describeReceipt } from '../../src/present/deliveryStatus.js';
import { tryAgainIn } from '../../src/present/limits.js';
import { formatBalance, formatEuro } from '../../src/present/money.js';
import { resultView } from '../../src/present/sendResult.js';
import type { SendRecord } from '../../src/store/types.js';

describe('formatEuro', () => {
  it.each([
    ['0.03330000', '€0.0333'],
    ['10.00000000', '€10.00'],
    ['9.93340000', '€9.9334'],
    ['0.00000001', '€0.00000001'],
    ['12345.5', '€12,345.50'],
    ['-0.1', '-€0.10'],
  ])('writes Nexmo’s %s exactly, without trailing zeros beyond the cents: %s', (amount, text) => {
    expect(formatEuro(amount)).toBe(text);
  });

  it('does not lose digits a float would (17 significant digits)', () => {
    expect(formatEuro('123456789.12345678')).toBe('€123,456,789.12345678');
  });
});

describe('formatBalance', () => {
  it.each([
    ['10.00000000', '€10.00'],
    ['9.96670000', '€9.97'],
    ['9.66700000', '€9.67'],
    ['9.93340000', '€9.93'],
    ['9.99500000', '€10.00'],
    ['0.00400000', '€0.00'],
    ['12345.678', '€12,345.68'],
    ['-0.005', '-€0.01'],
  ])('writes the balance %s to the cent: %s', (amount, text) => {
    expect(formatBalance(amount)).toBe(text);
  });

  it('writes every balance of the message page to the cent, whatever places Nexmo gave (never €9.667 beside €9.9667)', () => {
    const balances = ['9.96670000', '9.93340000', '9.90010000', '9.86680000', '9.83350000', '9.80020000', '9.66700000'];
    const record: SendRecord = {
      id: 'AAAAAAAAAAAAAAAAAAAAAA',
      account: 'acct',
      createdAt: Date.UTC(2026, 10, 23, 12),
      request: { from: 'Demo', to: '447700900000', text: 'Hello', type: 'text' },
      outcome: {
        kind: 'sent',
        parts: balances.map((remainingBalance, index) => ({ index, status: 0, messageId: `M${index}`, price: '0.03330000', remainingBalance })),
        totalPrice: '0.23310000',
        messageCount: balances.length,
      },
      receipts: {},
    };
    const view = resultView(record, Date.UTC(2026, 10, 23, 12, 5));
    expect(view.parts.map((part) => part.remainingBalance)).toEqual(['€9.97', '€9.93', '€9.90', '€9.87', '€9.83', '€9.80', '€9.67']);
    expect(view.remainingBalance).toBe('€9.67');
    // Prices stay exact: they are what each part cost, not an amount seen at a glance.
    expect(view.parts.map((part) => part.price)).toEqual(Array(7).fill('€0.0333'));
    expect(view.totalPrice).toBe('€0.2331');
  });
});

describe('formatMoment', () => {
  it('gives an ISO string for machines and a UTC text for people, to the second', () => {
    expect(formatMoment(Date.UTC(2026, 10, 23, 18, 5, 9, 900))).toEqual({ iso: '2026-11-23T18:05:09.900Z', text: '23 Nov 2026, 18:05:09 UTC', precision: 'second' });
    expect(formatMoment(Date.UTC(2026, 0, 2, 0, 0, 0))).toEqual({ iso: '2026-01-02T00:00:00.000Z', text: '2 Jan 2026, 00:00:00 UTC', precision: 'second' });
  });

  it('writes a moment known only to the minute without seconds, in its datetime too, and says so', () => {
    expect(formatMoment(Date.UTC(2026, 8, 3, 7, 1), 'minute')).toEqual({ iso: '2026-09-03T07:01Z', text: '3 Sep 2026, 07:01 UTC', precision: 'minute', note: 'to the minute' });
    expect(precisionOf('2026-09-03T07:01Z')).toBe('minute');
    expect(precisionOf('2026-09-03T07:01:00.000Z')).toBe('second');
    // Browsers read the minute-only form as the same moment.
    expect(new Date('2026-09-03T07:01Z').getTime()).toBe(Date.UTC(2026, 8, 3, 7, 1));
  });

  it('writes the same pattern in any zone, the zone named at the end: only the zone changes', () => {
    const moment = new Date(Date.UTC(2026, 10, 23, 18, 5, 9));
    expect(momentText(moment, 'second', 'UTC')).toBe('23 Nov 2026, 18:05:09 UTC');
    expect(momentText(moment, 'second', 'Asia/Tokyo')).toBe('24 Nov 2026, 03:05:09 GMT+9');
    expect(momentText(moment, 'minute', 'Asia/Tokyo')).toBe('24 Nov 2026, 03:05 GMT+9');
    expect(momentText(moment, 'second', 'America/New_York')).toBe('23 Nov 2026, 13:05:09 GMT-5');
    expect(momentText(new Date(Date.UTC(2026, 6, 1, 23, 30)), 'minute', 'Europe/London')).toBe('2 Jul 2026, 00:30 BST');
  });
});

describe('lookupCode', () => {
  const table = new Map([[1, { title: 'one' }]]);
  it('returns the listed entry with its code, or the fallback for an unlisted code', () => {
    expect(lookupCode(table, 1, () => ({ title: 'unknown' }))).toEqual({ code: 1, title: 'one' });
    expect(lookupCode(table, 7, (code) => ({ title: `unknown ${code}` }))).toEqual({ code: 7, title: 'unknown 7' });
  });
});

describe('describeReceipt', () => {
  const receipt = { messageId: 'm1', at: '2026-11-23T18:05:00.000Z' };
  it('marks a delivered part as final and good', () => {
    expect(describeReceipt({ ...receipt, status: 'delivered', errCode: 0 })).toEqual({
      title: 'Delivered',
      explanation: 'The message reached the recipient’s phone.',
      final: true,
      tone: 'ok',
    });
  });

  it('names the network’s error after the status for a failed part', () => {
    const described = describeReceipt({ ...receipt, status: 'failed', errCode: 2 });
    expect(described).toMatchObject({ title: 'Not delivered', final: true, tone: 'bad' });
    expect(described.explanation).toBe('The network could not deliver the message. Phone unreachable for now: The phone is switched off or out of coverage; it may be reachable later.');
  });

  it('keeps a buffered part open, as a warning', () => {
    expect(describeReceipt({ ...receipt, status: 'buffered', errCode: 0 })).toMatchObject({ final: false, tone: 'warn' });
  });
});

describe('tryAgainIn', () => {
  it.each([
    [1, 'Try again in 1 second.'],
    [42, 'Try again in 42 seconds.'],
    [90, 'Try again in 90 seconds.'],
    [91, 'Try again in 2 minutes.'],
    [3599, 'Try again in 60 minutes.'],
    [3600, 'Try again in 1 hour.'],
    [86_400, 'Try again in 24 hours.'],
  ])('rounds %i seconds up, never saying too early: %s', (seconds, words) => {
    expect(tryAgainIn(seconds)).toBe(words);
  });
});
