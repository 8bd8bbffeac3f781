import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, type Session, signUp } from '../../test/api-client.ts';
import { startEdgeRecorder } from '../../test/edge-recorder.ts';
import { apiOffer } from '../../test/offer-setup.ts';
import { sentMail, testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import { clickEvent, conversionEvent, signedIngest } from '../../test/tracking-events.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { campaignsWithBudgets, syncBudgetState } from './campaign-budget-state.ts';

/**
 * The edge's wire format on a local port (signature and schema checked as the edge does), read
 * back as the campaigns of an offer's newest published config; it can be made unreachable.
 */
async function recordingEdge() {
  const recorder = await startEdgeRecorder();
  return {
    edge: recorder.edge,
    close: recorder.close,
    setDown: (value: boolean) => recorder.fail(value),
    campaignsOf(offerId: number) {
      const configs = recorder.received.flatMap((p) => p.upsert?.offers ?? []);
      return configs.filter((o) => o.id === offerId).at(-1)?.campaigns ?? [];
    },
  };
}

const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000);
const iso = (d: Date) => d.toISOString();

describe.each(testDatabases)('campaign budgets enforced at the edge, on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let edge: Awaited<ReturnType<typeof recordingEdge>>;
  let app: ReturnType<typeof testApp>;
  let admin: Session;
  let advertiser: Session;
  let affiliateId: number;
  beforeAll(async () => {
    handle = await open();
    edge = await recordingEdge();
    app = testApp(handle.db, { edge: edge.edge });
    admin = await adminSession(app, handle.db);
    advertiser = await signUp(app, 'advertiser');
    const affiliate = await signUp(app, 'affiliate');
    affiliateId = affiliate.affiliateId!;
    await call(app, 'PATCH', `/api/v1/affiliates/${affiliateId}`, {
      token: admin.accessToken,
      body: { status: 'active' },
    });
  });
  afterAll(async () => {
    await edge.close();
    await handle.close();
  });

  /** An active campaign on a fresh offer (revenue 25.00 a conversion) with one creative. */
  async function campaignWithCreative(budgets: { budgetMinor: number; dailyBudgetMinor?: number }) {
    const offer = await apiOffer(app, advertiser, { visibility: 'public', revenueMinor: 2500 });
    const campaign = (await (
      await call(app, 'POST', '/api/v1/campaigns', {
        token: advertiser.accessToken,
        body: { name: 'Budgeted', offerId: offer.id, status: 'active', ...budgets },
      })
    ).json()) as { id: number };
    const creative = (await (
      await call(app, 'POST', '/api/v1/creatives', {
        token: advertiser.accessToken,
        body: { campaignId: campaign.id, name: 'Banner', type: 'image', url: 'https://cdn.adv.test/b.png' },
      })
    ).json()) as { id: number };
    return { offerId: offer.id, campaignId: campaign.id, creativeId: creative.id };
  }

  /** A click on the creative and approved conversions of it, as the edge sends them. */
  async function convert(world: { offerId: number; creativeId: number }, conversionTimes: Date[]) {
    const click = await clickEvent({
      offerId: world.offerId,
      affiliateId,
      creativeId: world.creativeId,
      occurredAt: iso(day(-2)),
    });
    const conversions = conversionTimes.map((at) =>
      conversionEvent(click, { occurredAt: iso(at), advertiserStatus: 'approved' }),
    );
    const response = await app.request(
      '/internal/ingest',
      await signedIngest({ events: [click, ...conversions] }),
    );
    expect(response.status).toBe(200);
    return conversions.map((c) => c.id);
  }

  const budgetNotices = () => sentMail(app).filter((m) => m.subject.includes('reached its'));

  const campaign = async (id: number) =>
    (await (await call(app, 'GET', `/api/v1/campaigns/${id}`, { token: advertiser.accessToken })).json()) as {
      serving: string;
      budgetSpentAt: string | null;
      dailyBudgetSpentOn: string | null;
    };

  it('tells the edge a campaign and its creatives as soon as they exist', async () => {
    const world = await campaignWithCreative({ budgetMinor: 10_000 });
    expect(edge.campaignsOf(world.offerId)).toEqual([
      expect.objectContaining({ id: world.campaignId, creativeIds: [world.creativeId], stopped: null }),
    ]);
    expect((await campaign(world.campaignId)).serving).toBe('serving');
  });

  it('stops a campaign for the day at its daily budget and for good at its total, and resumes when spend falls back', async () => {
    const today = iso(day(0)).slice(0, 10);
    const world = await campaignWithCreative({ budgetMinor: 6000, dailyBudgetMinor: 4000 });

    const noticesBefore = budgetNotices().length;
    // 2 x 25.00 today: the daily budget (40.00) is reached, the total (60.00) is not.
    const [todays] = await convert(world, [day(0), day(0)]);
    expect(await campaign(world.campaignId)).toMatchObject({
      serving: 'budget_reached',
      dailyBudgetSpentOn: today,
      budgetSpentAt: null,
    });
    expect(edge.campaignsOf(world.offerId)[0]).toMatchObject({ stopped: null, dailyBudgetSpentOn: today });

    // Another 25.00 from yesterday takes the total to 75.00, past 60.00.
    await convert(world, [day(-1)]);
    expect((await campaign(world.campaignId)).budgetSpentAt).not.toBeNull();
    expect(edge.campaignsOf(world.offerId)[0]).toMatchObject({ stopped: 'budget_spent' });
    // The advertiser heard of each stop once: a sweep finds no change of state and sends nothing.
    const swept: string[] = [];
    await syncBudgetState(
      { db: handle.db, edge: edge.edge, mailer: { send: async (m) => void swept.push(m.subject) } },
      [world.campaignId],
      new Date(),
    );
    expect(swept).toEqual([]);
    expect(
      budgetNotices()
        .slice(noticesBefore)
        .map((m) => m.subject),
    ).toEqual(['Campaign "Budgeted" reached its daily budget', 'Campaign "Budgeted" reached its budget']);
    expect(budgetNotices().at(-1)?.text).toContain('60.00 USD');

    // A chargeback of one of today's conversions: 50.00 in total, 25.00 today, both under budget.
    const reversed = await call(app, 'POST', '/api/v1/conversions/changes', {
      token: admin.accessToken,
      body: { action: 'reverse', conversionIds: [todays], reason: 'chargeback', dryRun: false },
    });
    expect(reversed.status, await reversed.clone().text()).toBe(200);
    expect(await campaign(world.campaignId)).toMatchObject({
      serving: 'serving',
      budgetSpentAt: null,
      dailyBudgetSpentOn: null,
    });
    expect(edge.campaignsOf(world.offerId)[0]).toMatchObject({ stopped: null, dailyBudgetSpentOn: null });

    // Lowering the budget under what is spent stops the campaign at once.
    const lowered = await call(app, 'PATCH', `/api/v1/campaigns/${world.campaignId}`, {
      token: advertiser.accessToken,
      body: { budgetMinor: 5000, dailyBudgetMinor: 5000 },
    });
    expect(await lowered.json()).toMatchObject({ serving: 'budget_reached' });
    expect(edge.campaignsOf(world.offerId)[0]).toMatchObject({ stopped: 'budget_spent' });

    // Pausing it is a stop of another kind.
    await call(app, 'PATCH', `/api/v1/campaigns/${world.campaignId}`, {
      token: advertiser.accessToken,
      body: { status: 'paused' },
    });
    expect(edge.campaignsOf(world.offerId)[0]).toMatchObject({ stopped: 'not_active' });
  });

  it('does not charge a campaign for conversions of another offer whose links carried its creative', async () => {
    const victim = await campaignWithCreative({ budgetMinor: 2500 });
    const other = await campaignWithCreative({ budgetMinor: 1_000_000 });
    await convert({ offerId: other.offerId, creativeId: victim.creativeId }, [day(0), day(0)]);
    expect((await campaign(victim.campaignId)).serving).toBe('serving');
    const spend = await call(app, 'GET', `/api/v1/campaigns/${victim.campaignId}/spend`, {
      token: advertiser.accessToken,
    });
    expect(await spend.json()).toMatchObject({ spentMinor: 0, approvedConversions: 0 });
  });

  it('keeps the events when the edge is unreachable, and publishes the stop once it is back', async () => {
    const world = await campaignWithCreative({ budgetMinor: 2500 });
    edge.setDown(true);
    try {
      await convert(world, [day(0)]);
    } finally {
      edge.setDown(false);
    }
    // Not marked: the edge has not been told, so the next evaluation must tell it.
    expect((await campaign(world.campaignId)).budgetSpentAt).toBeNull();
    expect(edge.campaignsOf(world.offerId)[0]).toMatchObject({ stopped: null });

    const changed = await syncBudgetState(
      { db: handle.db, edge: edge.edge, mailer: { send: async () => {} } },
      await campaignsWithBudgets(handle.db),
      new Date(),
    );
    expect(changed).toContain(world.offerId);
    expect(edge.campaignsOf(world.offerId)[0]).toMatchObject({ stopped: 'budget_spent' });
    expect((await campaign(world.campaignId)).serving).toBe('budget_reached');
  });
});
