import createClient from 'openapi-fetch';
import type { components, paths } from '~/api/schema';
import { dashboardEnv } from './env.server';

export type ApiClient = ReturnType<typeof createClient<paths>>;
export type Schemas = components['schemas'];
export type TokenPair = Schemas['TokenPair'];

/**
 * The control plane's API as this request's user calls it: the same API third parties use. The
 * visitor's forwarded address and user agent go along, so login throttles and session records see
 * the person, not the dashboard server (the control plane trusts the proxy in front of it).
 */
export function apiClient(request: Request, accessToken?: string): ApiClient {
  const headers: Record<string, string> = {};
  if (accessToken) headers.authorization = `Bearer ${accessToken}`;
  const forwarded = request.headers.get('x-forwarded-for');
  if (forwarded) headers['x-forwarded-for'] = forwarded;
  const userAgent = request.headers.get('user-agent');
  if (userAgent) headers['user-agent'] = userAgent;
  return createClient<paths>({ baseUrl: dashboardEnv().apiUrl, headers });
}

// A refresh token works once: requests of one browser that find the access token expired at the
// same time must share one refresh, or the second would look like a stolen token and end the
// session. Results are kept a short while for requests still carrying the old cookie.
const refreshing = new Map<string, { at: number; pair: Promise<TokenPair | null> }>();
const SHARE_MS = 30_000;

/** Trades a refresh token for a new pair (null when the session is over), once per token. */
export function refreshTokens(request: Request, refreshToken: string): Promise<TokenPair | null> {
  const now = Date.now();
  for (const [token, entry] of refreshing) if (now - entry.at > SHARE_MS) refreshing.delete(token);
  const running = refreshing.get(refreshToken);
  if (running) return running.pair;
  const pair = apiClient(request)
    .POST('/api/v1/auth/refresh', { body: { refreshToken } })
    .then(({ data }) => data ?? null)
    .catch(() => null);
  refreshing.set(refreshToken, { at: now, pair });
  return pair;
}
