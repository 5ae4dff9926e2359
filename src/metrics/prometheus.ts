// The app's figures in Prometheus's text format, with prom-client: the process defaults (CPU,
// memory, event-loop lag, handles), gathered once per process since they describe the process,
// and the app's own series, in a registry per app (specs build several apps in one process).
// See docs/operations.md "Metrics" for what each means.
import { Registry, collectDefaultMetrics, type Metric } from 'prom-client';

import type { Metrics } from './metrics.js';
import { LabelledCounter, LabelledHistogram, type RegistryMetric } from './series.js';

export interface PrometheusMetrics extends Metrics {
  /** The exposition: what /metrics answers. */
  render(): Promise<string>;
  contentType: string;
}

/** Seconds: from a fast store read to a provider call near OAUTH_TIMEOUT_MS's default. */
const PROVIDER_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const STORE_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 0.5, 2];

/** The process's own figures: their monitors (event-loop delay, GC) are started once, for good. */
let processRegistry: Registry | undefined;

function processFigures(): Registry {
  if (processRegistry === undefined) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

export function createPrometheusMetrics(): PrometheusMetrics {
  const registry = new Registry();
  const sends = new LabelledCounter('nexmo_sms_sends_total', 'SMS sends by how they ended: sent, partial, rejected, throttled, unknown, failed, unauthorized, refused (by the provider); duplicate, repeat, limited (held by the app, nothing sent).', 'outcome');
  const providerCalls = new LabelledHistogram('nexmo_provider_call_duration_seconds', 'Each call to the provider, by endpoint and HTTP status ("none" when no answer came).', ['endpoint', 'status'], PROVIDER_BUCKETS);
  const storeOperations = new LabelledHistogram('nexmo_store_operation_duration_seconds', 'Each operation of the app’s store, by operation and result.', ['operation', 'result'], STORE_BUCKETS);
  const receipts = new LabelledCounter('nexmo_delivery_receipts_total', 'Delivery receipts accepted, by status.', 'status');
  const limitRefusals = new LabelledCounter('nexmo_limit_refusals_total', 'Requests refused by an abuse limit, by limit.', 'limit');
  const logins = new LabelledCounter('nexmo_logins_total', 'Logins by how they ended: connected, refused, failed, denied, limited.', 'outcome');
  const series: RegistryMetric[] = [sends, providerCalls, storeOperations, receipts, limitRefusals, logins];
  // prom-client writes them out as its own (they answer get() in its format).
  for (const metric of series) registry.registerMetric(metric as unknown as Metric);
  // After the app's series are registered: a merged registry holds the metrics there were.
  const everything = Registry.merge([processFigures(), registry]);

  return {
    send: (ending) => sends.inc(ending),
    providerCall: (endpoint, status, seconds) => providerCalls.observe(endpoint, status === undefined ? 'none' : statusLabel(status), seconds),
    storeOperation: (operation, seconds, failed) => storeOperations.observe(operation, failed ? 'error' : 'ok', seconds),
    receipt: (status) => receipts.inc(status),
    limitRefusal: (limit) => limitRefusals.inc(limit),
    login: (ending) => logins.inc(ending),
    render: () => everything.metrics(),
    contentType: registry.contentType,
  };
}

/** An HTTP status as a label, written once per status seen. */
const statusLabels = new Map<number, string>();
function statusLabel(status: number): string {
  let label = statusLabels.get(status);
  if (label === undefined) {
    label = String(status);
    // Bounded whatever a provider answers: HTTP statuses are three digits.
    if (statusLabels.size < 1000) statusLabels.set(status, label);
  }
  return label;
}
