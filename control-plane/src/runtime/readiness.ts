import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
// The migrations this build expects: bundled with it, so an instance never calls a database
// that an older release migrated (or a restore from before a migration) ready.
import journal from '../../../drizzle/meta/_journal.json' with { type: 'json' };
import { type Database, queryRows } from '../db/database.ts';

export type ReadinessChecks = {
  /** `select 1` answered within the timeout. */
  database: 'ok' | 'unreachable';
  /** The newest migration of this build is recorded in the database. */
  migrations: 'ok' | 'pending' | 'unknown';
  /** Shutting down: the instance takes no new work. */
  draining: boolean;
};

export type Readiness = {
  check(): Promise<{ ready: boolean; checks: ReadinessChecks }>;
  /** From now on every check answers not ready (the first step of a graceful shutdown). */
  drain(): void;
  readonly draining: boolean;
};

const LAST_MIGRATION_AT = Math.max(0, ...journal.entries.map((entry) => entry.when));

/**
 * What `/readyz` answers: whether a load balancer may send this instance work. Liveness
 * (`/healthz`) stays separate: a draining or database-less instance is alive, just not ready.
 */
export function createReadiness(
  db: Database,
  options: { timeoutMs?: number; lastMigrationAt?: number } = {},
): Readiness {
  const timeoutMs = options.timeoutMs ?? 2_000;
  const expected = options.lastMigrationAt ?? LAST_MIGRATION_AT;
  let draining = false;
  const within = <T>(work: Promise<T>) =>
    Promise.race([
      work,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out')), timeoutMs).unref()),
    ]);

  return {
    get draining() {
      return draining;
    },
    drain() {
      draining = true;
    },
    async check() {
      const checks: ReadinessChecks = { database: 'ok', migrations: 'unknown', draining };
      try {
        await within(db.execute(sql`select 1`));
      } catch {
        checks.database = 'unreachable';
      }
      if (checks.database === 'ok') {
        try {
          // drizzle's migrator records each applied migration with its journal time (`when`).
          const [row] = await within(
            queryRows<{ last: string | number | null }>(
              db,
              sql`select max(created_at) as last from drizzle.__drizzle_migrations`,
            ),
          );
          checks.migrations = Number(row?.last ?? 0) >= expected ? 'ok' : 'pending';
        } catch {
          checks.migrations = 'unknown';
        }
      }
      const ready = !checks.draining && checks.database === 'ok' && checks.migrations === 'ok';
      return { ready, checks };
    },
  };
}

/** `GET /readyz`: 200 when ready, 503 with the failing checks otherwise. */
export function readinessRoutes(readiness: Readiness) {
  return new Hono().get('/readyz', async (c) => {
    const { ready, checks } = await readiness.check();
    c.header('cache-control', 'no-store');
    return c.json({ status: ready ? 'ready' : 'not_ready', checks }, ready ? 200 : 503);
  });
}
