// The app's own counters and histograms are written out exactly as prom-client's would be for
// the same counts: a scraper cannot tell them apart.
import { Counter, Histogram, Registry, type Metric } from 'prom-client';
import { describe, expect, it } from 'vitest';

import { LabelledCounter, LabelledHistogram } from '../../src/metrics/series.js';

const BUCKETS = [0.001, 0.01, 0.1, 1];

async function exposition(metric: unknown): Promise<string> {
  const registry = new Registry();
  registry.registerMetric(metric as Metric);
  return registry.metrics();
}

describe('the metrics series', () => {
  it('write a histogram as prom-client does: cumulative buckets, +Inf, sum and count per label set', async () => {
    const theirs = new Histogram({ name: 'op_seconds', help: 'Operations.', labelNames: ['operation', 'result'], buckets: BUCKETS, registers: [] });
    const ours = new LabelledHistogram('op_seconds', 'Operations.', ['operation', 'result'], BUCKETS);
    const observations: Array<[string, string, number]> = [
      ['sessions.get', 'ok', 0.0004],
      ['sessions.get', 'ok', 0.001],
      ['sessions.get', 'ok', 0.05],
      ['messages.reserve', 'ok', 0.002],
      ['messages.reserve', 'error', 3],
      ['sessions.get', 'ok', 0.5],
    ];
    for (const [operation, result, seconds] of observations) {
      theirs.observe({ operation, result }, seconds);
      ours.observe(operation, result, seconds);
    }
    const text = await exposition(ours);
    expect(text).toBe(await exposition(theirs));
    expect(text).toContain('op_seconds_bucket{le="0.001",operation="sessions.get",result="ok"} 2');
    expect(text).toContain('op_seconds_bucket{le="+Inf",operation="messages.reserve",result="error"} 1');
    expect(text).toContain('op_seconds_count{operation="sessions.get",result="ok"} 4');
  });

  it('write a counter as prom-client does, one line per label value', async () => {
    const theirs = new Counter({ name: 'sends_total', help: 'Sends.', labelNames: ['outcome'], registers: [] });
    const ours = new LabelledCounter('sends_total', 'Sends.', 'outcome');
    for (const outcome of ['sent', 'sent', 'repeat', 'sent', 'limited']) {
      theirs.inc({ outcome });
      ours.inc(outcome);
    }
    const text = await exposition(ours);
    expect(text).toBe(await exposition(theirs));
    expect(text).toContain('sends_total{outcome="sent"} 3');
  });

  it('write nothing but their names before anything was counted, as prom-client does', async () => {
    expect(await exposition(new LabelledCounter('sends_total', 'Sends.', 'outcome'))).toBe(await exposition(new Counter({ name: 'sends_total', help: 'Sends.', labelNames: ['outcome'], registers: [] })));
    expect(await exposition(new LabelledHistogram('op_seconds', 'Ops.', ['operation', 'result'], BUCKETS))).toBe(
      await exposition(new Histogram({ name: 'op_seconds', help: 'Ops.', labelNames: ['operation', 'result'], buckets: BUCKETS, registers: [] })),
    );
  });
});
