import { RouterContextProvider } from 'react-router';
import type { ApiClient, Schemas } from '~/lib/api.server';
import { authContext, type Viewer } from '~/lib/auth.server';

export const CONNECTION_ID = '01a22f1d-9e80-71b6-9dff-49f0206115a5';
export const DESTINATION_ID = '01a22f1d-9e80-71b6-9dff-49f0206115b6';
export const DELIVERY_ID = '01a22f1d-9e80-71b6-9dff-49f0206115c7';
export const CONVERSION_ID = '01a22f1d-9e80-71b6-9dff-49f0206115d8';

export const connection = (
  overrides: Partial<Schemas['AdPlatformConnection']> = {},
): Schemas['AdPlatformConnection'] => ({
  id: CONNECTION_ID,
  advertiserId: 7,
  platform: 'meta',
  label: 'Main ad account',
  accountId: '1234567890',
  loginAccountId: null,
  source: 'oauth',
  status: 'active',
  lastError: null,
  lastErrorAt: null,
  accessTokenExpiresAt: '2027-01-28T00:00:00.000Z',
  spendSyncedAt: '2026-11-29T23:00:00.000Z',
  createdAt: '2026-11-01T00:00:00.000Z',
  ...overrides,
});

export const destination = (overrides: Partial<Schemas['AdDestination']> = {}): Schemas['AdDestination'] => ({
  id: DESTINATION_ID,
  advertiserId: 7,
  offerId: null,
  connectionId: CONNECTION_ID,
  platform: 'meta',
  name: 'Meta purchases',
  settings: { pixelId: '998877' },
  sendOn: 'approved',
  consentPolicy: 'unless_denied',
  testEventCode: null,
  status: 'active',
  pausedReason: null,
  pausedAt: null,
  counts: { pending: 2, sent: 120, rejected: 3, failed: 1, skipped: 4 },
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
  ...overrides,
});

export const delivery = (overrides: Partial<Schemas['AdDelivery']> = {}): Schemas['AdDelivery'] => ({
  id: DELIVERY_ID,
  destinationId: DESTINATION_ID,
  conversionId: CONVERSION_ID,
  kind: 'conversion',
  state: 'sent',
  skipReason: null,
  attempts: 1,
  nextAttemptAt: '2026-11-29T10:00:00.000Z',
  lastHttpStatus: 200,
  lastResponse: '{"events_received":1}',
  sentAt: '2026-11-29T10:00:01.000Z',
  createdAt: '2026-11-29T10:00:00.000Z',
  ...overrides,
});

export type Call = { method: string; path: string; init: unknown };
type Answer = { data?: unknown; error?: unknown; status?: number };
export type Routes = Record<string, Answer | ((init: unknown) => Answer)>;

const refusal = (status: number, message: string): Answer => ({
  error: { error: { code: status === 403 ? 'forbidden' : 'not_found', message, requestId: 'r1' } },
  status,
});

/**
 * An API client answering `METHOD path` from `routes` (offers and advertisers by default), and
 * the signed-in context a loader reads with authOf; every call is kept.
 */
export function fakeApi(role: Viewer['role'], routes: Routes = {}) {
  const calls: Call[] = [];
  const defaults: Routes = {
    'GET /api/v1/offers': {
      data: {
        data: [
          { id: 3, name: 'Spring sale', advertiserId: 7, currency: 'USD' },
          { id: 4, name: 'Other brand', advertiserId: 8, currency: 'EUR' },
        ],
        nextAfter: null,
      },
    },
    'GET /api/v1/advertisers': {
      data: {
        data: [
          { id: 7, companyName: 'Acme Shop' },
          { id: 8, companyName: 'Globex' },
        ],
        nextAfter: null,
      },
    },
  };
  const answer = (method: string) => async (path: string, init?: unknown) => {
    calls.push({ method, path, init });
    const route = routes[`${method} ${path}`] ?? defaults[`${method} ${path}`];
    const given = typeof route === 'function' ? route(init) : (route ?? refusal(404, 'No such thing.'));
    const status = given.status ?? (given.error ? 400 : 200);
    return given.error
      ? { error: given.error, response: new Response(null, { status }) }
      : { data: given.data, response: new Response(null, { status }) };
  };
  const api = {
    GET: answer('GET'),
    POST: answer('POST'),
    PATCH: answer('PATCH'),
  } as unknown as ApiClient;
  const viewer: Viewer = {
    id: '00000000-0000-4000-8000-000000000002',
    email: `${role}@example.test`,
    role,
    firstName: null,
    lastName: null,
    isActive: true,
    advertiserId: role === 'advertiser' ? 7 : null,
    affiliateId: role === 'affiliate' ? 1 : null,
    createdAt: '2026-11-01T00:00:00.000Z',
  };
  const context = new RouterContextProvider(new Map([[authContext, { api, viewer }]]));
  return { calls, context };
}

export const apiError = (message: string, status = 400, code = 'invalid_request') => ({
  error: { error: { code, message, requestId: 'r1' } },
  status,
});

/** What a promise rejected with (a thrown `data()` or Response), or undefined. */
export const thrown = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

/** A form post to an action, as the browser sends it. */
export function formRequest(url: string, fields: Record<string, string>) {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.set(name, value);
  return new Request(url, { method: 'POST', body });
}
