import { DEMO_PASSWORD, DEMO_USERS } from '../../control-plane/src/demo/seed-demo.ts';

/** An offer the traffic runs on, with what the generator must know to send valid postbacks. */
export type TruthOffer = {
  id: number;
  role: 'cpa' | 'revshare' | 'secret' | 'capped' | 'cpc';
  events: string[];
  /** The postback secret, for the offer that demands one. */
  secret: string | null;
};
export type OfferCatalog = Record<TruthOffer['role'], TruthOffer>;

export const DEMO_AFFILIATE_ID = 1;
const POSTBACK_SECRET = 'truth-postback-secret';

/**
 * The demo offers (1: CPA with events conversion and lead, 2: revenue share) and three more made
 * through the admin API: one that demands a postback secret, one with tiny click and conversion
 * caps and a duplicate-click window (clicks to the fallback, conversions stored as rejected), and
 * a CPC offer (clicks carry money, so the rollup's money is checked too).
 */
export async function setUpOffers(api: AdminApi, options: { clicks: number }): Promise<OfferCatalog> {
  const demo = async (id: number, expected: string) => {
    const offer = await api<{ id: number; payoutType: string; events: string[] }>('GET', `/offers/${id}`);
    if (offer.payoutType !== expected)
      throw new Error(`demo offer ${id} is ${offer.payoutType}, not ${expected}`);
    return offer;
  };
  const create = (name: string, fields: Record<string, unknown>) => createOffer(api, name, fields);

  const cpa = await demo(1, 'cpa');
  const revshare = await demo(2, 'revshare');
  const secret = await create('Truth - postback secret', {
    payoutType: 'cpa',
    payoutMinor: 700,
    revenueMinor: 1000,
    events: ['conversion', 'lead'],
    postbackSecret: POSTBACK_SECRET,
  });
  const capped = await create('Truth - capped', {
    payoutType: 'cpa',
    payoutMinor: 300,
    revenueMinor: 500,
    caps: {
      offer: { dailyClicks: Math.max(20, Math.floor(options.clicks / 50)), dailyConversions: 5 },
    },
    fraudRules: { duplicateClickWindowSeconds: 60 },
  });
  const cpc = await create('Truth - CPC', { payoutType: 'cpc', payoutMinor: 4, revenueMinor: 7 });
  return {
    cpa: { id: cpa.id, role: 'cpa', events: cpa.events, secret: null },
    revshare: { id: revshare.id, role: 'revshare', events: revshare.events, secret: null },
    secret: { id: secret.id, role: 'secret', events: secret.events, secret: POSTBACK_SECRET },
    capped: { id: capped.id, role: 'capped', events: capped.events, secret: null },
    cpc: { id: cpc.id, role: 'cpc', events: cpc.events, secret: null },
  };
}

/** The control plane's API as the demo admin: `api(method, path, body)` answers the parsed JSON or throws. */
export type AdminApi = <T>(method: string, path: string, body?: unknown) => Promise<T>;

export async function adminApi(apiUrl: string): Promise<AdminApi> {
  const token = await login(apiUrl);
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${apiUrl}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  };
}

/** An active USD offer of the demo advertiser; `fields` add to or override these. */
export const createOffer = (api: AdminApi, name: string, fields: Record<string, unknown>) =>
  api<{ id: number; events: string[] }>('POST', '/offers', {
    advertiserId: 1,
    name,
    status: 'active',
    currency: 'USD',
    destinationUrl: 'https://shop.example.com/truth?click_id={click_id}&sub1={sub1}',
    fallbackUrl: 'https://shop.example.com/full',
    ...fields,
  });

async function login(apiUrl: string): Promise<string> {
  const response = await fetch(`${apiUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: DEMO_USERS.admin, password: DEMO_PASSWORD }),
  });
  if (!response.ok) throw new Error(`demo admin login failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { tokens: { accessToken: string } }).tokens.accessToken;
}
