import { recordAudit } from '../audit/record-audit.ts';
import type { Database } from '../db/database.ts';
import type { User } from '../db/schema/users.ts';
import { createUser } from './account-service.ts';

/**
 * An admin made from the command line: how a new production install gets its first one (the
 * demo seed makes one only on the local stack), and how a network that has locked itself out gets
 * back in. Verified like any admin-made user, under the password policy, audited with no actor.
 */
export async function createAdminFromCommandLine(
  db: Database,
  input: { email: string; password: string; firstName?: string | undefined },
  now = new Date(),
): Promise<User> {
  const user = await createUser(
    { db, now: () => now },
    { email: input.email, password: input.password, role: 'admin', firstName: input.firstName },
  );
  await recordAudit(
    db,
    {
      actor: null,
      action: 'user.created',
      subject: { type: 'user', id: user.id },
      detail: { email: user.email, role: user.role, via: 'command line' },
    },
    now,
  );
  return user;
}
