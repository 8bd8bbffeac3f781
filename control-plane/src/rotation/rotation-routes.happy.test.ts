import { describe, expect, it } from 'vitest';
import { call } from '../../test/api-client.ts';
import { ROTATION_NOW, traffic, useRotationWorld } from '../../test/rotation-setup.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { AbReport } from './ab-report.ts';
import { recomputeRotation } from './recompute-rotation.ts';
import type { RotationLog } from './rotation-log.ts';
import { seededRandom } from './seeded-random.ts';

describe.each(testDatabases)('rotation routes on $name', ({ open }) => {
  const world = useRotationWorld(open);
  const get = (path: string, token: string) => call(world().app, 'GET', path, { token });

  it('GET /rotation answers the defaults before anything is set, PUT stores the advertiser’s choice', async () => {
    const { offer, advertiser, admin, app } = world();
    const before = await get(`/api/v1/offers/${offer.id}/rotation`, advertiser.accessToken);
    expect(before.status).toBe(200);
    expect(await before.json()).toEqual({
      offerId: offer.id,
      mode: 'manual',
      explorationBps: 1000,
      decayWindowDays: 14,
      minClicks: 500,
      intervalMinutes: 60,
      computedAt: null,
      updatedAt: null,
    });
    const put = await call(app, 'PUT', `/api/v1/offers/${offer.id}/rotation`, {
      token: advertiser.accessToken,
      body: { mode: 'manual', explorationBps: 2000, decayWindowDays: 7, minClicks: 100, intervalMinutes: 30 },
    });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ mode: 'manual', explorationBps: 2000, decayWindowDays: 7 });
    // Admins may change it too; fields left out take their defaults.
    const byAdmin = await call(app, 'PUT', `/api/v1/offers/${offer.id}/rotation`, {
      token: admin.accessToken,
      body: { mode: 'manual', minClicks: 300 },
    });
    expect(await byAdmin.json()).toMatchObject({
      mode: 'manual',
      explorationBps: 1000,
      decayWindowDays: 14,
      minClicks: 300,
      intervalMinutes: 60,
      updatedAt: expect.any(String),
    });
    const after = await get(`/api/v1/offers/${offer.id}/rotation`, admin.accessToken);
    expect(await after.json()).toMatchObject({ minClicks: 300 });
  });

  it('GET /ab-report shows each group with CR, its interval, money per click, P(best) and a recommendation', async () => {
    const w = world();
    await traffic(w, { landingPageId: w.pageA }, { clicks: 600, conversions: 12 });
    await traffic(w, { landingPageId: w.pageB }, { clicks: 600, conversions: 30 });
    await traffic(w, { creativeId: w.creatives.square1 }, { clicks: 60, conversions: 1 });
    await traffic(w, { creativeId: w.creatives.square2 }, { clicks: 60, conversions: 3 });
    // Out of the default window (the decay window, 14 days): not counted.
    await traffic(
      w,
      { landingPageId: w.pageA },
      { clicks: 50, conversions: 50, until: new Date('2026-11-01T00:00:00Z'), days: 0.9 },
    );

    const response = await get(`/api/v1/offers/${w.offer.id}/ab-report`, w.advertiser.accessToken);
    expect(response.status).toBe(200);
    const report = (await response.json()) as AbReport;
    expect(report).toMatchObject({
      offerId: w.offer.id,
      currency: 'USD',
      from: '2026-11-07',
      to: '2026-11-20',
      mode: 'manual',
      minClicks: 300,
    });
    const [pages, squares, leaderboard] = report.groups;
    expect(pages?.arms).toEqual([
      {
        id: w.pageA,
        name: 'Page A',
        clicks: 600,
        conversions: 12,
        cr: 0.02,
        crLow: 0.0115,
        crHigh: 0.0346,
        revenuePerClickMinor: 30,
        probabilityBest: expect.any(Number),
        manualWeight: 3,
        learnedWeight: null,
        weightInForce: 3,
        shareInForce: 0.75,
        learnedShare: null,
      },
      expect.objectContaining({
        id: w.pageB,
        clicks: 600,
        conversions: 30,
        cr: 0.05,
        crLow: 0.0352,
        crHigh: 0.0705,
        revenuePerClickMinor: 75,
        shareInForce: 0.25,
      }),
    ]);
    expect(pages?.arms[1]?.probabilityBest).toBeGreaterThan(0.99);
    expect(pages?.recommendation).toEqual({
      verdict: 'winner',
      bestArmId: w.pageB,
      message: '"Page B" beats "Page A" with over 99% probability; shift traffic to "Page B".',
    });
    expect(squares).toMatchObject({ kind: 'creative', group: '300x250', clicks: 120 });
    expect(squares?.recommendation).toEqual({
      verdict: 'not_enough_data',
      bestArmId: null,
      message: 'Not enough data yet: 120 clicks, need 300.',
    });
    expect(leaderboard).toMatchObject({
      kind: 'creative',
      group: '728x90',
      recommendation: { verdict: 'single_arm' },
      arms: [{ id: w.creatives.leaderboard, clicks: 0, cr: null, crLow: null, probabilityBest: null }],
    });
    // The same data shows the same probabilities each time.
    const again = (await (
      await get(`/api/v1/offers/${w.offer.id}/ab-report`, w.advertiser.accessToken)
    ).json()) as AbReport;
    expect(again.groups[0]?.arms[0]?.probabilityBest).toBe(pages?.arms[0]?.probabilityBest);

    // Admins see what affiliates earn per click as well.
    const asAdmin = (await (
      await get(`/api/v1/offers/${w.offer.id}/ab-report`, w.admin.accessToken)
    ).json()) as AbReport;
    expect(asAdmin.groups[0]?.arms.map((a) => [a.revenuePerClickMinor, a.epcMinor])).toEqual([
      [30, 20],
      [75, 50],
    ]);

    // Days as asked: the old burst of Page A only.
    const old = (await (
      await get(
        `/api/v1/offers/${w.offer.id}/ab-report?from=2026-10-31&to=2026-10-31`,
        w.advertiser.accessToken,
      )
    ).json()) as AbReport;
    expect(old.groups[0]?.arms.map((a) => [a.clicks, a.conversions])).toEqual([
      [50, 50],
      [0, 0],
    ]);
  });

  it('GET /rotation/log lists the bandit’s changes newest first, with their evidence, page by page', async () => {
    const w = world();
    await call(w.app, 'PUT', `/api/v1/offers/${w.offer.id}/rotation`, {
      token: w.advertiser.accessToken,
      body: { mode: 'bandit', minClicks: 100 },
    });
    const empty = await get(`/api/v1/offers/${w.offer.id}/rotation/log`, w.advertiser.accessToken);
    expect(await empty.json()).toEqual({ data: [], nextBefore: null });
    const run = await recomputeRotation(
      { db: w.db, edge: w.recorder.edge },
      w.offer.id,
      ROTATION_NOW,
      seededRandom(5),
    );
    expect(run.groups.map((g) => g.outcome)).toEqual(['changed', 'changed', 'single_arm']);

    const response = await get(`/api/v1/offers/${w.offer.id}/rotation/log?limit=3`, w.advertiser.accessToken);
    expect(response.status).toBe(200);
    const page = (await response.json()) as RotationLog;
    expect(page.data).toHaveLength(3);
    expect(page.nextBefore).toBe(page.data[2]?.id);
    const rest = (await (
      await get(
        `/api/v1/offers/${w.offer.id}/rotation/log?limit=3&before=${page.nextBefore}`,
        w.advertiser.accessToken,
      )
    ).json()) as RotationLog;
    const all = [...page.data, ...rest.data];
    expect(all.map((e) => e.id)).toEqual([...all.map((e) => e.id)].sort((a, b) => b - a));
    expect(all.find((e) => e.armKind === 'landing_page' && e.armId === w.pageB)).toEqual({
      id: expect.any(Number),
      runId: run.runId,
      changedAt: ROTATION_NOW.toISOString(),
      armKind: 'landing_page',
      armId: w.pageB,
      armName: 'Page B',
      group: '',
      oldWeight: 1,
      newWeight: 9500,
      oldShareBps: 2500,
      newShareBps: 9500,
      clicks: 600,
      conversions: 30,
      probabilityBest: expect.any(Number),
      windowStart: '2026-11-06T12:00:00.000Z',
      windowEnd: ROTATION_NOW.toISOString(),
    });
    expect(all.filter((e) => e.armKind === 'creative').map((e) => [e.armName, e.group])).toEqual([
      ['square-2', '300x250'],
      ['square-1', '300x250'],
    ]);

    // The report now shows the learned weights beside the ones in force.
    const report = (await (
      await get(`/api/v1/offers/${w.offer.id}/ab-report`, w.advertiser.accessToken)
    ).json()) as AbReport;
    expect(report.groups[0]?.arms.map((a) => [a.learnedWeight, a.weightInForce, a.learnedShare])).toEqual([
      [500, 500, 0.05],
      [9500, 9500, 0.95],
    ]);
    expect(report.groups[0]?.recommendation.message).toBe(
      '"Page B" beats "Page A" with over 99% probability; the bandit is shifting traffic to "Page B".',
    );
  });
});
