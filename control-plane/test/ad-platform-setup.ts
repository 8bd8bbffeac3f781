import type { AdPlatformApps, AdPlatformEndpoints } from '../src/ad-platforms/ad-platform.ts';
import type { AdPlatformDeps } from '../src/ad-platforms/ad-platform-deps.ts';
import { createSecretBox } from '../src/crypto/secret-box.ts';
import type { Database } from '../src/db/database.ts';
import type { Mailer } from '../src/mail/mailer.ts';
import { adminSession, call, type Session, signUp, type TestApp } from './api-client.ts';
import { apiOffer } from './offer-setup.ts';
import { JWT_SECRET, PAYMENT_KEY } from './test-app.ts';

const nowhere = 'http://127.0.0.1:9';

/** Every platform unreachable except those given (a fake's address). */
export function fakeEndpoints(overrides: Partial<AdPlatformEndpoints>): AdPlatformEndpoints {
  return {
    metaGraphUrl: nowhere,
    metaDialogUrl: nowhere,
    googleDataManagerUrl: nowhere,
    googleAdsUrl: nowhere,
    googleAuthUrl: nowhere,
    googleTokenUrl: nowhere,
    tiktokUrl: nowhere,
    microsoftAdsUrl: nowhere,
    microsoftLoginUrl: nowhere,
    ...overrides,
  };
}

/** The ad-platform dependencies the app and the workers share, pointed at local fakes. */
export function testAdPlatformDeps(
  db: Database,
  options: { endpoints: AdPlatformEndpoints; apps?: AdPlatformApps; mailer?: Mailer },
): AdPlatformDeps {
  return {
    db,
    box: createSecretBox(PAYMENT_KEY, 'ad-platform-credentials'),
    endpoints: options.endpoints,
    apps: options.apps ?? {},
    fetch: (input, init) => fetch(input, init),
    timeoutMs: 5_000,
    mailer: options.mailer,
    appUrl: 'http://app.test',
    apiUrl: 'http://api.test',
    stateSecret: JWT_SECRET,
  };
}

/** An admin, an advertiser with a USD offer (15.00 payout, 20.00 revenue), an active affiliate. */
export async function adPlatformWorld(app: TestApp, db: Database) {
  const admin = await adminSession(app, db);
  const advertiser = await signUp(app, 'advertiser');
  const affiliate = await signUp(app, 'affiliate');
  await call(app, 'PATCH', `/api/v1/affiliates/${affiliate.affiliateId}`, {
    token: admin.accessToken,
    body: { status: 'active' },
  });
  const offer = await apiOffer(app, advertiser, {
    visibility: 'public',
    payoutMinor: 1500,
    revenueMinor: 2000,
  });
  // The test clicks come from DE: forwarding them is what these tests are about, so the network
  // lets EU visitors' conversions go (the default keeps them out; forwarding-outbox.test.ts).
  await call(app, 'PUT', '/api/v1/network-settings', {
    token: admin.accessToken,
    body: { blockedIps: [], blockedUserAgents: [], privacy: { forwardEuVisitors: true } },
  });
  return { admin, advertiser, affiliate, offer };
}

export async function created<T>(response: Response, status = 201): Promise<T> {
  if (response.status !== status)
    throw new Error(`expected ${status}, got ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** A connection by pasted token and a destination for all the advertiser's offers. */
export async function connectAndForward(
  app: TestApp,
  advertiser: Session,
  input: {
    platform: string;
    accessToken: string;
    accountId?: string;
    settings: Record<string, unknown>;
  } & Record<string, unknown>,
) {
  const { platform, accessToken, accountId, settings, ...destination } = input;
  const connection = await created<{ id: string }>(
    await call(app, 'POST', '/api/v1/ad-platforms/connections', {
      token: advertiser.accessToken,
      body: { platform, label: `${platform} account`, accountId: accountId ?? '1234567890', accessToken },
    }),
  );
  const made = await created<{ id: string }>(
    await call(app, 'POST', '/api/v1/ad-platforms/destinations', {
      token: advertiser.accessToken,
      body: { connectionId: connection.id, name: `${platform} purchases`, settings, ...destination },
    }),
  );
  return { connectionId: connection.id, destinationId: made.id };
}
