import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { call } from '../../test/api-client.ts';
import { lastConfigOf, ROTATION_NOW, traffic, useRotationWorld } from '../../test/rotation-setup.ts';
import { testDatabases } from '../../test/test-databases.ts';
import { offerLandingPages } from '../db/schema/offers.ts';
import { rotationWeightChanges, rotationWeights } from '../db/schema/rotation.ts';
import { recomputeRotation } from './recompute-rotation.ts';
import { offersDueForRotation, sweepRotation } from './rotation-sweeper.ts';
import { seededRandom } from './seeded-random.ts';

const weightsOf = (pages: { id: number; weight: number }[] | undefined) =>
  Object.fromEntries((pages ?? []).map((p) => [p.id, p.weight]));

describe.each(testDatabases)('publishing rotation weights on $name', ({ open }) => {
  const world = useRotationWorld(open);

  it('publishes the active creatives with equal weights, and the manual landing page weights, by default', () => {
    const w = world();
    const config = lastConfigOf(w, w.offer.id);
    expect(weightsOf(config?.landingPages)).toEqual({ [w.pageA]: 3, [w.pageB]: 1 });
    expect(config?.creatives).toEqual([
      {
        id: w.creatives.square1,
        name: 'square-1',
        type: 'image',
        size: '300x250',
        url: 'https://cdn.example/square-1.png',
        weight: 1,
      },
      expect.objectContaining({ id: w.creatives.square2, size: '300x250', weight: 1 }),
      expect.objectContaining({ id: w.creatives.leaderboard, size: '728x90', weight: 1 }),
    ]);
  });

  it("publishes a creative's change at once, and drops a paused campaign's creatives", async () => {
    const w = world();
    const patched = await call(w.app, 'PATCH', `/api/v1/creatives/${w.creatives.leaderboard}`, {
      token: w.advertiser.accessToken,
      body: { url: 'https://cdn.example/leader-v2.png', name: 'Leader v2' },
    });
    expect(patched.status).toBe(200);
    expect(
      lastConfigOf(w, w.offer.id)?.creatives.find((c) => c.id === w.creatives.leaderboard),
    ).toMatchObject({
      url: 'https://cdn.example/leader-v2.png',
      name: 'Leader v2',
    });
    const paused = await call(w.app, 'PATCH', `/api/v1/campaigns/${w.campaign.id}`, {
      token: w.advertiser.accessToken,
      body: { status: 'paused' },
    });
    expect(paused.status).toBe(200);
    expect(lastConfigOf(w, w.offer.id)?.creatives).toEqual([]);
    await call(w.app, 'PATCH', `/api/v1/campaigns/${w.campaign.id}`, {
      token: w.advertiser.accessToken,
      body: { status: 'active' },
    });
    expect(lastConfigOf(w, w.offer.id)?.creatives).toHaveLength(3);
  });

  it('carries learned weights only in bandit mode, and never overwrites the advertiser’s', async () => {
    const w = world();
    const deps = { db: w.db, edge: w.recorder.edge };
    await traffic(w, { landingPageId: w.pageA }, { clicks: 600, conversions: 12 });
    await traffic(w, { landingPageId: w.pageB }, { clicks: 600, conversions: 30 });
    await traffic(w, { creativeId: w.creatives.square1 }, { clicks: 400, conversions: 4 });
    await traffic(w, { creativeId: w.creatives.square2 }, { clicks: 400, conversions: 20 });

    // Manual mode: the bandit does not run, even when asked.
    expect(await recomputeRotation(deps, w.offer.id, ROTATION_NOW, seededRandom(1))).toMatchObject({
      skipped: 'not_bandit',
    });
    expect(await offersDueForRotation(w.db, ROTATION_NOW)).not.toContain(w.offer.id);

    const put = await call(w.app, 'PUT', `/api/v1/offers/${w.offer.id}/rotation`, {
      token: w.advertiser.accessToken,
      body: { mode: 'bandit', explorationBps: 1000, minClicks: 500 },
    });
    expect(put.status).toBe(200);
    // Nothing learned yet: the edge still rotates by the advertiser's weights.
    expect(weightsOf(lastConfigOf(w, w.offer.id)?.landingPages)).toEqual({ [w.pageA]: 3, [w.pageB]: 1 });
    expect(await offersDueForRotation(w.db, ROTATION_NOW)).toContain(w.offer.id);

    const published = w.recorder.received.length;
    const [run] = await sweepRotation(deps, ROTATION_NOW);
    expect(run?.groups).toEqual([
      { kind: 'landing_page', group: '', outcome: 'changed', clicks: 1200 },
      { kind: 'creative', group: '300x250', outcome: 'changed', clicks: 800 },
      { kind: 'creative', group: '728x90', outcome: 'single_arm', clicks: 0 },
    ]);
    expect(w.recorder.received.length).toBe(published + 1);
    const config = lastConfigOf(w, w.offer.id);
    const pages = weightsOf(config?.landingPages);
    // B converts at 5% against A's 2%: it gets all but A's exploration floor (10% / 2 arms).
    expect(pages).toEqual({ [w.pageA]: 500, [w.pageB]: 9500 });
    const creatives = weightsOf(config?.creatives);
    expect(creatives).toEqual({
      [w.creatives.square1]: 500,
      [w.creatives.square2]: 9500,
      [w.creatives.leaderboard]: 1,
    });

    // The advertiser's weights are untouched; the learned ones are stored apart, with a log.
    const manual = await w.db
      .select({ id: offerLandingPages.id, weight: offerLandingPages.weight })
      .from(offerLandingPages)
      .where(eq(offerLandingPages.offerId, w.offer.id));
    expect(weightsOf(manual)).toEqual({ [w.pageA]: 3, [w.pageB]: 1 });
    const learned = await w.db.select().from(rotationWeights).where(eq(rotationWeights.offerId, w.offer.id));
    expect(learned).toHaveLength(4);
    const log = await w.db
      .select()
      .from(rotationWeightChanges)
      .where(eq(rotationWeightChanges.offerId, w.offer.id));
    expect(log.find((l) => l.armId === w.pageB)).toMatchObject({
      armKind: 'landing_page',
      oldWeight: 1,
      newWeight: 9500,
      oldShareBps: 2500,
      newShareBps: 9500,
      clicks: 600,
      conversions: 30,
      windowStart: new Date(ROTATION_NOW.getTime() - 14 * 86_400_000),
      windowEnd: ROTATION_NOW,
    });
    expect(log.find((l) => l.armId === w.pageB)?.probabilityBest).toBeGreaterThan(0.99);

    // Not due again before its interval; run again anyway, nothing moves: no new publish, no log.
    expect(await offersDueForRotation(w.db, new Date(ROTATION_NOW.getTime() + 59 * 60_000))).not.toContain(
      w.offer.id,
    );
    expect(await offersDueForRotation(w.db, new Date(ROTATION_NOW.getTime() + 60 * 60_000))).toContain(
      w.offer.id,
    );
    const again = await recomputeRotation(deps, w.offer.id, ROTATION_NOW, seededRandom(2));
    expect(again.groups.map((g) => g.outcome)).toEqual(['tiny_change', 'tiny_change', 'single_arm']);
    expect(w.recorder.received.length).toBe(published + 1);

    // Back to manual: the advertiser's weights and equal creatives, at once; the learned ones kept.
    await call(w.app, 'PUT', `/api/v1/offers/${w.offer.id}/rotation`, {
      token: w.advertiser.accessToken,
      body: { mode: 'manual' },
    });
    const manualConfig = lastConfigOf(w, w.offer.id);
    expect(weightsOf(manualConfig?.landingPages)).toEqual({ [w.pageA]: 3, [w.pageB]: 1 });
    expect(manualConfig?.creatives.map((c) => c.weight)).toEqual([1, 1, 1]);
    expect(
      await w.db.select().from(rotationWeights).where(eq(rotationWeights.offerId, w.offer.id)),
    ).toHaveLength(4);
  });

  it('stores nothing when the edge refuses the new weights, and tries again on the next run', async () => {
    const w = world();
    const deps = { db: w.db, edge: w.recorder.edge };
    await call(w.app, 'PUT', `/api/v1/offers/${w.offer.id}/rotation`, {
      token: w.advertiser.accessToken,
      body: { mode: 'bandit', explorationBps: 3000 },
    });
    const before = await w.db.select().from(rotationWeightChanges);
    w.recorder.fail(true);
    try {
      await expect(recomputeRotation(deps, w.offer.id, ROTATION_NOW, seededRandom(3))).rejects.toThrow();
    } finally {
      w.recorder.fail(false);
    }
    expect(await w.db.select().from(rotationWeightChanges)).toHaveLength(before.length);
    expect(await offersDueForRotation(w.db, ROTATION_NOW)).toContain(w.offer.id);
    const run = await recomputeRotation(deps, w.offer.id, ROTATION_NOW, seededRandom(3));
    expect(run.groups[0]).toMatchObject({ outcome: 'changed' });
    // A wider exploration share: 30% / 2 arms each at least.
    expect(weightsOf(lastConfigOf(w, w.offer.id)?.landingPages)).toEqual({
      [w.pageA]: 1500,
      [w.pageB]: 8500,
    });
  });
});
