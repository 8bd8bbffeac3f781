import { z } from 'zod';
import type { Principal } from '../auth/principal.ts';
import type { Database } from '../db/database.ts';
import type { Offer } from '../db/schema/offers.ts';
import { ApiError } from '../http/api-error.ts';
import { type ArmEvidence, armEvidence, NO_EVIDENCE } from './arm-evidence.ts';
import { sharesOf } from './learned-weights.ts';
import { probabilityBest } from './probability-best.ts';
import { recommend } from './recommendation.ts';
import { activeLandingPagesOf, learnedWeightsOf, rotatableCreativesOf } from './rotation-arms.ts';
import { type ArmGroup, rotationGroups } from './rotation-groups.ts';
import { rotationSettingsOf } from './rotation-settings.ts';
import { seededRandom } from './seeded-random.ts';
import { wilsonInterval } from './wilson-interval.ts';

const DAY_MS = 86_400_000;
const MAX_DAYS = 366;

export const abReportQuerySchema = z
  .object({
    from: z.iso
      .date()
      .optional()
      .describe("First UTC day, inclusive; default: the start of the offer's decay window"),
    to: z.iso.date().optional().describe('Last UTC day, inclusive; default: today'),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'to must not be before from', path: ['to'] });

const ratio = (what: string) => z.number().nullable().describe(what);

const armSchema = z.object({
  id: z.number().int().describe('Landing page or creative id'),
  name: z.string(),
  clicks: z.number().int().describe('Clean clicks sent to the offer (unique, not flagged invalid)'),
  conversions: z.number().int().describe('Of those clicks, how many converted (any event, not rejected)'),
  cr: ratio('Conversions per click'),
  crLow: ratio('Lower bound of the 95% Wilson interval of cr'),
  crHigh: ratio('Upper bound of the 95% Wilson interval of cr'),
  revenuePerClickMinor: z
    .number()
    .int()
    .nullable()
    .describe("What the advertiser pays per click, in integer minor units of the offer's currency"),
  epcMinor: z
    .number()
    .int()
    .nullable()
    .optional()
    .describe(
      "Admins only: affiliate earnings (payout) per click, integer minor units of the offer's currency",
    ),
  probabilityBest: ratio(
    'Probability of having the highest conversion rate of its group (Thompson sampling)',
  ),
  manualWeight: z.number().int().describe("The advertiser's weight (creatives: 1 each, equal shares)"),
  learnedWeight: z.number().int().nullable().describe('The bandit’s weight, when it has learned one'),
  weightInForce: z.number().int().describe('What the edge rotates by now'),
  shareInForce: z.number().describe('weightInForce as a share of the group, 0..1'),
  learnedShare: z.number().nullable().describe('learnedWeight as a share of the group, 0..1'),
});

const groupSchema = z.object({
  kind: z.enum(['landing_page', 'creative']),
  group: z.string().describe("'' for landing pages; the placement size (300x250) for creatives"),
  clicks: z.number().int(),
  arms: z.array(armSchema),
  recommendation: z.object({
    verdict: z.enum(['single_arm', 'not_enough_data', 'winner', 'no_clear_winner']),
    bestArmId: z.number().int().nullable(),
    message: z.string().describe('Plain-language advice'),
  }),
});

export const abReportResponseSchema = z
  .object({
    offerId: z.number().int(),
    currency: z.string(),
    from: z.iso.date(),
    to: z.iso.date(),
    mode: z.enum(['manual', 'bandit']),
    minClicks: z.number().int().describe('Clicks a group needs before a winner is called'),
    groups: z.array(groupSchema),
  })
  .describe(
    "Each landing page and creative of the offer's rotation, per group: traffic, conversion rate with " +
      'its 95% interval, money per click, probability of being best, weights and a recommendation',
  )
  .meta({ id: 'AbReport' });
export type AbReport = z.infer<typeof abReportResponseSchema>;

/** The days the report covers: as asked, else the offer's decay window up to today (UTC). */
export function reportDays(
  query: { from?: string | undefined; to?: string | undefined },
  windowDays: number,
  now: Date,
): { from: string; to: string } {
  const today = now.toISOString().slice(0, 10);
  const to = query.to ?? today;
  const from = query.from ?? new Date(Date.parse(to) - (windowDays - 1) * DAY_MS).toISOString().slice(0, 10);
  if (from > to) throw new ApiError('invalid_request', 'to must not be before from.');
  if ((Date.parse(to) - Date.parse(from)) / DAY_MS >= MAX_DAYS)
    throw new ApiError('invalid_request', `A report covers at most ${MAX_DAYS} days.`);
  return { from, to };
}

/**
 * The A/B report of an offer's rotation. P(best) is drawn with a seed of the offer, so the same
 * data shows the same figures each time it is viewed. Affiliate payouts are shown to admins
 * only, as in reports.
 */
export async function abReport(
  db: Database,
  principal: Principal,
  offer: Offer,
  query: { from?: string | undefined; to?: string | undefined },
  now: Date,
): Promise<AbReport> {
  const settings = await rotationSettingsOf(db, offer.id);
  const days = reportDays(query, settings.decayWindowDays, now);
  const window = { from: new Date(`${days.from}T00:00:00Z`), to: new Date(Date.parse(days.to) + DAY_MS) };
  const groups = rotationGroups({
    mode: settings.mode,
    landingPages: await activeLandingPagesOf(db, offer.id),
    creatives: await rotatableCreativesOf(db, offer.id),
    learned: await learnedWeightsOf(db, offer.id),
  });
  const evidence = {
    landing_page: await armEvidence(db, offer.id, 'landing_page', window),
    creative: await armEvidence(db, offer.id, 'creative', window),
  };
  const random = seededRandom(offer.id);
  return {
    offerId: offer.id,
    currency: offer.currency,
    from: days.from,
    to: days.to,
    mode: settings.mode,
    minClicks: settings.minClicks,
    groups: groups.map((group) =>
      groupReport(group, (id) => evidence[group.kind].get(id) ?? NO_EVIDENCE, {
        admin: principal.role === 'admin',
        minClicks: settings.minClicks,
        bandit: settings.mode === 'bandit',
        random,
      }),
    ),
  };
}

function groupReport(
  group: ArmGroup,
  evidenceOf: (armId: number) => ArmEvidence,
  options: { admin: boolean; minClicks: number; bandit: boolean; random: () => number },
): AbReport['groups'][number] {
  const counts = group.arms.map((arm) => evidenceOf(arm.id));
  const clicks = counts.reduce((sum, c) => sum + c.clicks, 0);
  const probabilities = clicks > 0 ? probabilityBest(counts, options.random) : null;
  const inForce = sharesOf(group.arms.map((a) => a.weightInForce));
  const learnedComplete = group.arms.every((a) => a.learnedWeight !== null);
  const learned = learnedComplete ? sharesOf(group.arms.map((a) => a.learnedWeight ?? 0)) : null;
  const perClick = (minor: number, n: number) => (n > 0 ? Math.round(minor / n) : null);
  const round4 = (x: number) => Math.round(x * 10_000) / 10_000;
  const arms = group.arms.map((arm, i) => {
    const c = counts[i] ?? NO_EVIDENCE;
    const interval = wilsonInterval(c.conversions, c.clicks);
    return {
      id: arm.id,
      name: arm.name,
      clicks: c.clicks,
      conversions: c.conversions,
      cr: c.clicks > 0 ? round4(c.conversions / c.clicks) : null,
      crLow: interval ? round4(interval.low) : null,
      crHigh: interval ? round4(interval.high) : null,
      revenuePerClickMinor: perClick(c.revenueMinor, c.clicks),
      ...(options.admin ? { epcMinor: perClick(c.payoutMinor, c.clicks) } : {}),
      probabilityBest: probabilities ? round4(probabilities[i] ?? 0) : null,
      manualWeight: arm.manualWeight,
      learnedWeight: arm.learnedWeight,
      weightInForce: arm.weightInForce,
      shareInForce: round4(inForce[i] ?? 0),
      learnedShare: learned ? round4(learned[i] ?? 0) : null,
    };
  });
  return {
    kind: group.kind,
    group: group.group,
    clicks,
    arms,
    recommendation: recommend(arms, {
      minClicks: options.minClicks,
      bandit: options.bandit,
      what: group.kind === 'landing_page' ? 'landing page' : `creative of size ${group.group}`,
    }),
  };
}
