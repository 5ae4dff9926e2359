// The app's figures in Prometheus's text format, with prom-client: the process defaults (CPU,
// memory, event-loop lag, handles), gathered once per process since they describe the process,
// and the app's own series, in a registry per app (specs build several apps in one process).
// See docs/operations.md "Metrics" for what each means.
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

import type { Metrics } from './metrics.js';

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
  const sends = new Counter({ name: 'nexmo_sms_sends_total', help: 'SMS sends by how they ended: sent, partial, rejected, throttled, unknown, failed, unauthorized, refused (by the provider); duplicate, repeat, limited (held by the app, nothing sent).', labelNames: ['outcome'], registers: [registry] });
  const providerCalls = new Histogram({ name: 'nexmo_provider_call_duration_seconds', help: 'Each call to the provider, by endpoint and HTTP status ("none" when no answer came).', labelNames: ['endpoint', 'status'], buckets: PROVIDER_BUCKETS, registers: [registry] });
  const storeOperations = new Histogram({ name: 'nexmo_store_operation_duration_seconds', help: 'Each operation of the app’s store, by operation and result.', labelNames: ['operation', 'result'], buckets: STORE_BUCKETS, registers: [registry] });
  const receipts = new Counter({ name: 'nexmo_delivery_receipts_total', help: 'Delivery receipts accepted, by status.', labelNames: ['status'], registers: [registry] });
  const limitRefusals = new Counter({ name: 'nexmo_limit_refusals_total', help: 'Requests refused by an abuse limit, by limit.', labelNames: ['limit'], registers: [registry] });
  const logins = new Counter({ name: 'nexmo_logins_total', help: 'Logins by how they ended: connected, refused, failed, denied, limited.', labelNames: ['outcome'], registers: [registry] });
  // After the app's series are registered: a merged registry holds the metrics there were.
  const everything = Registry.merge([processFigures(), registry]);

  return {
    send: (ending) => sends.inc({ outcome: ending }),
    providerCall: (endpoint, status, seconds) => providerCalls.observe({ endpoint, status: status === undefined ? 'none' : String(status) }, seconds),
    storeOperation: (operation, seconds, failed) => storeOperations.observe({ operation, result: failed ? 'error' : 'ok' }, seconds),
    receipt: (status) => receipts.inc({ status }),
    limitRefusal: (limit) => limitRefusals.inc({ limit }),
    login: (ending) => logins.inc({ outcome: ending }),
    render: () => everything.metrics(),
    contentType: registry.contentType,
  };
}
