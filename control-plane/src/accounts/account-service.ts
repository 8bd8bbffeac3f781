import { eq } from 'drizzle-orm';
import { affiliateConfigFor } from '../affiliates/affiliate-service.ts';
import { hashPassword } from '../auth/passwords.ts';
import type { Database } from '../db/database.ts';
import { advertisers } from '../db/schema/advertisers.ts';
import { affiliates } from '../db/schema/affiliates.ts';
import { type User, users } from '../db/schema/users.ts';
import type { EdgePublisher } from '../edge-sync/edge-publisher.ts';
import { ApiError } from '../http/api-error.ts';
import {
  type RegisterRequest,
  registerRequestSchema,
  type UserCreateRequest,
  type UserResponse,
  userCreateRequestSchema,
} from './account-schemas.ts';

export type AccountDeps = { db: Database; edge: EdgePublisher };

/** The public view of a user: never the password hash. */
export async function userResponse(db: Database, user: User): Promise<UserResponse> {
  const [advertiser] = await db
    .select({ id: advertisers.id })
    .from(advertisers)
    .where(eq(advertisers.userId, user.id));
  const [affiliate] = await db
    .select({ id: affiliates.id })
    .from(affiliates)
    .where(eq(affiliates.userId, user.id));
  return {
    id: user.id,
    email: user.email,
    role: user.role,
    firstName: user.firstName,
    lastName: user.lastName,
    isActive: user.isActive,
    advertiserId: user.role === 'advertiser' ? (advertiser?.id ?? null) : null,
    affiliateId: user.role === 'affiliate' ? (affiliate?.id ?? null) : null,
    createdAt: user.createdAt.toISOString(),
  };
}

/** Inserts a user; null when the email is taken (the caller decides what that means). */
async function insertUser(
  db: Database,
  values: {
    email: string;
    passwordHash: string;
    role: User['role'];
    firstName?: string | null | undefined;
    lastName?: string | null | undefined;
    emailVerifiedAt: Date | null;
  },
): Promise<User | null> {
  const [user] = await db
    .insert(users)
    .values({
      email: values.email,
      passwordHash: values.passwordHash,
      role: values.role,
      firstName: values.firstName ?? null,
      lastName: values.lastName ?? null,
      emailVerifiedAt: values.emailVerifiedAt,
    })
    .onConflictDoNothing({ target: users.email })
    .returning();
  return user ?? null;
}

/**
 * Self-service sign-up of an advertiser or affiliate with its company, unverified until the owner
 * follows the emailed link. A new affiliate starts pending (the edge refuses its traffic until an
 * admin activates it); the edge learns of it in the same transaction.
 *
 * Returns null, having created nothing, when the email already has an account. The password is
 * hashed either way, first, so that case costs the same argon2 work as a new account.
 */
export async function registerAccount(
  { db, edge }: AccountDeps,
  input: RegisterRequest,
): Promise<User | null> {
  const values = registerRequestSchema.parse(input);
  const passwordHash = await hashPassword(values.password);
  return db.transaction(async (tx) => {
    const user = await insertUser(tx, { ...values, passwordHash, emailVerifiedAt: null });
    if (!user) return null;
    const company = {
      userId: user.id,
      companyName: values.companyName,
      websiteUrl: values.websiteUrl ?? null,
      contactEmail: values.email,
    };
    if (values.role === 'advertiser') {
      await tx.insert(advertisers).values(company);
    } else {
      const [affiliate] = await tx
        .insert(affiliates)
        .values({ ...company, status: 'pending' })
        .returning();
      if (!affiliate) throw new Error('insert returned no row');
      await edge.publish({ upsert: { affiliates: [affiliateConfigFor(affiliate)] } });
    }
    return user;
  });
}

/**
 * An admin creates a user of any role, optionally attached to an existing advertiser or
 * affiliate. The admin vouches for the address, so the account starts verified.
 */
export async function createUser(
  { db, now = () => new Date() }: { db: Database; now?: () => Date },
  input: UserCreateRequest,
): Promise<User> {
  const values = userCreateRequestSchema.parse(input);
  if (values.advertiserId && values.role !== 'advertiser') {
    throw new ApiError('invalid_request', 'advertiserId is only for role advertiser.');
  }
  if (values.affiliateId && values.role !== 'affiliate') {
    throw new ApiError('invalid_request', 'affiliateId is only for role affiliate.');
  }
  const passwordHash = await hashPassword(values.password);
  return db.transaction(async (tx) => {
    const user = await insertUser(tx, { ...values, passwordHash, emailVerifiedAt: now() });
    if (!user) throw new ApiError('conflict', 'An account with this email already exists.');
    if (values.advertiserId) await attach(tx, advertisers, values.advertiserId, user.id, 'Advertiser');
    if (values.affiliateId) await attach(tx, affiliates, values.affiliateId, user.id, 'Affiliate');
    return user;
  });
}

async function attach(
  db: Database,
  table: typeof advertisers | typeof affiliates,
  id: number,
  userId: string,
  what: string,
) {
  const [row] = await db.select({ userId: table.userId }).from(table).where(eq(table.id, id));
  if (!row) throw new ApiError('not_found', `${what} ${id} does not exist.`);
  if (row.userId) throw new ApiError('conflict', `${what} ${id} already has a user.`);
  await db.update(table).set({ userId }).where(eq(table.id, id));
}
