import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type EphemeralPostgres, startEphemeralPostgres } from '../control-plane/test/ephemeral-postgres.ts';
import { freePort, type Stack, startStack } from '../scripts/stack.ts';
import { startIngestRecorder } from './ingest-recorder.ts';

/** Node's own user agent is a bot to the edge (isbot), and bots are not counted as clicks. */
export const BROWSER_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/**
 * The stack as `npm start` runs it (edge in workerd via wrangler dev, control plane on Node, demo
 * data), on a throwaway PostgreSQL so tests can read the rows, with a recording proxy between the
 * edge's Queue consumer and the control plane's ingest. `apiEnv` adds to the control plane's
 * environment (e.g. the payment processors' addresses, pointing at local fakes).
 */
export async function startE2EStack(options: { apiEnv?: Record<string, string> } = {}) {
  const postgres: EphemeralPostgres = await startEphemeralPostgres();
  const db = new pg.Client({ connectionString: postgres.url() });
  await db.connect();
  const stateDir = mkdtempSync(join(tmpdir(), 'tas-e2e-'));
  const apiPort = await freePort();
  const recorder = await startIngestRecorder(() => `http://127.0.0.1:${apiPort}`);
  let stack: Stack | null = null;
  const stop = async () => {
    await stack?.stop();
    await recorder.close();
    await db.end();
    postgres.stop();
    rmSync(stateDir, { recursive: true, force: true });
  };
  try {
    stack = await startStack({
      stateDir,
      ports: { edge: await freePort(), api: apiPort },
      databaseUrl: postgres.url(),
      seedDemo: true,
      ingestUrl: recorder.url,
      log: () => {},
      ...(options.apiEnv ? { apiEnv: options.apiEnv } : {}),
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { stack, db, recorder, stop };
}

/** Polls `read` until `ok` holds or the time is up, and returns the last value either way. */
export async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}
