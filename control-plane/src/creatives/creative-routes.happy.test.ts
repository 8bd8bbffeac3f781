import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, signUp } from '../../test/api-client.ts';
import { apiCampaign, apiOffer } from '../../test/offer-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';

describe.each(testDatabases)('/api/v1/creatives on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
  });
  afterAll(() => handle.close());

  it('lets an advertiser add creatives and an affiliate read those of offers it may run', async () => {
    const advertiser = await signUp(app, 'advertiser');
    const offer = await apiOffer(app, advertiser, { visibility: 'public' });
    const campaign = await apiCampaign(app, advertiser, { offerId: offer.id });
    const created = await call(app, 'POST', '/api/v1/creatives', {
      token: advertiser.accessToken,
      body: {
        campaignId: campaign.id,
        name: 'Banner',
        type: 'image',
        url: 'https://cdn.example/b.png',
        size: '300x250',
      },
    });
    expect(created.status).toBe(201);
    const creative = (await created.json()) as { id: number };
    const changed = await call(app, 'PATCH', `/api/v1/creatives/${creative.id}`, {
      token: advertiser.accessToken,
      body: { name: 'Banner v2' },
    });
    expect(await changed.json()).toMatchObject({ name: 'Banner v2', size: '300x250' });

    const affiliate = await signUp(app, 'affiliate');
    const list = await call(app, 'GET', `/api/v1/creatives?campaignId=${campaign.id}`, {
      token: affiliate.accessToken,
    });
    expect(((await list.json()) as { data: { id: number }[] }).data.map((c) => c.id)).toEqual([creative.id]);
    const read = await call(app, 'GET', `/api/v1/creatives/${creative.id}`, { token: affiliate.accessToken });
    expect(await read.json()).toMatchObject({ name: 'Banner v2', url: 'https://cdn.example/b.png' });
  });

  it("lists the creatives of one offer's campaigns for the link builder", async () => {
    const advertiser = await signUp(app, 'advertiser');
    const offer = await apiOffer(app, advertiser, { visibility: 'public' });
    const other = await apiOffer(app, advertiser, { visibility: 'public' });
    const creativeOf = async (offerId: number) => {
      const campaign = await apiCampaign(app, advertiser, { offerId });
      const created = await call(app, 'POST', '/api/v1/creatives', {
        token: advertiser.accessToken,
        body: { campaignId: campaign.id, name: 'Banner', type: 'image', url: 'https://cdn.example/b.png' },
      });
      return ((await created.json()) as { id: number }).id;
    };
    const mine = await creativeOf(offer.id);
    await creativeOf(other.id);
    const affiliate = await signUp(app, 'affiliate');
    const list = await call(app, 'GET', `/api/v1/creatives?offerId=${offer.id}`, {
      token: affiliate.accessToken,
    });
    expect(((await list.json()) as { data: { id: number }[] }).data.map((c) => c.id)).toEqual([mine]);
  });
});
