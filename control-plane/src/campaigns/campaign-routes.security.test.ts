import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, errorCode, signUp } from '../../test/api-client.ts';
import { apiCampaign } from '../../test/offer-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';

describe.each(testDatabases)('/api/v1/campaigns access on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
  });
  afterAll(() => handle.close());

  it('keeps campaigns to their advertiser and away from affiliates and strangers', async () => {
    const owner = await signUp(app, 'advertiser');
    const rival = await signUp(app, 'advertiser');
    const affiliate = await signUp(app, 'affiliate');
    const campaign = await apiCampaign(app, owner);
    const routes = [
      ['GET', '/api/v1/campaigns'],
      ['GET', `/api/v1/campaigns/${campaign.id}`],
      ['POST', '/api/v1/campaigns'],
      ['PATCH', `/api/v1/campaigns/${campaign.id}`],
    ] as const;
    for (const [method, path] of routes) {
      const anonymous = await call(app, method, path, { body: { name: 'x' } });
      expect([anonymous.status, await errorCode(anonymous)], `${method} ${path}`).toEqual([
        401,
        'unauthorized',
      ]);
      const byAffiliate = await call(app, method, path, {
        token: affiliate.accessToken,
        body: { name: 'x' },
      });
      expect([byAffiliate.status, await errorCode(byAffiliate)], `${method} ${path}`).toEqual([
        403,
        'forbidden',
      ]);
    }
    for (const method of ['GET', 'PATCH']) {
      const response = await call(app, method, `/api/v1/campaigns/${campaign.id}`, {
        token: rival.accessToken,
        body: { name: 'hijacked' },
      });
      expect([response.status, await errorCode(response)]).toEqual([404, 'not_found']);
    }
    const list = await call(app, 'GET', '/api/v1/campaigns', { token: rival.accessToken });
    expect(((await list.json()) as { data: unknown[] }).data).toEqual([]);
    const foreign = await call(app, 'POST', '/api/v1/campaigns', {
      token: rival.accessToken,
      body: { advertiserId: owner.advertiserId, name: 'x' },
    });
    expect([foreign.status, await errorCode(foreign)]).toEqual([403, 'forbidden']);
    const read = await call(app, 'GET', `/api/v1/campaigns/${campaign.id}`, { token: owner.accessToken });
    expect(await read.json()).toMatchObject({ name: 'Campaign' });
  });
});
