// A part's Delivery cell is written once (src/present/receiptCell.ts) and drawn from that markup
// by the server's partial; the browser's drawing of the same markup is specified in
// test/browser/message-parts.browser.test.ts (what the page drew is what the server draws).
import { join } from 'node:path';

import ejs from 'ejs';
import { describe, expect, it } from 'vitest';

import { viewsDir } from '../../src/config/paths.js';
import type { Receipt } from '../../src/nexmo/receipts.js';
import type { Markup } from '../../src/present/markup.js';
import { receiptCell, type ShownReceipt } from '../../src/present/receiptCell.js';
import { receiptTimes } from '../../src/present/receiptTimes.js';

const drawn = (nodes: readonly Markup[]) => ejs.renderFile(join(viewsDir, 'partials/markup.ejs'), { nodes });

const receipt = (fields: Partial<Receipt>): Receipt => ({ messageId: 'M0', status: 'delivered', errCode: 0, at: '2026-11-23T12:01:00.000Z', ...fields });
const words = { title: 'Delivered', explanation: 'The message reached the recipient’s phone.', tone: 'ok' };
const delivered: ShownReceipt = { ...words, ...receiptTimes(receipt({ atSource: 'scts', arrivedAt: '2026-11-23T12:01:40.000Z' })) };

describe("a part's Delivery cell", () => {
  it("shows the receipt's words, the carrier's time to the minute, saying so, and when Nexmo reported it", async () => {
    expect(await drawn(receiptCell({ accepted: true, receipt: delivered }))).toBe(
      '<span class="badge badge-ok">Delivered</span><span class="small muted block">The message reached the recipient’s phone.</span>' +
        '<span class="small block" data-receipt="times">Carrier time <time datetime="2026-11-23T12:01Z">23 Nov 2026, 12:01 UTC</time> <span class="time-note">(to the minute)</span>' +
        '<span class="muted"> reported <time datetime="2026-11-23T12:01:40.000Z">23 Nov 2026, 12:01:40 UTC</time></span></span>',
    );
  });

  it('shows only when Nexmo reported a receipt that had no carrier time, and no times when it has none', async () => {
    const reportedOnly = { ...words, ...receiptTimes(receipt({ at: '2026-11-23T12:03:20.000Z', arrivedAt: '2026-11-23T12:03:20.000Z', atSource: 'message-timestamp' })) };
    expect(await drawn(receiptCell({ accepted: true, receipt: reportedOnly }))).toBe(
      '<span class="badge badge-ok">Delivered</span><span class="small muted block">The message reached the recipient’s phone.</span>' +
        '<span class="small block" data-receipt="times">Reported <time datetime="2026-11-23T12:03:20.000Z">23 Nov 2026, 12:03:20 UTC</time></span>',
    );
    expect(await drawn(receiptCell({ accepted: true, receipt: { title: 'Expired', explanation: 'No report.', tone: 'bad' } }))).toBe('<span class="badge badge-bad">Expired</span><span class="small muted block">No report.</span>');
  });

  it('says "Waiting for receipt" for an accepted part without one, and shows a dash for a refused part', async () => {
    expect(await drawn(receiptCell({ accepted: true }))).toBe('<span class="badge">Waiting for receipt</span>');
    expect(await drawn(receiptCell({ accepted: true, receipt: null }))).toBe('<span class="badge">Waiting for receipt</span>');
    expect(await drawn(receiptCell({ accepted: false }))).toBe('—');
  });

  it('draws every word as text, never as markup', async () => {
    const hostile = { title: '<img src=x onerror=alert(1)>', explanation: '"quoted" & <b>bold</b>', tone: 'ok" onclick="x' };
    const html = await drawn(receiptCell({ accepted: true, receipt: hostile }));
    expect(html).toBe('<span class="badge badge-ok&#34; onclick=&#34;x">&lt;img src=x onerror=alert(1)&gt;</span><span class="small muted block">&#34;quoted&#34; &amp; &lt;b&gt;bold&lt;/b&gt;</span>');
  });
});
