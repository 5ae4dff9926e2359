import { describe, expect, it } from 'vitest';

import { prefillSmsForm } from '../../src/present/smsForm.js';
import { describeNetwork, operatorName } from '../../src/present/networks.js';
import { lastPartPrice } from '../../src/present/partPrice.js';
import { resultView, sendAnotherHref } from '../../src/present/sendResult.js';
import { writtenNumber } from '../../src/present/writtenNumber.js';
import type { SendRecord } from '../../src/store/types.js';

describe('operator names', () => {
  it.each([
    ['23410', 'O2 UK'],
    ['23415', 'Vodafone UK'],
    ['23420', 'Three UK'],
    ['23430', 'EE'],
    ['27201', 'Vodafone Ireland'],
    ['26201', 'Telekom DE'],
    ['310260', 'T-Mobile US'],
  ])('knows %s as %s', (code, name) => {
    expect(operatorName(code)).toBe(name);
    expect(describeNetwork(code)).toEqual({ code, operator: name, text: `${name} (${code})` });
  });

  it('shows a code it does not know as it is, and nothing when Nexmo gave none', () => {
    expect(operatorName('99999')).toBeUndefined();
    expect(describeNetwork('99999')).toEqual({ code: '99999', text: '99999' });
    expect(describeNetwork(undefined)).toBeUndefined();
    expect(describeNetwork('')).toBeUndefined();
    expect(describeNetwork('  ')).toBeUndefined();
  });

  it('does not mistake a 5-digit code for the start of a 6-digit one', () => {
    expect(operatorName('31026')).toBeUndefined();
    expect(operatorName('2341')).toBeUndefined();
  });
});

const request = { from: 'AcmeShop', to: '447700900123', text: 'Hi', type: 'text' as const };

function record(outcome: SendRecord['outcome'], id = 'r'): SendRecord {
  return { id, account: 'a', createdAt: Date.UTC(2026, 10, 23, 12), request, outcome, receipts: {} };
}

const sent = (price: string | undefined, status = 0): SendRecord['outcome'] => ({
  kind: status === 0 ? 'sent' : 'rejected',
  parts: [{ index: 0, status, messageId: status === 0 ? 'M1' : undefined, price, network: '23410' }],
  totalPrice: price ?? '0',
  messageCount: 1,
});

describe('lastPartPrice', () => {
  it('takes the price of the newest send that has one', () => {
    expect(lastPartPrice([record(sent('0.05000000')), record(sent('0.03330000'))])).toBe('0.05000000');
  });

  it('skips sends without a price: not sent, rejected, or unknown', () => {
    expect(lastPartPrice([record({ kind: 'unknown' }), record({ kind: 'throttled' }), record(sent(undefined, 9)), record(sent('0.0333'))])).toBe('0.0333');
  });

  it('is undefined with no priced send, or a price that is not a plain decimal', () => {
    expect(lastPartPrice([])).toBeUndefined();
    expect(lastPartPrice([record({ kind: 'failed', reason: 'network' })])).toBeUndefined();
    expect(lastPartPrice([record(sent('<b>1</b>'))])).toBeUndefined();
  });
});

describe('"Send another"', () => {
  it('links to a form with the same From and To', () => {
    expect(sendAnotherHref(record(sent('0.0333')))).toBe('/sms?from=AcmeShop&to=%2B447700900123');
    expect(resultView(record(sent('0.0333')), Date.UTC(2026, 10, 23, 12, 5)).sendAnotherHref).toBe('/sms?from=AcmeShop&to=%2B447700900123');
  });

  it('the form takes valid values from the link, the number written as a person writes it, and ignores the rest', () => {
    expect(prefillSmsForm({ from: 'AcmeShop', to: '+447700900123' })).toEqual({ from: 'AcmeShop', to: '+44 7700 900123', text: '' });
    expect(prefillSmsForm({ from: '+44 7700 900000', to: '0044 7700-900123' })).toEqual({ from: '447700900000', to: '+44 7700 900123', text: '' });
    // The sandbox's "Use this number" links give the digits alone.
    expect(prefillSmsForm({ to: '447700900999' }).to).toBe('+44 7700 900999');
    expect(prefillSmsForm({ to: '07700 900999' }, { defaultCountry: 'GB' }).to).toBe('+44 7700 900999');
    expect(prefillSmsForm({ to: '12015550123' }).to).toBe('+1 201 555 0123');
    expect(prefillSmsForm({ from: '<script>', to: '07700 900000' })).toEqual({ from: '', to: '', text: '' });
    expect(prefillSmsForm({ from: ['A', 'B'], to: { x: '1' } })).toEqual({ from: '', to: '', text: '' });
    expect(prefillSmsForm({})).toEqual({ from: '', to: '', text: '' });
    expect(prefillSmsForm({ from: 'Far Too Long A Sender' }).from).toBe('');
  });

  it('writes a number in international format, grouped as its country groups it', () => {
    expect(writtenNumber('447700900999')).toBe('+44 7700 900999');
    expect(writtenNumber('4915123456789')).toBe('+49 1512 3456789');
    expect(writtenNumber('353861234567')).toBe('+353 86 123 4567');
    // Digits no country reads stay readable as they are.
    expect(writtenNumber('999123')).toBe('+999123');
  });

  it('shows each part’s network with its operator', () => {
    expect(resultView(record(sent('0.0333')), Date.UTC(2026, 10, 23, 12, 5)).parts[0]!.network).toEqual({ code: '23410', operator: 'O2 UK', text: 'O2 UK (23410)' });
  });
});
