import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAffiliateEndpoint } from '../../test/affiliate-endpoint.ts';
import { call, type Session, signUp } from '../../test/api-client.ts';
import { apiOffer } from '../../test/offer-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';

describe.each(testDatabases)('/api/v1/postback-configs on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  let endpoint: Awaited<ReturnType<typeof startAffiliateEndpoint>>;
  let affiliate: Session;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db, { now: () => new Date('2026-11-24T12:00:00Z') });
    endpoint = await startAffiliateEndpoint();
    affiliate = await signUp(app, 'affiliate');
  });
  afterAll(async () => {
    await endpoint.close();
    await handle.close();
  });

  it('creates a GET postback and test-fires it with macros substituted, logging the attempt', async () => {
    const advertiser = await signUp(app, 'advertiser');
    const offer = await apiOffer(app, advertiser, { visibility: 'public' });
    const created = await call(app, 'POST', '/api/v1/postback-configs', {
      token: affiliate.accessToken,
      body: {
        offerId: offer.id,
        url: `${endpoint.url}/pb?cid={transaction_id}&p={payout}&s1={aff_sub}&e={event}&ts={timestamp}&x={unknown}`,
      },
    });
    expect(created.status).toBe(201);
    const config = (await created.json()) as { id: number };
    expect(config).toMatchObject({
      affiliateId: affiliate.affiliateId,
      method: 'GET',
      fireOn: 'approved',
      isActive: true,
    });

    endpoint.received.length = 0;
    const fired = await call(app, 'POST', `/api/v1/postback-configs/${config.id}/test`, {
      token: affiliate.accessToken,
    });
    expect(fired.status).toBe(200);
    expect(await fired.json()).toMatchObject({
      kind: 'test',
      ok: true,
      statusCode: 200,
      bodyExcerpt: 'OK recorded',
    });
    expect(endpoint.received).toEqual([
      expect.objectContaining({
        method: 'GET',
        url: `/pb?cid=TEST-CLICK-ID&p=1.00&s1=test-sub1&e=conversion&ts=${Date.parse('2026-11-24T12:00:00Z') / 1000}&x={unknown}`,
      }),
    ]);
    const attempts = await call(app, 'GET', `/api/v1/postback-configs/${config.id}/attempts`, {
      token: affiliate.accessToken,
    });
    const data = ((await attempts.json()) as { data: { url: string; latencyMs: number }[] }).data;
    expect(data).toHaveLength(1);
    expect(data[0]?.url).toContain('cid=TEST-CLICK-ID');
    expect(data[0]?.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('sends POST form fields and headers with macros', async () => {
    const created = await call(app, 'POST', '/api/v1/postback-configs', {
      token: affiliate.accessToken,
      body: {
        url: `${endpoint.url}/post`,
        method: 'POST',
        headers: { 'X-Api-Key': 'k-{aff_id}' },
        parameters: { click: '{click_id}', amount: '{payout} {currency}' },
        fireOn: 'pending',
      },
    });
    const config = (await created.json()) as { id: number };
    endpoint.received.length = 0;
    await call(app, 'POST', `/api/v1/postback-configs/${config.id}/test`, { token: affiliate.accessToken });
    const request = endpoint.received[0];
    expect(request?.method).toBe('POST');
    expect(request?.headers['x-api-key']).toBe(`k-${affiliate.affiliateId}`);
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(request?.body))).toEqual({
      click: 'TEST-CLICK-ID',
      amount: '1.00 USD',
    });
  });

  it('logs a failing endpoint as a failed attempt, and lists and changes configs', async () => {
    const created = await call(app, 'POST', '/api/v1/postback-configs', {
      token: affiliate.accessToken,
      body: { url: `${endpoint.url}/down` },
    });
    const config = (await created.json()) as { id: number };
    endpoint.respondWith([503]);
    try {
      const fired = await call(app, 'POST', `/api/v1/postback-configs/${config.id}/test`, {
        token: affiliate.accessToken,
      });
      expect(await fired.json()).toMatchObject({ ok: false, statusCode: 503, bodyExcerpt: 'error 503' });
    } finally {
      endpoint.respondWith([200]);
    }
    const changed = await call(app, 'PATCH', `/api/v1/postback-configs/${config.id}`, {
      token: affiliate.accessToken,
      body: { isActive: false },
    });
    expect(await changed.json()).toMatchObject({ isActive: false });
    const list = await call(app, 'GET', '/api/v1/postback-configs', { token: affiliate.accessToken });
    expect(((await list.json()) as { data: { id: number }[] }).data.map((c) => c.id)).toContain(config.id);
  });
});
