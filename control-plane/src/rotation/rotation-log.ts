import { and, desc, eq, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../db/database.ts';
import { creatives } from '../db/schema/creatives.ts';
import { offerLandingPages } from '../db/schema/offers.ts';
import { rotationWeightChanges } from '../db/schema/rotation.ts';

export const rotationLogQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100).describe('Changes per page (1-500)'),
  before: z.coerce
    .number()
    .int()
    .min(1)
    .optional()
    .describe('Continue with changes older than this id (nextBefore of the previous page)'),
});

export const rotationLogEntrySchema = z
  .object({
    id: z.number().int(),
    runId: z.string().describe('Changes made by the same recomputation share it'),
    changedAt: z.iso.datetime(),
    armKind: z.enum(['landing_page', 'creative']),
    armId: z.number().int(),
    armName: z.string().nullable(),
    group: z.string().describe("'' for landing pages; the placement size for creatives"),
    oldWeight: z.number().int(),
    newWeight: z.number().int(),
    oldShareBps: z.number().int().describe("Share of the group's traffic before, in basis points"),
    newShareBps: z.number().int(),
    clicks: z.number().int().describe('Evidence: clean clicks of the arm in the window'),
    conversions: z.number().int().describe('Evidence: of those, clicks that converted'),
    probabilityBest: z.number().describe('Evidence: probability the arm is the best of its group'),
    windowStart: z.iso.datetime(),
    windowEnd: z.iso.datetime(),
  })
  .meta({ id: 'RotationLogEntry' });

export const rotationLogResponseSchema = z
  .object({ data: z.array(rotationLogEntrySchema), nextBefore: z.number().int().nullable() })
  .describe('Weight changes, newest first');
export type RotationLog = z.infer<typeof rotationLogResponseSchema>;

/** The offer's weight changes, newest first, each with the evidence the bandit had. */
export async function rotationLog(
  db: Database,
  offerId: number,
  page: { limit: number; before?: number | undefined },
): Promise<RotationLog> {
  const log = rotationWeightChanges;
  const rows = await db
    .select({
      change: log,
      pageName: offerLandingPages.name,
      creativeName: creatives.name,
    })
    .from(log)
    .leftJoin(
      offerLandingPages,
      and(sql`${log.armKind} = 'landing_page'`, eq(offerLandingPages.id, log.armId)),
    )
    .leftJoin(creatives, and(sql`${log.armKind} = 'creative'`, eq(creatives.id, log.armId)))
    .where(and(eq(log.offerId, offerId), page.before ? lt(log.id, page.before) : undefined))
    .orderBy(desc(log.id))
    .limit(page.limit);
  return {
    data: rows.map(({ change: c, pageName, creativeName }) => ({
      id: c.id,
      runId: c.runId,
      changedAt: c.changedAt.toISOString(),
      armKind: c.armKind,
      armId: c.armId,
      armName: (c.armKind === 'landing_page' ? pageName : creativeName) ?? null,
      group: c.group,
      oldWeight: c.oldWeight,
      newWeight: c.newWeight,
      oldShareBps: c.oldShareBps,
      newShareBps: c.newShareBps,
      clicks: c.clicks,
      conversions: c.conversions,
      probabilityBest: c.probabilityBest,
      windowStart: c.windowStart.toISOString(),
      windowEnd: c.windowEnd.toISOString(),
    })),
    nextBefore: rows.length === page.limit ? (rows.at(-1)?.change.id ?? null) : null,
  };
}
