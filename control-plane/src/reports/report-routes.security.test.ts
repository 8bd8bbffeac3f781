import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, errorCode } from '../../test/api-client.ts';
import { report, reportWorld } from '../../test/report-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';

type Rows = { data: Record<string, unknown>[] };
const range = 'from=2026-11-20&to=2026-11-21';

describe.each(testDatabases)('/api/v1/reports access on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  let w: Awaited<ReturnType<typeof reportWorld>>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
    w = await reportWorld(app, handle.db);
  });
  afterAll(() => handle.close());

  it('requires a credential', async () => {
    const response = await call(app, 'GET', `/api/v1/reports?${range}`);
    expect([response.status, await errorCode(response)]).toEqual([401, 'unauthorized']);
  });

  it("ignores filters that reach into another affiliate's or advertiser's data", async () => {
    // An affiliate asking for the other affiliate's traffic still gets only its own (here: none).
    const other = await report(
      app,
      w.aff2.accessToken,
      `${range}&affiliateId=${w.aff1.affiliateId}&groupBy=affiliate`,
    );
    const otherRows = ((await other.json()) as Rows).data;
    expect(otherRows.every((r) => r.affiliateId === w.aff2.affiliateId)).toBe(true);
    const all = (
      (await (await report(app, w.aff1.accessToken, `${range}&groupBy=affiliate,offer`)).json()) as Rows
    ).data;
    expect(all.map((r) => r.affiliateId)).toEqual([w.aff1.affiliateId, w.aff1.affiliateId]);
    expect(JSON.stringify(all)).not.toContain('revenueMinor');

    const foreign = await report(
      app,
      w.adv1.accessToken,
      `${range}&advertiserId=${w.adv2.advertiserId}&groupBy=offer`,
    );
    const foreignRows = ((await foreign.json()) as Rows).data;
    expect(foreignRows.map((r) => r.offerId)).toEqual([w.usd.id]);
    expect(JSON.stringify(foreignRows)).not.toContain('payoutMinor');
    const byOffer = await report(app, w.adv1.accessToken, `${range}&offerId=${w.eur.id}`);
    expect(((await byOffer.json()) as Rows).data).toEqual([]);
  });

  it('needs reports:read on API keys', async () => {
    const key = (await (
      await call(app, 'POST', '/api/v1/api-keys', {
        token: w.aff1.accessToken,
        body: { name: 'k', scopes: ['offers:read'] },
      })
    ).json()) as { key: string };
    const response = await report(app, key.key, range);
    expect([response.status, await errorCode(response)]).toEqual([403, 'forbidden']);
  });
});
