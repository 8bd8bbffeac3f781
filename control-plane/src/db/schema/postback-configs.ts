import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { affiliates } from './affiliates.ts';
import { entityId, timestamps } from './columns.ts';
import { offers } from './offers.ts';

export const httpMethod = pgEnum('http_method', ['GET', 'POST']);
export const postbackTrigger = pgEnum('postback_trigger', ['approved', 'pending']);

/** An affiliate's outgoing postback, global (offer null) or for one offer. */
export const postbackConfigs = pgTable('postback_configs', {
  id: entityId(),
  affiliateId: integer()
    .notNull()
    .references(() => affiliates.id),
  offerId: integer().references(() => offers.id),
  url: text().notNull(),
  method: httpMethod().notNull().default('GET'),
  headers: jsonb().$type<Record<string, string>>().notNull().default({}),
  /** For POST: body parameters with macros. */
  parameters: jsonb().$type<Record<string, string>>().notNull().default({}),
  fireOn: postbackTrigger().notNull().default('approved'),
  isActive: boolean().notNull().default(true),
  /** Failed deliveries in a row (any success resets it); at the limit the config is disabled. */
  consecutiveFailures: integer().notNull().default(0),
  disabledAt: timestamp({ withTimezone: true }),
  disabledReason: text(),
  ...timestamps,
});
export type PostbackConfig = typeof postbackConfigs.$inferSelect;

/** Every request made to an affiliate's endpoint: deliveries, retries, replays and test-fires. */
export const postbackAttempts = pgTable(
  'postback_attempts',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    postbackConfigId: integer()
      .notNull()
      .references(() => postbackConfigs.id),
    deliveryId: uuid(),
    /** cancelled: the outbox did not send a delivery it had queued (the delivery's cancelReason says why). */
    kind: text().notNull().$type<'delivery' | 'test' | 'replay' | 'cancelled'>(),
    url: text().notNull(),
    method: httpMethod().notNull(),
    statusCode: integer(),
    latencyMs: integer().notNull(),
    bodyExcerpt: text(),
    error: text(),
    ok: boolean().notNull(),
    attemptedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.postbackConfigId, t.attemptedAt), index().on(t.deliveryId)],
);
export type PostbackAttempt = typeof postbackAttempts.$inferSelect;

export const postbackDeliveryState = pgEnum('postback_delivery_state', [
  'pending',
  'delivered',
  'failed',
  'disabled',
  'cancelled',
]);

/**
 * Why a delivery was cancelled: the conversion no longer has the status that fired it (it is now
 * rejected, back to pending, or approved after a pending postback), so sending it would tell the
 * affiliate something that is no longer true.
 */
export type DeliveryCancelReason = 'conversion_rejected' | 'conversion_pending' | 'conversion_approved';

/**
 * The outbox: one postback owed to an affiliate, written in the same statement or transaction that
 * gives a conversion the status it fires on, and worked off by the delivery worker. Unique per
 * (conversion, config, trigger) so a redelivered ingest batch or a repeated approval owes nothing twice.
 */
export const postbackDeliveries = pgTable(
  'postback_deliveries',
  {
    id: uuid().primaryKey().defaultRandom(),
    conversionId: uuid().notNull(),
    postbackConfigId: integer()
      .notNull()
      .references(() => postbackConfigs.id),
    /** Copied from the config so an affiliate's deliveries are listed without a join. */
    affiliateId: integer().notNull(),
    trigger: postbackTrigger().notNull(),
    state: postbackDeliveryState().notNull().default('pending'),
    attempts: integer().notNull().default(0),
    /** When the worker may try next; also a lease while a worker is sending it. */
    nextAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastError: text(),
    /** Set when state is cancelled. */
    cancelReason: text().$type<DeliveryCancelReason>(),
    deliveredAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex().on(t.conversionId, t.postbackConfigId, t.trigger),
    index().on(t.state, t.nextAttemptAt),
    index().on(t.affiliateId, t.createdAt),
  ],
);
export type PostbackDelivery = typeof postbackDeliveries.$inferSelect;
