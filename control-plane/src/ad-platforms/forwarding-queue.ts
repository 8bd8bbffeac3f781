import { sql } from 'drizzle-orm';
import type { Database } from '../db/database.ts';

/**
 * Settles what ad platforms are owed after conversions' statuses change (decision 030), inside the
 * transaction that changes them. Owed now (approved, or pending for destinations sending pending
 * ones): queued, or re-queued if a rejection had skipped it. Rejected: unsent ones are skipped, and
 * sent ones get a retraction (sent only to platforms that accept one). New conversions are queued
 * by the ingest statement itself.
 */
export async function queueAdPlatformEvents(db: Database, conversionIds: string[]) {
  if (conversionIds.length === 0) return;
  const ids = sql.param(conversionIds);
  await db.execute(sql`
    INSERT INTO ad_conversion_deliveries (destination_id, conversion_id, kind)
    SELECT d.id, v.id, 'conversion'
    FROM conversions v
    JOIN offers o ON o.id = v.offer_id
    JOIN ad_conversion_destinations d
      ON d.advertiser_id = o.advertiser_id AND (d.offer_id IS NULL OR d.offer_id = v.offer_id) AND d.status <> 'archived'
     AND (v.status = 'approved' OR (v.status = 'pending' AND d.send_on = 'pending'))
    WHERE v.id = ANY(${ids}::uuid[])
    ON CONFLICT (destination_id, conversion_id, kind) DO UPDATE
      SET state = 'pending', skip_reason = NULL, attempts = 0, next_attempt_at = now(), updated_at = now()
      WHERE ad_conversion_deliveries.state = 'skipped' AND ad_conversion_deliveries.skip_reason = 'conversion_rejected'`);
  await db.execute(sql`
    UPDATE ad_conversion_deliveries a SET state = 'skipped', skip_reason = 'conversion_rejected', updated_at = now()
    FROM conversions v
    WHERE a.conversion_id = v.id AND v.id = ANY(${ids}::uuid[]) AND v.status = 'rejected'
      AND a.kind = 'conversion' AND a.state = 'pending'`);
  await db.execute(sql`
    INSERT INTO ad_conversion_deliveries (destination_id, conversion_id, kind)
    SELECT a.destination_id, a.conversion_id, 'retraction'
    FROM ad_conversion_deliveries a
    JOIN conversions v ON v.id = a.conversion_id
    WHERE v.id = ANY(${ids}::uuid[]) AND v.status = 'rejected' AND a.kind = 'conversion' AND a.state = 'sent'
    ON CONFLICT (destination_id, conversion_id, kind) DO NOTHING`);
}
