import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MICROSOFT_FAKE_ACCESS_TOKEN,
  MICROSOFT_FAKE_ACCOUNT_ID,
  MICROSOFT_FAKE_CUSTOMER_ID,
  MICROSOFT_FAKE_DEVELOPER_TOKEN,
  type MicrosoftFake,
  startMicrosoftFake,
} from '../../../test/fakes/microsoft-fake.ts';
import { type AdPlatformEndpoints, AdPlatformError, type PlatformCallContext } from '../ad-platform.ts';
import { microsoftCampaignClient } from './microsoft-campaigns.ts';

describe('Microsoft Advertising campaigns', () => {
  let fake: MicrosoftFake;
  let context: PlatformCallContext;
  beforeAll(async () => {
    fake = await startMicrosoftFake();
    context = {
      connection: {
        id: 'conn-1',
        platform: 'microsoft',
        accountId: MICROSOFT_FAKE_ACCOUNT_ID,
        loginAccountId: MICROSOFT_FAKE_CUSTOMER_ID,
        credentials: { accessToken: MICROSOFT_FAKE_ACCESS_TOKEN },
      },
      endpoints: { microsoftAdsUrl: fake.url } as AdPlatformEndpoints,
      apps: {
        microsoft: { clientId: 'c', clientSecret: 's', developerToken: MICROSOFT_FAKE_DEVELOPER_TOKEN },
      },
      fetch,
      timeoutMs: 5_000,
    };
  });
  afterAll(() => fake.close());

  const failure = async (promise: Promise<unknown> | undefined) => {
    const error = await (promise ?? Promise.resolve()).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AdPlatformError);
    return error as AdPlatformError;
  };

  it('has no spend reading yet', () => {
    expect(microsoftCampaignClient.readSpend).toBeUndefined();
  });

  it("lists the account's search campaigns with their status", async () => {
    fake.addCampaign({ id: 701, name: 'Brand', status: 'Active' });
    fake.addCampaign({ id: 702, name: 'Generic', status: 'Paused' });
    fake.addCampaign({ id: 703, name: 'Out of budget', status: 'BudgetPaused' });
    fake.addCampaign({ id: 704, name: 'Both', status: 'BudgetAndManualPaused' });
    fake.addCampaign({ id: 705, name: 'Suspended', status: 'Suspended' });
    const campaigns = await microsoftCampaignClient.listCampaigns(context);
    expect(campaigns).toEqual([
      { platformCampaignId: '701', name: 'Brand', status: 'active' },
      { platformCampaignId: '702', name: 'Generic', status: 'paused' },
      { platformCampaignId: '703', name: 'Out of budget', status: 'active' },
      { platformCampaignId: '704', name: 'Both', status: 'paused' },
      { platformCampaignId: '705', name: 'Suspended', status: 'other' },
    ]);
    expect(fake.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: '/CampaignManagement/v13/Campaigns/QueryByAccountId',
      body: { AccountId: Number(MICROSOFT_FAKE_ACCOUNT_ID), CampaignType: 'Search' },
    });
  });

  it('pauses and resumes a campaign', async () => {
    await microsoftCampaignClient.setCampaignStatus?.('701', 'paused', context);
    expect(fake.campaign(701)?.status).toBe('Paused');
    expect(fake.requests.at(-1)).toMatchObject({
      method: 'PUT',
      path: '/CampaignManagement/v13/Campaigns',
      body: { AccountId: Number(MICROSOFT_FAKE_ACCOUNT_ID), Campaigns: [{ Id: 701, Status: 'Paused' }] },
    });
    await microsoftCampaignClient.setCampaignStatus?.('701', 'active', context);
    expect(fake.campaign(701)?.status).toBe('Active');
  });

  it('throws invalid when Microsoft refuses the update among its PartialErrors', async () => {
    const error = await failure(microsoftCampaignClient.setCampaignStatus?.('999', 'paused', context));
    expect(error.kind).toBe('invalid');
    expect(error.detail.response).toContain('CampaignServiceInvalidCampaignId');
  });

  it('tells an expired token from the rate limit from an outage, and a missing account', async () => {
    const refused = await failure(
      microsoftCampaignClient.listCampaigns({
        ...context,
        connection: { ...context.connection, credentials: { accessToken: 'tok-a1b2c3d4' } },
      }),
    );
    expect(refused.kind).toBe('auth');
    expect(refused.detail.response).not.toContain('tok-a1b2c3d4');
    fake.rateLimitNext(1);
    expect((await failure(microsoftCampaignClient.listCampaigns(context))).kind).toBe('rate_limited');
    fake.failNext(1);
    expect((await failure(microsoftCampaignClient.listCampaigns(context))).kind).toBe('unavailable');
    const before = fake.requests.length;
    expect(
      (
        await failure(
          microsoftCampaignClient.listCampaigns({
            ...context,
            connection: { ...context.connection, accountId: null },
          }),
        )
      ).kind,
    ).toBe('not_configured');
    expect(fake.requests.length).toBe(before);
  });
});
