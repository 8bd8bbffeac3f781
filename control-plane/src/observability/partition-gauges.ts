import { Gauge } from 'prom-client';
import type { Database } from '../db/database.ts';
import { listClickPartitions } from '../partitions/click-partitions.ts';
import type { Metrics } from './metrics.ts';

/**
 * The raw clicks' partitions (decision 032), read from the catalog when Prometheus scrapes: how
 * far ahead a click still finds its day (a click past the last day is quarantined, so this running
 * low means maintenance stopped), and since when raw clicks are kept.
 */
export function registerPartitionGauges(metrics: Metrics, db: Database): void {
  const collect = async () => {
    try {
      const partitions = await listClickPartitions(db);
      const newest = partitions.at(-1);
      const oldest = partitions[0];
      ready.set(newest ? (newest.to.getTime() - Date.now()) / 1000 : 0);
      keptSince.set(oldest?.from ? oldest.from.getTime() / 1000 : 0);
      count.set(partitions.length);
    } catch {
      metrics.collectErrors.inc({ source: 'database' });
    }
  };
  const registers = [metrics.registry];
  // The three are set by whichever is collected first; the others' collects read the catalog again
  // (a few rows of pg_inherits, cheaper than sharing a cache).
  const ready = new Gauge({
    name: 'tas_click_partitions_ready_seconds',
    help: 'Seconds until the last click partition ends: clicks later than that are quarantined',
    registers,
    collect,
  });
  const keptSince = new Gauge({
    name: 'tas_click_partitions_kept_since_timestamp_seconds',
    help: 'Start of the oldest raw click partition (0: the first partition is open-ended, nothing dropped yet)',
    registers,
    collect,
  });
  const count = new Gauge({
    name: 'tas_click_partitions',
    help: 'Partitions of the raw clicks table',
    registers,
    collect,
  });
}
