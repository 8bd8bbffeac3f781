import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNeonWsProxy } from '../../test/neon-ws-proxy.ts';
import { testApp } from '../../test/test-app.ts';
import { createTestPostgresDatabase } from '../../test/test-databases.ts';
import { clickEvent, signedIngest } from '../../test/tracking-events.ts';
import { connectPostgres, type DatabaseHandle, driverFor } from './database.ts';
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
});
