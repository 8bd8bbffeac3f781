import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/database.ts';
import { advertisers } from '../db/schema/advertisers.ts';
import { affiliates } from '../db/schema/affiliates.ts';
import { apiKeys } from '../db/schema/api-keys.ts';
import { sessions } from '../db/schema/sessions.ts';
import { users } from '../db/schema/users.ts';
import { isSuspended } from './account-suspension.ts';
import type { Principal } from './principal.ts';

export type CredentialStanding = 'ok' | 'unauthorized' | 'account_suspended';

/**
 * Whether what a principal was resolved from still holds: its session open (or its API key not
 * revoked or expired), its user active, its company not suspended. For work that outlives the
 * request that authenticated it (a live feed), which must stop when a request would be refused.
 * The access token's own expiry is not checked: the session it named is what logout ends.
 */
export async function credentialStanding(
  db: Database,
  principal: Principal,
  now: Date,
): Promise<CredentialStanding> {
  const via = principal.via;
  const credential =
    via.kind === 'session'
      ? db
          .select({ revokedAt: sessions.revokedAt, expiresAt: sessions.expiresAt })
          .from(sessions)
          .where(and(eq(sessions.id, via.sessionId), eq(sessions.userId, principal.userId)))
      : db
          .select({ revokedAt: apiKeys.revokedAt, expiresAt: apiKeys.expiresAt })
          .from(apiKeys)
          .where(and(eq(apiKeys.id, via.apiKeyId), eq(apiKeys.userId, principal.userId)));
  const [held] = await credential;
  if (!held || held.revokedAt || (held.expiresAt && held.expiresAt <= now)) return 'unauthorized';
  const [user] = await db
    .select({
      role: users.role,
      isActive: users.isActive,
      advertiserStatus: advertisers.status,
      affiliateStatus: affiliates.status,
    })
    .from(users)
    .leftJoin(advertisers, eq(advertisers.userId, users.id))
    .leftJoin(affiliates, eq(affiliates.userId, users.id))
    .where(eq(users.id, principal.userId));
  if (!user?.isActive) return 'unauthorized';
  return isSuspended(user) ? 'account_suspended' : 'ok';
}
