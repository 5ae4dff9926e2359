import { describe, expect, it } from 'vitest';

import { parseReceipt } from '../../src/nexmo/receipts.js';

const ARRIVED = new Date('2026-11-23T12:05:30.000Z');
const base = { messageId: '0A00000000000001', status: 'delivered', 'err-code': '0' };

describe('the times a receipt carries', () => {
  it('takes the status time from scts (the carrier\'s YYMMDDHHMM, UTC) and keeps message-timestamp as when it arrived', () => {
    const parsed = parseReceipt({ ...base, scts: '2611231201', 'message-timestamp': '2026-11-23 12:03:20' }, ARRIVED);
    expect(parsed).toEqual({ ok: true, receipt: expect.objectContaining({ at: '2026-11-23T12:01:00.000Z', arrivedAt: '2026-11-23T12:03:20.000Z', atSource: 'scts' }) });
  });

  it('falls back to message-timestamp, then to the app\'s clock, when a time is missing or names no real moment', () => {
    const noScts = parseReceipt({ ...base, 'message-timestamp': '2026-11-23 12:03:20' }, ARRIVED);
    expect(noScts).toEqual({ ok: true, receipt: expect.objectContaining({ at: '2026-11-23T12:03:20.000Z', arrivedAt: '2026-11-23T12:03:20.000Z', atSource: 'message-timestamp' }) });
    for (const scts of ['2602311200', '2613011200', '2611232460', '261123120', 'x611231200']) {
      const parsed = parseReceipt({ ...base, scts }, ARRIVED);
      expect(parsed, scts).toEqual({ ok: true, receipt: expect.objectContaining({ at: ARRIVED.toISOString(), arrivedAt: ARRIVED.toISOString(), atSource: 'received' }) });
    }
  });
});
