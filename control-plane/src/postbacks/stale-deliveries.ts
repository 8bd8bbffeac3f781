import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/database.ts';
import type { Conversion } from '../db/schema/conversions.ts';
import type { DeliveryCancelReason, PostbackDelivery } from '../db/schema/postback-configs.ts';

/*
 * A delivery is owed for the status that fired it (its trigger: approved, or pending by setting).
 * Sent later (a retry, a replay), it must still describe the conversion as it is: `{status}` is the
 * trigger, and an "approved" postback of a conversion since rejected would have the affiliate count
 * money it will not be paid. So a delivery is sent only while its conversion has that status;
 * otherwise it is cancelled, with the reason, and not sent (decision 014).
 */

/** Why a delivery fired by `trigger` is no longer owed for a conversion now `status`; null while it is. */
export function cancelReasonFor(
  trigger: PostbackDelivery['trigger'],
  status: Conversion['status'],
): DeliveryCancelReason | null {
  return trigger === status ? null : `conversion_${status}`;
}

/**
 * Cancels the unsent deliveries (pending, failed or disabled) of the given conversions, or with the
 * given ids, whose conversion no longer has the status that fired them, and logs one attempt of kind
 * `cancelled` for each (with the config's URL template: nothing was requested). Delivered ones stay
 * delivered: they were true when sent. Returns how many were cancelled.
 */
export async function cancelStaleDeliveries(
  db: Database,
  which: { conversionIds: string[] } | { deliveryIds: string[] },
  now: Date,
): Promise<number> {
  const selected =
    'conversionIds' in which
      ? sql`d.conversion_id = ANY(${sql.param(which.conversionIds)}::uuid[])`
      : sql`d.id = ANY(${sql.param(which.deliveryIds)}::uuid[])`;
  const rows = await queryRows<{ id: string }>(
    db,
    sql`
    WITH cancelled AS (
      UPDATE postback_deliveries d
      SET state = 'cancelled', cancel_reason = 'conversion_' || v.status::text,
          last_error = 'Not sent: the postback was owed when the conversion was ' || d.trigger::text ||
                       ', and the conversion is ' || v.status::text || ' now (conversion_' || v.status::text || ').'
      FROM conversions v
      WHERE v.id = d.conversion_id AND ${selected}
        AND d.state IN ('pending', 'failed', 'disabled') AND d.trigger::text <> v.status::text
      RETURNING d.id, d.postback_config_id, d.last_error
    )
    INSERT INTO postback_attempts (postback_config_id, delivery_id, kind, url, method, latency_ms, error, ok, attempted_at)
    SELECT c.postback_config_id, c.id, 'cancelled', pc.url, pc.method, 0, c.last_error, false,
           ${now.toISOString()}::timestamptz
    FROM cancelled c JOIN postback_configs pc ON pc.id = c.postback_config_id
    RETURNING delivery_id AS id`,
  );
  return rows.length;
}
