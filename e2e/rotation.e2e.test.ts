import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_USERS } from '../control-plane/src/demo/seed-demo.ts';
import type { Stack } from '../scripts/stack.ts';
import { type Api, apiAs, type Schemas } from './dashboard/api.ts';
import { BROWSER_UA, eventually, startE2EStack } from './e2e-stack.ts';

const SIZE = '300x250';

/**
 * Rotation that learns (issue 11), through the real stack: the advertiser's two banners rotate
 * in the demo offer's ad tag at equal weights; visitors click both, one converts far better; the
 * bandit (its sweep in the control plane, Thompson sampling on conversions per clean click) shifts
 * the edge's weights to the better banner, keeps the other its exploration share, and logs the
 * change with its evidence.
 */
describe('creative rotation learns from conversions', () => {
  let env: Awaited<ReturnType<typeof startE2EStack>>;
  let stack: Stack;
  let db: pg.Client;
  let advertiser: Api;

  beforeAll(async () => {
    // The bandit's sweep looks every 2 s (a minute by default) so the test need not wait for it.
    env = await startE2EStack({ apiEnv: { ROTATION_SWEEP_INTERVAL_MS: '2000' } });
    ({ stack, db } = env);
    advertiser = await apiAs(stack.urls.api, DEMO_USERS.advertiser, DEMO_PASSWORD);
  }, 240_000);
  afterAll(() => env?.stop());

  /** The creative the ad tag shows a visitor (by the tracked link it wraps). */
  const adTagPick = async () => {
    const response = await fetch(`${stack.urls.edge}/ad/1?aff_id=1&size=${SIZE}`, {
      headers: { 'user-agent': BROWSER_UA },
    });
    expect(response.status).toBe(200);
    const html = await response.text();
    return Number(/creative_id=(\d+)/.exec(html)?.[1]);
  };
  const shares = async (draws: number) => {
    const picks = new Map<number, number>();
    for (let i = 0; i < draws; i++) {
      const id = await adTagPick();
      picks.set(id, (picks.get(id) ?? 0) + 1);
    }
    return picks;
  };

  it('shifts the ad tag to the banner that converts, keeping the other its exploration share', {
    timeout: 240_000,
  }, async () => {
    const campaign = await advertiser.post<{ id: number }>('/api/v1/campaigns', {
      offerId: 1,
      name: 'Winter banners',
      status: 'active',
    });
    const banner = (name: string) =>
      advertiser.post<{ id: number }>('/api/v1/creatives', {
        campaignId: campaign.id,
        name,
        type: 'image',
        url: `https://cdn.shop.example.com/${name}.png`,
        size: SIZE,
      });
    const weak = await banner('blue-banner');
    const strong = await banner('red-banner');

    // Both rotate at first, about evenly.
    const before = await eventually(
      () => shares(60),
      (picks) => (picks.get(weak.id) ?? 0) > 0 && (picks.get(strong.id) ?? 0) > 0,
    );
    expect(before.get(weak.id)).toBeGreaterThan(10);
    expect(before.get(strong.id)).toBeGreaterThan(10);

    // Visitors (each from its own address, so every click is a clean one) click both banners:
    // 1 in 30 buys after the blue one, 1 in 3 after the red one.
    let visitor = 0;
    const visit = async (creativeId: number, buys: boolean) => {
      visitor++;
      const response = await fetch(`${stack.urls.edge}/c/1?aff_id=1&creative_id=${creativeId}`, {
        redirect: 'manual',
        headers: { 'user-agent': BROWSER_UA, 'cf-connecting-ip': `203.0.113.${visitor % 250}` },
      });
      const clickId = new URL(response.headers.get('location') ?? '').searchParams.get('click_id');
      if (buys && clickId)
        await fetch(`${stack.urls.edge}/postback?click_id=${clickId}&amount=40.00&txid=ROT-${visitor}`);
    };
    for (let i = 0; i < 120; i++) {
      await visit(weak.id, i % 30 === 0);
      await visit(strong.id, i % 3 === 0);
    }
    const evidence = async () => {
      const { rows } = await db.query<{ creative_id: number; clicks: string; conversions: string }>(
        `SELECT k.creative_id, count(DISTINCT k.id) AS clicks, count(DISTINCT v.id) AS conversions
         FROM clicks k LEFT JOIN conversions v ON v.click_id = k.id
         WHERE k.creative_id = ANY($1::int[]) GROUP BY k.creative_id`,
        [[weak.id, strong.id]],
      );
      return Object.fromEntries(rows.map((r) => [r.creative_id, [Number(r.clicks), Number(r.conversions)]]));
    };
    expect(
      await eventually(evidence, (e) => e[weak.id]?.[1] === 4 && e[strong.id]?.[1] === 40, 60_000),
    ).toEqual({ [weak.id]: [120, 4], [strong.id]: [120, 40] });

    // The advertiser lets the bandit decide, with 10% exploration and 100 clicks of evidence.
    await advertiser.put('/api/v1/offers/1/rotation', {
      mode: 'bandit',
      explorationBps: 1_000,
      decayWindowDays: 14,
      minClicks: 100,
      intervalMinutes: 5,
    });
    // Its next sweep recomputes: the change is logged with the evidence behind it...
    const log = await eventually(
      async () =>
        (await advertiser.get<{ data: Schemas['RotationLogEntry'][] }>('/api/v1/offers/1/rotation/log')).data,
      (entries) => entries.some((e) => e.armKind === 'creative'),
      30_000,
    );
    const strongChange = log.find((e) => e.armKind === 'creative' && e.armId === strong.id);
    expect(strongChange).toMatchObject({ group: SIZE, clicks: 120, conversions: 40 });
    expect(strongChange?.probabilityBest).toBeGreaterThan(0.99);
    expect(strongChange?.newShareBps).toBeGreaterThan(8_000);
    const weakChange = log.find((e) => e.armKind === 'creative' && e.armId === weak.id);
    expect(weakChange?.newShareBps).toBeGreaterThanOrEqual(500); // 10% shared by two arms

    // ...the A/B report calls the winner...
    const report = await advertiser.get<Schemas['AbReport']>('/api/v1/offers/1/ab-report');
    const group = report.groups.find((g) => g.kind === 'creative' && g.group === SIZE);
    expect(group?.recommendation).toMatchObject({ verdict: 'winner', bestArmId: strong.id });

    // ...and the edge's ad tag now shows the red banner to most visitors, the blue one still to some.
    const after = await eventually(
      () => shares(200),
      (picks) => (picks.get(strong.id) ?? 0) > 150,
    );
    expect(after.get(strong.id)).toBeGreaterThan(150);
    expect(after.get(weak.id)).toBeGreaterThan(0);
  });
});
