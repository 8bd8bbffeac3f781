import { describe, expect, it } from 'vitest';
import { call, errorCode, signUp } from '../../test/api-client.ts';
import { useCapWorld } from '../../test/cap-setup.ts';
import { apiOffer } from '../../test/offer-setup.ts';
import { testDatabases } from '../../test/test-databases.ts';

describe.each(testDatabases)('GET /api/v1/offers/{id}/caps security on $name', ({ open }) => {
  const world = useCapWorld(open);

  it('needs a session', async () => {
    const response = await call(world().app, 'GET', `/api/v1/offers/${world().offer.id}/caps`);
    expect([response.status, await errorCode(response)]).toEqual([401, 'unauthorized']);
  });

  it("hides another advertiser's offer, and a private offer from an affiliate not approved on it", async () => {
    const { app, offer, advertiser, clicking } = world();
    const other = await signUp(app, 'advertiser');
    const foreign = await call(app, 'GET', `/api/v1/offers/${offer.id}/caps`, { token: other.accessToken });
    expect([foreign.status, await errorCode(foreign)]).toEqual([404, 'not_found']);

    const asked = world().recorder.capRequests.length;
    const hidden = await apiOffer(app, advertiser, { visibility: 'private' });
    const refused = await call(app, 'GET', `/api/v1/offers/${hidden.id}/caps`, {
      token: clicking.accessToken,
    });
    expect([refused.status, await errorCode(refused)]).toEqual([404, 'not_found']);
    // Refused before the edge is asked anything.
    expect(world().recorder.capRequests.length).toBe(asked);
  });

  it("never shows an affiliate another affiliate's counters", async () => {
    const { app, offer, overridden, clicking } = world();
    const response = await call(app, 'GET', `/api/v1/offers/${offer.id}/caps`, {
      token: overridden.accessToken,
    });
    const body = (await response.json()) as { affiliates: { affiliateId: number }[] };
    expect(body.affiliates.map((a) => a.affiliateId)).toEqual([overridden.affiliateId]);
    expect(JSON.stringify(body)).not.toContain(`"affiliateId":${clicking.affiliateId}`);
  });
});
