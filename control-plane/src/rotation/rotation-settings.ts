import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../db/database.ts';
import type { Offer } from '../db/schema/offers.ts';
import { offers } from '../db/schema/offers.ts';
import { type OfferRotationSettings, offerRotationSettings } from '../db/schema/rotation.ts';
import type { EdgePublisher } from '../edge-sync/edge-publisher.ts';
import { publishOffer } from '../edge-sync/publish-offer.ts';
import { ApiError } from '../http/api-error.ts';

export type RotationMode = OfferRotationSettings['mode'];

/** An offer without a settings row rotates by the advertiser's weights, with these for the bandit. */
export const DEFAULT_ROTATION = {
  mode: 'manual' as RotationMode,
  explorationBps: 1000,
  decayWindowDays: 14,
  minClicks: 500,
  intervalMinutes: 60,
};

const modeSchema = z
  .enum(['manual', 'bandit'])
  .describe("manual: the advertiser's weights; bandit: weights learned by Thompson sampling");

export const rotationSettingsRequestSchema = z
  .object({
    mode: modeSchema,
    explorationBps: z
      .number()
      .int()
      .min(0)
      .max(10_000)
      .default(DEFAULT_ROTATION.explorationBps)
      .describe(
        'Share of traffic kept for exploration, in basis points (1000 = 10%): each arm of a group gets at least this divided by the arms',
      ),
    decayWindowDays: z
      .number()
      .int()
      .min(1)
      .max(90)
      .default(DEFAULT_ROTATION.decayWindowDays)
      .describe('Clicks of the last this many days, and their conversions, are the evidence'),
    minClicks: z
      .number()
      .int()
      .min(0)
      .max(10_000_000)
      .default(DEFAULT_ROTATION.minClicks)
      .describe("A group's weights move only once its arms have this many clean clicks in the window"),
    intervalMinutes: z
      .number()
      .int()
      .min(5)
      .max(10_080)
      .default(DEFAULT_ROTATION.intervalMinutes)
      .describe('How often the bandit recomputes the weights (5 minutes to a week)'),
  })
  .describe('How the offer rotates its landing pages and creatives; fields left out take their defaults')
  .meta({ id: 'RotationSettingsRequest' });
export type RotationSettingsRequest = z.output<typeof rotationSettingsRequestSchema>;

export const rotationSettingsResponseSchema = z
  .object({
    offerId: z.number().int(),
    mode: modeSchema,
    explorationBps: z.number().int(),
    decayWindowDays: z.number().int(),
    minClicks: z.number().int(),
    intervalMinutes: z.number().int(),
    computedAt: z.iso.datetime().nullable().describe('When the bandit last recomputed the weights'),
    updatedAt: z.iso.datetime().nullable().describe('null: never set, the defaults apply'),
  })
  .meta({ id: 'RotationSettings' });
export type RotationSettingsResponse = z.infer<typeof rotationSettingsResponseSchema>;

export type RotationSettings = typeof DEFAULT_ROTATION & { computedAt: Date | null; updatedAt: Date | null };

export async function rotationSettingsOf(db: Database, offerId: number): Promise<RotationSettings> {
  const [row] = await db
    .select()
    .from(offerRotationSettings)
    .where(eq(offerRotationSettings.offerId, offerId));
  if (!row) return { ...DEFAULT_ROTATION, computedAt: null, updatedAt: null };
  const { mode, explorationBps, decayWindowDays, minClicks, intervalMinutes, computedAt, updatedAt } = row;
  return { mode, explorationBps, decayWindowDays, minClicks, intervalMinutes, computedAt, updatedAt };
}

export function rotationSettingsResponse(
  offerId: number,
  settings: RotationSettings,
): RotationSettingsResponse {
  return {
    offerId,
    mode: settings.mode,
    explorationBps: settings.explorationBps,
    decayWindowDays: settings.decayWindowDays,
    minClicks: settings.minClicks,
    intervalMinutes: settings.intervalMinutes,
    computedAt: settings.computedAt?.toISOString() ?? null,
    updatedAt: settings.updatedAt?.toISOString() ?? null,
  };
}

/**
 * Stores the offer's rotation settings and republishes it in the same transaction: switching
 * mode changes the weights the edge is given. When the evidence the bandit looks at changes
 * (mode, window, threshold, exploration), the next sweep recomputes the offer at once.
 */
export async function setRotationSettings(
  { db, edge }: { db: Database; edge: EdgePublisher },
  offer: Offer,
  input: RotationSettingsRequest,
): Promise<RotationSettings> {
  return db.transaction(async (tx) => {
    // The offer's row is the lock for everything published from it (edge-sync/publish-offer.ts).
    const [locked] = await tx.select().from(offers).where(eq(offers.id, offer.id)).for('update');
    if (!locked) throw new ApiError('not_found', `Offer ${offer.id} does not exist.`);
    const before = await rotationSettingsOf(tx, offer.id);
    const rethink =
      before.mode !== input.mode ||
      before.explorationBps !== input.explorationBps ||
      before.decayWindowDays !== input.decayWindowDays ||
      before.minClicks !== input.minClicks;
    const values = { ...input, ...(rethink ? { computedAt: null } : {}) };
    await tx
      .insert(offerRotationSettings)
      .values({ offerId: offer.id, ...values })
      .onConflictDoUpdate({
        target: offerRotationSettings.offerId,
        set: { ...values, updatedAt: sql`now()` },
      });
    await publishOffer(tx, edge, locked);
    return rotationSettingsOf(tx, offer.id);
  });
}
