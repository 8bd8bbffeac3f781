import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Principal } from '../auth/principal.ts';
import { adPlatformConnections } from '../db/schema/ad-platform-connections.ts';
import { ApiError } from '../http/api-error.ts';
import { type AdPlatform, AdPlatformError } from './ad-platform.ts';
import type { AdPlatformDeps } from './ad-platform-deps.ts';
import { adPlatformSchema, type oauthStartRequestSchema } from './ad-platform-schemas.ts';
import { actingAdvertiser, platformApiError, visibleConnection } from './connection-service.ts';
import { sealCredentials, storeTokens } from './connection-store.ts';
import { OAUTH_CLIENTS } from './platform-registry.ts';

/** How long an authorisation link stays good: the advertiser signs in to the platform meanwhile. */
const STATE_TTL_MS = 15 * 60_000;

const stateSchema = z.object({
  advertiserId: z.number().int(),
  platform: adPlatformSchema,
  userId: z.uuid(),
  label: z.string(),
  accountId: z.string().nullable(),
  loginAccountId: z.string().nullable(),
  connectionId: z.uuid().nullable(),
  expiresAt: z.number().int(),
  nonce: z.string(),
});
type OAuthState = z.infer<typeof stateSchema>;

function sign(secret: string, payload: string) {
  return createHmac('sha256', `ad-platform-oauth:${secret}`).update(payload).digest('base64url');
}

/** `state` carries who asked and for what, signed: a callback cannot be forged onto another advertiser. */
export function encodeState(secret: string, state: OAuthState): string {
  const payload = Buffer.from(JSON.stringify(state)).toString('base64url');
  return `${payload}.${sign(secret, payload)}`;
}

export function decodeState(secret: string, value: string, now = Date.now()): OAuthState | null {
  const [payload, mac] = value.split('.');
  if (!payload || !mac) return null;
  const expected = Buffer.from(sign(secret, payload));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const state = stateSchema.parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
    return state.expiresAt > now ? state : null;
  } catch {
    return null;
  }
}

export function callbackUrl(deps: Pick<AdPlatformDeps, 'apiUrl'>, platform: AdPlatform) {
  return `${deps.apiUrl.replace(/\/+$/, '')}/api/v1/ad-platforms/oauth/${platform}/callback`;
}

/** The platform's authorisation link for this advertiser (or to connect an existing connection again). */
export async function startOAuth(
  deps: AdPlatformDeps,
  principal: Principal,
  platform: AdPlatform,
  input: z.infer<typeof oauthStartRequestSchema>,
  now = Date.now(),
): Promise<{ url: string; expiresAt: string }> {
  let advertiserId: number;
  if (input.connectionId) {
    const existing = await visibleConnection(deps.db, principal, input.connectionId);
    if (existing.platform !== platform)
      throw new ApiError('invalid_request', `Connection ${existing.id} is not a ${platform} connection.`);
    advertiserId = existing.advertiserId;
  } else {
    advertiserId = await actingAdvertiser(deps.db, principal, input.advertiserId);
  }
  const state = encodeState(deps.stateSecret, {
    advertiserId,
    platform,
    userId: principal.userId,
    label: input.label,
    accountId: input.accountId,
    loginAccountId: input.loginAccountId,
    connectionId: input.connectionId ?? null,
    expiresAt: now + STATE_TTL_MS,
    nonce: randomUUID(),
  });
  try {
    const url = OAUTH_CLIENTS[platform].authorizationUrl(
      { state, redirectUri: callbackUrl(deps, platform) },
      deps,
    );
    return { url, expiresAt: new Date(now + STATE_TTL_MS).toISOString() };
  } catch (error) {
    throw platformApiError(error);
  }
}

/**
 * The platform's redirect back: the state checked, the code exchanged, the tokens stored encrypted.
 * Answers where the browser goes next, always on the dashboard's own address (never one from the query).
 */
export async function finishOAuth(
  deps: AdPlatformDeps,
  platform: AdPlatform,
  query: { code?: string | undefined; state?: string | undefined; error?: string | undefined },
  now = new Date(),
): Promise<string> {
  const back = (params: Record<string, string>) =>
    `${deps.appUrl.replace(/\/+$/, '')}/ad-platforms?${new URLSearchParams(params).toString()}`;
  const state = query.state ? decodeState(deps.stateSecret, query.state, now.getTime()) : null;
  if (!state || state.platform !== platform) return back({ error: 'invalid_state' });
  if (query.error || !query.code) return back({ error: query.error ? 'denied' : 'missing_code' });
  let tokens: Awaited<ReturnType<(typeof OAUTH_CLIENTS)[AdPlatform]['exchangeCode']>>;
  try {
    tokens = await OAUTH_CLIENTS[platform].exchangeCode(
      { code: query.code, redirectUri: callbackUrl(deps, platform) },
      deps,
    );
  } catch (error) {
    const reason =
      error instanceof AdPlatformError && error.kind === 'not_configured'
        ? 'not_configured'
        : 'exchange_failed';
    return back({ error: reason });
  }
  if (state.connectionId) {
    const [row] = await deps.db
      .select()
      .from(adPlatformConnections)
      .where(eq(adPlatformConnections.id, state.connectionId));
    if (!row || row.advertiserId !== state.advertiserId) return back({ error: 'invalid_state' });
    await storeTokens(deps, row, tokens, now);
    await deps.db
      .update(adPlatformConnections)
      .set({ source: 'oauth' })
      .where(eq(adPlatformConnections.id, row.id));
    return back({ connected: row.id });
  }
  const id = randomUUID();
  await deps.db.insert(adPlatformConnections).values({
    id,
    advertiserId: state.advertiserId,
    platform,
    label: state.label,
    // TikTok names the accounts the grant reaches: the first one when none was given.
    accountId: state.accountId ?? tokens.accountIds?.[0] ?? null,
    loginAccountId: state.loginAccountId,
    credentials: sealCredentials(deps, id, {
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      accessTokenExpiresAt: tokens.accessTokenExpiresAt,
    }),
    accessTokenExpiresAt: tokens.accessTokenExpiresAt ? new Date(tokens.accessTokenExpiresAt) : null,
    source: 'oauth',
    createdBy: state.userId,
  });
  return back({ connected: id });
}
