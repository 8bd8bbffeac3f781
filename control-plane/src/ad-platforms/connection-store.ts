import { and, eq, ne } from 'drizzle-orm';
import { z } from 'zod';
import { type AdPlatformConnection, adPlatformConnections } from '../db/schema/ad-platform-connections.ts';
import {
  AdPlatformError,
  type ConnectionCredentials,
  type OAuthTokens,
  type PlatformConnection,
} from './ad-platform.ts';
import type { AdPlatformDeps } from './ad-platform-deps.ts';
import { OAUTH_CLIENTS } from './platform-registry.ts';

const credentialsSchema = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1).optional(),
  accessTokenExpiresAt: z.iso.datetime().optional(),
});

/** Refreshed this long before the platform would refuse it, so a call in flight does not meet the expiry. */
const REFRESH_MARGIN_MS = 5 * 60_000;

export function sealCredentials(
  deps: Pick<AdPlatformDeps, 'box'>,
  connectionId: string,
  credentials: ConnectionCredentials,
) {
  return deps.box.encrypt(connectionId, JSON.stringify(credentialsSchema.parse(credentials)));
}

function openCredentials(
  deps: Pick<AdPlatformDeps, 'box'>,
  row: AdPlatformConnection,
): ConnectionCredentials {
  if (row.credentials === null)
    throw new AdPlatformError('auth', 'The connection was disconnected; connect the account again.');
  return credentialsSchema.parse(JSON.parse(deps.box.decrypt(row.id, row.credentials)));
}

/** Stores new tokens (an OAuth grant or a refresh) and clears a "connect again" state. */
export async function storeTokens(
  deps: AdPlatformDeps,
  row: AdPlatformConnection,
  tokens: OAuthTokens,
  now = new Date(),
) {
  const credentials: ConnectionCredentials = {
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken ?? openCredentialsOrNull(deps, row)?.refreshToken,
    accessTokenExpiresAt: tokens.accessTokenExpiresAt,
  };
  await deps.db
    .update(adPlatformConnections)
    .set({
      credentials: sealCredentials(deps, row.id, credentials),
      accessTokenExpiresAt: credentials.accessTokenExpiresAt
        ? new Date(credentials.accessTokenExpiresAt)
        : null,
      status: 'active',
      lastError: null,
      lastErrorAt: null,
      updatedAt: now,
    })
    .where(eq(adPlatformConnections.id, row.id));
  return credentials;
}

function openCredentialsOrNull(deps: Pick<AdPlatformDeps, 'box'>, row: AdPlatformConnection) {
  try {
    return openCredentials(deps, row);
  } catch {
    return null;
  }
}

/** The platform refused the connection's tokens or their refresh: the advertiser must connect again (a disconnected one stays so). */
export async function markNeedsReauth(
  deps: Pick<AdPlatformDeps, 'db'>,
  connectionId: string,
  reason: string,
  now = new Date(),
) {
  await deps.db
    .update(adPlatformConnections)
    .set({ status: 'needs_reauth', lastError: reason, lastErrorAt: now, updatedAt: now })
    .where(and(eq(adPlatformConnections.id, connectionId), ne(adPlatformConnections.status, 'disconnected')));
}

/**
 * The connection as clients need it, its access token refreshed first when it is about to run out
 * (Google, Microsoft). A refused refresh marks the connection `needs_reauth` and throws an 'auth'
 * AdPlatformError; an outage throws 'unavailable' and changes nothing.
 */
export async function usableConnection(
  deps: AdPlatformDeps,
  row: AdPlatformConnection,
  now = new Date(),
): Promise<PlatformConnection> {
  let credentials = openCredentials(deps, row);
  const expiresAt = credentials.accessTokenExpiresAt ? Date.parse(credentials.accessTokenExpiresAt) : null;
  if (expiresAt !== null && expiresAt - REFRESH_MARGIN_MS <= now.getTime()) {
    const refresh = OAUTH_CLIENTS[row.platform].refresh;
    if (!refresh || !credentials.refreshToken) {
      await markNeedsReauth(deps, row.id, 'The access token has expired; connect the account again.', now);
      throw new AdPlatformError('auth', 'The access token has expired and cannot be refreshed.');
    }
    try {
      const tokens = await refresh(credentials.refreshToken, deps);
      credentials = await storeTokens(deps, row, tokens, now);
    } catch (error) {
      if (error instanceof AdPlatformError && (error.kind === 'auth' || error.kind === 'invalid')) {
        await markNeedsReauth(
          deps,
          row.id,
          `The platform refused to refresh the token: ${error.message}`,
          now,
        );
        throw new AdPlatformError('auth', error.message, error.detail);
      }
      throw error;
    }
  }
  return {
    id: row.id,
    platform: row.platform,
    accountId: row.accountId,
    loginAccountId: row.loginAccountId,
    credentials,
  };
}
