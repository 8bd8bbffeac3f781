import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_USERS } from '../control-plane/src/demo/seed-demo.ts';
import { BROWSER_UA, eventually, startE2EStack } from './e2e-stack.ts';

/**
 * An offer configured through the control plane's API is what the edge enforces: a click cap set
 * by an admin holds exactly under concurrent clicks, and pausing the offer sends the next click to
 * the fallback, each recorded in Postgres with its reason.
 */
describe('offer configuration travels from the API to the edge', () => {
  let env: Awaited<ReturnType<typeof startE2EStack>>;
  let token: string;

  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${env.stack.urls.api}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const click = (offerId: number, query = '') =>
    fetch(`${env.stack.urls.edge}/c/${offerId}?aff_id=1${query}`, {
      redirect: 'manual',
      headers: { 'user-agent': BROWSER_UA },
    }).then((r) => r.headers.get('location') ?? '');
  const postback = (query: string) =>
    fetch(`${env.stack.urls.edge}/postback?${query}`).then(async (r) => ({
      status: r.status,
      body: (await r.json()) as Record<string, unknown>,
    }));
  const cpaOffer = async (name: string) => {
    const created = await api('POST', '/api/v1/offers', {
      advertiserId: 1,
      name,
      payoutType: 'cpa',
      payoutMinor: 600,
      revenueMinor: 1000,
      status: 'active',
      destinationUrl: 'https://adv.test/land?c={click_id}',
      fallbackUrl: 'https://fallback.test/',
    });
    expect(created.status).toBe(201);
    return Number(created.body.id);
  };
  const clickIdIn = (location: string) => new URL(location).searchParams.get('c') ?? '';

  beforeAll(async () => {
    env = await startE2EStack();
    const login = await fetch(`${env.stack.urls.api}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: DEMO_USERS.admin, password: DEMO_PASSWORD }),
    });
    expect(login.status).toBe(200);
    token = ((await login.json()) as { tokens: { accessToken: string } }).tokens.accessToken;
  });
  afterAll(() => env?.stop());

  it('enforces a daily click cap set through the API exactly, then the pause', async () => {
    const created = await api('POST', '/api/v1/offers', {
      advertiserId: 1,
      name: 'Capped',
      payoutType: 'cpc',
      payoutMinor: 10,
      status: 'active',
      destinationUrl: 'https://adv.test/land?c={click_id}',
      fallbackUrl: 'https://fallback.test/',
      caps: { offer: { dailyClicks: 3 } },
    });
    expect(created.status).toBe(201);
    const offerId = Number(created.body.id);

    const locations = await Promise.all(Array.from({ length: 8 }, () => click(offerId)));
    expect(locations.filter((l) => l.startsWith('https://adv.test/land'))).toHaveLength(3);
    expect(locations.filter((l) => l === 'https://fallback.test/')).toHaveLength(5);

    // The control plane reads the edge's counters back: the 3 clicks that got through.
    const usage = await api('GET', `/api/v1/offers/${offerId}/caps`);
    expect(usage.status).toBe(200);
    expect(usage.body).toMatchObject({
      offer: { limits: { dailyClicks: 3 }, used: { clicks: { daily: 3 } } },
    });

    const paused = await api('PATCH', `/api/v1/offers/${offerId}`, { status: 'paused' });
    expect(paused.status).toBe(200);
    expect(await click(offerId)).toBe('https://fallback.test/');

    const reasons = await eventually(
      async () =>
        (
          await env.db.query<{ reason: string | null; n: string }>(
            'SELECT reason, count(*) AS n FROM clicks WHERE offer_id = $1 GROUP BY reason ORDER BY reason',
            [offerId],
          )
        ).rows.map((r) => [r.reason, Number(r.n)]),
      (rows) => rows.reduce((sum, [, n]) => sum + Number(n), 0) >= 9,
    );
    expect(reasons).toEqual([
      ['cap_reached', 5],
      ['offer_paused', 1],
      [null, 3],
    ]);
  });

  it("stops a campaign's creative at the edge once approved conversions spend its budget", async () => {
    const offerId = await cpaOffer('Budgeted');
    const campaign = await api('POST', '/api/v1/campaigns', {
      advertiserId: 1,
      offerId,
      name: 'One conversion',
      status: 'active',
      budgetMinor: 1000,
    });
    expect(campaign.status).toBe(201);
    const creative = await api('POST', '/api/v1/creatives', {
      campaignId: campaign.body.id,
      name: 'Banner',
      type: 'image',
      url: 'https://cdn.adv.test/banner.png',
    });
    expect(creative.status).toBe(201);
    const withCreative = `&creative_id=${creative.body.id}`;

    const first = await click(offerId, withCreative);
    expect(first).toMatch(/^https:\/\/adv\.test\/land/);
    expect(await postback(`click_id=${clickIdIn(first)}&txid=B-1`)).toMatchObject({ status: 200 });

    // Ingested, approved, 10.00 of 10.00 spent: the control plane tells the edge.
    await eventually(
      async () => (await api('GET', `/api/v1/campaigns/${campaign.body.id}`)).body.serving,
      (serving) => serving === 'budget_reached',
    );
    expect(await click(offerId, withCreative)).toBe('https://fallback.test/');
    expect(await click(offerId)).toMatch(/^https:\/\/adv\.test\/land/);
    const reasons = await eventually(
      async () =>
        (
          await env.db.query<{ reason: string | null }>(
            'SELECT reason FROM clicks WHERE offer_id = $1 AND creative_id IS NOT NULL ORDER BY occurred_at',
            [offerId],
          )
        ).rows.map((r) => r.reason),
      (rows) => rows.length >= 2,
    );
    expect(reasons).toEqual([null, 'budget_reached']);
  });

  it("applies the advertiser's later status postback to the stored conversion", async () => {
    const offerId = await cpaOffer('Pending first');
    const clickId = clickIdIn(await click(offerId));
    const first = await postback(`click_id=${clickId}&txid=S-1&status=pending`);
    expect(first.body).toMatchObject({ status: 'accepted' });
    const conversionId = String(first.body.conversion_id);
    await eventually(
      async () => (await api('GET', `/api/v1/conversions/${conversionId}`)).body.status,
      (status) => status === 'pending',
    );

    const later = await postback(`click_id=${clickId}&txid=S-1&status=approved`);
    expect(later.body).toMatchObject({
      status: 'duplicate',
      conversion_id: conversionId,
      status_update: 'queued',
    });
    const approved = await eventually(
      async () => (await api('GET', `/api/v1/conversions/${conversionId}`)).body,
      (body) => body.status === 'approved',
    );
    expect(approved).toMatchObject({ status: 'approved', payoutMinor: 600, revenueMinor: 1000 });
  });
});
