import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, type Session, signUp } from '../../test/api-client.ts';
import { startEdgeRecorder } from '../../test/edge-recorder.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';

type OfferBody = {
  id: number;
  landingPages: { id: number; name: string; weight: number }[];
  revision: number;
  privacy: Record<string, unknown>;
};

describe.each(testDatabases)('/api/v1/offers on $name', ({ open }) => {
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

  const fullOffer = {
    name: 'Shoes - first order',
    payoutType: 'cpa',
    payoutMinor: 1500,
    revenueMinor: 2500,
    currency: 'EUR',
    status: 'active',
    visibility: 'approval_required',
    destinationUrl: 'https://shoes.example/?c={click_id}',
    fallbackUrl: 'https://shoes.example/',
    events: ['conversion', 'lead'],
    postbackSecret: 'postback-secret-1',
    postbackIpAllowlist: ['203.0.113.0/24'],
    targeting: { countries: ['DE', 'AT'], devices: ['mobile'], operatingSystems: [] },
    deepLinks: { allowed: true, hosts: ['shoes.example', '*.shoes.example'] },
    caps: {
      offer: { dailyConversions: 100 },
      perAffiliate: { dailyClicks: 5000 },
      affiliateOverrides: [{ affiliateId: 1, limits: { dailyClicks: 10 } }],
    },
    fraudRules: { duplicateClickWindowSeconds: 60, action: 'fallback', blockedUserAgents: ['curl/'] },
    privacy: { ipMode: 'hashed', consentRequired: true },
    landingPages: [
      { name: 'A', url: 'https://shoes.example/a?c={click_id}', weight: 3 },
      { name: 'B', url: 'https://shoes.example/b?c={click_id}', weight: 1 },
    ],
  };

  it('lets an advertiser create a full offer, published to the edge with every rule', async () => {
    recorder.received.length = 0;
    const response = await call(app, 'POST', '/api/v1/offers', {
      token: advertiser.accessToken,
      body: fullOffer,
    });
    expect(response.status).toBe(201);
    const offer = (await response.json()) as OfferBody & Record<string, unknown>;
    expect(offer).toMatchObject({
      advertiserId: advertiser.advertiserId,
      hasPostbackSecret: true,
      landingPages: [
        expect.objectContaining({ name: 'A', weight: 3 }),
        expect.objectContaining({ name: 'B', weight: 1 }),
      ],
    });
    expect(JSON.stringify(offer)).not.toContain('postback-secret-1');

    const published = recorder.received.at(-1)?.upsert.offers[0];
    expect(published).toMatchObject({
      id: offer.id,
      status: 'active',
      visibility: 'approval_required',
      landingPages: offer.landingPages.map(({ id, weight }) => expect.objectContaining({ id, weight })),
      targeting: { countries: ['DE', 'AT'], devices: ['mobile'], operatingSystems: [] },
      deepLinks: { allowed: true, hosts: ['shoes.example', '*.shoes.example'] },
      caps: {
        offer: { dailyConversions: 100, dailyClicks: null },
        perAffiliate: { dailyClicks: 5000 },
        affiliateOverrides: [{ affiliateId: 1, limits: expect.objectContaining({ dailyClicks: 10 }) }],
      },
      fraud: expect.objectContaining({
        duplicateClickWindowSeconds: 60,
        action: 'fallback',
        blockedUserAgents: ['curl/'],
      }),
      postbackIpAllowlist: ['203.0.113.0/24'],
      postbackSecretSha256: createHash('sha256').update('postback-secret-1').digest('hex'),
      currency: 'EUR',
      privacy: { ipMode: 'hashed', consentRequired: true },
    });
    expect(offer.privacy).toEqual({ ipMode: 'hashed', consentRequired: true });
  });

  it('changes an offer and its landing pages, keeping page ids stable and republishing', async () => {
    const created = (await (
      await call(app, 'POST', '/api/v1/offers', { token: advertiser.accessToken, body: fullOffer })
    ).json()) as OfferBody;
    const [a, b] = created.landingPages;
    const response = await call(app, 'PATCH', `/api/v1/offers/${created.id}`, {
      token: advertiser.accessToken,
      body: {
        name: 'Shoes v2',
        landingPages: [
          { id: a!.id, name: 'A', url: 'https://shoes.example/a2', weight: 5 },
          { name: 'C', url: 'https://shoes.example/c', weight: 2 },
        ],
      },
    });
    expect(response.status).toBe(200);
    const changed = (await response.json()) as OfferBody;
    expect(changed.revision).toBe(created.revision + 1);
    expect(changed.landingPages.map((p) => p.name)).toEqual(['A', 'C']);
    expect(changed.landingPages[0]?.id).toBe(a!.id);
    const published = recorder.received.at(-1)?.upsert.offers[0];
    // Left alone by a change that does not name it.
    expect(changed.privacy).toEqual({ ipMode: 'hashed', consentRequired: true });
    expect(published?.landingPages.map((p) => p.id)).not.toContain(b!.id);
    expect(published?.landingPages[0]).toEqual({ id: a!.id, url: 'https://shoes.example/a2', weight: 5 });
  });

  it('changes the privacy overrides, null going back to the network setting', async () => {
    const created = (await (
      await call(app, 'POST', '/api/v1/offers', { token: advertiser.accessToken, body: fullOffer })
    ).json()) as OfferBody;
    const response = await call(app, 'PATCH', `/api/v1/offers/${created.id}`, {
      token: advertiser.accessToken,
      body: { privacy: { ipMode: null, userAgentMode: 'parsed', forwardEuVisitors: true } },
    });
    expect(response.status).toBe(200);
    const expected = { ipMode: null, userAgentMode: 'parsed', forwardEuVisitors: true };
    expect(((await response.json()) as { privacy: unknown }).privacy).toEqual(expected);
    expect(recorder.received.at(-1)?.upsert.offers[0]?.privacy).toEqual(expected);
  });

  it('lets an admin create an offer for any advertiser and list offers by filter', async () => {
    const response = await call(app, 'POST', '/api/v1/offers', {
      token: admin.accessToken,
      body: { ...fullOffer, advertiserId: advertiser.advertiserId, status: 'draft' },
    });
    expect(response.status).toBe(201);
    const draft = (await response.json()) as OfferBody;
    expect(recorder.received.at(-1)?.remove.offers).toEqual([draft.id]);
    const list = await call(
      app,
      'GET',
      `/api/v1/offers?status=draft&advertiserId=${advertiser.advertiserId}`,
      {
        token: admin.accessToken,
      },
    );
    const ids = ((await list.json()) as { data: { id: number; status: string }[] }).data;
    expect(ids.map((o) => o.id)).toContain(draft.id);
    expect(ids.every((o) => o.status === 'draft')).toBe(true);
  });

  it('shows an affiliate its own payout, with its override, and its tracking link once approved', async () => {
    const affiliate = await signUp(app, 'affiliate');
    const offer = (await (
      await call(app, 'POST', '/api/v1/offers', { token: advertiser.accessToken, body: fullOffer })
    ).json()) as OfferBody;
    const before = await call(app, 'GET', `/api/v1/offers/${offer.id}`, { token: affiliate.accessToken });
    const seen = (await before.json()) as Record<string, unknown>;
    expect(seen).toMatchObject({ payoutMinor: 1500, access: 'not_applied', trackingLink: null });
    expect(seen).not.toHaveProperty('revenueMinor');
    expect(seen).not.toHaveProperty('destinationUrl');

    const applied = await call(app, 'POST', `/api/v1/offers/${offer.id}/applications`, {
      token: affiliate.accessToken,
    });
    expect(applied.status).toBe(201);
    expect(await applied.json()).toMatchObject({ status: 'pending', affiliateId: affiliate.affiliateId });
    const pending = await call(app, 'GET', '/api/v1/applications?status=pending', {
      token: advertiser.accessToken,
    });
    expect(
      ((await pending.json()) as { data: { affiliateId: number }[] }).data.map((a) => a.affiliateId),
    ).toContain(affiliate.affiliateId);

    const decided = await call(
      app,
      'PUT',
      `/api/v1/offers/${offer.id}/applications/${affiliate.affiliateId}`,
      {
        token: advertiser.accessToken,
        body: { status: 'approved' },
      },
    );
    expect(await decided.json()).toMatchObject({ status: 'approved' });
    expect(recorder.received.at(-1)?.upsert.offers[0]?.approvedAffiliateIds).toEqual([affiliate.affiliateId]);

    const override = await call(app, 'PUT', `/api/v1/offers/${offer.id}/payouts/${affiliate.affiliateId}`, {
      token: advertiser.accessToken,
      body: { payoutMinor: 1800 },
    });
    expect(override.status).toBe(204);
    const overrides = await call(app, 'GET', `/api/v1/offers/${offer.id}/payouts`, {
      token: advertiser.accessToken,
    });
    expect(((await overrides.json()) as { data: unknown[] }).data).toEqual([
      expect.objectContaining({ affiliateId: affiliate.affiliateId, payoutMinor: 1800 }),
    ]);
    const after = await call(app, 'GET', `/api/v1/offers/${offer.id}`, { token: affiliate.accessToken });
    expect(await after.json()).toMatchObject({
      payoutMinor: 1800,
      access: 'approved',
      trackingLink: `https://go.tas.test/c/${offer.id}?aff_id=${affiliate.affiliateId}`,
      deepLinksAllowed: true,
      deepLinkHosts: ['shoes.example', '*.shoes.example'],
    });
    const own = await call(app, 'GET', '/api/v1/applications', { token: affiliate.accessToken });
    expect(((await own.json()) as { data: { offerId: number }[] }).data.map((a) => a.offerId)).toEqual([
      offer.id,
    ]);

    expect(
      (
        await call(app, 'DELETE', `/api/v1/offers/${offer.id}/payouts/${affiliate.affiliateId}`, {
          token: admin.accessToken,
        })
      ).status,
    ).toBe(204);
    const reverted = await call(app, 'GET', `/api/v1/offers/${offer.id}`, { token: affiliate.accessToken });
    expect(await reverted.json()).toMatchObject({ payoutMinor: 1500 });
  });

  it('lists public offers to affiliates with an open tracking link', async () => {
    const affiliate = await signUp(app, 'affiliate');
    const offer = (await (
      await call(app, 'POST', '/api/v1/offers', {
        token: advertiser.accessToken,
        body: { ...fullOffer, visibility: 'public' },
      })
    ).json()) as OfferBody;
    const list = await call(app, 'GET', '/api/v1/offers?limit=200', { token: affiliate.accessToken });
    const mine = (
      (await list.json()) as { data: { id: number; access: string; trackingLink: string }[] }
    ).data.find((o) => o.id === offer.id);
    expect(mine).toMatchObject({
      access: 'open',
      trackingLink: expect.stringContaining(`/c/${offer.id}?aff_id=`),
    });
  });
});
