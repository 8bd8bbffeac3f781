import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, errorCode, type Session, signUp } from '../../test/api-client.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { offerAccess, offers } from '../db/schema/offers.ts';

describe.each(testDatabases)('/api/v1/offers access on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  let owner: Session;
  let rival: Session;
  let affiliate: Session;
  let other: Session;
  const ids: Record<'gated' | 'secret' | 'draft', number> = { gated: 0, secret: 0, draft: 0 };
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
    owner = await signUp(app, 'advertiser');
    rival = await signUp(app, 'advertiser');
    affiliate = await signUp(app, 'affiliate');
    other = await signUp(app, 'affiliate');
    const make = async (body: Record<string, unknown>) =>
      (
        (await (
          await call(app, 'POST', '/api/v1/offers', {
            token: owner.accessToken,
            body: { name: 'O', payoutType: 'cpa', destinationUrl: 'https://adv.example/', ...body },
          })
        ).json()) as { id: number }
      ).id;
    ids.gated = await make({ status: 'active', visibility: 'approval_required' });
    ids.secret = await make({ status: 'active', visibility: 'private' });
    ids.draft = await make({ status: 'draft', visibility: 'public' });
    await call(app, 'POST', `/api/v1/offers/${ids.gated}/applications`, { token: other.accessToken });
  });
  afterAll(() => handle.close());

  const routes = (id: number, affiliateId: number) =>
    [
      ['GET', '/api/v1/offers'],
      ['GET', `/api/v1/offers/${id}`],
      ['POST', '/api/v1/offers'],
      ['PATCH', `/api/v1/offers/${id}`],
      ['GET', `/api/v1/offers/${id}/payouts`],
      ['PUT', `/api/v1/offers/${id}/payouts/${affiliateId}`],
      ['DELETE', `/api/v1/offers/${id}/payouts/${affiliateId}`],
      ['GET', '/api/v1/applications'],
      ['POST', `/api/v1/offers/${id}/applications`],
      ['PUT', `/api/v1/offers/${id}/applications/${affiliateId}`],
    ] as const;

  it('requires a credential on every route', async () => {
    for (const [method, path] of routes(ids.gated, affiliate.affiliateId!)) {
      const response = await call(app, method, path, { body: { status: 'approved' } });
      expect([response.status, await errorCode(response)], `${method} ${path}`).toEqual([
        401,
        'unauthorized',
      ]);
    }
  });

  it("keeps an advertiser away from another advertiser's offers", async () => {
    for (const [method, path] of routes(ids.gated, other.affiliateId!).filter(([, p]) =>
      p.includes(`/${ids.gated}`),
    )) {
      if (path.endsWith('/applications') && method === 'POST') continue; // affiliates only: 403 below
      const body = path.includes('/applications/')
        ? { status: 'approved' }
        : { name: 'hijacked', payoutMinor: 1 };
      const response = await call(app, method, path, { token: rival.accessToken, body });
      expect([response.status, await errorCode(response)], `${method} ${path}`).toEqual([404, 'not_found']);
    }
    const list = await call(app, 'GET', '/api/v1/offers?limit=200', { token: rival.accessToken });
    expect(((await list.json()) as { data: unknown[] }).data).toEqual([]);
    const foreign = await call(app, 'POST', '/api/v1/offers', {
      token: rival.accessToken,
      body: {
        advertiserId: owner.advertiserId,
        name: 'x',
        payoutType: 'cpa',
        destinationUrl: 'https://a.example',
      },
    });
    expect([foreign.status, await errorCode(foreign)]).toEqual([403, 'forbidden']);
    const applications = await call(app, 'GET', '/api/v1/applications', { token: rival.accessToken });
    expect(((await applications.json()) as { data: unknown[] }).data).toEqual([]);
    const [stored] = await handle.db.select().from(offers).where(eq(offers.id, ids.gated));
    expect(stored?.name).toBe('O');
    const [access] = await handle.db.select().from(offerAccess).where(eq(offerAccess.offerId, ids.gated));
    expect(access?.status).toBe('pending');
  });

  it('shows affiliates neither drafts nor private offers, and lets them change nothing', async () => {
    for (const id of [ids.secret, ids.draft]) {
      const response = await call(app, 'GET', `/api/v1/offers/${id}`, { token: affiliate.accessToken });
      expect([response.status, await errorCode(response)]).toEqual([404, 'not_found']);
      const apply = await call(app, 'POST', `/api/v1/offers/${id}/applications`, {
        token: affiliate.accessToken,
      });
      expect(apply.status).toBe(404);
    }
    const list = await call(app, 'GET', '/api/v1/offers?limit=200', { token: affiliate.accessToken });
    expect(((await list.json()) as { data: { id: number }[] }).data.map((o) => o.id)).toEqual([ids.gated]);
    for (const [method, path] of [
      ['POST', '/api/v1/offers'],
      ['PATCH', `/api/v1/offers/${ids.gated}`],
      ['GET', `/api/v1/offers/${ids.gated}/payouts`],
      ['PUT', `/api/v1/offers/${ids.gated}/payouts/${affiliate.affiliateId}`],
      ['DELETE', `/api/v1/offers/${ids.gated}/payouts/${affiliate.affiliateId}`],
      ['PUT', `/api/v1/offers/${ids.gated}/applications/${affiliate.affiliateId}`],
    ] as const) {
      const response = await call(app, method, path, {
        token: affiliate.accessToken,
        body: {
          name: 'x',
          payoutType: 'cpa',
          destinationUrl: 'https://a.example',
          status: 'approved',
          payoutMinor: 1,
        },
      });
      expect([response.status, await errorCode(response)], `${method} ${path}`).toEqual([403, 'forbidden']);
    }
    // Another affiliate's application is not visible.
    const applications = await call(app, 'GET', '/api/v1/applications', { token: affiliate.accessToken });
    expect(((await applications.json()) as { data: unknown[] }).data).toEqual([]);
  });

  it('shows a private offer to an affiliate once approved', async () => {
    const grant = await call(
      app,
      'PUT',
      `/api/v1/offers/${ids.secret}/applications/${affiliate.affiliateId}`,
      {
        token: owner.accessToken,
        body: { status: 'approved' },
      },
    );
    expect(grant.status).toBe(200);
    const response = await call(app, 'GET', `/api/v1/offers/${ids.secret}`, { token: affiliate.accessToken });
    expect(await response.json()).toMatchObject({ id: ids.secret, access: 'approved' });
    expect(
      (await call(app, 'GET', `/api/v1/offers/${ids.secret}`, { token: other.accessToken })).status,
    ).toBe(404);
  });

  it('holds API keys to their scopes', async () => {
    const key = (await (
      await call(app, 'POST', '/api/v1/api-keys', {
        token: owner.accessToken,
        body: { name: 'r', scopes: ['offers:read'] },
      })
    ).json()) as { key: string };
    expect((await call(app, 'GET', `/api/v1/offers/${ids.gated}`, { token: key.key })).status).toBe(200);
    const write = await call(app, 'PATCH', `/api/v1/offers/${ids.gated}`, {
      token: key.key,
      body: { name: 'k' },
    });
    expect([write.status, await errorCode(write)]).toEqual([403, 'forbidden']);
    const decide = await call(app, 'PUT', `/api/v1/offers/${ids.gated}/applications/${other.affiliateId}`, {
      token: key.key,
      body: { status: 'approved' },
    });
    expect([decide.status, await errorCode(decide)]).toEqual([403, 'forbidden']);
  });
});
