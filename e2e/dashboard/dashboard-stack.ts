import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import {
  type EphemeralPostgres,
  startEphemeralPostgres,
} from '../../control-plane/test/ephemeral-postgres.ts';
import { freePort, type Stack, startStack } from '../../scripts/stack.ts';
import { dashboardBuild, sourceRouteIds } from './dashboard-build.ts';

export type DashboardStack = {
  stack: Stack;
  /** The dashboard's base URL. */
  url: string;
  db: pg.Client;
  /** The stack's state folder: the control plane writes mail to its outbox/ folder. */
  stateDir: string;
  /** The dashboard's route modules as served (`routes/_app.offers._index`). */
  routeIds: string[];
  /** How long the build and the start took, for the run's log. */
  timings: { buildMs: number; built: boolean; startMs: number };
  stop(): Promise<void>;
};

/**
 * The whole stack as `npm start` runs it (edge in workerd, control plane, demo data) with the
 * dashboard's production build served by react-router-serve, on a throwaway PostgreSQL the test
 * can read. `TAS_E2E_DASHBOARD=dev` runs `react-router dev` instead (slower: Vite compiles each
 * page on its first request).
 */
export async function startDashboardStack(
  options: { log?: (service: string, line: string) => void } = {},
): Promise<DashboardStack> {
  const dev = process.env.TAS_E2E_DASHBOARD === 'dev';
  const build = dev ? null : await dashboardBuild();
  const started = performance.now();
  const postgres: EphemeralPostgres = await startEphemeralPostgres();
  const db = new pg.Client({ connectionString: postgres.url() });
  await db.connect();
  const stateDir = mkdtempSync(join(tmpdir(), 'tas-e2e-dashboard-'));
  let stack: Stack | null = null;
  const stop = async () => {
    await stack?.stop();
    await db.end();
    postgres.stop();
    rmSync(stateDir, { recursive: true, force: true });
  };
  try {
    stack = await startStack({
      stateDir,
      ports: { edge: await freePort(), api: await freePort(), dashboard: await freePort() },
      databaseUrl: postgres.url(),
      seedDemo: true,
      // The affiliate's postback endpoint in the tests listens on 127.0.0.1.
      apiEnv: { POSTBACK_ALLOW_PRIVATE_NETWORKS: '1' },
      ...(build
        ? { dashboard: { buildRoot: build.root, sessionSecret: randomBytes(32).toString('base64url') } }
        : {}),
      log: options.log ?? (() => {}),
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    stack,
    url: stack.urls.dashboard!,
    db,
    stateDir,
    routeIds: build?.routeIds ?? sourceRouteIds(),
    timings: {
      buildMs: build?.ms ?? 0,
      built: build?.built ?? false,
      startMs: performance.now() - started,
    },
    stop,
  };
}
