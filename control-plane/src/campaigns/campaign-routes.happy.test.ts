import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, type Session, signUp } from '../../test/api-client.ts';
import { apiOffer } from '../../test/offer-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';

describe.each(testDatabases)('/api/v1/campaigns on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  let advertiser: Session;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
    advertiser = await signUp(app, 'advertiser');
  });
  afterAll(() => handle.close());

  it('creates, reads, lists and changes a campaign with budgets and a schedule', async () => {
    const offer = await apiOffer(app, advertiser);
    const created = await call(app, 'POST', '/api/v1/campaigns', {
      token: advertiser.accessToken,
      body: {
        name: 'Black Friday',
        offerId: offer.id,
        startDate: '2026-11-27',
        endDate: '2026-11-30',
        budgetMinor: 500_000,
        dailyBudgetMinor: 150_000,
        currency: 'EUR',
      },
    });
    expect(created.status).toBe(201);
    const campaign = (await created.json()) as { id: number };
    expect(campaign).toMatchObject({
      advertiserId: advertiser.advertiserId,
      status: 'draft',
      startDate: '2026-11-27',
    });
    const changed = await call(app, 'PATCH', `/api/v1/campaigns/${campaign.id}`, {
      token: advertiser.accessToken,
      body: { status: 'active', endDate: '2026-12-01' },
    });
    expect(await changed.json()).toMatchObject({
      status: 'active',
      endDate: '2026-12-01',
      budgetMinor: 500_000,
    });
    const list = await call(app, 'GET', '/api/v1/campaigns', { token: advertiser.accessToken });
    expect(((await list.json()) as { data: { id: number }[] }).data.map((c) => c.id)).toEqual([campaign.id]);
  });

  it('lets an admin create a campaign for any advertiser', async () => {
    const admin = await adminSession(app, handle.db);
    const response = await call(app, 'POST', '/api/v1/campaigns', {
      token: admin.accessToken,
      body: { advertiserId: advertiser.advertiserId, name: 'By admin' },
    });
    expect(response.status).toBe(201);
    const read = await call(
      app,
      'GET',
      `/api/v1/campaigns/${((await response.json()) as { id: number }).id}`,
      {
        token: advertiser.accessToken,
      },
    );
    expect(await read.json()).toMatchObject({ name: 'By admin' });
  });
});
