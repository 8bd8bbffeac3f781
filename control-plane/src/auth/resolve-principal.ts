import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Database } from '../db/database.ts';
import { advertisers } from '../db/schema/advertisers.ts';
import { affiliates } from '../db/schema/affiliates.ts';
import { apiKeys } from '../db/schema/api-keys.ts';
import { sessions } from '../db/schema/sessions.ts';
import { users } from '../db/schema/users.ts';
import { ApiError } from '../http/api-error.ts';
import { type AccessTokenKeys, verifyAccessToken } from './access-tokens.ts';
import { accountSuspended, isSuspended } from './account-suspension.ts';
import { tokenHash } from './opaque-tokens.ts';
import type { Principal } from './principal.ts';
import { type Scope, scopeSchema } from './roles.ts';

export const API_KEY_PREFIX = 'tas_';

const actor = {
  userId: users.id,
  email: users.email,
  role: users.role,
  isActive: users.isActive,
  advertiserId: advertisers.id,
  affiliateId: affiliates.id,
  advertiserStatus: advertisers.status,
  affiliateStatus: affiliates.status,
};

/**
 * Who a bearer credential belongs to, or null. An access token counts only while its session is
 * open and its user active: logging out or disabling a user takes effect on the next request.
 * A valid credential of a user whose company is suspended throws account_suspended; an API key
 * that expired or was revoked throws unauthorized saying so (only its holder can learn that).
 */
export async function resolvePrincipal(
  deps: { db: Database; keys: AccessTokenKeys; now?: () => Date },
  credential: string,
  client: { ip: string | null } = { ip: null },
): Promise<Principal | null> {
  const now = (deps.now ?? (() => new Date()))();
  if (credential.startsWith(API_KEY_PREFIX)) return resolveApiKey(deps.db, credential, now, client.ip);
  const claims = await verifyAccessToken(deps.keys, credential, now);
  if (!claims) return null;
  const [row] = await deps.db
    .select({ ...actor, revokedAt: sessions.revokedAt, expiresAt: sessions.expiresAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(advertisers, eq(advertisers.userId, users.id))
    .leftJoin(affiliates, eq(affiliates.userId, users.id))
    .where(and(eq(sessions.id, claims.sid), eq(sessions.userId, claims.sub)))
    .limit(1);
  if (!row || row.revokedAt || row.expiresAt <= now || !row.isActive) return null;
  if (isSuspended(row)) throw accountSuspended();
  return principalOf(row, { kind: 'session', sessionId: claims.sid });
}

async function resolveApiKey(
  db: Database,
  key: string,
  now: Date,
  ip: string | null,
): Promise<Principal | null> {
  const [row] = await db
    .select({
      ...actor,
      apiKeyId: apiKeys.id,
      scopes: apiKeys.scopes,
      revokedAt: apiKeys.revokedAt,
      expiresAt: apiKeys.expiresAt,
    })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .leftJoin(advertisers, eq(advertisers.userId, users.id))
    .leftJoin(affiliates, eq(affiliates.userId, users.id))
    .where(eq(apiKeys.keyHash, tokenHash(key)))
    .limit(1);
  if (!row?.isActive) return null;
  if (row.revokedAt) {
    throw new ApiError('unauthorized', `This API key was revoked on ${row.revokedAt.toISOString()}.`);
  }
  if (row.expiresAt && row.expiresAt <= now) {
    throw new ApiError('unauthorized', `This API key expired on ${row.expiresAt.toISOString()}.`);
  }
  if (isSuspended(row)) throw accountSuspended();
  // Last use (time and address) is for people auditing their keys; at most one write a minute
  // per key, so a busy key does not write on every request.
  await db
    .update(apiKeys)
    .set({ lastUsedAt: now, lastUsedIp: ip })
    .where(
      and(
        eq(apiKeys.id, row.apiKeyId),
        or(
          isNull(apiKeys.lastUsedAt),
          lt(apiKeys.lastUsedAt, sql`${now.toISOString()}::timestamptz - interval '1 minute'`),
        ),
      ),
    );
  const scopes = row.scopes.filter((s): s is Scope => scopeSchema.safeParse(s).success);
  return principalOf(row, { kind: 'api_key', apiKeyId: row.apiKeyId, scopes });
}

function principalOf(
  row: {
    userId: string;
    email: string;
    role: Principal['role'];
    advertiserId: number | null;
    affiliateId: number | null;
  },
  via: Principal['via'],
): Principal {
  return {
    userId: row.userId,
    email: row.email,
    role: row.role,
    advertiserId: row.role === 'advertiser' ? row.advertiserId : null,
    affiliateId: row.role === 'affiliate' ? row.affiliateId : null,
    via,
  };
}
