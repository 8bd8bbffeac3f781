import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, errorCode, type Session, signUp } from '../../test/api-client.ts';
import { startEdgeRecorder } from '../../test/edge-recorder.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { offerLandingPages, offerPayoutRules, offers } from '../db/schema/offers.ts';

describe.each(testDatabases)('/api/v1/offers bad input on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let recorder: Awaited<ReturnType<typeof startEdgeRecorder>>;
  let app: ReturnType<typeof testApp>;
  let admin: Session;
  let advertiser: Session;
  beforeAll(async () => {
    handle = await open();
    recorder = await startEdgeRecorder();
    app = testApp(handle.db, {
      edge: recorder.edge,
    });
    admin = await adminSession(app, handle.db);
    advertiser = await signUp(app, 'advertiser');
  });
  afterAll(async () => {
    await recorder.close();
    await handle.close();
  });
  const base = { name: 'O', payoutType: 'cpa', destinationUrl: 'https://adv.example/?c={click_id}' };
  const counts = async () => ({
    offers: (await handle.db.select({ n: count() }).from(offers))[0]?.n,
    pages: (await handle.db.select({ n: count() }).from(offerLandingPages))[0]?.n,
    rules: (await handle.db.select({ n: count() }).from(offerPayoutRules))[0]?.n,
  });

  it('refuses invalid offers with 400 and a code, storing nothing', async () => {
    const before = await counts();
    const bad: Record<string, unknown>[] = [
      {},
      { ...base, payoutType: 'cpm' },
      { ...base, payoutMinor: 1.5 },
      { ...base, payoutMinor: -1 },
      { ...base, payoutBps: 10_001 },
      { ...base, currency: 'usd' },
      { ...base, destinationUrl: 'javascript:alert(1)' },
      { ...base, destinationUrl: 'https://localhost' },
      { ...base, defaultEvent: 'sale' },
      { ...base, events: [] },
      { ...base, events: ['Bad Event'] },
      { ...base, attributionWindowHours: 0 },
      { ...base, targeting: { countries: ['de'] } },
      { ...base, targeting: { devices: ['fridge'] } },
      { ...base, deepLinks: { allowed: true, hosts: ['http://x.com'] } },
      { ...base, caps: { offer: { dailyClicks: -5 } } },
      { ...base, fraudRules: { action: 'block' } },
      { ...base, postbackIpAllowlist: ['300.1.1.1'] },
      { ...base, landingPages: [{ name: 'A', url: 'data:text/html,x' }] },
      { ...base, landingPages: [{ name: 'A', url: 'https://a.example', weight: 0 }] },
      { ...base, landingPages: [{ id: 5, name: 'A', url: 'https://a.example' }] },
      { ...base, postbackSecret: 'short' },
      { ...base, privacy: { ipMode: 'anonymised' } },
      { ...base, privacy: { userAgentMode: 'none' } },
      { ...base, privacy: { forwardEuVisitors: 'no' } },
    ];
    for (const body of bad) {
      const response = await call(app, 'POST', '/api/v1/offers', { token: advertiser.accessToken, body });
      expect([response.status, await errorCode(response)], JSON.stringify(body)).toEqual([
        400,
        'invalid_request',
      ]);
    }
    const admins = await call(app, 'POST', '/api/v1/offers', { token: admin.accessToken, body: base });
    expect([admins.status, await errorCode(admins)], 'admin without advertiserId').toEqual([
      400,
      'invalid_request',
    ]);
    const unknown = await call(app, 'POST', '/api/v1/offers', {
      token: admin.accessToken,
      body: { ...base, advertiserId: 987654 },
    });
    expect([unknown.status, await errorCode(unknown)]).toEqual([404, 'not_found']);
    expect(await counts()).toEqual(before);
  });

  it('refuses a change that breaks the offer, leaving it as it was', async () => {
    const offer = (await (
      await call(app, 'POST', '/api/v1/offers', {
        token: advertiser.accessToken,
        body: { ...base, status: 'active' },
      })
    ).json()) as { id: number };
    const other = (await (
      await call(app, 'POST', '/api/v1/offers', {
        token: advertiser.accessToken,
        body: { ...base, landingPages: [{ name: 'X', url: 'https://x.example' }] },
      })
    ).json()) as { landingPages: { id: number }[] };
    const before = await counts();
    for (const body of [
      { defaultEvent: 'sale' },
      { events: ['lead'] },
      { landingPages: [{ id: other.landingPages[0]!.id, name: 'stolen', url: 'https://x.example' }] },
      { status: 'deleted' },
    ]) {
      const response = await call(app, 'PATCH', `/api/v1/offers/${offer.id}`, {
        token: advertiser.accessToken,
        body,
      });
      expect([response.status, await errorCode(response)], JSON.stringify(body)).toEqual([
        400,
        'invalid_request',
      ]);
    }
    expect(await counts()).toEqual(before);
    const [stored] = await handle.db.select().from(offers).where(eq(offers.id, offer.id));
    expect(stored).toMatchObject({ revision: 1, defaultEvent: 'conversion', events: ['conversion'] });
  });

  it('rolls a change back when the edge cannot take it', async () => {
    const offer = (await (
      await call(app, 'POST', '/api/v1/offers', {
        token: advertiser.accessToken,
        body: { ...base, status: 'active' },
      })
    ).json()) as { id: number };
    const before = await counts();
    recorder.fail(true);
    try {
      const response = await call(app, 'PATCH', `/api/v1/offers/${offer.id}`, {
        token: advertiser.accessToken,
        body: { payoutMinor: 999, landingPages: [{ name: 'N', url: 'https://n.example' }] },
      });
      expect([response.status, await errorCode(response)]).toEqual([502, 'edge_unavailable']);
    } finally {
      recorder.fail(false);
    }
    expect(await counts()).toEqual(before);
    const [stored] = await handle.db.select().from(offers).where(eq(offers.id, offer.id));
    expect(stored?.payoutMinor).toBe(0);
  });

  it('answers 404 for missing offers, affiliates and overrides', async () => {
    const offer = (await (
      await call(app, 'POST', '/api/v1/offers', { token: advertiser.accessToken, body: base })
    ).json()) as { id: number };
    const cases: [string, string, unknown][] = [
      ['GET', '/api/v1/offers/555555', undefined],
      ['PATCH', '/api/v1/offers/555555', { name: 'x' }],
      ['PUT', `/api/v1/offers/${offer.id}/payouts/555555`, { payoutMinor: 1 }],
      ['DELETE', `/api/v1/offers/${offer.id}/payouts/555555`, undefined],
      ['PUT', `/api/v1/offers/${offer.id}/applications/555555`, { status: 'approved' }],
    ];
    for (const [method, path, body] of cases) {
      const response = await call(app, method, path, { token: advertiser.accessToken, body });
      expect([response.status, await errorCode(response)], `${method} ${path}`).toEqual([404, 'not_found']);
    }
    const badDecision = await call(app, 'PUT', `/api/v1/offers/${offer.id}/applications/1`, {
      token: advertiser.accessToken,
      body: { status: 'maybe' },
    });
    expect([badDecision.status, await errorCode(badDecision)]).toEqual([400, 'invalid_request']);
  });

  it('refuses applications that make no sense', async () => {
    const affiliate = await signUp(app, 'affiliate');
    const open = (await (
      await call(app, 'POST', '/api/v1/offers', {
        token: advertiser.accessToken,
        body: { ...base, status: 'active', visibility: 'public' },
      })
    ).json()) as { id: number };
    const publicApply = await call(app, 'POST', `/api/v1/offers/${open.id}/applications`, {
      token: affiliate.accessToken,
    });
    expect([publicApply.status, await errorCode(publicApply)]).toEqual([409, 'conflict']);
    const gated = (await (
      await call(app, 'POST', '/api/v1/offers', {
        token: advertiser.accessToken,
        body: { ...base, status: 'active', visibility: 'approval_required' },
      })
    ).json()) as { id: number };
    expect(
      (await call(app, 'POST', `/api/v1/offers/${gated.id}/applications`, { token: affiliate.accessToken }))
        .status,
    ).toBe(201);
    const twice = await call(app, 'POST', `/api/v1/offers/${gated.id}/applications`, {
      token: affiliate.accessToken,
    });
    expect([twice.status, await errorCode(twice)]).toEqual([409, 'conflict']);
  });
});
