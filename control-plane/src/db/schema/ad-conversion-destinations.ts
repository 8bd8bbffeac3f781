import {
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
import type { DestinationSettings } from '../../ad-platforms/ad-platform.ts';
import { adPlatform, adPlatformConnections } from './ad-platform-connections.ts';
import { advertisers } from './advertisers.ts';
import { timestamps } from './columns.ts';
import { offers } from './offers.ts';

export const adDestinationStatus = pgEnum('ad_destination_status', ['active', 'paused', 'archived']);

/**
 * Where an advertiser's conversions are forwarded: one platform's pixel or conversion action, for
 * one offer or (offer null) all of the advertiser's offers (decision 030).
 */
export const adConversionDestinations = pgTable(
  'ad_conversion_destinations',
  {
    id: uuid().primaryKey().defaultRandom(),
    advertiserId: integer()
      .notNull()
      .references(() => advertisers.id),
    offerId: integer().references(() => offers.id),
    connectionId: uuid()
      .notNull()
      .references(() => adPlatformConnections.id),
    platform: adPlatform().notNull(),
    name: text().notNull(),
    settings: jsonb().$type<DestinationSettings>().notNull(),
    /** approved (default): conversions go once approved; pending: as soon as they are counted. */
    sendOn: text().notNull().$type<'approved' | 'pending'>().default('approved'),
    /**
     * required: only clicks whose consent parameter said granted; unless_denied: all but those that
     * said denied (for traffic where consent is not asked, or is asked before the click).
     */
    consentPolicy: text().notNull().$type<'required' | 'unless_denied'>().default('unless_denied'),
    /** Meta / TikTok test_event_code, Google validateOnly: events go to the platform's test view. */
    testEventCode: text(),
    status: adDestinationStatus().notNull().default('active'),
    pausedReason: text(),
    pausedAt: timestamp({ withTimezone: true }),
    /** Requests refused for authentication in a row; at the limit the destination pauses itself. */
    authFailures: integer().notNull().default(0),
    ...timestamps,
  },
  (t) => [index().on(t.advertiserId), index().on(t.connectionId)],
);
export type AdConversionDestination = typeof adConversionDestinations.$inferSelect;

export const adDeliveryState = pgEnum('ad_delivery_state', [
  'pending',
  'sent',
  'rejected',
  'failed',
  'skipped',
]);

/**
 * One conversion owed to one destination: the outbox row (decision 030). `conversion` sends it;
 * `retraction` withdraws one sent earlier (where the platform accepts it). Unique per
 * (destination, conversion, kind): a redelivered batch or a repeated status change queues nothing new.
 */
export const adConversionDeliveries = pgTable(
  'ad_conversion_deliveries',
  {
    id: uuid().primaryKey().defaultRandom(),
    destinationId: uuid()
      .notNull()
      .references(() => adConversionDestinations.id),
    conversionId: uuid().notNull(),
    kind: text().notNull().$type<'conversion' | 'retraction'>(),
    /**
     * pending: to send (or waiting for its destination to resume); sent: the platform accepted it;
     * rejected: the platform refused this event (a replay sends it again); failed: retries ran out;
     * skipped: not sent, and `skipReason` says why (no consent, no click id, ...).
     */
    state: adDeliveryState().notNull().default('pending'),
    skipReason: text(),
    attempts: integer().notNull().default(0),
    nextAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastHttpStatus: integer(),
    /** The platform's last answer for this event, trimmed; never a credential. */
    lastResponse: text(),
    sentAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (t) => [
    uniqueIndex().on(t.destinationId, t.conversionId, t.kind),
    index().on(t.state, t.nextAttemptAt),
    index().on(t.conversionId),
    index().on(t.destinationId, t.createdAt),
  ],
);
export type AdConversionDelivery = typeof adConversionDeliveries.$inferSelect;
