import type { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { Pool as NeonPool, neonConfig } from '@neondatabase/serverless';
import { drizzle as drizzleNeon } from 'drizzle-orm/neon-serverless';
import { migrate as migrateNeon } from 'drizzle-orm/neon-serverless/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import ws from 'ws';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;
/** The one database type application code sees, whichever driver is underneath. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type DatabaseDriver = 'pg' | 'neon' | 'pglite';

export type DatabaseHandle = {
  db: Database;
  driver: DatabaseDriver;
  migrate(): Promise<void>;
  close(): Promise<void>;
};

const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../../drizzle', import.meta.url));
const casing = 'snake_case' as const;

/**
 * Neon URLs go through @neondatabase/serverless (WebSockets, works where TCP does not);
 * any other postgres:// URL through node-postgres. `driver` overrides the guess, which is how
 * a Neon-compatible proxy in front of a plain Postgres is reached.
 */
export function driverFor(url: string, override?: DatabaseDriver): DatabaseDriver {
  if (override) return override;
  const host = new URL(url).hostname;
  return host.endsWith('.neon.tech') || host.endsWith('.neon.build') ? 'neon' : 'pg';
}

/**
 * JIT off for every session. The ingest is one large statement over partitioned `clicks`, whose
 * estimated cost (each day partition guessed to match) passes the JIT thresholds once the
 * partitions have statistics: LLVM then spent 12.8 s compiling a statement that runs in 50 ms
 * (10M-click bench, decision 032). Reports here are short aggregations that gain nothing either.
 */
function withoutJit(url: string): { connectionString: string; options: string } {
  // Startup options the URL carries (e.g. Neon's endpoint=... without SNI) are kept; they move out
  // of the URL because the drivers let the URL's override the explicit ones.
  const parsed = new URL(url);
  const given = parsed.searchParams.get('options');
  parsed.searchParams.delete('options');
  return {
    connectionString: given === null ? url : parsed.toString(),
    options: given ? `${given} -c jit=off` : '-c jit=off',
  };
}

export type PostgresOptions = {
  driver?: 'pg' | 'neon';
  /**
   * For Neon's driver: a WebSocket-to-TCP proxy (`host:port/path`) in front of a plain Postgres,
   * as in local Neon setups. Unset, the driver talks to Neon's own endpoint over wss.
   */
  neonWsProxy?: string;
};

/**
 * A connection the server drops (restart, pg_terminate_backend, an idle-in-transaction timeout
 * during a long CSV export) emits 'error' on its pool when idle and on its client when checked
 * out; unheard, either crashes the process. The query under way fails on its own, and the pool
 * discards the broken client when it is released.
 */
function logConnectionErrors(pool: EventEmitter) {
  const log = (error: Error) =>
    console.error(JSON.stringify({ msg: 'postgres connection error', error: error.message }));
  pool.on('error', log);
  pool.on('connect', (client: EventEmitter) => client.on('error', log));
}

export function connectPostgres(url: string, options: PostgresOptions = {}): DatabaseHandle {
  const driver = driverFor(url, options.driver);
  if (driver === 'neon') {
    neonConfig.webSocketConstructor = ws;
    if (options.neonWsProxy) {
      const proxy = options.neonWsProxy;
      neonConfig.wsProxy = (host, port) => `${proxy}?address=${host}:${port}`;
      neonConfig.useSecureWebSocket = false;
      neonConfig.pipelineConnect = false;
      neonConfig.pipelineTLS = false;
    }
    const pool = new NeonPool(withoutJit(url));
    logConnectionErrors(pool);
    const db = drizzleNeon({ client: pool, schema, casing });
    return {
      db,
      driver,
      migrate: () => migrateNeon(db, { migrationsFolder: MIGRATIONS_FOLDER }),
      close: () => pool.end(),
    };
  }
  const pool = new pg.Pool({ ...withoutJit(url), max: 10 });
  logConnectionErrors(pool);
  const db = drizzlePg({ client: pool, schema, casing });
  return {
    db,
    driver,
    migrate: () => migratePg(db, { migrationsFolder: MIGRATIONS_FOLDER }),
    close: () => pool.end(),
  };
}

/**
 * Embedded Postgres (PGlite). `dataDir` keeps data between runs; `memory://` keeps nothing;
 * `loadDataDir` starts from a dump (tests start from a migrated template that way, 5x faster).
 */
export async function connectPglite(
  dataDir: string,
  options: { loadDataDir?: Blob } = {},
): Promise<DatabaseHandle> {
  const client = await PGlite.create(dataDir, options);
  const db = drizzlePglite({ client, schema, casing });
  return {
    db,
    driver: 'pglite',
    migrate: () => migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER }),
    close: () => client.close(),
  };
}

/** Rows of a raw SQL statement, whichever driver ran it (all three answer `{ rows }`). */
export async function queryRows<T>(db: Database, query: Parameters<Database['execute']>[0]): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
