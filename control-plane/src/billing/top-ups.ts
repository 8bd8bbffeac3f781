import { and, desc, eq, lt } from 'drizzle-orm';
import type { Principal } from '../auth/principal.ts';
import type { Database } from '../db/database.ts';
import { advertisers } from '../db/schema/advertisers.ts';
import { type TopUp, topUps } from '../db/schema/top-ups.ts';
import { ApiError } from '../http/api-error.ts';
import { type ProcessorDeps, requireStripe } from '../processors/processor-deps.ts';
import { createTopUpCheckoutSession } from '../processors/stripe/stripe-checkout.ts';

export type TopUpDeps = { db: Database; processors: ProcessorDeps; publicAppUrl?: string | undefined };

/** The advertiser a caller may top up: its own, or (admins) the one named. */
function advertiserFor(principal: Principal, advertiserId: number | undefined): number {
  if (principal.role === 'admin') {
    if (advertiserId === undefined)
      throw new ApiError('invalid_request', 'Name the advertiser to top up (advertiserId).');
    return advertiserId;
  }
  if (principal.role === 'advertiser' && principal.advertiserId !== null) {
    if (advertiserId !== undefined && advertiserId !== principal.advertiserId)
      throw new ApiError('forbidden', 'You can top up your own balance only.');
    return principal.advertiserId;
  }
  throw new ApiError('forbidden', 'Only advertisers and admins top up balances.');
}

/**
 * Opens a top-up: a row first (its id is the Checkout Session's idempotency key, so a retried
 * call finds the same session), then the session at Stripe. Nothing is credited here: the money
 * is the advertiser's once Stripe says the session is paid (top-up-handlers.ts).
 */
export async function openTopUp(
  deps: TopUpDeps,
  principal: Principal,
  request: { advertiserId?: number | undefined; amountMinor: number; currency: string },
): Promise<TopUp> {
  const stripe = requireStripe(deps.processors);
  const advertiserId = advertiserFor(principal, request.advertiserId);
  const [advertiser] = await deps.db
    .select({ id: advertisers.id, status: advertisers.status })
    .from(advertisers)
    .where(eq(advertisers.id, advertiserId));
  if (!advertiser) throw new ApiError('not_found', `No advertiser #${advertiserId}.`);
  const id = crypto.randomUUID();
  await deps.db.insert(topUps).values({
    id,
    advertiserId,
    amountMinor: request.amountMinor,
    currency: request.currency,
    createdBy: principal.userId,
  });
  const base = (deps.publicAppUrl ?? 'http://localhost:3000').replace(/\/+$/, '');
  const session = await createTopUpCheckoutSession(stripe.client, {
    advertiserId,
    amountMinor: request.amountMinor,
    currency: request.currency,
    successUrl: `${base}/balance?top_up=${id}`,
    cancelUrl: `${base}/balance?top_up=${id}&cancelled=1`,
    idempotencyKey: `top_up:${id}`,
  });
  if (!session.ok) {
    await deps.db
      .update(topUps)
      .set({ status: 'failed', failure: session.failure.message.slice(0, 500), settledAt: new Date() })
      .where(eq(topUps.id, id));
    if (session.failure.kind === 'unavailable')
      throw new ApiError('processor_unavailable', 'Stripe cannot be reached right now; try again shortly.');
    throw new ApiError('invalid_request', `Stripe refused the top-up: ${session.failure.message}`);
  }
  const [opened] = await deps.db
    .update(topUps)
    .set({ checkoutSessionId: session.value.sessionId, checkoutUrl: session.value.url })
    .where(eq(topUps.id, id))
    .returning();
  if (!opened) throw new Error(`top-up ${id} vanished`);
  return opened;
}

/** Top-ups newest first, the caller's own unless an admin; `before` continues a page. */
export async function listTopUps(
  db: Database,
  principal: Principal,
  query: { advertiserId?: number | undefined; before?: string | undefined; limit: number },
): Promise<{ rows: TopUp[]; nextBefore: string | null }> {
  const own =
    principal.role === 'admin'
      ? query.advertiserId === undefined
        ? undefined
        : eq(topUps.advertiserId, query.advertiserId)
      : principal.role === 'advertiser' && principal.advertiserId !== null
        ? eq(topUps.advertiserId, principal.advertiserId)
        : null;
  if (own === null) throw new ApiError('forbidden', 'Only advertisers and admins have top-ups.');
  const rows = await db
    .select()
    .from(topUps)
    .where(and(own, query.before ? lt(topUps.createdAt, new Date(query.before)) : undefined))
    .orderBy(desc(topUps.createdAt), desc(topUps.id))
    .limit(query.limit);
  const last = rows.at(-1);
  return { rows, nextBefore: rows.length === query.limit && last ? last.createdAt.toISOString() : null };
}
