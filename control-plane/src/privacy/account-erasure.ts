import { sql } from 'drizzle-orm';
import type { Database } from '../db/database.ts';

/**
 * A user's account erased (account deletion, or an erasure request for the user's email): the
 * login becomes `deleted-<id>@deleted.invalid`, names, password and verification go, sessions are
 * ended with their ip and browser erased, API keys revoked, pending tokens and failed-login records
 * deleted. The user's row stays, inactive, because business records point to it (who approved a
 * payout, who created an offer); the advertiser or affiliate company and its money, invoices and
 * payouts stay as accounting requires (docs/privacy.md).
 */
export async function eraseAccount(db: Database, userId: string, now: Date): Promise<void> {
  const [user] = (
    (await db.execute(sql`SELECT email FROM users WHERE id = ${userId}`)) as unknown as {
      rows: { email: string }[];
    }
  ).rows;
  if (!user) return;
  const at = now.toISOString();
  await db.execute(sql`UPDATE users SET email = ${`deleted-${userId}@deleted.invalid`}, first_name = NULL,
                       last_name = NULL, password_hash = NULL, email_verified_at = NULL, is_active = false,
                       deleted_at = ${at}::timestamptz, updated_at = ${at}::timestamptz
                       WHERE id = ${userId}`);
  await db.execute(sql`UPDATE sessions SET ip = NULL, user_agent = NULL,
                       revoked_at = coalesce(revoked_at, ${at}::timestamptz),
                       revoked_reason = coalesce(revoked_reason, 'account_deleted')
                       WHERE user_id = ${userId}`);
  await db.execute(
    sql`UPDATE api_keys SET revoked_at = coalesce(revoked_at, ${at}::timestamptz), last_used_ip = NULL
        WHERE user_id = ${userId}`,
  );
  await db.execute(sql`DELETE FROM email_verifications WHERE user_id = ${userId}`);
  await db.execute(sql`DELETE FROM password_resets WHERE user_id = ${userId}`);
  // Keys are `pair:{email}|{ip}`: the email's records go.
  await db.execute(sql`DELETE FROM login_throttles WHERE starts_with(key, ${`pair:${user.email}|`})`);
}
