import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, errorCode, type Session, signUp } from '../../test/api-client.ts';
import { apiCampaign, apiOffer } from '../../test/offer-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { campaigns } from '../db/schema/campaigns.ts';

describe.each(testDatabases)('/api/v1/campaigns bad input on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  let advertiser: Session;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
    advertiser = await signUp(app, 'advertiser');
  });
  afterAll(() => handle.close());
  const total = async () => (await handle.db.select({ n: count() }).from(campaigns))[0]?.n ?? 0;

  it('refuses invalid campaigns, including offers of another advertiser', async () => {
    const foreignOffer = await apiOffer(app, await signUp(app, 'advertiser'));
    const before = await total();
    for (const body of [
      {},
      { name: 'C', startDate: '2026-13-01' },
      { name: 'C', startDate: '2026-12-02', endDate: '2026-12-01' },
      { name: 'C', budgetMinor: 100, dailyBudgetMinor: 200 },
      { name: 'C', budgetMinor: 10.5 },
      { name: 'C', status: 'deleted' },
      { name: 'C', offerId: foreignOffer.id },
    ]) {
      const response = await call(app, 'POST', '/api/v1/campaigns', { token: advertiser.accessToken, body });
      expect([response.status, await errorCode(response)], JSON.stringify(body)).toEqual([
        400,
        'invalid_request',
      ]);
    }
    expect(await total()).toBe(before);
  });

  it('refuses a change that would break the schedule or budget, keeping the campaign', async () => {
    const campaign = await apiCampaign(app, advertiser, { startDate: '2026-12-01', budgetMinor: 1000 });
    for (const body of [{ endDate: '2026-11-01' }, { dailyBudgetMinor: 5000 }]) {
      const response = await call(app, 'PATCH', `/api/v1/campaigns/${campaign.id}`, {
        token: advertiser.accessToken,
        body,
      });
      expect([response.status, await errorCode(response)], JSON.stringify(body)).toEqual([
        400,
        'invalid_request',
      ]);
    }
    const read = await call(app, 'GET', `/api/v1/campaigns/${campaign.id}`, {
      token: advertiser.accessToken,
    });
    expect(await read.json()).toMatchObject({ endDate: null, dailyBudgetMinor: null });
    const missing = await call(app, 'GET', '/api/v1/campaigns/999999', { token: advertiser.accessToken });
    expect([missing.status, await errorCode(missing)]).toEqual([404, 'not_found']);
  });
});
