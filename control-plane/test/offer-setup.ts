import { call, type Session, type TestApp } from './api-client.ts';

/** Creates an offer through the API as `session` (an advertiser, or an admin naming the advertiser). */
export async function apiOffer(app: TestApp, session: Session, body: Record<string, unknown> = {}) {
  const response = await call(app, 'POST', '/api/v1/offers', {
    token: session.accessToken,
    body: {
      name: 'Offer',
      payoutType: 'cpa',
      payoutMinor: 1500,
      revenueMinor: 2500,
      destinationUrl: 'https://adv.example/?c={click_id}',
      status: 'active',
      ...body,
    },
  });
  if (response.status !== 201)
    throw new Error(`offer not created: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: number; advertiserId: number };
}

export async function apiCampaign(app: TestApp, session: Session, body: Record<string, unknown> = {}) {
  const response = await call(app, 'POST', '/api/v1/campaigns', {
    token: session.accessToken,
    body: { name: 'Campaign', ...body },
  });
  if (response.status !== 201)
    throw new Error(`campaign not created: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: number; advertiserId: number };
}
