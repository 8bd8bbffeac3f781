import { and, asc, eq, gt, type SQL } from 'drizzle-orm';
import type { Principal } from '../auth/principal.ts';
import { conversionScope } from '../conversions/conversion-queries.ts';
import type { Database } from '../db/database.ts';
import { clicks } from '../db/schema/clicks.ts';
import { conversions } from '../db/schema/conversions.ts';
import { offers } from '../db/schema/offers.ts';

export type LiveEvent =
  | { type: 'click'; id: string; data: Record<string, unknown> }
  | { type: 'conversion'; id: string; data: Record<string, unknown> };

const BATCH = 200;

function clickScope(principal: Principal): SQL | undefined {
  if (principal.role === 'admin') return undefined;
  if (principal.role === 'affiliate') return eq(clicks.affiliateId, principal.affiliateId ?? -1);
  return eq(offers.advertiserId, principal.advertiserId ?? -1);
}

// Cloudflare Queues keep a message 4 days at most (14 if configured): older clicks are not live.
const LIVE_CLICK_AGE_MS = 15 * 86_400_000;

/**
 * Reads events received after `since`, oldest first, that the principal may see. A transaction
 * that commits late can carry an earlier receivedAt than rows already shown: callers re-read a
 * few seconds back and drop ids they have sent (see LiveCursor).
 */
export async function readLiveEvents(
  db: Database,
  principal: Principal,
  since: Date,
): Promise<(LiveEvent & { at: Date })[]> {
  const clickRows = await db
    .select({ click: clicks })
    .from(clicks)
    .innerJoin(offers, eq(offers.id, clicks.offerId))
    // A click received now happened within the queue's retention (days): bounding occurred_at too
    // reads the last days' partitions, not every day kept (decision 032).
    .where(
      and(
        gt(clicks.receivedAt, since),
        gt(clicks.occurredAt, new Date(since.getTime() - LIVE_CLICK_AGE_MS)),
        clickScope(principal),
      ),
    )
    .orderBy(asc(clicks.receivedAt))
    .limit(BATCH);
  const conversionRows = await db
    .select()
    .from(conversions)
    .where(and(gt(conversions.receivedAt, since), conversionScope(principal)))
    .orderBy(asc(conversions.receivedAt))
    .limit(BATCH);
  const events: (LiveEvent & { at: Date })[] = [
    ...clickRows.map(({ click: c }) => ({
      type: 'click' as const,
      id: c.id,
      at: c.receivedAt,
      data: {
        id: c.id,
        occurredAt: c.occurredAt.toISOString(),
        offerId: c.offerId,
        affiliateId: c.affiliateId,
        sub1: c.sub1,
        country: c.country,
        device: c.device,
        outcome: c.outcome,
        reason: c.reason,
        unique: c.isUnique,
        // bot, duplicate_click, blocked_ip/user_agent, ip_velocity: why a click is invalid.
        fraudFlags: c.fraudFlags,
        ...(principal.role !== 'advertiser' ? { payoutMinor: c.payoutMinor } : {}),
        ...(principal.role !== 'affiliate' ? { revenueMinor: c.revenueMinor } : {}),
      },
    })),
    ...conversionRows.map((v) => ({
      type: 'conversion' as const,
      id: v.id,
      at: v.receivedAt,
      data: {
        id: v.id,
        occurredAt: v.occurredAt.toISOString(),
        offerId: v.offerId,
        affiliateId: v.affiliateId,
        event: v.event,
        status: v.status,
        reason: v.reason,
        fraudFlags: v.fraudFlags,
        txid: v.txid,
        sub1: v.sub1,
        country: v.country,
        device: v.device,
        amountMinor: v.amountMinor,
        currency: v.payoutCurrency,
        ...(principal.role !== 'advertiser' ? { payoutMinor: v.payoutMinor } : {}),
        ...(principal.role !== 'affiliate' ? { revenueMinor: v.revenueMinor } : {}),
      },
    })),
  ];
  return events.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** Remembers what was sent, to re-read with overlap without sending anything twice. */
export class LiveCursor {
  private readonly sent = new Map<string, number>();
  private readonly start: number;
  constructor(
    private since: Date,
    private readonly overlapMs = 5_000,
  ) {
    this.start = since.getTime();
  }

  readFrom(): Date {
    return new Date(this.since.getTime() - this.overlapMs);
  }

  /** The events not sent yet; moves the cursor and forgets ids older than the overlap. */
  fresh<T extends { id: string; at: Date }>(events: T[]): T[] {
    // The overlap re-reads before the start too: nothing from before the start is sent.
    const out = events.filter((e) => e.at.getTime() > this.start && !this.sent.has(e.id));
    for (const e of out) {
      this.sent.set(e.id, e.at.getTime());
      if (e.at > this.since) this.since = e.at;
    }
    const horizon = this.since.getTime() - this.overlapMs;
    for (const [id, at] of this.sent) if (at < horizon) this.sent.delete(id);
    return out;
  }
}
