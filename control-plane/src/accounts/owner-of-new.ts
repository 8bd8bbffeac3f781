import { eq } from 'drizzle-orm';
import type { Principal } from '../auth/principal.ts';
import type { Database } from '../db/database.ts';
import { advertisers } from '../db/schema/advertisers.ts';
import { affiliates } from '../db/schema/affiliates.ts';
import { ApiError } from '../http/api-error.ts';

/**
 * Whose a new row is (a campaign or offer is an advertiser's, a postback config an affiliate's).
 * The rule is the same everywhere, so it lives once: a user of that role creates for itself only;
 * anyone else (an admin) must name one that exists. `forOthers` is the refusal when a user names
 * another.
 */
export async function ownerOfNew(
  db: Database,
  principal: Principal,
  owner: 'advertiser' | 'affiliate',
  requested: number | undefined,
  forOthers: string,
): Promise<number> {
  const own = owner === 'advertiser' ? principal.advertiserId : principal.affiliateId;
  if (principal.role === owner) {
    if (requested !== undefined && requested !== own) throw new ApiError('forbidden', forOthers);
    if (!own) throw new ApiError('forbidden', `This user is not linked to an ${owner}.`);
    return own;
  }
  if (!requested) throw new ApiError('invalid_request', `${owner}Id is required.`);
  if (!(await exists(db, owner, requested))) {
    throw new ApiError(
      'not_found',
      `${owner === 'advertiser' ? 'Advertiser' : 'Affiliate'} ${requested} does not exist.`,
    );
  }
  return requested;
}

async function exists(db: Database, owner: 'advertiser' | 'affiliate', id: number): Promise<boolean> {
  const rows =
    owner === 'advertiser'
      ? await db.select({ id: advertisers.id }).from(advertisers).where(eq(advertisers.id, id))
      : await db.select({ id: affiliates.id }).from(affiliates).where(eq(affiliates.id, id));
  return rows.length > 0;
}
