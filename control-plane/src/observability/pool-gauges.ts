import { Gauge } from 'prom-client';
import type { Database } from '../db/database.ts';
import type { Metrics } from './metrics.ts';

type PoolCounts = {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  options?: { max?: unknown };
};

/**
 * The connection pool under Drizzle (`$client`): node-postgres' and Neon's pools count their
 * clients; PGlite is one in-process connection and has none.
 */
function poolOf(db: Database): PoolCounts | null {
  const client: unknown = Reflect.get(db, '$client');
  if (typeof client !== 'object' || client === null) return null;
  const counts = ['totalCount', 'idleCount', 'waitingCount'].map((key) => Reflect.get(client, key));
  return counts.every((n) => typeof n === 'number') ? (client as PoolCounts) : null;
}

/**
 * Pool use, read at each scrape from the pool's own counters (no query). The pool is looked up at
 * the first scrape, not when the app is built: building it touches no dependency.
 */
export function registerPoolGauges(metrics: Metrics, db: Database): void {
  let pool: PoolCounts | null | undefined;
  const poolNow = () => {
    if (pool === undefined) pool = poolOf(db);
    return pool;
  };
  const registers = [metrics.registry];
  new Gauge({
    name: 'tas_db_pool_connections',
    help: 'Database connections of this instance by state: total (open), idle, in_use, max (the limit); none with PGlite',
    labelNames: ['state'] as const,
    registers,
    collect() {
      const p = poolNow();
      if (!p) return;
      this.set({ state: 'total' }, p.totalCount);
      this.set({ state: 'idle' }, p.idleCount);
      this.set({ state: 'in_use' }, p.totalCount - p.idleCount);
      const max = p.options?.max;
      if (typeof max === 'number') this.set({ state: 'max' }, max);
    },
  });
  new Gauge({
    name: 'tas_db_pool_waiting_requests',
    help: 'Queries of this instance waiting for a free connection (0 with PGlite)',
    registers,
    collect() {
      this.set(poolNow()?.waitingCount ?? 0);
    },
  });
}
