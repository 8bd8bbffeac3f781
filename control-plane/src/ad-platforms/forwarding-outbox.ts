import { effectivePrivacy, type TrackingPrivacy, trackingPrivacySchema } from '@tas/shared/privacy';
import { and, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import { type PeriodicTask, startPeriodicTask } from '../background/periodic-task.ts';
import { queryRows } from '../db/database.ts';
import {
  type AdConversionDelivery,
  type AdConversionDestination,
  adConversionDeliveries,
  adConversionDestinations,
} from '../db/schema/ad-conversion-destinations.ts';
import { type AdPlatformConnection, adPlatformConnections } from '../db/schema/ad-platform-connections.ts';
import { clicks } from '../db/schema/clicks.ts';
import { conversions } from '../db/schema/conversions.ts';
import { networkSettings } from '../db/schema/network-settings.ts';
import { offers } from '../db/schema/offers.ts';
import { retryDelayMs } from '../postbacks/postback-outbox.ts';
import { AdPlatformError, type EventOutcome, type ForwardedEvent } from './ad-platform.ts';
import type { AdPlatformDeps } from './ad-platform-deps.ts';
import { usableConnection } from './connection-store.ts';
import { noticeDestinationPaused } from './destination-notice.ts';
import { decideForwarding, type SkipReason } from './forwarded-event.ts';
import { senderFor } from './platform-registry.ts';

/** How the ad-platform outbox retries; every field has a production default (decision 030). */
export type ForwardingPolicy = {
  baseDelayMs: number;
  maxDelayMs: number;
  /** Attempts before a delivery is given up as failed (a replay can still send it). */
  maxAttempts: number;
  /** Requests refused for authentication in a row after which the destination pauses itself. */
  pauseAfterAuthFailures: number;
  /** Deliveries claimed per round (then grouped per destination into the platform's batches). */
  batchSize: number;
  /** How long claimed deliveries are hidden from other workers while they are sent. */
  leaseMs: number;
  /** Wait before looking again for a conversion's click that has not arrived. */
  clickWaitRetryMs: number;
};

export const DEFAULT_FORWARDING_POLICY: ForwardingPolicy = {
  baseDelayMs: 60_000,
  maxDelayMs: 6 * 3_600_000,
  maxAttempts: 10,
  pauseAfterAuthFailures: 3,
  batchSize: 2_000,
  leaseMs: 300_000,
  clickWaitRetryMs: 5 * 60_000,
};

export type ForwardingDeps = AdPlatformDeps & { policy?: Partial<ForwardingPolicy> | undefined };

/** Claims due deliveries of active destinations and moves them past a lease, in one short transaction. */
async function claimDue(deps: ForwardingDeps, now: Date, policy: ForwardingPolicy): Promise<string[]> {
  const leaseUntil = new Date(now.getTime() + policy.leaseMs);
  const rows = await queryRows<{ id: string }>(
    deps.db,
    sql`
    UPDATE ad_conversion_deliveries SET next_attempt_at = ${leaseUntil.toISOString()}::timestamptz
    WHERE id IN (
      SELECT a.id FROM ad_conversion_deliveries a
      JOIN ad_conversion_destinations d ON d.id = a.destination_id AND d.status = 'active'
      WHERE a.state = 'pending' AND a.next_attempt_at <= ${now.toISOString()}::timestamptz
      ORDER BY a.next_attempt_at
      LIMIT ${policy.batchSize}
      FOR UPDATE OF a SKIP LOCKED
    )
    RETURNING id`,
  );
  return rows.map((r) => r.id);
}

type Loaded = {
  delivery: AdConversionDelivery;
  destination: AdConversionDestination;
  connection: AdPlatformConnection;
  conversion: typeof conversions.$inferSelect;
  click: typeof clicks.$inferSelect | null;
  landingUrl: string | null;
  privacy: TrackingPrivacy;
};

async function load(deps: ForwardingDeps, ids: string[]): Promise<Loaded[]> {
  if (ids.length === 0) return [];
  const rows = await deps.db
    .select({
      delivery: adConversionDeliveries,
      destination: adConversionDestinations,
      connection: adPlatformConnections,
      conversion: conversions,
      click: clicks,
      destinationUrl: offers.destinationUrl,
      offerPrivacy: offers.privacy,
    })
    .from(adConversionDeliveries)
    .innerJoin(
      adConversionDestinations,
      eq(adConversionDestinations.id, adConversionDeliveries.destinationId),
    )
    .innerJoin(adPlatformConnections, eq(adPlatformConnections.id, adConversionDestinations.connectionId))
    .innerJoin(conversions, eq(conversions.id, adConversionDeliveries.conversionId))
    // The click id's time (whole seconds) bounds the click's: one day's partition is read.
    .leftJoin(
      clicks,
      and(
        eq(clicks.id, conversions.clickId),
        gte(clicks.occurredAt, conversions.clickedAt),
        lt(clicks.occurredAt, sql`${conversions.clickedAt} + interval '1 second'`),
      ),
    )
    .leftJoin(offers, eq(offers.id, conversions.offerId))
    .where(inArray(adConversionDeliveries.id, ids));
  const [network] = await deps.db.select({ privacy: networkSettings.privacy }).from(networkSettings).limit(1);
  const networkPrivacy = trackingPrivacySchema.parse(network?.privacy ?? {});
  return rows.map(({ destinationUrl, offerPrivacy, ...row }) => ({
    ...row,
    landingUrl: landingPageOf(destinationUrl),
    privacy: effectivePrivacy(networkPrivacy, offerPrivacy),
  }));
}

/** The offer's landing page without its query (where the tracking macros are): Meta's event_source_url. */
function landingPageOf(destinationUrl: string | null): string | null {
  if (!destinationUrl) return null;
  try {
    const url = new URL(destinationUrl);
    return `${url.origin}${url.pathname}`;
  } catch {
    return null;
  }
}

/**
 * One round of the ad-platform outbox: claims due deliveries, decides each (skip with a reason, wait
 * for its click, or send), sends per destination in the platform's batch size, and records each
 * event's outcome with the platform's answer. Returns counts for the caller and tests.
 */
export async function processAdDeliveries(deps: ForwardingDeps, now = new Date()) {
  const policy = { ...DEFAULT_FORWARDING_POLICY, ...deps.policy };
  const loaded = await load(deps, await claimDue(deps, now, policy));
  const byDestination = new Map<string, Loaded[]>();
  for (const row of loaded)
    byDestination.set(row.destination.id, [...(byDestination.get(row.destination.id) ?? []), row]);
  const counts = { claimed: loaded.length, sent: 0, skipped: 0, rejected: 0, retried: 0 };
  for (const rows of byDestination.values()) {
    const result = await forwardForDestination(deps, policy, rows, now);
    counts.sent += result.sent;
    counts.skipped += result.skipped;
    counts.rejected += result.rejected;
    counts.retried += result.retried;
  }
  return counts;
}

async function forwardForDestination(
  deps: ForwardingDeps,
  policy: ForwardingPolicy,
  rows: Loaded[],
  now: Date,
) {
  const first = rows[0];
  const counts = { sent: 0, skipped: 0, rejected: 0, retried: 0 };
  if (!first) return counts;
  const { destination, connection: connectionRow } = first;
  const sender = senderFor(destination.platform, destination.settings);
  const events: ForwardedEvent[] = [];
  for (const row of rows) {
    const decision = decideForwarding({ ...row, sender, now });
    if ('skip' in decision) {
      await skip(deps, row.delivery.id, decision.skip, now);
      counts.skipped++;
    } else if ('wait' in decision) {
      await reschedule(deps, row.delivery.id, new Date(now.getTime() + policy.clickWaitRetryMs));
    } else {
      events.push(decision.send);
    }
  }
  if (events.length === 0) return counts;

  let connection: Awaited<ReturnType<typeof usableConnection>>;
  try {
    connection = await usableConnection(deps, connectionRow, now);
  } catch (error) {
    const outcome: EventOutcome['result'] =
      error instanceof AdPlatformError && error.kind === 'auth' ? 'auth_failed' : 'retry';
    const response = error instanceof AdPlatformError ? error.message : 'The connection could not be used.';
    const outcomes = events.map((e) => ({
      deliveryId: e.deliveryId,
      result: outcome,
      httpStatus: null,
      response,
    }));
    tally(counts, await record(deps, policy, destination, rows, outcomes, now));
    return counts;
  }

  const context = {
    connection,
    settings: destination.settings,
    testEventCode: destination.testEventCode,
    endpoints: deps.endpoints,
    apps: deps.apps,
    fetch: deps.fetch,
    timeoutMs: deps.timeoutMs,
  };
  for (let i = 0; i < events.length; i += sender.maxBatchSize) {
    const batch = events.slice(i, i + sender.maxBatchSize);
    let outcomes: EventOutcome[];
    try {
      outcomes = await sender.send(batch, context);
    } catch (error) {
      // A sender answers platform errors as outcomes; a throw is TAS's own fault or the network's.
      const response = error instanceof Error ? error.message : String(error);
      outcomes = batch.map((e) => ({
        deliveryId: e.deliveryId,
        result: 'retry',
        httpStatus: null,
        response,
      }));
    }
    const answered = new Set(outcomes.map((o) => o.deliveryId));
    for (const e of batch) {
      if (!answered.has(e.deliveryId))
        outcomes.push({
          deliveryId: e.deliveryId,
          result: 'retry',
          httpStatus: null,
          response: 'No answer for this event.',
        });
    }
    tally(counts, await record(deps, policy, destination, rows, outcomes, now));
  }
  return counts;
}

function tally<C extends { sent: number; rejected: number; retried: number }>(
  counts: C,
  outcomes: EventOutcome[],
): C {
  for (const o of outcomes) {
    if (o.result === 'sent') counts.sent++;
    else if (o.result === 'rejected') counts.rejected++;
    else counts.retried++;
  }
  return counts;
}

async function skip(deps: ForwardingDeps, id: string, reason: SkipReason, now: Date) {
  await deps.db
    .update(adConversionDeliveries)
    .set({ state: 'skipped', skipReason: reason, updatedAt: now })
    .where(eq(adConversionDeliveries.id, id));
}

async function reschedule(deps: ForwardingDeps, id: string, at: Date) {
  await deps.db
    .update(adConversionDeliveries)
    .set({ nextAttemptAt: at })
    .where(eq(adConversionDeliveries.id, id));
}

/**
 * Records each event's outcome. Sent: done. Rejected: parked until a replay. Retry and auth
 * failures: backoff, failed after maxAttempts. Authentication refused `pauseAfterAuthFailures`
 * requests in a row: the destination pauses itself (its deliveries wait, nothing is lost) and the
 * advertiser gets one notice; any accepted event resets the count.
 */
async function record(
  deps: ForwardingDeps,
  policy: ForwardingPolicy,
  destination: AdConversionDestination,
  rows: Loaded[],
  outcomes: EventOutcome[],
  now: Date,
) {
  const attemptsOf = new Map(rows.map((r) => [r.delivery.id, r.delivery.attempts]));
  // One statement for the whole batch: a row per event would cost a round trip each.
  const updates = outcomes.map((o) => {
    const attempts = (attemptsOf.get(o.deliveryId) ?? 0) + 1;
    const retrying = o.result === 'retry' || o.result === 'auth_failed';
    const delay = Math.max(retryDelayMs(attempts, policy), o.retryAfterMs ?? 0);
    return {
      id: o.deliveryId,
      attempts,
      state:
        o.result === 'sent'
          ? 'sent'
          : o.result === 'rejected'
            ? 'rejected'
            : attempts >= policy.maxAttempts
              ? 'failed'
              : 'pending',
      httpStatus: o.httpStatus,
      response: o.response,
      nextAttemptAt: retrying ? new Date(now.getTime() + delay).toISOString() : null,
    };
  });
  if (updates.length > 0) {
    const col = <T>(pick: (u: (typeof updates)[number]) => T) => sql.param(updates.map(pick));
    await deps.db.execute(sql`
      UPDATE ad_conversion_deliveries a
      SET state = u.state::ad_delivery_state, attempts = u.attempts, last_http_status = u.http_status,
          last_response = u.response, next_attempt_at = coalesce(u.next_attempt_at, a.next_attempt_at),
          sent_at = CASE WHEN u.state = 'sent' THEN ${now.toISOString()}::timestamptz ELSE a.sent_at END,
          updated_at = ${now.toISOString()}::timestamptz
      FROM unnest(${col((u) => u.id)}::uuid[], ${col((u) => u.state)}::text[], ${col((u) => u.attempts)}::int[],
                  ${col((u) => u.httpStatus)}::int[], ${col((u) => u.response)}::text[],
                  ${col((u) => u.nextAttemptAt)}::timestamptz[])
        AS u(id, state, attempts, http_status, response, next_attempt_at)
      WHERE a.id = u.id`);
  }
  if (outcomes.some((o) => o.result === 'sent')) {
    await deps.db
      .update(adConversionDestinations)
      .set({ authFailures: 0 })
      .where(eq(adConversionDestinations.id, destination.id));
  } else if (outcomes.some((o) => o.result === 'auth_failed')) {
    await countAuthFailure(
      deps,
      policy,
      destination,
      outcomes.find((o) => o.result === 'auth_failed')?.response ?? '',
      now,
    );
  }
  return outcomes;
}

async function countAuthFailure(
  deps: ForwardingDeps,
  policy: ForwardingPolicy,
  destination: AdConversionDestination,
  response: string,
  now: Date,
) {
  const [row] = await deps.db
    .update(adConversionDestinations)
    .set({ authFailures: sql`${adConversionDestinations.authFailures} + 1` })
    .where(eq(adConversionDestinations.id, destination.id))
    .returning({ authFailures: adConversionDestinations.authFailures });
  if (!row || row.authFailures < policy.pauseAfterAuthFailures) return;
  // Only the request that moves it from active to paused sends the notice: one per pause.
  const paused = await deps.db
    .update(adConversionDestinations)
    .set({
      status: 'paused',
      pausedAt: now,
      pausedReason: `The platform refused the credentials ${row.authFailures} times in a row. Connect the account again, then resume.`,
    })
    .where(
      and(eq(adConversionDestinations.id, destination.id), eq(adConversionDestinations.status, 'active')),
    )
    .returning({ id: adConversionDestinations.id });
  if (paused.length === 0) return;
  await deps.db
    .update(adPlatformConnections)
    .set({ status: 'needs_reauth', lastError: response.slice(0, 500), lastErrorAt: now })
    .where(eq(adPlatformConnections.id, destination.connectionId));
  if (deps.mailer)
    await noticeDestinationPaused({ db: deps.db, mailer: deps.mailer, appUrl: deps.appUrl }, destination);
}

/** Runs the outbox every `intervalMs`; rounds follow each other while there is work. */
export function startAdForwarding(deps: ForwardingDeps, intervalMs: number): PeriodicTask {
  return startPeriodicTask('ad-platform forwarding', intervalMs, async () => {
    for (let round = 0; round < 20; round++) {
      const { claimed } = await processAdDeliveries(deps);
      if (claimed === 0) break;
    }
  });
}
