import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, errorCode } from '../../test/api-client.ts';
import { report } from '../../test/report-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';

describe.each(testDatabases)('/api/v1/reports bad input on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
  });
  afterAll(() => handle.close());

  it('refuses malformed queries with 400 and a code', async () => {
    const admin = await adminSession(app, handle.db);
    for (const query of [
      '',
      'from=2026-11-20',
      'from=2026-11-20&to=2026-11-19',
      'from=2025-01-01&to=2026-11-19',
      'from=20-11-2026&to=2026-11-21',
      'from=2026-11-20&to=2026-11-21&timezone=Mars/Olympus',
      "from=2026-11-20&to=2026-11-21&timezone=UTC';DROP TABLE clicks;--",
      'from=2026-11-20&to=2026-11-21&groupBy=offer,password',
      'from=2026-11-20&to=2026-11-21&groupBy=offer;DROP',
      'from=2026-11-20&to=2026-11-21&granularity=week',
      'from=2026-11-20&to=2026-11-21&format=xlsx',
      'from=2026-11-20&to=2026-11-21&offerId=0',
    ]) {
      const response = await report(app, admin.accessToken, query);
      expect([response.status, await errorCode(response)], query).toEqual([400, 'invalid_request']);
    }
  });

  it('answers an empty period with no rows, and an empty CSV with its header', async () => {
    const admin = await adminSession(app, handle.db);
    const json = await report(app, admin.accessToken, 'from=2020-01-01&to=2020-01-31');
    expect(await json.json()).toEqual({ data: [] });
    const csv = await report(
      app,
      admin.accessToken,
      'from=2020-01-01&to=2020-01-31&groupBy=country&format=csv',
    );
    expect(await csv.text()).toBe(
      'period,country,currency,clicks,uniqueClicks,cleanClicks,invalidClicks,botClicks,duplicateClicks,' +
        'blockedClicks,velocityClicks,conversions,approvedConversions,pendingConversions,rejectedConversions,' +
        'revenueMinor,payoutMinor,profitMinor,cr,epcMinor\r\n',
    );
  });
});
