import type { MacroValues } from '@tas/shared/macros';
import { formatDecimalAmount } from '@tas/shared/money';
import { and, eq, ne, sql } from 'drizzle-orm';
import { type PeriodicTask, startPeriodicTask } from '../background/periodic-task.ts';
import { type Database, queryRows } from '../db/database.ts';
import { affiliates } from '../db/schema/affiliates.ts';
import { type Conversion, conversions } from '../db/schema/conversions.ts';
import {
  type PostbackConfig,
  type PostbackDelivery,
  postbackAttempts,
  postbackConfigs,
  postbackDeliveries,
} from '../db/schema/postback-configs.ts';
import { ApiError } from '../http/api-error.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { OutboundPolicy } from './outbound-guard.ts';
import { renderPostback } from './render-postback.ts';
import { sendPostback } from './send-postback.ts';
import { cancelReasonFor, cancelStaleDeliveries } from './stale-deliveries.ts';

/**
 * Sent with every attempt of a delivery (retries and replays alike). Delivery is at least once, so
 * a receiver may see the same delivery twice and can dedupe on this (decision 014).
 */
export const DELIVERY_ID_HEADER = 'x-tas-delivery-id';

/** How deliveries are retried; every field has a production default (decision 014). */
export type DeliveryPolicy = {
  /** Per-request timeout. */
  timeoutMs: number;
  /** Wait after the first failure; doubled after each further one, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Attempts per delivery before it is given up as failed (a replay can still send it). */
  maxAttempts: number;
  /** Failed attempts in a row, across the config's deliveries, after which the config is disabled. */
  disableAfterFailures: number;
  /** Deliveries claimed per round. */
  batchSize: number;
  /** How long a claimed delivery is hidden from other workers while it is being sent (> timeoutMs). */
  leaseMs: number;
};

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  timeoutMs: 10_000,
  baseDelayMs: 30_000,
  maxDelayMs: 6 * 3_600_000,
  maxAttempts: 12,
  disableAfterFailures: 25,
  batchSize: 20,
  leaseMs: 120_000,
};

export type OutboxDeps = {
  db: Database;
  outboundPolicy: OutboundPolicy;
  mailer?: Mailer | undefined;
  policy?: Partial<DeliveryPolicy>;
};

/**
 * Settles the outbox of conversions whose status just changed: cancels their unsent postbacks that
 * the new status no longer fires (an approved postback of a conversion now rejected), then queues
 * those it fires: approved every active matching config, pending only those set to fire on pending.
 * One cancelled earlier is owed again when the conversion gets that status back. Call inside the
 * transaction that changes the status. (The ingest statement queues new conversions' in SQL.)
 */
export async function queuePostbacks(db: Database, conversionIds: string[], now = new Date()) {
  if (conversionIds.length === 0) return;
  await cancelStaleDeliveries(db, { conversionIds }, now);
  await db.execute(sql`
    INSERT INTO postback_deliveries (conversion_id, postback_config_id, affiliate_id, trigger)
    SELECT v.id, pc.id, pc.affiliate_id, v.status::text::postback_trigger
    FROM conversions v
    JOIN postback_configs pc
      ON pc.affiliate_id = v.affiliate_id AND (pc.offer_id IS NULL OR pc.offer_id = v.offer_id) AND pc.is_active
     AND (v.status = 'approved' OR (v.status = 'pending' AND pc.fire_on = 'pending'))
    WHERE v.id = ANY(${sql.param(conversionIds)}::uuid[])
    ON CONFLICT (conversion_id, postback_config_id, trigger) DO UPDATE
      SET state = 'pending', attempts = 0, next_attempt_at = now(), last_error = NULL, cancel_reason = NULL
      WHERE postback_deliveries.state = 'cancelled'`);
}

/** Exponential backoff: base, 2x base, 4x base... capped. `failures` counts failed attempts so far. */
export function retryDelayMs(failures: number, policy: Pick<DeliveryPolicy, 'baseDelayMs' | 'maxDelayMs'>) {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failures - 1));
}

/** The macro values of one conversion's postback (tracking contract, section 5). */
export function conversionMacros(conversion: Conversion, trigger: string): MacroValues {
  return {
    click_id: conversion.clickId,
    offer_id: conversion.offerId,
    aff_id: conversion.affiliateId,
    sub1: conversion.sub1,
    sub2: conversion.sub2,
    sub3: conversion.sub3,
    sub4: conversion.sub4,
    sub5: conversion.sub5,
    source_id: conversion.sourceId,
    event: conversion.event,
    payout: formatDecimalAmount(conversion.payoutMinor, conversion.payoutCurrency),
    currency: conversion.payoutCurrency,
    txid: conversion.txid,
    conversion_id: conversion.id,
    status: trigger,
    country: conversion.country,
    ip: conversion.ip,
    timestamp: Math.floor(conversion.occurredAt.getTime() / 1000),
  };
}

/**
 * Claims due deliveries and moves their next attempt past a lease, in one short transaction, so
 * that another worker (another control-plane instance) skips them while they are being sent.
 */
async function claimDue(db: Database, now: Date, policy: DeliveryPolicy): Promise<string[]> {
  const leaseUntil = new Date(now.getTime() + policy.leaseMs);
  const rows = await queryRows<{ id: string }>(
    db,
    sql`
    UPDATE postback_deliveries SET next_attempt_at = ${leaseUntil.toISOString()}::timestamptz
    WHERE id IN (
      SELECT id FROM postback_deliveries
      WHERE state = 'pending' AND next_attempt_at <= ${now.toISOString()}::timestamptz
      ORDER BY next_attempt_at
      LIMIT ${policy.batchSize}
      FOR UPDATE SKIP LOCKED
    )
    RETURNING id`,
  );
  return rows.map((r) => r.id);
}

/**
 * One round of the worker: sends every due delivery once, logs each attempt, schedules retries with
 * backoff, and disables a config after too many failures in a row. Returns how many were sent.
 */
export async function processDueDeliveries(deps: OutboxDeps, now = new Date()) {
  const policy = { ...DEFAULT_DELIVERY_POLICY, ...deps.policy };
  const ids = await claimDue(deps.db, now, policy);
  // Sent side by side: one slow endpoint (up to timeoutMs) must not hold the others past their lease.
  const outcomes = await Promise.all(ids.map((id) => workDelivery(deps, policy, id, now)));
  return { claimed: ids.length, delivered: outcomes.filter((o) => o === 'delivered').length };
}

type LoadedDelivery = { delivery: PostbackDelivery; config: PostbackConfig; conversion: Conversion };

async function loadDelivery(db: Database, id: string): Promise<LoadedDelivery | undefined> {
  const [row] = await db
    .select({ delivery: postbackDeliveries, config: postbackConfigs, conversion: conversions })
    .from(postbackDeliveries)
    .innerJoin(postbackConfigs, eq(postbackConfigs.id, postbackDeliveries.postbackConfigId))
    .innerJoin(conversions, eq(conversions.id, postbackDeliveries.conversionId))
    .where(eq(postbackDeliveries.id, id));
  return row;
}

/**
 * The worker's turn at one claimed delivery. Not sent: one settled since it was claimed, one whose
 * conversion no longer has the status that fired it (cancelled, with the reason), and one of a
 * config that is no longer active (parked as disabled; a replay sends it by hand).
 */
async function workDelivery(deps: OutboxDeps, policy: DeliveryPolicy, id: string, now: Date) {
  const row = await loadDelivery(deps.db, id);
  if (row?.delivery.state !== 'pending') return 'skipped';
  if (cancelReasonFor(row.delivery.trigger, row.conversion.status)) {
    await cancelStaleDeliveries(deps.db, { deliveryIds: [id] }, now);
    return 'cancelled';
  }
  if (!row.config.isActive) {
    await deps.db
      .update(postbackDeliveries)
      .set({ state: 'disabled', lastError: 'The postback configuration is disabled.' })
      .where(eq(postbackDeliveries.id, id));
    return 'parked';
  }
  return (await attemptDelivery(deps, policy, row, now, 'delivery')) ? 'delivered' : 'failed';
}

/** Sends one delivery, as the conversion is now, and records the outcome. */
async function attemptDelivery(
  deps: OutboxDeps,
  policy: DeliveryPolicy,
  { delivery, config, conversion }: LoadedDelivery,
  now: Date,
  kind: 'delivery' | 'replay',
) {
  const id = delivery.id;
  // Payout and the other macros are read from the conversion now, not when the delivery was queued.
  const rendered = renderPostback(config, conversionMacros(conversion, delivery.trigger));
  // The same id on every attempt and replay of this delivery: receivers can dedupe on it.
  const request = { ...rendered, headers: { ...rendered.headers, [DELIVERY_ID_HEADER]: id } };
  const result = await sendPostback(request, deps.outboundPolicy, { timeoutMs: policy.timeoutMs });
  await deps.db
    .insert(postbackAttempts)
    .values({ postbackConfigId: config.id, deliveryId: id, kind, ...result, attemptedAt: now });
  const attempts = delivery.attempts + 1;
  if (result.ok) {
    await deps.db
      .update(postbackDeliveries)
      .set({ state: 'delivered', attempts, deliveredAt: now, lastError: null, cancelReason: null })
      .where(eq(postbackDeliveries.id, id));
    await deps.db
      .update(postbackConfigs)
      .set({ consecutiveFailures: 0 })
      .where(eq(postbackConfigs.id, config.id));
    return true;
  }
  const error = result.error ?? `HTTP ${result.statusCode}`;
  // A failed replay leaves the delivery where it was; the affiliate saw the answer already.
  if (kind === 'delivery') {
    const givenUp = attempts >= policy.maxAttempts;
    await deps.db
      .update(postbackDeliveries)
      .set({
        attempts,
        lastError: error,
        state: givenUp ? 'failed' : 'pending',
        nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts, policy)),
      })
      // One cancelled while this request was out stays cancelled.
      .where(and(eq(postbackDeliveries.id, id), ne(postbackDeliveries.state, 'cancelled')));
    await countFailure(deps, policy, config, now, error);
  } else {
    await deps.db.update(postbackDeliveries).set({ lastError: error }).where(eq(postbackDeliveries.id, id));
  }
  return false;
}

/** Counts a failed attempt against the config; at the limit, disables it once and tells the affiliate. */
async function countFailure(
  deps: OutboxDeps,
  policy: DeliveryPolicy,
  config: PostbackConfig,
  now: Date,
  error: string,
) {
  const reason =
    `Disabled after ${policy.disableAfterFailures} failed attempts in a row; last: ${error}`.slice(0, 1000);
  const [counted] = await deps.db
    .update(postbackConfigs)
    .set({ consecutiveFailures: sql`${postbackConfigs.consecutiveFailures} + 1` })
    .where(eq(postbackConfigs.id, config.id))
    .returning({ failures: postbackConfigs.consecutiveFailures });
  if (!counted || counted.failures < policy.disableAfterFailures) return;
  // Only the round that turns it off (is_active still true) sends the notice.
  const [disabled] = await deps.db
    .update(postbackConfigs)
    .set({ isActive: false, disabledAt: now, disabledReason: reason })
    .where(and(eq(postbackConfigs.id, config.id), eq(postbackConfigs.isActive, true)))
    .returning({ id: postbackConfigs.id });
  if (!disabled?.id) return;
  // The rest of its queue waits as disabled; re-enabling the config does not resend it, a replay does.
  await deps.db
    .update(postbackDeliveries)
    .set({ state: 'disabled', lastError: reason })
    .where(and(eq(postbackDeliveries.postbackConfigId, config.id), eq(postbackDeliveries.state, 'pending')));
  await notifyDisabled(deps, config, reason);
}

async function notifyDisabled(deps: OutboxDeps, config: PostbackConfig, reason: string) {
  if (!deps.mailer) return;
  const [affiliate] = await deps.db
    .select({ email: affiliates.contactEmail })
    .from(affiliates)
    .where(eq(affiliates.id, config.affiliateId));
  if (!affiliate?.email) return;
  try {
    await deps.mailer.send({
      to: affiliate.email,
      subject: `Your postback #${config.id} was disabled`,
      text:
        `Your postback to ${new URL(config.url).host} kept failing and has been disabled.\n\n${reason}\n\n` +
        'Fix the endpoint, turn the postback on again, and replay the deliveries you need.',
    });
  } catch (error) {
    // The config's disabledAt/disabledReason, visible in the API, remain the notice of record.
    console.error(JSON.stringify({ msg: 'postback disabled notice not sent', error: String(error) }));
  }
}

/**
 * Sends a delivery again now, whatever its state, and logs it as a replay. One whose conversion no
 * longer has the status that fired it is not sent: answered conversion_status_changed (and, if it
 * was still unsent, cancelled).
 */
export async function replayDelivery(deps: OutboxDeps, delivery: PostbackDelivery, now = new Date()) {
  const policy = { ...DEFAULT_DELIVERY_POLICY, ...deps.policy };
  const row = await loadDelivery(deps.db, delivery.id);
  if (!row) throw new ApiError('not_found', `Postback delivery ${delivery.id} does not exist.`);
  const { trigger } = row.delivery;
  const { status } = row.conversion;
  if (cancelReasonFor(trigger, status)) {
    await cancelStaleDeliveries(deps.db, { deliveryIds: [delivery.id] }, now);
    throw new ApiError(
      'conversion_status_changed',
      `Delivery ${delivery.id} was owed when the conversion was ${trigger}; the conversion is ${status} ` +
        `now, so it is not sent (conversion_${status}).`,
    );
  }
  await attemptDelivery(deps, policy, row, now, 'replay');
  const [attempt] = await deps.db
    .select()
    .from(postbackAttempts)
    .where(and(eq(postbackAttempts.deliveryId, delivery.id), eq(postbackAttempts.kind, 'replay')))
    .orderBy(sql`${postbackAttempts.id} DESC`)
    .limit(1);
  if (!attempt) throw new Error('replay logged no attempt');
  return attempt;
}

/** Runs processDueDeliveries every intervalMs until stopped (its requests time out on their own). */
export function startPostbackWorker(deps: OutboxDeps, options: { intervalMs?: number } = {}): PeriodicTask {
  return startPeriodicTask('postback worker', options.intervalMs ?? 2_000, () => processDueDeliveries(deps));
}
