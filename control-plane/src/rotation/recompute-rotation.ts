import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/database.ts';
import { offers } from '../db/schema/offers.ts';
import { offerRotationSettings, rotationWeightChanges, rotationWeights } from '../db/schema/rotation.ts';
import type { EdgePublisher } from '../edge-sync/edge-publisher.ts';
import { publishOffer } from '../edge-sync/publish-offer.ts';
import { type ArmEvidence, armEvidence, NO_EVIDENCE } from './arm-evidence.ts';
import { sharesOf } from './learned-weights.ts';
import { DEFAULT_DRAWS } from './probability-best.ts';
import { activeLandingPagesOf, learnedWeightsOf, rotatableCreativesOf } from './rotation-arms.ts';
import { type ArmGroup, rotationGroups } from './rotation-groups.ts';
import { rotationSettingsOf } from './rotation-settings.ts';
import { rotationStep } from './rotation-step.ts';
import type { Random } from './seeded-random.ts';

export type RotationDeps = { db: Database; edge: EdgePublisher };

export type GroupResult = {
  kind: ArmGroup['kind'];
  group: string;
  outcome: 'changed' | 'tiny_change' | 'not_enough_clicks' | 'single_arm';
  clicks: number;
};

export type RecomputeResult = {
  offerId: number;
  skipped: 'not_bandit' | null;
  /** Names the log rows of this run; null when no weight moved. */
  runId: string | null;
  groups: GroupResult[];
};

const DAY_MS = 86_400_000;

/** The window of evidence that ends at `now`. */
export function decayWindow(now: Date, days: number): { from: Date; to: Date } {
  return { from: new Date(now.getTime() - days * DAY_MS), to: now };
}

/**
 * Recomputes the learned weights of one offer in bandit mode, group by group, from the clicks of
 * its decay window; stores the groups that moved (each arm's old and new weight, with the
 * evidence, in rotation_weight_changes) and publishes the offer, in one transaction: when the
 * edge refuses, nothing is stored and the next run tries again.
 */
export async function recomputeRotation(
  deps: RotationDeps,
  offerId: number,
  now: Date,
  random: Random,
  draws = DEFAULT_DRAWS,
): Promise<RecomputeResult> {
  return deps.db.transaction(async (tx) => {
    // Locked first, as every publisher of the offer does (edge-sync/publish-offer.ts): two runs,
    // or a run and an advertiser's change, take turns.
    const [offer] = await tx.select().from(offers).where(eq(offers.id, offerId)).for('update');
    if (!offer) return { offerId, skipped: 'not_bandit', runId: null, groups: [] };
    const settings = await rotationSettingsOf(tx, offerId);
    if (settings.mode !== 'bandit') return { offerId, skipped: 'not_bandit', runId: null, groups: [] };

    const window = decayWindow(now, settings.decayWindowDays);
    const groups = rotationGroups({
      mode: settings.mode,
      landingPages: await activeLandingPagesOf(tx, offerId),
      creatives: await rotatableCreativesOf(tx, offerId),
      learned: await learnedWeightsOf(tx, offerId),
    });
    const evidence = {
      landing_page: await armEvidence(tx, offerId, 'landing_page', window),
      creative: await armEvidence(tx, offerId, 'creative', window),
    };
    const runId = randomUUID();
    const results: GroupResult[] = [];
    for (const group of groups) {
      const counts = group.arms.map((arm) => evidence[arm.kind].get(arm.id) ?? NO_EVIDENCE);
      const clicks = counts.reduce((sum, c) => sum + c.clicks, 0);
      // One arm has all the traffic whatever the bandit thinks.
      if (group.arms.length < 2) {
        results.push({ kind: group.kind, group: group.group, outcome: 'single_arm', clicks });
        continue;
      }
      const step = rotationStep(
        group.arms.map((arm, i) => ({ ...(counts[i] ?? NO_EVIDENCE), weightInForce: arm.weightInForce })),
        { explorationShare: settings.explorationBps / 10_000, minClicks: settings.minClicks },
        random,
        draws,
      );
      results.push({ kind: group.kind, group: group.group, outcome: step.kind, clicks });
      if (step.kind !== 'changed') continue;
      await storeGroup(tx, { offerId, runId, now, window, group, counts, step });
    }
    await tx
      .update(offerRotationSettings)
      .set({ computedAt: now })
      .where(eq(offerRotationSettings.offerId, offerId));
    const changed = results.some((r) => r.outcome === 'changed');
    if (changed) await publishOffer(tx, deps.edge, offer);
    return { offerId, skipped: null, runId: changed ? runId : null, groups: results };
  });
}

async function storeGroup(
  db: Database,
  run: {
    offerId: number;
    runId: string;
    now: Date;
    window: { from: Date; to: Date };
    group: ArmGroup;
    counts: ArmEvidence[];
    step: { probabilities: number[]; weights: number[] };
  },
) {
  const { offerId, group, step } = run;
  const oldShares = sharesOf(group.arms.map((a) => a.weightInForce));
  const newShares = sharesOf(step.weights);
  // The group's learned weights are replaced whole: an arm that left the group loses its own.
  await db
    .delete(rotationWeights)
    .where(
      and(
        eq(rotationWeights.offerId, offerId),
        eq(rotationWeights.armKind, group.kind),
        eq(rotationWeights.group, group.group),
      ),
    );
  await db
    .insert(rotationWeights)
    .values(
      group.arms.map((arm, i) => ({
        offerId,
        armKind: arm.kind,
        armId: arm.id,
        group: group.group,
        weight: step.weights[i] ?? 1,
        updatedAt: run.now,
      })),
    )
    .onConflictDoUpdate({
      // An arm whose group changed (a creative resized) moves with its weight.
      target: [rotationWeights.offerId, rotationWeights.armKind, rotationWeights.armId],
      set: {
        group: sql`excluded."group"`,
        weight: sql`excluded.weight`,
        updatedAt: sql`excluded.updated_at`,
      },
    });
  await db.insert(rotationWeightChanges).values(
    group.arms.map((arm, i) => ({
      runId: run.runId,
      offerId,
      armKind: arm.kind,
      armId: arm.id,
      group: group.group,
      oldWeight: arm.weightInForce,
      newWeight: step.weights[i] ?? 1,
      oldShareBps: Math.round((oldShares[i] ?? 0) * 10_000),
      newShareBps: Math.round((newShares[i] ?? 0) * 10_000),
      clicks: run.counts[i]?.clicks ?? 0,
      conversions: run.counts[i]?.conversions ?? 0,
      probabilityBest: step.probabilities[i] ?? 0,
      windowStart: run.window.from,
      windowEnd: run.window.to,
      changedAt: run.now,
    })),
  );
}
