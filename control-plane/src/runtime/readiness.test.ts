import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { createReadiness } from './readiness.ts';

describe.each(testDatabases)('readiness on $name', ({ open }) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => {
    await handle?.close().catch(() => {});
  });

  it('is ready on a migrated database, and /readyz says so', async () => {
    expect(await createReadiness(handle.db).check()).toEqual({
      ready: true,
      checks: { database: 'ok', migrations: 'ok', draining: false },
    });
    const response = await testApp(handle.db).request('/readyz');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ready' });
  });

  it('is not ready when the database lacks a migration of this build', async () => {
    const readiness = createReadiness(handle.db, { lastMigrationAt: Date.now() + 86_400_000 });
    expect(await readiness.check()).toEqual({
      ready: false,
      checks: { database: 'ok', migrations: 'pending', draining: false },
    });
  });

  it('answers 503 once draining, while /healthz still answers 200', async () => {
    const readiness = createReadiness(handle.db);
    const app = testApp(handle.db, { readiness });
    readiness.drain();
    const response = await app.request('/readyz');
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      status: 'not_ready',
      checks: { database: 'ok', migrations: 'ok', draining: true },
    });
    expect((await app.request('/healthz')).status).toBe(200);
  });

  it('answers 503 when the database cannot be reached', async () => {
    const closed = await open();
    await closed.close();
    const app = testApp(closed.db, { readiness: createReadiness(closed.db, { timeoutMs: 500 }) });
    const response = await app.request('/readyz');
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      status: 'not_ready',
      checks: { database: 'unreachable', migrations: 'unknown', draining: false },
    });
  });
});
