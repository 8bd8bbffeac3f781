import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { report, reportWorld } from '../../test/report-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { openTestPostgres } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';

/*
 * REPORTS_DATABASE_URL: reports, CSV exports and the ROI report read the reporting connection (a
 * read replica in production), everything else the primary. Here the "replica" is a second, empty
 * database, so what a report shows says which one it read.
 */
describe('reports on their own connection', () => {
  let primary: DatabaseHandle;
  let replica: DatabaseHandle;
  beforeAll(async () => {
    primary = await openTestPostgres();
    replica = await openTestPostgres();
  });
  afterAll(async () => {
    await primary.close();
    await replica.close();
  });

  it('reads reports, exports and ROI from the reporting connection, and the rest from the primary', async () => {
    const onPrimary = testApp(primary.db);
    const w = await reportWorld(onPrimary, primary.db);
    const query = 'from=2026-11-19&to=2026-11-22&groupBy=offer';
    const fromPrimary = (await (await report(onPrimary, w.admin.accessToken, query)).json()) as {
      data: unknown[];
    };
    expect(fromPrimary.data.length).toBeGreaterThan(0);

    const split = testApp(primary.db, { reportsDb: replica.db });
    // Signing in and the offers list read the primary: the session and the offers are there.
    const offers = await split.request('/api/v1/offers', {
      headers: { authorization: `Bearer ${w.admin.accessToken}` },
    });
    expect(((await offers.json()) as { data: unknown[] }).data.length).toBeGreaterThan(0);
    // The report reads the replica, which has no traffic yet.
    expect(await (await report(split, w.admin.accessToken, query)).json()).toEqual({ data: [] });
    const csv = await (await report(split, w.admin.accessToken, `${query}&format=csv`)).text();
    expect(csv.trim().split('\r\n')).toHaveLength(1);
    const roi = await split.request('/api/v1/reports/roi?from=2026-11-19&to=2026-11-22', {
      headers: { authorization: `Bearer ${w.admin.accessToken}` },
    });
    expect(await roi.json()).toEqual({ data: [] });
  });
});
