import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** Seconds: a 1 ms ingest of a small batch up to a 30 s one (a slow database). */
const INGEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Seconds: the 30-day report is meant to answer under 100 ms; exports may take much longer. */
const REPORT_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The control plane's metrics, in a registry of their own per app (never prom-client's global
 * one), so that every app a test builds counts alone. Gauges read from the database or the edge
 * are added to the same registry by backlog-gauges.ts, pool-gauges.ts and dead-letter-gauge.ts.
 */
export type Metrics = ReturnType<typeof createMetrics>;

export function createMetrics(options: { processMetrics?: boolean } = {}) {
  const registry = new Registry();
  // Process metrics (CPU, memory, event loop lag) only for the server: they start timers.
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  const metrics = {
    registry,
    ingestEvents: new Counter({
      name: 'tas_ingest_events_total',
      help: 'Events the ingest received from the edge, by type (click, conversion, conversion_status, other)',
      labelNames: ['type'] as const,
      registers: [registry],
    }),
    ingestStored: new Counter({
      name: 'tas_ingest_stored_total',
      help: 'Events newly stored by the ingest (redelivered events are not counted again), by type',
      labelNames: ['type'] as const,
      registers: [registry],
    }),
    ingestQuarantined: new Counter({
      name: 'tas_ingest_quarantined_events_total',
      help: 'Events the ingest could not store and quarantined with their reason',
      registers: [registry],
    }),
    ingestDeferred: new Counter({
      name: 'tas_ingest_deferred_conversions_total',
      help: 'Conversions held back for a recent click that had not arrived, sent again later by the edge',
      registers: [registry],
    }),
    ingestFraudFlags: new Counter({
      name: 'tas_ingest_fraud_flags_total',
      help: 'Fraud flags carried by the events the ingest received, by flag',
      labelNames: ['flag'] as const,
      registers: [registry],
    }),
    ingestClickFallbacks: new Counter({
      name: 'tas_ingest_click_fallbacks_total',
      help: 'Clicks the edge sent to the fallback, by reason (cap_unavailable: its cap counter was unreachable, caps fail closed)',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    ingestFraudUnchecked: new Counter({
      name: 'tas_ingest_clicks_fraud_unchecked_total',
      help: 'Clicks the edge let through without checking duplicates and ip velocity: their fraud counter was unreachable (fraud counters fail open)',
      registers: [registry],
    }),
    ingestBatchSeconds: new Histogram({
      name: 'tas_ingest_batch_duration_seconds',
      help: 'Time to store an ingest batch and apply what derives from it, by outcome (ok, unavailable, error)',
      labelNames: ['outcome'] as const,
      buckets: INGEST_BUCKETS,
      registers: [registry],
    }),
    reportSeconds: new Histogram({
      name: 'tas_report_duration_seconds',
      help: 'Time to answer a report request, by route pattern and status',
      labelNames: ['route', 'status'] as const,
      buckets: REPORT_BUCKETS,
      registers: [registry],
    }),
    collectErrors: new Counter({
      name: 'tas_metrics_collect_errors_total',
      help: 'Gauges that could not be read at a scrape (they keep their last value), by source (database, edge)',
      labelNames: ['source'] as const,
      registers: [registry],
    }),
    httpSeconds: new Histogram({
      name: 'tas_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by method, route pattern and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: HTTP_BUCKETS,
      registers: [registry],
    }),
  };
  // From the start at 0, so a rate over them is defined before the first failure.
  for (const source of ['database', 'edge']) metrics.collectErrors.inc({ source }, 0);
  return metrics;
}
