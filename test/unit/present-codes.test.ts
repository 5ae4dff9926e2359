import { describe, expect, it } from 'vitest';
import { DELIVERY_STATUSES } from '../../src/nexmo/receipts.js';
import { KNOWN_DELIVERY_ERROR_CODES, describeDeliveryError, describeDeliveryStatus } from '../../src/present/deliveryStatus.js';
import { KNOWN_SMS_STATUS_CODES, describeSmsStatus } from '../../src/present/smsStatus.js';

const ALL_CODES = Array.from({ length: 34 }, (_, code) => code);
const KNOWN = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 22, 23, 29, 32, 33];
const UNKNOWN = ALL_CODES.filter((code) => !KNOWN.includes(code));

const distinct = (values: string[]) => new Set(values).size === values.length;

describe('describeSmsStatus', () => {
  it('has a sentence for every code in Nexmo’s table', () => {
    expect(KNOWN_SMS_STATUS_CODES).toEqual(KNOWN);
  });

  it.each(ALL_CODES)('describes code %i in non-empty sentences', (code) => {
    const info = describeSmsStatus(code);
    expect(info.code).toBe(code);
    for (const text of [info.title, info.explanation, info.whatToDo]) expect(text.trim()).not.toBe('');
  });

  it('uses distinct titles, explanations and advice for the known codes', () => {
    const infos = KNOWN.map(describeSmsStatus);
    expect(distinct(infos.map((i) => i.title))).toBe(true);
    expect(distinct(infos.map((i) => i.explanation))).toBe(true);
    expect(distinct(infos.map((i) => i.whatToDo))).toBe(true);
  });

  it.each(UNKNOWN)('gives code %i the generic "unknown status" sentence', (code) => {
    expect(describeSmsStatus(code)).toEqual({
      code,
      title: `Unknown status ${code}`,
      explanation: `Nexmo answered with status ${code}, which this app does not recognise.`,
      whatToDo: 'Check the message log on the Nexmo dashboard before sending again, so it is not sent twice.',
      retryable: false,
    });
  });

  it('handles codes beyond the table the same way', () => {
    expect(describeSmsStatus(99).title).toBe('Unknown status 99');
  });

  it('marks only throttling, internal errors and busy connections as worth retrying', () => {
    expect(ALL_CODES.filter((code) => describeSmsStatus(code).retryable)).toEqual([1, 5, 10]);
  });

  it('tells the user to wait when throttled (1)', () => {
    expect(describeSmsStatus(1)).toMatchObject({ title: 'Too many messages at once', whatToDo: 'Wait a moment and try again.' });
  });

  it('asks to check the recipient and its country code, not its format, when a value was refused (3)', () => {
    // The app sends every recipient with its country code, however it was typed.
    expect(describeSmsStatus(3)).toMatchObject({
      title: 'A value was not accepted',
      whatToDo: 'Check the recipient number and its country code, and that the sender is a number or up to 11 letters and digits.',
    });
  });

  it('tells the user to top up when out of credit (9)', () => {
    expect(describeSmsStatus(9)).toMatchObject({
      title: 'Not enough credit',
      whatToDo: 'Top up your account on the Nexmo dashboard, then send again.',
    });
  });

  it('tells the user to connect again after a refused signature (14)', () => {
    expect(describeSmsStatus(14).explanation).toBe(
      'Nexmo did not accept the app’s signature on the request, so it could not tell the message came from your account.',
    );
    expect(describeSmsStatus(14).whatToDo).toMatch(/^Disconnect and connect again\./);
  });

  it('explains the demo account test-number list (29)', () => {
    expect(describeSmsStatus(29).explanation).toMatch(/^This number isn’t on your account’s list of test numbers\./);
  });
});

describe('describeDeliveryStatus', () => {
  it('covers the seven receipt statuses', () => {
    expect(DELIVERY_STATUSES).toEqual(['accepted', 'delivered', 'buffered', 'expired', 'failed', 'rejected', 'unknown']);
  });

  it('uses distinct, non-empty sentences', () => {
    const infos = DELIVERY_STATUSES.map(describeDeliveryStatus);
    for (const info of infos) expect(info.explanation.trim()).not.toBe('');
    // The two that are not final share their title (where the message is); every other is its own.
    const inProgress = infos.filter((i) => !i.final);
    expect(inProgress.map((i) => i.title)).toEqual(['With the carrier, not yet delivered', 'With the carrier, not yet delivered']);
    expect(distinct([inProgress[0]!, ...infos.filter((i) => i.final)].map((i) => i.title))).toBe(true);
    expect(distinct(infos.map((i) => i.explanation))).toBe(true);
  });

  it('marks only accepted and buffered as still in progress', () => {
    expect(DELIVERY_STATUSES.filter((status) => !describeDeliveryStatus(status).final)).toEqual(['accepted', 'buffered']);
  });

  it('describes delivered plainly', () => {
    expect(describeDeliveryStatus('delivered')).toEqual({
      status: 'delivered',
      title: 'Delivered',
      explanation: 'The message reached the recipient’s phone.',
      final: true,
    });
  });

  it('gives an unrecognised status a generic sentence and keeps it open', () => {
    expect(describeDeliveryStatus('DELIVRD')).toEqual({
      status: 'DELIVRD',
      title: 'Unrecognised receipt',
      explanation: 'Nexmo sent a delivery receipt with a status this app does not recognise.',
      final: false,
    });
  });
});

describe('describeDeliveryError', () => {
  const LISTED = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 50, 51, 52, 53, 54, 99];

  it('has a sentence for every listed err-code', () => {
    expect(KNOWN_DELIVERY_ERROR_CODES).toEqual(LISTED);
  });

  it('uses distinct, non-empty sentences', () => {
    const infos = LISTED.map(describeDeliveryError);
    for (const info of infos) expect(info.title.trim() && info.explanation.trim()).not.toBe('');
    expect(distinct(infos.map((i) => i.title))).toBe(true);
    expect(distinct(infos.map((i) => i.explanation))).toBe(true);
  });

  it('separates an absent subscriber for now (2) from for good (3)', () => {
    expect(describeDeliveryError(2).title).toBe('Phone unreachable for now');
    expect(describeDeliveryError(3).title).toBe('Phone unreachable');
  });

  it('gives an unlisted err-code a generic sentence', () => {
    expect(describeDeliveryError(16)).toEqual({
      code: 16,
      title: 'Unknown error 16',
      explanation: 'The network reported error 16, which this app does not recognise.',
    });
  });
});
