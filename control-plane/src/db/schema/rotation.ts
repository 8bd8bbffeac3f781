import {
  bigint,
  doublePrecision,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { timestamps } from './columns.ts';
import { offers } from './offers.ts';

export const rotationMode = pgEnum('rotation_mode', ['manual', 'bandit']);
export const rotationArmKind = pgEnum('rotation_arm_kind', ['landing_page', 'creative']);

/**
 * How an offer's landing pages and creatives share traffic (docs/decisions/027-rotation-bandit.md).
 * No row: manual, the advertiser's weights. Literal defaults keep this file loadable by
 * drizzle-kit on its own; rotation/rotation-settings.ts holds the same values.
 */
export const offerRotationSettings = pgTable('offer_rotation_settings', {
  offerId: integer()
    .primaryKey()
    .references(() => offers.id),
  mode: rotationMode().notNull().default('manual'),
  /** Share of traffic kept for exploration, in basis points: each arm gets at least this / arms. */
  explorationBps: integer().notNull().default(1000),
  /** Clicks (and their conversions) of the last this many days are the evidence. */
  decayWindowDays: integer().notNull().default(14),
  /** A group's weights move only once its arms have this many clean clicks in the window together. */
  minClicks: integer().notNull().default(500),
  /** How often the bandit recomputes the offer. */
  intervalMinutes: integer().notNull().default(60),
  /** When the bandit last looked at the offer (whether or not it moved a weight). */
  computedAt: timestamp({ withTimezone: true }),
  ...timestamps,
});
export type OfferRotationSettings = typeof offerRotationSettings.$inferSelect;

/**
 * The bandit's weights, kept apart from the advertiser's (offer_landing_pages.weight stays what
 * the advertiser set): published instead of them while the offer is in bandit mode. `group` is
 * the rotation an arm competes in: '' for landing pages, the size (300x250) for creatives.
 */
export const rotationWeights = pgTable(
  'rotation_weights',
  {
    offerId: integer()
      .notNull()
      .references(() => offers.id),
    armKind: rotationArmKind().notNull(),
    armId: integer().notNull(),
    group: text().notNull(),
    weight: integer().notNull(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.offerId, t.armKind, t.armId] })],
);
export type RotationWeight = typeof rotationWeights.$inferSelect;

/**
 * Every change the bandit made to a learned weight, with the evidence it had: the arm's clean
 * clicks and converted clicks in the window, and its probability of being the best arm of its
 * group. Rows of one recomputation share `runId`.
 */
export const rotationWeightChanges = pgTable(
  'rotation_weight_changes',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    runId: uuid().notNull(),
    offerId: integer()
      .notNull()
      .references(() => offers.id),
    armKind: rotationArmKind().notNull(),
    armId: integer().notNull(),
    group: text().notNull(),
    /** The weight in force before (the advertiser's, or equal shares, when none was learned). */
    oldWeight: integer().notNull(),
    newWeight: integer().notNull(),
    /** Basis points of the group's traffic, before and after, to compare across groups. */
    oldShareBps: integer().notNull(),
    newShareBps: integer().notNull(),
    clicks: integer().notNull(),
    conversions: integer().notNull(),
    probabilityBest: doublePrecision().notNull(),
    windowStart: timestamp({ withTimezone: true }).notNull(),
    windowEnd: timestamp({ withTimezone: true }).notNull(),
    changedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.offerId, t.id)],
);
export type RotationWeightChange = typeof rotationWeightChanges.$inferSelect;
