import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Principal } from '../auth/principal.ts';
import { type Database, queryRows } from '../db/database.ts';
import { requestSlots } from '../db/schema/shared-limits.ts';
import { ApiError } from './api-error.ts';
import type { SlotLimits } from './user-slots.ts';

export type SharedUserSlots = {
  /**
   * Takes a slot for `principal`, or throws rate_limited when none is free: the user's share is
   * counted across every instance (the database), the overall one in this process (it protects
   * this process's connection pool). The returned release gives it back; calling it again does nothing.
   */
  acquire(principal: Principal): Promise<() => void>;
  /** Slots held now in this process. */
  readonly active: number;
};

/**
 * Per-user slots of long requests shared by every control-plane instance (issue 13), with
 * `leaseMs` after which a slot of a crashed instance no longer counts.
 */
export function sharedUserSlots(
  db: Database,
  kind: string,
  limits: SlotLimits & { leaseMs: number },
  refusals: { perUser: (held: number) => string; overall: string },
): SharedUserSlots {
  let active = 0;
  const refuse = (why: string) =>
    new ApiError('rate_limited', `${why}; try again in ${limits.retryAfterSeconds} s.`, {
      retryAfterSeconds: limits.retryAfterSeconds,
    });
  return {
    async acquire(principal) {
      if (active >= limits.maxConcurrent) throw refuse(refusals.overall);
      active++;
      const id = randomUUID();
      try {
        // No transaction (it would wait behind a running export on a one-connection database): the
        // user's slots are numbered and unique, so of two instances racing for the same free one,
        // one inserts and the other is refused, never both.
        await db.execute(
          sql`DELETE FROM request_slots WHERE kind = ${kind} AND user_id = ${principal.userId} AND expires_at <= now()`,
        );
        const taken = await queryRows<{ id: string }>(
          db,
          sql`INSERT INTO request_slots (id, kind, user_id, slot, expires_at)
              SELECT ${id}, ${kind}, ${principal.userId}, s, now() + ${`${limits.leaseMs} milliseconds`}::interval
              FROM generate_series(0, ${limits.maxPerUser - 1}) AS s
              WHERE NOT EXISTS (SELECT 1 FROM request_slots r
                                WHERE r.kind = ${kind} AND r.user_id = ${principal.userId} AND r.slot = s)
              ORDER BY s LIMIT 1
              ON CONFLICT (kind, user_id, slot) DO NOTHING
              RETURNING id`,
        );
        if (taken.length === 0) throw refuse(refusals.perUser(limits.maxPerUser));
      } catch (error) {
        active--;
        throw error;
      }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        active--;
        // Not awaited by the stream that ends; a failure leaves the slot to its lease.
        db.delete(requestSlots)
          .where(eq(requestSlots.id, id))
          .catch((error: unknown) =>
            console.error(JSON.stringify({ msg: 'slot not released', kind, error: String(error) })),
          );
      };
    },
    get active() {
      return active;
    },
  };
}
