import { Gauge } from 'prom-client';
import type { EdgePublisher } from '../edge-sync/edge-publisher.ts';
import { cachedRead } from './cached-read.ts';
import type { Metrics } from './metrics.ts';

/**
 * The edge's dead-letter count (events whose batches failed all their queue retries), asked of
 * the edge's signed operator endpoint at most once per `ttlMs`, with a time limit so a slow edge
 * never holds up a scrape. `tas_edge_reachable` says whether the last ask was answered; the count
 * keeps its last value meanwhile.
 */
export function registerDeadLetterGauge(
  metrics: Metrics,
  edge: Pick<EdgePublisher, 'deadLetterCount'>,
  { ttlMs = 30_000, timeoutMs = 2_000 } = {},
): void {
  const registers = [metrics.registry];
  const read = cachedRead(ttlMs, () =>
    Promise.race([
      edge.deadLetterCount(),
      new Promise<never>((_, reject) => {
        setTimeout(() => reject(new Error('edge did not answer in time')), timeoutMs).unref();
      }),
    ]),
  );
  new Gauge({
    name: 'tas_edge_dead_letters',
    help: "Events waiting in the edge's dead-letter store (replay: POST /api/v1/system/dead-letters/replay)",
    registers,
    async collect() {
      try {
        this.set(await read());
      } catch {
        metrics.collectErrors.inc({ source: 'edge' });
      }
    },
  });
  new Gauge({
    name: 'tas_edge_reachable',
    help: "1 when the edge answered the control plane's last dead-letter count, else 0",
    registers,
    // Both gauges are collected at once: each waits for the same read.
    async collect() {
      this.set(
        await read().then(
          () => 1,
          () => 0,
        ),
      );
    },
  });
}
