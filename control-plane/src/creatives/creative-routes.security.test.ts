import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, errorCode, signUp } from '../../test/api-client.ts';
import { apiCampaign, apiOffer } from '../../test/offer-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';

describe.each(testDatabases)('/api/v1/creatives access on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
  });
  afterAll(() => handle.close());

  it("hides creatives of private offers and other advertisers' campaigns, and lets only advertisers write", async () => {
    const owner = await signUp(app, 'advertiser');
    const rival = await signUp(app, 'advertiser');
    const affiliate = await signUp(app, 'affiliate');
    const privateOffer = await apiOffer(app, owner, { visibility: 'private' });
    const campaign = await apiCampaign(app, owner, { offerId: privateOffer.id });
    const creative = (await (
      await call(app, 'POST', '/api/v1/creatives', {
        token: owner.accessToken,
        body: { campaignId: campaign.id, name: 'B', type: 'html', url: 'https://cdn.example/b.html' },
      })
    ).json()) as { id: number };

    for (const token of [affiliate.accessToken, rival.accessToken]) {
      expect((await call(app, 'GET', `/api/v1/creatives/${creative.id}`, { token })).status).toBe(404);
      for (const path of ['/api/v1/creatives', `/api/v1/creatives?offerId=${privateOffer.id}`]) {
        const list = await call(app, 'GET', path, { token });
        expect(((await list.json()) as { data: unknown[] }).data).toEqual([]);
      }
    }
    const rivalPatch = await call(app, 'PATCH', `/api/v1/creatives/${creative.id}`, {
      token: rival.accessToken,
      body: { name: 'x' },
    });
    expect(rivalPatch.status).toBe(404);
    const rivalCreate = await call(app, 'POST', '/api/v1/creatives', {
      token: rival.accessToken,
      body: { campaignId: campaign.id, name: 'x', type: 'image', url: 'https://x.example/x.png' },
    });
    expect(rivalCreate.status).toBe(404);
    for (const [method, path] of [
      ['POST', '/api/v1/creatives'],
      ['PATCH', `/api/v1/creatives/${creative.id}`],
    ] as const) {
      const response = await call(app, method, path, { token: affiliate.accessToken, body: { name: 'x' } });
      expect([response.status, await errorCode(response)]).toEqual([403, 'forbidden']);
      expect((await call(app, method, path, { body: { name: 'x' } })).status).toBe(401);
    }
    expect((await call(app, 'GET', '/api/v1/creatives')).status).toBe(401);
  });
});
