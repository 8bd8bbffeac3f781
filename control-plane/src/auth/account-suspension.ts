import { eq } from 'drizzle-orm';
import type { Database } from '../db/database.ts';
import { advertisers } from '../db/schema/advertisers.ts';
import { affiliates } from '../db/schema/affiliates.ts';
import { users } from '../db/schema/users.ts';
import { ApiError } from '../http/api-error.ts';
import type { Role } from './roles.ts';

/*
 * An admin suspends an advertiser or an affiliate (the company), not its users: while the company
 * is suspended its users' sessions and API keys are refused and no session opens, and nothing is
 * revoked, so reactivation gives the same credentials back. A pending affiliate (signed up, not
 * approved yet) keeps its access: it has to be able to fill in its profile.
 */

/** The statuses of the companies a user may act for, as joined beside the user. */
export type CompanyStatuses = {
  role: Role;
  advertiserStatus: 'active' | 'suspended' | null;
  affiliateStatus: 'pending' | 'active' | 'suspended' | null;
};

export function isSuspended(row: CompanyStatuses): boolean {
  if (row.role === 'advertiser') return row.advertiserStatus === 'suspended';
  if (row.role === 'affiliate') return row.affiliateStatus === 'suspended';
  return false;
}

export function accountSuspended(): ApiError {
  return new ApiError(
    'account_suspended',
    'Your company account is suspended; an admin of the network can reactivate it.',
  );
}

/** Throws account_suspended when the user's company is suspended. */
export async function assertNotSuspended(db: Database, user: { id: string; role: Role }): Promise<void> {
  const [row] = await db
    .select({ advertiserStatus: advertisers.status, affiliateStatus: affiliates.status })
    .from(users)
    .leftJoin(advertisers, eq(advertisers.userId, users.id))
    .leftJoin(affiliates, eq(affiliates.userId, users.id))
    .where(eq(users.id, user.id));
  if (row && isSuspended({ role: user.role, ...row })) throw accountSuspended();
}
