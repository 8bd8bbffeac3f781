import { MAX_CAMPAIGNS_PER_OFFER, MAX_CREATIVES_PER_CAMPAIGN } from '@tas/shared/campaign-serving';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, errorCode, signUp } from '../../test/api-client.ts';
import { apiCampaign, apiOffer } from '../../test/offer-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { campaigns } from '../db/schema/campaigns.ts';
import { creatives } from '../db/schema/creatives.ts';

describe.each(testDatabases)('/api/v1/creatives bad input on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
  });
  afterAll(() => handle.close());

  it('refuses invalid creatives and unknown campaigns, storing nothing', async () => {
    const advertiser = await signUp(app, 'advertiser');
    const campaign = await apiCampaign(app, advertiser);
    const good = { campaignId: campaign.id, name: 'B', type: 'image', url: 'https://cdn.example/b.png' };
    const cases: [Record<string, unknown>, number, string][] = [
      [{}, 400, 'invalid_request'],
      [{ ...good, type: 'gif' }, 400, 'invalid_request'],
      [{ ...good, url: 'javascript:alert(1)' }, 400, 'invalid_request'],
      [{ ...good, size: 'big' }, 400, 'invalid_request'],
      [{ ...good, campaignId: 999_999 }, 404, 'not_found'],
    ];
    for (const [body, status, code] of cases) {
      const response = await call(app, 'POST', '/api/v1/creatives', { token: advertiser.accessToken, body });
      expect([response.status, await errorCode(response)], JSON.stringify(body)).toEqual([status, code]);
    }
    expect((await handle.db.select({ n: count() }).from(creatives))[0]?.n).toBe(0);
    const missing = await call(app, 'PATCH', '/api/v1/creatives/4242', {
      token: advertiser.accessToken,
      body: { name: 'x' },
    });
    expect([missing.status, await errorCode(missing)]).toEqual([404, 'not_found']);
    for (const offerId of ['0', 'abc', '99999999999']) {
      const list = await call(app, 'GET', `/api/v1/creatives?offerId=${offerId}`, {
        token: advertiser.accessToken,
      });
      expect([list.status, await errorCode(list)], offerId).toEqual([400, 'invalid_request']);
    }
  });

  it('refuses a creative past the most a campaign may carry to the edge, and a campaign past the most an offer may', async () => {
    const advertiser = await signUp(app, 'advertiser');
    const offer = await apiOffer(app, advertiser);
    const campaign = await apiCampaign(app, advertiser, { offerId: offer.id });
    await handle.db.insert(creatives).values(
      Array.from({ length: MAX_CREATIVES_PER_CAMPAIGN }, (_, i) => ({
        campaignId: campaign.id,
        name: `C${i}`,
        type: 'image' as const,
        url: 'https://cdn.example/c.png',
      })),
    );
    const creative = await call(app, 'POST', '/api/v1/creatives', {
      token: advertiser.accessToken,
      body: { campaignId: campaign.id, name: 'one more', type: 'image', url: 'https://cdn.example/x.png' },
    });
    expect([creative.status, await errorCode(creative)]).toEqual([409, 'conflict']);

    await handle.db.insert(campaigns).values(
      Array.from({ length: MAX_CAMPAIGNS_PER_OFFER - 1 }, (_, i) => ({
        advertiserId: advertiser.advertiserId!,
        offerId: offer.id,
        name: `K${i}`,
      })),
    );
    const more = await call(app, 'POST', '/api/v1/campaigns', {
      token: advertiser.accessToken,
      body: { name: 'one more', offerId: offer.id },
    });
    expect([more.status, await errorCode(more)]).toEqual([409, 'conflict']);
    // Moving another campaign onto the full offer is refused the same way.
    const elsewhere = await apiCampaign(app, advertiser);
    const moved = await call(app, 'PATCH', `/api/v1/campaigns/${elsewhere.id}`, {
      token: advertiser.accessToken,
      body: { offerId: offer.id },
    });
    expect([moved.status, await errorCode(moved)]).toEqual([409, 'conflict']);
  });
});
