// The app's counters and histograms as plain numbers, shown through prom-client's registry in
// its own format. prom-client's Counter and Histogram hash and check their labels on every count
// (a few µs, six times a send); here each label set is found once, by its values, and counting
// is an addition. Label names and values come from the app's fixed, small sets.

/** One line of prom-client's exposition data (what a metric's get() answers). */
interface Value {
  labels: Record<string, string | number>;
  sharedLabels?: Record<string, string>;
  value: number;
  metricName?: string;
}

/** What prom-client's Registry reads from a metric. */
export interface RegistryMetric {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'histogram';
  readonly aggregator: 'sum';
  get(): Promise<{ name: string; help: string; type: string; values: Value[]; aggregator: string }>;
}

/** A counter with one label, e.g. sends by outcome. */
export class LabelledCounter implements RegistryMetric {
  readonly type = 'counter';
  readonly aggregator = 'sum';
  private readonly counts = new Map<string, number>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly label: string,
  ) {}

  inc(value: string): void {
    this.counts.set(value, (this.counts.get(value) ?? 0) + 1);
  }

  async get() {
    const values = [...this.counts].map(([value, count]): Value => ({ labels: { [this.label]: value }, value: count }));
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }
}

/** One label set's observations: how many fell in each bucket (not cumulative), their sum and count. */
class Observations {
  readonly inBucket: number[];
  sum = 0;
  count = 0;

  constructor(
    readonly labels: Record<string, string>,
    private readonly bounds: readonly number[],
  ) {
    this.inBucket = bounds.map(() => 0);
  }

  observe(value: number): void {
    this.sum += value;
    this.count += 1;
    const { bounds } = this;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= bounds[i]!) {
        this.inBucket[i]! += 1;
        return;
      }
    }
  }
}

/** A histogram with two labels, e.g. store operations by operation and result. */
export class LabelledHistogram implements RegistryMetric {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly series = new Map<string, Map<string, Observations>>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labels: readonly [string, string],
    private readonly bounds: readonly number[],
  ) {}

  observe(first: string, second: string, value: number): void {
    let inner = this.series.get(first);
    if (inner === undefined) this.series.set(first, (inner = new Map()));
    let observations = inner.get(second);
    if (observations === undefined) inner.set(second, (observations = new Observations({ [this.labels[0]]: first, [this.labels[1]]: second }, this.bounds)));
    observations.observe(value);
  }

  /** As prom-client writes a histogram: cumulative buckets, +Inf, then the sum and the count. */
  async get() {
    const values: Value[] = [];
    for (const inner of this.series.values()) {
      for (const observations of inner.values()) {
        const sharedLabels = observations.labels;
        let below = 0;
        this.bounds.forEach((le, i) => {
          below += observations.inBucket[i]!;
          values.push({ labels: { le }, sharedLabels, value: below, metricName: `${this.name}_bucket` });
        });
        values.push({ labels: { le: '+Inf' }, sharedLabels, value: observations.count, metricName: `${this.name}_bucket` });
        values.push({ labels: {}, sharedLabels, value: observations.sum, metricName: `${this.name}_sum` });
        values.push({ labels: {}, sharedLabels, value: observations.count, metricName: `${this.name}_count` });
      }
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }
}
