import type { ClickEvent, ConversionEvent, TrackingEvent } from '@tas/shared/events';
import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/database.ts';

/**
 * How long after its click a conversion may wait for that click. The edge sends clicks in
 * envelopes over several queues and each conversion alone (decision 031), so a conversion can
 * reach the ingest a few seconds before its click. Past this age a click that has not arrived is
 * taken as lost (or quarantined): the conversion is stored without it, as before deferral.
 */
export const CLICK_WAIT_SECONDS = 15 * 60;

/**
 * Splits a batch's valid events into those to store now and conversions to hold back: a
 * conversion whose click is recent (clicked within CLICK_WAIT_SECONDS) but neither stored nor in
 * this batch. Stored now, it would miss what the ingest copies from its click (campaign, creative,
 * subs, country, device, consent), and so its campaign's budget and its report dimensions, for
 * good. Only senders that retry what is held back ask for this (the edge's queue consumer).
 */
export async function holdBackEarlyConversions(
  db: Database,
  events: readonly TrackingEvent[],
  now: Date,
): Promise<{ ready: TrackingEvent[]; deferred: ConversionEvent[] }> {
  const batchClicks = new Set(events.filter((e): e is ClickEvent => e.type === 'click').map((e) => e.id));
  const oldest = now.getTime() - CLICK_WAIT_SECONDS * 1000;
  const waiting = events.filter(
    (e): e is ConversionEvent =>
      e.type === 'conversion' && !batchClicks.has(e.clickId) && Date.parse(e.clickedAt) >= oldest,
  );
  if (waiting.length === 0) return { ready: [...events], deferred: [] };
  // The click id carries its time in whole seconds: one day's partition is read (decision 032).
  const found = await queryRows<{ id: string }>(
    db,
    sql`
    SELECT c.id
    FROM unnest(${sql.param(waiting.map((e) => e.clickId))}::text[],
                ${sql.param(waiting.map((e) => e.clickedAt))}::timestamptz[]) AS w(click_id, clicked_at)
    JOIN clicks c ON c.id = w.click_id
     AND c.occurred_at >= w.clicked_at AND c.occurred_at < w.clicked_at + interval '1 second'`,
  );
  const arrived = new Set(found.map((r) => r.id));
  const deferred = new Set(waiting.filter((e) => !arrived.has(e.clickId)));
  return {
    ready: events.filter((e) => !(e.type === 'conversion' && deferred.has(e))),
    deferred: [...deferred],
  };
}
