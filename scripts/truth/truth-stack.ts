import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import {
  type EphemeralPostgres,
  startEphemeralPostgres,
} from '../../control-plane/test/ephemeral-postgres.ts';
import { freePort, type Stack, startStack } from '../stack.ts';
import { type IngestFaultProxy, startIngestFaultProxy } from './ingest-fault-proxy.ts';
import type { ServiceLogs } from './service-logs.ts';

export type TruthStack = {
  stack: Stack;
  postgres: EphemeralPostgres;
  proxy: IngestFaultProxy;
  /** For reading rows; survives database restarts (broken connections are dropped and replaced). */
  db: pg.Pool;
  stop(): Promise<void>;
};

/**
 * The stack as `pnpm dev` runs it (edge in workerd by wrangler dev, control plane on Node, demo
 * data) on a throwaway PostgreSQL and state folder, with the fault proxy between the edge's Queue
 * consumer and the ingest. stop() is safe to call twice and after a failed start.
 */
export async function startTruthStack(logs: ServiceLogs): Promise<TruthStack> {
  const stateDir = mkdtempSync(join(tmpdir(), 'tas-truth-'));
  let postgres: EphemeralPostgres | null = null;
  let proxy: IngestFaultProxy | null = null;
  let stack: Stack | null = null;
  let db: pg.Pool | null = null;
  let stopped: Promise<void> | null = null;
  const stop = () => {
    stopped ??= (async () => {
      await stack?.stop().catch(() => {});
      await proxy?.close().catch(() => {});
      await db?.end().catch(() => {});
      try {
        postgres?.stop();
      } catch {
        // already gone
      }
      rmSync(stateDir, { recursive: true, force: true });
    })();
    return stopped;
  };
  try {
    postgres = await startEphemeralPostgres();
    db = new pg.Pool({ connectionString: postgres.url(), max: 4 });
    // A restart drops idle connections; unheard, that error would end this process.
    db.on('error', () => {});
    const apiPort = await freePort();
    proxy = await startIngestFaultProxy(() => `http://127.0.0.1:${apiPort}`);
    stack = await startStack({
      stateDir,
      ports: { edge: await freePort(), api: apiPort },
      databaseUrl: postgres.url(),
      seedDemo: true,
      ingestUrl: proxy.url,
      log: logs.line,
    });
    return { stack, postgres, proxy, db, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
