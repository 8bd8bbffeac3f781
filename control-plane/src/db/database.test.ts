import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNeonWsProxy } from '../../test/neon-ws-proxy.ts';
import { testApp } from '../../test/test-app.ts';
import { createTestPostgresDatabase } from '../../test/test-databases.ts';
import { clickEvent, signedIngest } from '../../test/tracking-events.ts';
import { connectPostgres, type DatabaseHandle, driverFor, queryRows } from './database.ts';
import { clicks } from './schema/clicks.ts';

describe('driverFor', () => {
  it('uses the Neon driver for Neon hosts and node-postgres otherwise, unless told', () => {
    expect(driverFor('postgres://u:p@ep-cool-1234.eu-central-1.aws.neon.tech/db')).toBe('neon');
    expect(driverFor('postgres://u:p@db.internal:5432/db')).toBe('pg');
    expect(driverFor('postgres://u:p@db.internal:5432/db', 'neon')).toBe('neon');
  });
});

describe('the Neon serverless driver', () => {
  let proxy: Awaited<ReturnType<typeof startNeonWsProxy>>;
  let url: string;
  let plain: DatabaseHandle;
  let neon: DatabaseHandle;
  beforeAll(async () => {
    proxy = await startNeonWsProxy();
    url = await createTestPostgresDatabase();
    plain = connectPostgres(url, { driver: 'pg' });
  });
  afterAll(async () => {
    await neon?.close();
    await plain.close();
    await proxy.close();
  });

  it('migrates and ingests through @neondatabase/serverless over WebSockets', async () => {
    neon = connectPostgres(url, { driver: 'neon', neonWsProxy: proxy.address });
    expect(neon.driver).toBe('neon');
    await neon.migrate();
    const app = testApp(neon.db);
    const click = await clickEvent();
    const response = await app.request('/internal/ingest', await signedIngest({ events: [click] }));
    expect(await response.json()).toMatchObject({ clicksInserted: 1 });
    const stored = await plain.db.select().from(clicks);
    expect(stored.map((c) => c.id)).toEqual([click.id]);
  });

  it('runs without JIT on both drivers, keeping startup options the URL gives', async () => {
    neon ??= connectPostgres(url, { driver: 'neon', neonWsProxy: proxy.address });
    const withOptions = connectPostgres(`${url}?options=${encodeURIComponent('-c work_mem=8MB')}`, {
      driver: 'pg',
    });
    try {
      for (const handle of [plain, neon, withOptions]) {
        const [row] = await queryRows<{ jit: string }>(handle.db, sql`SELECT current_setting('jit') AS jit`);
        expect([handle.driver, row?.jit]).toEqual([handle.driver, 'off']);
      }
      const [memory] = await queryRows<{ mem: string }>(
        withOptions.db,
        sql`SELECT current_setting('work_mem') AS mem`,
      );
      expect(memory?.mem).toBe('8MB');
    } finally {
      await withOptions.close();
    }
  });
});

describe('a connection the server drops', () => {
  it('fails the query under way, keeps the process up, and the pool goes on with a new connection', async () => {
    const handle = connectPostgres(await createTestPostgresDatabase(), { driver: 'pg' });
    const killer = connectPostgres(await createTestPostgresDatabase(), { driver: 'pg' });
    try {
      const outcome = await handle.db
        .transaction(async (tx) => {
          const [row] = await queryRows<{ pid: number }>(tx, sql`SELECT pg_backend_pid() AS pid`);
          await killer.db.execute(sql`SELECT pg_terminate_backend(${row!.pid})`);
          // Let the client notice the closed socket while it is checked out and idle.
          await new Promise((resolve) => setTimeout(resolve, 200));
          await tx.execute(sql`SELECT 1`);
        })
        .then(
          () => 'committed',
          () => 'failed',
        );
      expect(outcome).toBe('failed');
      const [row] = await queryRows<{ one: number }>(handle.db, sql`SELECT 1 AS one`);
      expect(row?.one).toBe(1);
    } finally {
      await handle.close();
      await killer.close();
    }
  });
});
