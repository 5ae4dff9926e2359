import { describe, expect, it } from 'vitest';

import type { Receipt } from '../../src/nexmo/receipts.js';
import type { SendOutcome, SentPart } from '../../src/nexmo/types.js';
import { excerpt, historyView } from '../../src/present/history.js';
import { headline, statusLine } from '../../src/present/messageStatus.js';
import { statusView } from '../../src/present/sendResult.js';
import type { SendRecord } from '../../src/store/types.js';

const part = (index: number, status = 0): SentPart => ({ index, status, ...(status === 0 ? { messageId: `M${index}`, price: '0.03330000' } : {}) });

function sent(parts: SentPart[], receipts: Record<string, Pick<Receipt, 'status' | 'errCode'>> = {}, kind?: 'sent' | 'partial'): SendRecord {
  return record(
    { kind: kind ?? 'sent', parts, totalPrice: '0.03330000', messageCount: parts.length },
    Object.fromEntries(Object.entries(receipts).map(([messageId, r]) => [messageId, { messageId, at: '2026-11-23T12:00:00.000Z', ...r }])),
  );
}

function record(outcome: SendOutcome, receipts: Record<string, Receipt> = {}, createdAt = Date.UTC(2026, 10, 23, 12)): SendRecord {
  return { id: 'AAAAAAAAAAAAAAAAAAAAAA', account: 'acct', createdAt, request: { from: 'Demo', to: '447700900000', text: 'Hello there', type: 'text' }, outcome, receipts };
}

/** The app's clock in these specs: five minutes after the sends below. */
const NOW = Date.UTC(2026, 10, 23, 12, 5);

const delivered = { status: 'delivered', errCode: 0 } as const;
const absent = { status: 'failed', errCode: 2 } as const;

describe('the one-line status of a message in the history', () => {
  it.each([
    ['every part delivered', sent([part(0), part(1)], { M0: delivered, M1: delivered }), { text: 'Delivered', tone: 'ok', final: true }],
    ['no receipt yet', sent([part(0)]), { text: 'Waiting for receipt', tone: 'wait', final: false }],
    ['no receipts yet for three parts', sent([part(0), part(1), part(2)]), { text: 'Waiting for receipts', tone: 'wait', final: false }],
    ['two of three parts delivered so far', sent([part(0), part(1), part(2)], { M0: delivered, M2: delivered }), { text: '2 of 3 delivered', tone: 'wait', final: false }],
    ['a part only buffered by the network', sent([part(0)], { M0: { status: 'buffered', errCode: 0 } }), { text: 'With the carrier, not yet delivered', tone: 'wait', final: false }],
    ['one part accepted by the network, one with no receipt yet', sent([part(0), part(1)], { M0: { status: 'accepted', errCode: 0 } }), { text: 'Waiting for receipts', tone: 'wait', final: false }],
    ['an expired delivery with an err-code, named as expired', sent([part(0)], { M0: { status: 'expired', errCode: 2 } }), { text: 'Not delivered: expired', tone: 'bad', final: true }],
    ['a failed delivery, named by its err-code', sent([part(0)], { M0: absent }), { text: 'Not delivered: phone unreachable for now', tone: 'bad', final: true }],
    ['an expired delivery without an err-code', sent([part(0)], { M0: { status: 'expired', errCode: 0 } }), { text: 'Not delivered: expired', tone: 'bad', final: true }],
    ['one part delivered and one failed', sent([part(0), part(1)], { M0: delivered, M1: absent }), { text: '1 of 2 delivered, 1 not delivered: phone unreachable for now', tone: 'warn', final: true }],
    ['a part Nexmo refused next to a delivered one', sent([part(0), part(1, 9)], { M0: delivered }, 'partial'), { text: '1 of 2 delivered, 1 not delivered: not enough credit', tone: 'warn', final: true }],
    ['a send Nexmo rejected', record({ kind: 'rejected', parts: [part(0, 9)], totalPrice: '0', messageCount: 1 }), { text: 'Not sent: not enough credit', tone: 'bad', final: true }],
    ['a throttled send', record({ kind: 'throttled' }), { text: 'Not sent: too many messages at once', tone: 'bad', final: true }],
    ['a send that could not reach Nexmo', record({ kind: 'failed', reason: 'network' }), { text: 'Not sent: Nexmo could not be reached', tone: 'bad', final: true }],
    ['a send that timed out', record({ kind: 'unknown' }), { text: 'Outcome unknown', tone: 'warn', final: true }],
  ] as const)('for %s', (_name, message, expected) => {
    expect(statusLine(message, NOW)).toEqual(expected);
  });

  it('never lets a late non-final receipt count as delivered or failed', () => {
    expect(statusLine(sent([part(0)], { M0: { status: 'accepted', errCode: 0 } }), NOW).final).toBe(false);
  });
});

describe('the headline of a message page', () => {
  it('says delivered, in a success tone, once every part is delivered', () => {
    expect(headline(sent([part(0)], { M0: delivered }), NOW)).toMatchObject({ tone: 'success', title: 'Delivered', message: 'Your message reached the recipient’s phone.' });
    expect(headline(sent([part(0), part(1)], { M0: delivered, M1: delivered }), NOW).message).toBe('All 2 parts of your message reached the recipient’s phone.');
  });

  it('says sent and waiting while no receipt has arrived, without claiming delivery', () => {
    const shown = headline(sent([part(0), part(1)]), NOW);
    expect(shown).toMatchObject({ tone: 'info', title: 'Sent' });
    expect(shown.message).toBe('Nexmo accepted your message in 2 parts. Waiting for the network’s delivery receipts; this page updates when they arrive.');
  });

  it('never puts a failed delivery under a green "Sent": it says not delivered, why, and offers to send again', () => {
    const shown = headline(sent([part(0)], { M0: absent }), NOW);
    expect(shown.tone).toBe('error');
    expect(shown.title).toBe('Not delivered: phone unreachable for now');
    expect(shown.message).toContain('The phone is switched off or out of coverage');
    expect(shown.whatToDo).toBeDefined();
    expect(shown.offerRetry).toBe(true);
  });

  it('says a message was only partly delivered, and which part was lost', () => {
    const shown = headline(sent([part(0), part(1), part(2)], { M0: delivered, M1: absent, M2: delivered }), NOW);
    expect(shown).toMatchObject({ tone: 'warning', title: 'Partly delivered: 2 of 3 parts', offerRetry: false });
    expect(shown.message).toBe('Part 2 could not be delivered: phone unreachable for now. The recipient may see an incomplete message.');
  });

  it('says how far delivery has got while some receipts are still due', () => {
    const shown = headline(sent([part(0), part(1)], { M0: delivered }), NOW);
    expect(shown).toMatchObject({ tone: 'info', title: 'Partly delivered: 1 of 2 parts so far' });
    expect(shown.message).toContain('Waiting for the network to report on the other part;');
  });

  it('does not offer to send again while a part of an undelivered message may still arrive', () => {
    expect(headline(sent([part(0), part(1)], { M0: absent }), NOW)).toMatchObject({ tone: 'error', offerRetry: false });
  });

  it('keeps what Nexmo answered for sends that did not go out', () => {
    expect(headline(record({ kind: 'throttled' }), NOW)).toMatchObject({ title: 'Not sent: too many messages at once', offerRetry: true });
    expect(headline(record({ kind: 'failed', reason: 'server-error' }), NOW)).toMatchObject({ tone: 'error', title: 'Not sent: Nexmo had a problem' });
    expect(headline(record({ kind: 'unknown' }), NOW).title).toBe('We don’t know whether it was sent');
  });
});

describe('the status a message page polls', () => {
  it('carries the headline, the status line and each part’s receipt, and says when nothing more is due', () => {
    const waiting = statusView(sent([part(0), part(1)], { M0: delivered }), NOW);
    expect(waiting.complete).toBe(false);
    expect(waiting.status).toEqual({ text: '1 of 2 delivered', tone: 'wait', final: false });
    expect(waiting.headline).not.toHaveProperty('offerRetry');
    expect(waiting.parts).toEqual([
      { number: 1, messageId: 'M0', receipt: expect.objectContaining({ title: 'Delivered', status: 'delivered' }) },
      { number: 2, messageId: 'M1', receipt: null },
    ]);
    expect(statusView(sent([part(0), part(1)], { M0: delivered, M1: absent }), NOW).complete).toBe(true);
  });
});

describe('the carrier\'s timeline', () => {
  const HOUR = 60 * 60 * 1000;
  const SENT_AT = Date.UTC(2026, 10, 23, 12);
  const accepted = { status: 'accepted', errCode: 0 } as const;

  it('says a message the network has taken is with the carrier, and keeps the page polling', () => {
    const shown = headline(sent([part(0), part(1)], { M0: accepted, M1: { status: 'buffered', errCode: 2 } }), NOW);
    expect(shown).toMatchObject({ tone: 'info', title: 'With the carrier, not yet delivered', offerRetry: false });
    expect(shown.message).toContain('is trying to deliver it');
    const view = statusView(sent([part(0)], { M0: accepted }), NOW);
    expect(view.complete).toBe(false);
    expect(view.parts[0]!.receipt).toMatchObject({ title: 'With the carrier, not yet delivered', final: false, tone: 'warn', status: 'accepted' });
  });

  it('shows each receipt at its status time, with when it was reported beside it, each to the precision it has', () => {
    const record = sent([part(0)]);
    record.receipts.M0 = { messageId: 'M0', status: 'delivered', errCode: 0, at: '2026-11-23T12:01:00.000Z', arrivedAt: '2026-11-23T12:03:20.000Z', atSource: 'scts' };
    expect(statusView(record, NOW).parts[0]!.receipt).toMatchObject({
      at: '2026-11-23T12:01:00.000Z',
      carrier: { iso: '2026-11-23T12:01Z', text: '23 Nov 2026, 12:01 UTC', precision: 'minute', note: 'to the minute' },
      reported: { iso: '2026-11-23T12:03:20.000Z', text: '23 Nov 2026, 12:03:20 UTC', precision: 'second' },
    });
  });

  it('calls a message with no final receipt 72 hours after sending expired, and stops polling', () => {
    const quiet = record({ kind: 'sent', parts: [part(0)], totalPrice: '0.03330000', messageCount: 1 }, {}, SENT_AT);
    const justBefore = SENT_AT + 72 * HOUR - 1;
    expect(statusLine(quiet, justBefore)).toEqual({ text: 'Waiting for receipt', tone: 'wait', final: false });
    expect(statusView(quiet, justBefore).complete).toBe(false);
    const after = SENT_AT + 72 * HOUR;
    expect(statusLine(quiet, after)).toEqual({ text: 'Expired: no delivery report within 72 hours', tone: 'bad', final: true });
    expect(headline(quiet, after)).toMatchObject({ tone: 'error', title: 'Expired: no delivery report within 72 hours', offerRetry: true });
    const view = statusView(quiet, after);
    expect(view.complete).toBe(true);
    expect(view.parts[0]!.receipt).toMatchObject({ title: 'Expired', final: true, tone: 'bad', status: 'unreported' });
  });

  it('judges a part left accepted or buffered for 72 hours the same, and leaves final receipts as they were', () => {
    const after = SENT_AT + 80 * HOUR;
    const buffered = record({ kind: 'sent', parts: [part(0)], totalPrice: '0.03330000', messageCount: 1 }, { M0: { messageId: 'M0', status: 'buffered', errCode: 2, at: '2026-11-23T12:01:00.000Z' } }, SENT_AT);
    expect(statusLine(buffered, after).text).toBe('Expired: no delivery report within 72 hours');
    const mixed = record({ kind: 'sent', parts: [part(0), part(1)], totalPrice: '0.06660000', messageCount: 2 }, { M0: { messageId: 'M0', ...delivered, at: '2026-11-23T12:01:00.000Z' } }, SENT_AT);
    expect(statusLine(mixed, after)).toEqual({ text: '1 of 2 delivered, 1 not delivered: no delivery report within 72 hours', tone: 'warn', final: true });
    const done = record({ kind: 'sent', parts: [part(0)], totalPrice: '0.03330000', messageCount: 1 }, { M0: { messageId: 'M0', ...delivered, at: '2026-11-23T12:01:00.000Z' } }, SENT_AT);
    expect(statusLine(done, after)).toEqual({ text: 'Delivered', tone: 'ok', final: true });
  });
});

describe('the history page', () => {
  it('cuts long texts to one short line without splitting an emoji', () => {
    expect(excerpt('Hello\n  there')).toBe('Hello there');
    const long = `${'a'.repeat(38)}👩‍👩‍👧 and more`;
    expect(excerpt(long)).toBe(`${'a'.repeat(38)}👩‍👩‍👧…`);
    expect(excerpt('x'.repeat(40))).toBe('x'.repeat(40));
  });

  it('links newer and older pages, and watches only rows that can still change', () => {
    const rows = [sent([part(0)]), { ...sent([part(0)], { M0: delivered }), id: 'BBBBBBBBBBBBBBBBBBBBBB' }];
    const view = historyView({ records: rows, total: 45 }, 2, NOW);
    expect(view).toMatchObject({ pages: 3, pageNumber: 2, newer: '/messages', older: '/messages?page=3', watchIds: ['AAAAAAAAAAAAAAAAAAAAAA'] });
    expect(view.rows[0]).toMatchObject({ to: '+44 7700 900000', toCountry: 'United Kingdom', excerpt: 'Hello there', parts: 1, sentAt: { text: '23 Nov 2026, 12:00:00 UTC' } });
    // The Status cell is the status line's badge, as the page redraws it (src/present/markup.ts).
    expect(view.rows.map((row) => row.statusCell)).toEqual([
      [{ tag: 'span', className: 'badge badge-wait', children: ['Waiting for receipt'] }],
      [{ tag: 'span', className: 'badge badge-ok', children: ['Delivered'] }],
    ]);
    expect(historyView({ records: [], total: 0 }, 1, NOW)).toMatchObject({ pages: 1, newer: undefined, older: undefined, watchIds: [] });
  });

  it('counts the parts of a send that never reached Nexmo from its text', () => {
    const unsent = { ...record({ kind: 'throttled' }), request: { from: 'Demo', to: '447700900000', text: 'y'.repeat(200), type: 'text' as const } };
    expect(historyView({ records: [unsent], total: 1 }, 1, NOW).rows[0]!.parts).toBe(2);
  });
});
