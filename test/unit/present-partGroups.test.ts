import { join } from 'node:path';

import ejs from 'ejs';
import { describe, expect, it } from 'vitest';

import { viewsDir } from '../../src/config/paths.js';
import type { Receipt } from '../../src/nexmo/receipts.js';
import { formatMoment } from '../../src/present/dates.js';
import type { Markup } from '../../src/present/markup.js';
import { groupSummary, partGroups, partsLabel, type GroupablePart } from '../../src/present/partGroups.js';
import { receiptTimes } from '../../src/present/receiptTimes.js';
import { resultView, statusView } from '../../src/present/sendResult.js';
import type { SendRecord } from '../../src/store/types.js';

const receipt = (fields: Partial<Receipt>): Receipt => ({ messageId: 'M0', status: 'delivered', errCode: 0, at: '2026-11-23T12:01:00.000Z', ...fields });

describe('the times of a receipt', () => {
  it('shows the carrier’s scts to the minute, saying so, and when Nexmo reported it to the second', () => {
    expect(receiptTimes(receipt({ atSource: 'scts', arrivedAt: '2026-11-23T12:01:40.000Z' }))).toEqual({
      carrier: { iso: '2026-11-23T12:01Z', text: '23 Nov 2026, 12:01 UTC', precision: 'minute', note: 'to the minute' },
      reported: { iso: '2026-11-23T12:01:40.000Z', text: '23 Nov 2026, 12:01:40 UTC', precision: 'second' },
    });
  });

  it('invents no carrier time for a receipt without scts: it shows only when it was reported', () => {
    const at = '2026-11-23T12:03:20.000Z';
    expect(receiptTimes(receipt({ at, arrivedAt: at, atSource: 'message-timestamp' }))).toEqual({ reported: formatMoment(Date.parse(at)) });
    expect(receiptTimes(receipt({ at, arrivedAt: at, atSource: 'received' }))).toEqual({ reported: formatMoment(Date.parse(at)) });
  });

  it('reads receipts stored before their time’s source was kept: scts where it differs from the arrival', () => {
    expect(receiptTimes(receipt({ arrivedAt: '2026-11-23T12:03:20.000Z' })).carrier?.precision).toBe('minute');
    expect(receiptTimes(receipt({ at: '2026-11-23T12:03:20.000Z', arrivedAt: '2026-11-23T12:03:20.000Z' }))).toEqual({ reported: formatMoment(Date.UTC(2026, 10, 23, 12, 3, 20)) });
    // Older still: no arrival kept, and `at` was when it was reported.
    expect(receiptTimes(receipt({ at: '2026-11-23T12:03:20.000Z' }))).toEqual({ reported: formatMoment(Date.UTC(2026, 10, 23, 12, 3, 20)) });
  });
});

describe('the label of a group of parts', () => {
  it.each([
    [[3], 'Part 3'],
    [[1, 2], 'Parts 1 and 2'],
    [[1, 2, 3, 4, 5, 6, 7], 'Parts 1–7'],
    [[1, 3, 5, 6, 7], 'Parts 1, 3 and 5–7'],
    [[1, 2, 5], 'Parts 1, 2 and 5'],
    [[2, 3, 4, 6, 7, 8], 'Parts 2–4 and 6–8'],
  ])('%j reads "%s"', (numbers, label) => {
    expect(partsLabel(numbers)).toBe(label);
  });
});

const delivered = (minute: number, second = 40) => ({
  status: 'delivered',
  title: 'Delivered',
  explanation: 'The message reached the recipient’s phone.',
  tone: 'ok',
  final: true,
  ...receiptTimes(receipt({ at: new Date(Date.UTC(2026, 10, 23, 12, minute)).toISOString(), arrivedAt: new Date(Date.UTC(2026, 10, 23, 12, minute, second)).toISOString(), atSource: 'scts' })),
});
const buffered = { status: 'buffered', title: 'With the carrier, not yet delivered', explanation: 'The network is holding the message.', tone: 'warn', final: false, ...receiptTimes(receipt({ status: 'buffered', atSource: 'scts', arrivedAt: '2026-11-23T12:02:10.000Z' })) };
const part = (number: number, receipt?: GroupablePart['receipt'], accepted = true): GroupablePart => ({ number, accepted, statusTitle: accepted ? 'Sent' : 'Not enough credit', receipt });

describe('parts grouped by their state', () => {
  it('makes seven delivered parts one closed group, "Parts 1–7: Delivered at …", that opens to the seven', () => {
    const groups = partGroups([1, 2, 3, 4, 5, 6, 7].map((n) => part(n, delivered(1))));
    expect(groups).toEqual([
      { key: 'receipt:delivered:Delivered:The message reached the recipient’s phone.', numbers: [1, 2, 3, 4, 5, 6, 7], label: 'Parts 1–7', title: 'Delivered', tone: 'ok', from: formatMoment(Date.UTC(2026, 10, 23, 12, 1), 'minute'), note: 'to the minute', open: false },
    ]);
  });

  it('gives each state its own group, in the order of their first part; a group of one part is drawn open', () => {
    const groups = partGroups([part(1, delivered(1)), part(2), part(3, delivered(4)), part(4, buffered), part(5, undefined, false), part(6)]);
    expect(groups.map((g) => [g.label, g.title, g.tone, g.open])).toEqual([
      ['Parts 1 and 3', 'Delivered', 'ok', false],
      ['Parts 2 and 6', 'Waiting for receipt', '', false],
      ['Part 4', 'With the carrier, not yet delivered', 'warn', true],
      ['Part 5', 'Not enough credit', 'bad', true],
    ]);
    // Delivered at two carrier minutes: between the first and the last, both to the minute.
    expect(groups[0]).toMatchObject({ from: { text: '23 Nov 2026, 12:01 UTC' }, to: { text: '23 Nov 2026, 12:04 UTC' }, note: 'to the minute' });
    // A state still changing has no time of its own in the summary (each part's row has it).
    expect(groups[2]!.from).toBeUndefined();
  });

  it('keeps parts apart whose words differ: another error, another group', () => {
    const failed = (explanation: string) => ({ status: 'failed', title: 'Not delivered', explanation, tone: 'bad', final: true });
    expect(partGroups([part(1, failed('Phone unreachable')), part(2, failed('Number not valid')), part(3, failed('Phone unreachable'))]).map((g) => g.label)).toEqual(['Parts 1 and 3', 'Part 2']);
  });

  it('dates a group without a carrier time by when Nexmo reported it, to the second', () => {
    const { carrier: _carrier, ...words } = delivered(1);
    const reportedOnly = { ...words, ...receiptTimes(receipt({ at: '2026-11-23T12:01:40.000Z', arrivedAt: '2026-11-23T12:01:40.000Z', atSource: 'message-timestamp' })) };
    const [group] = partGroups([part(1, reportedOnly), part(2, reportedOnly)]);
    expect(group).toMatchObject({ from: { text: '23 Nov 2026, 12:01:40 UTC' } });
    expect(group!.note).toBeUndefined();
  });

  it('comes with the message page and its live status, from the same view', () => {
    const record: SendRecord = {
      id: 'AAAAAAAAAAAAAAAAAAAAAA',
      account: 'acct',
      createdAt: Date.UTC(2026, 10, 23, 12),
      request: { from: 'Demo', to: '447700900000', text: 'Hello', type: 'text' },
      outcome: { kind: 'sent', parts: [0, 1, 2].map((index) => ({ index, status: 0, messageId: `M${index}`, price: '0.03330000' })), totalPrice: '0.09990000', messageCount: 3 },
      receipts: { M0: receipt({ messageId: 'M0', atSource: 'scts', arrivedAt: '2026-11-23T12:01:40.000Z' }), M1: receipt({ messageId: 'M1', atSource: 'scts', arrivedAt: '2026-11-23T12:01:50.000Z' }) },
    };
    const view = resultView(record, Date.UTC(2026, 10, 23, 12, 5));
    expect(view.groups.map((g) => [g.label, g.title])).toEqual([['Parts 1 and 2', 'Delivered'], ['Part 3', 'Waiting for receipt']]);
    // The page's summaries come drawn; the live status leaves them to the page, which draws them alike.
    expect(view.groups.map((g) => g.summary)).toEqual(view.groups.map(({ summary: _summary, ...group }) => groupSummary(group)));
    expect(statusView(record, Date.UTC(2026, 10, 23, 12, 5)).groups).toEqual(view.groups.map(({ summary: _summary, ...group }) => group));
  });
});

describe("a group's summary row", () => {
  const drawn = (nodes: readonly Markup[]) => ejs.renderFile(join(viewsDir, 'partials/markup.ejs'), { nodes });

  it('says when a final state was reached, between the first and the last time, noting once that they are to the minute', async () => {
    const [group] = partGroups([part(1, delivered(1)), part(2, delivered(4))]);
    expect(await drawn(groupSummary(group!))).toBe(
      '<span class="part-group-label">Parts 1 and 2</span>: <span class="badge badge-ok">Delivered</span> <span class="part-group-when">between ' +
        '<time datetime="2026-11-23T12:01Z">23 Nov 2026, 12:01 UTC</time> and <time datetime="2026-11-23T12:04Z">23 Nov 2026, 12:04 UTC</time> <span class="time-note">(to the minute)</span></span>',
    );
  });

  it('says "at" for one time, and no time for a state still changing or a part that is waiting', async () => {
    const [one] = partGroups([part(1, delivered(1)), part(2, delivered(1))]);
    expect(await drawn(groupSummary(one!))).toBe(
      '<span class="part-group-label">Parts 1 and 2</span>: <span class="badge badge-ok">Delivered</span> <span class="part-group-when">at <time datetime="2026-11-23T12:01Z">23 Nov 2026, 12:01 UTC</time> <span class="time-note">(to the minute)</span></span>',
    );
    const [withCarrier, waiting] = partGroups([part(1, buffered), part(2)]);
    expect(await drawn(groupSummary(withCarrier!))).toBe('<span class="part-group-label">Part 1</span>: <span class="badge badge-warn">With the carrier, not yet delivered</span>');
    expect(await drawn(groupSummary(waiting!))).toBe('<span class="part-group-label">Part 2</span>: <span class="badge">Waiting for receipt</span>');
  });
});
