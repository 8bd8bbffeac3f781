import { describe, expect, it } from 'vitest';
import { call } from '../../test/api-client.ts';
import { useCapWorld } from '../../test/cap-setup.ts';
import { testDatabases } from '../../test/test-databases.ts';

describe.each(testDatabases)('GET /api/v1/offers/{id}/caps on $name', ({ open }) => {
  const world = useCapWorld(open);

  it("shows the advertiser each capped scope's limits beside the edge's counters", async () => {
    const { app, advertiser, offer, clicking, overridden } = world();
    const response = await call(app, 'GET', `/api/v1/offers/${offer.id}/caps`, {
      token: advertiser.accessToken,
    });
    expect(response.status).toBe(200);
    const body = await response.json();
    const today = new Date().toISOString().slice(0, 10);
    expect(body).toMatchObject({
      offerId: offer.id,
      day: today,
      month: today.slice(0, 7),
      offer: { limits: { dailyClicks: 100 }, used: { clicks: { daily: 12 } } },
    });
    // The affiliate with traffic this month (per-affiliate cap) and the one with an override.
    expect(
      (
        body as {
          affiliates: {
            affiliateId: number;
            limits: { dailyClicks: number };
            used: { clicks: { daily: number } };
          }[];
        }
      ).affiliates.map((a) => [a.affiliateId, a.limits.dailyClicks, a.used.clicks.daily]),
    ).toEqual(
      [
        [clicking.affiliateId, 10, 5],
        [overridden.affiliateId, 20, 7],
      ].sort((a, b) => Number(a[0]) - Number(b[0])),
    );
    expect(world().recorder.capRequests.at(-1)).toMatchObject({
      offerId: offer.id,
      affiliateIds: [clicking.affiliateId!, overridden.affiliateId!].sort((a, b) => a - b),
    });
  });

  it('shows an affiliate the offer-wide figures and its own, and asks the edge for nothing else', async () => {
    const { app, offer, clicking } = world();
    const response = await call(app, 'GET', `/api/v1/offers/${offer.id}/caps`, {
      token: clicking.accessToken,
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { offer: unknown; affiliates: { affiliateId: number }[] };
    expect(body.offer).toMatchObject({ used: { clicks: { daily: 12 } } });
    expect(body.affiliates).toEqual([
      expect.objectContaining({
        affiliateId: clicking.affiliateId,
        limits: expect.objectContaining({ dailyClicks: 10 }),
      }),
    ]);
    expect(world().recorder.capRequests.at(-1)?.affiliateIds).toEqual([clicking.affiliateId]);
  });
});
