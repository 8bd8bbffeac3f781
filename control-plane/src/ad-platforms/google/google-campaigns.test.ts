import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type GoogleFake, startGoogleFake } from '../../../test/fakes/google-fake.ts';
import { type AdPlatformEndpoints, AdPlatformError, type PlatformCallContext } from '../ad-platform.ts';
import { googleCampaignClient, microsToMinor } from './google-campaigns.ts';

let fake: GoogleFake;
beforeEach(async () => {
  fake = await startGoogleFake();
  fake.setCampaigns('1234567890', [
    { id: '111', name: 'Brand', status: 'ENABLED' },
    { id: '222', name: 'Generic', status: 'PAUSED' },
    { id: '333', name: 'Old', status: 'REMOVED' },
  ]);
});
afterEach(() => fake.close());

function contextFor(overrides: Partial<PlatformCallContext> = {}): PlatformCallContext {
  return {
    connection: {
      id: 'conn_1',
      platform: 'google',
      accountId: '123-456-7890',
      loginAccountId: null,
      credentials: { accessToken: fake.accessToken },
    },
    endpoints: { ...fake.endpoints } as unknown as AdPlatformEndpoints,
    apps: { google: fake.app },
    fetch,
    timeoutMs: 5_000,
    ...overrides,
  };
}

async function caught(promise: Promise<unknown>): Promise<AdPlatformError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof AdPlatformError))
    throw new Error(`expected an AdPlatformError, got ${String(error)}`);
  return error;
}

describe('microsToMinor', () => {
  it('is exact when the micros are whole minor units and rounds half up otherwise', () => {
    expect(microsToMinor('1230000', 2)).toBe(123);
    expect(microsToMinor('1234999', 2)).toBe(123);
    expect(microsToMinor('1235000', 2)).toBe(124);
    expect(microsToMinor('1500000', 0)).toBe(2);
    expect(microsToMinor('1234567', 3)).toBe(1235);
    expect(microsToMinor('0', 2)).toBe(0);
    // Past 2^53 micros, still exact in BigInt: 90 billion dollars.
    expect(microsToMinor('90000000000000001', 2)).toBe(9_000_000_000_000);
  });
});

describe('googleCampaignClient', () => {
  it('reads daily spend per campaign by GAQL searchStream, in exact minor units', async () => {
    fake.setSpend('1234567890', 'JPY', [
      {
        campaignId: '111',
        campaignName: 'Brand',
        date: '2026-11-01',
        costMicros: '1500000000',
        impressions: 900,
        clicks: 12,
      },
      {
        campaignId: '222',
        campaignName: 'Generic',
        date: '2026-11-02',
        costMicros: '0',
        impressions: 0,
        clicks: 0,
      },
      {
        campaignId: '111',
        campaignName: 'Brand',
        date: '2026-11-05',
        costMicros: '7000000',
        impressions: 1,
        clicks: 1,
      },
    ]);

    const days = await googleCampaignClient.readSpend!(
      { from: '2026-11-01', to: '2026-11-02' },
      contextFor(),
    );

    expect(days).toEqual([
      {
        platformCampaignId: '111',
        campaignName: 'Brand',
        day: '2026-11-01',
        currency: 'JPY',
        costMinor: 1500,
        impressions: 900,
        clicks: 12,
      },
      {
        platformCampaignId: '222',
        campaignName: 'Generic',
        day: '2026-11-02',
        currency: 'JPY',
        costMinor: 0,
        impressions: 0,
        clicks: 0,
      },
    ]);
    const request = fake.requests[0]!;
    expect(request.path).toBe('/v22/customers/1234567890/googleAds:searchStream');
    expect(request.developerToken).toBe(fake.developerToken);
    expect(request.body).toEqual({
      query:
        'SELECT customer.currency_code, campaign.id, campaign.name, segments.date, metrics.cost_micros, ' +
        "metrics.impressions, metrics.clicks FROM campaign WHERE segments.date BETWEEN '2026-11-01' AND '2026-11-02'",
    });
  });

  it('refuses a date range that is not two dates, before calling Google', async () => {
    const error = await caught(
      googleCampaignClient.readSpend!({ from: "2026-11-01' OR 1=1 --", to: '2026-11-02' }, contextFor()),
    );
    expect(error.kind).toBe('invalid');
    expect(fake.requests).toEqual([]);
  });

  it('lists campaigns that are not removed, with their status', async () => {
    const campaigns = await googleCampaignClient.listCampaigns(contextFor());
    expect(campaigns).toEqual([
      { platformCampaignId: '111', name: 'Brand', status: 'active' },
      { platformCampaignId: '222', name: 'Generic', status: 'paused' },
    ]);
  });

  it('pauses and resumes a campaign by a status-only update', async () => {
    await googleCampaignClient.setCampaignStatus!('111', 'paused', contextFor());
    expect(fake.requests[0]!.path).toBe('/v22/customers/1234567890/campaigns:mutate');
    expect(fake.requests[0]!.body).toEqual({
      operations: [
        {
          update: { resourceName: 'customers/1234567890/campaigns/111', status: 'PAUSED' },
          updateMask: 'status',
        },
      ],
    });
    expect(fake.campaignsOf('1234567890').find((c) => c.id === '111')!.status).toBe('PAUSED');

    await googleCampaignClient.setCampaignStatus!('111', 'active', contextFor());
    expect(fake.campaignsOf('1234567890').find((c) => c.id === '111')!.status).toBe('ENABLED');
  });

  it('throws invalid for a campaign Google does not have', async () => {
    const error = await caught(googleCampaignClient.setCampaignStatus!('444', 'paused', contextFor()));
    expect(error.kind).toBe('invalid');
    expect(error.detail.httpStatus).toBe(400);
    expect(error.detail.response).toContain('RESOURCE_NOT_FOUND');
  });

  it('tells an expired token, a quota and an outage apart', async () => {
    fake.rateLimitNext(1, 12);
    const limited = await caught(googleCampaignClient.listCampaigns(contextFor()));
    expect(limited.kind).toBe('rate_limited');
    expect(limited.detail.retryAfterMs).toBe(12_000);

    fake.failNext(1, 503);
    expect((await caught(googleCampaignClient.listCampaigns(contextFor()))).kind).toBe('unavailable');

    fake.expireToken();
    const expired = await caught(
      googleCampaignClient.readSpend!({ from: '2026-11-01', to: '2026-11-01' }, contextFor()),
    );
    expect(expired.kind).toBe('auth');
    expect(expired.detail.httpStatus).toBe(401);
    expect(expired.detail.response).not.toContain(fake.accessToken);
  });

  it('needs a developer token and a customer id', async () => {
    expect((await caught(googleCampaignClient.listCampaigns(contextFor({ apps: {} })))).kind).toBe(
      'not_configured',
    );
    const noAccount = contextFor();
    noAccount.connection.accountId = null;
    expect((await caught(googleCampaignClient.listCampaigns(noAccount))).kind).toBe('not_configured');
    expect(fake.requests).toEqual([]);
  });
});
