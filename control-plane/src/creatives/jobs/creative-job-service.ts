import { entityIdSchema } from '@tas/shared/ids';
import { and, eq, inArray, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Principal } from '../../auth/principal.ts';
import { visibleCampaign } from '../../campaigns/campaign-service.ts';
import type { Database } from '../../db/database.ts';
import { type CreativeJob, creativeJobs } from '../../db/schema/creative-jobs.ts';
import { keysetPage, oneOrNotFound } from '../../db/scoped-rows.ts';
import { ApiError } from '../../http/api-error.ts';
import { visibleBrandKit } from '../brand-kits/brand-kit-service.ts';
import type { CreativeProvider, CreativeProviderId } from '../providers/creative-provider.ts';
import type { BrandKit } from '../render/brand-kit.ts';
import { LAYOUT_IDS } from '../render/layouts.ts';
import { PLACEMENT_IDS } from '../render/placements.ts';
import { VIDEO_PLACEMENTS } from '../render/render-video.ts';

export type ProviderSet = Partial<Record<CreativeProviderId, CreativeProvider>>;

const copySchema = z.object({
  headline: z.string().trim().min(1).max(200),
  subline: z.string().trim().min(1).max(300).optional(),
  callToAction: z.string().trim().min(1).max(40),
  badge: z.string().trim().min(1).max(24).optional(),
});

export const creativeJobRequestSchema = z
  .object({
    campaignId: entityIdSchema.describe('The campaign whose creatives the job makes (one per placement)'),
    brandKitId: entityIdSchema,
    provider: z.enum(['templates', 'openai', 'gemini', 'stability']).default('templates'),
    kind: z.enum(['image', 'video']).default('image'),
    copy: copySchema,
    prompt: z
      .string()
      .trim()
      .min(1)
      .max(2000)
      .optional()
      .describe('AI providers: added to the brand kit prompt'),
    layout: z.enum(LAYOUT_IDS).optional().describe('Templates: the layout'),
    placements: z
      .array(z.enum(PLACEMENT_IDS))
      .min(1)
      .transform((ids) => [...new Set(ids)]),
    format: z.enum(['png', 'webp']).default('png').describe('Images; videos are MP4'),
  })
  .superRefine((r, ctx) => {
    if (r.kind !== 'video') return;
    const wrong = r.placements.filter((p) => !(VIDEO_PLACEMENTS as readonly string[]).includes(p));
    if (wrong.length > 0)
      ctx.addIssue({
        code: 'custom',
        path: ['placements'],
        message: `videos come in ${VIDEO_PLACEMENTS.join(', ')}, not ${wrong.join(', ')}`,
      });
  })
  .meta({ id: 'CreativeJobRequest' });

const statusSchema = z.enum(['queued', 'running', 'done', 'failed', 'cancelled']);
export const creativeJobResponseSchema = z
  .object({
    id: z.number().int(),
    advertiserId: z.number().int(),
    campaignId: z.number().int(),
    brandKitId: z.number().int(),
    brandKitVersion: z.number().int(),
    provider: z.string(),
    kind: z.enum(['image', 'video']),
    placements: z.array(z.string()),
    status: statusSchema,
    progress: z.number().int().min(0).max(100),
    attempts: z.number().int(),
    errorCode: z.string().nullable(),
    errorMessage: z.string().nullable(),
    costEstimate: z
      .object({ currency: z.literal('USD'), amountMinor: z.number().int(), basis: z.string() })
      .nullable()
      .describe('Paid providers only, before anything is spent'),
    createdAt: z.iso.datetime(),
    startedAt: z.iso.datetime().nullable(),
    finishedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'CreativeJob' });

export function creativeJobResponse(j: CreativeJob): z.infer<typeof creativeJobResponseSchema> {
  return {
    id: j.id,
    advertiserId: j.advertiserId,
    campaignId: j.campaignId,
    brandKitId: j.brandKitId,
    brandKitVersion: j.brandKitVersion,
    provider: j.provider,
    kind: j.kind,
    placements: j.input.placements,
    status: j.status,
    progress: j.progress,
    attempts: j.attempts,
    errorCode: j.errorCode,
    errorMessage: j.errorMessage,
    costEstimate: j.costEstimate,
    createdAt: j.createdAt.toISOString(),
    startedAt: j.startedAt?.toISOString() ?? null,
    finishedAt: j.finishedAt?.toISOString() ?? null,
  };
}

function scope(principal: Principal): SQL | undefined {
  if (principal.role === 'admin') return undefined;
  return eq(creativeJobs.advertiserId, principal.advertiserId ?? -1);
}

export async function visibleJob(db: Database, principal: Principal, id: number): Promise<CreativeJob> {
  return oneOrNotFound(
    db
      .select()
      .from(creativeJobs)
      .where(and(eq(creativeJobs.id, id), scope(principal))),
    `Creative job ${id}`,
  );
}

export function listJobs(
  db: Database,
  principal: Principal,
  query: {
    limit: number;
    after?: number | undefined;
    campaignId?: number | undefined;
    status?: CreativeJob['status'] | undefined;
  },
) {
  return keysetPage(
    db.select().from(creativeJobs).$dynamic(),
    creativeJobs.id,
    query,
    scope(principal),
    query.campaignId ? eq(creativeJobs.campaignId, query.campaignId) : undefined,
    query.status ? eq(creativeJobs.status, query.status) : undefined,
  );
}

// What a cost estimate needs of a request: the brand kit's content does not change a price.
const ESTIMATE_KIT: BrandKit = {
  name: 'estimate',
  colors: { primary: '#000000', secondary: '#000000', background: '#ffffff', text: '#000000' },
  font: 'inter',
  bannedWords: [],
};

/**
 * Queues a generation. The campaign and the brand kit must be the caller's and the same
 * advertiser's; the provider must be configured and make that kind; the brand kit's current
 * version is pinned to the job.
 */
export async function createJob(
  deps: { db: Database; providers: ProviderSet },
  principal: Principal,
  input: z.output<typeof creativeJobRequestSchema>,
): Promise<CreativeJob> {
  const campaign = await visibleCampaign(deps.db, principal, input.campaignId);
  const kit = await visibleBrandKit(deps.db, principal, input.brandKitId);
  if (kit.advertiserId !== campaign.advertiserId)
    throw new ApiError('not_found', `Brand kit ${kit.id} does not exist.`);
  const provider = deps.providers[input.provider];
  if (!provider)
    throw new ApiError(
      'invalid_request',
      `Invalid body: provider: ${input.provider} is not configured here.`,
    );
  if (!provider.supports[input.kind])
    throw new ApiError(
      'invalid_request',
      `Invalid body: kind: ${input.provider} does not make ${input.kind}s.`,
    );
  const jobInput = {
    copy: input.copy,
    prompt: input.prompt,
    layout: input.layout,
    placements: input.placements,
    format: input.kind === 'video' ? ('mp4' as const) : input.format,
  };
  const estimate = provider.estimateCost({ kind: input.kind, brandKit: ESTIMATE_KIT, ...jobInput });
  const [row] = await deps.db
    .insert(creativeJobs)
    .values({
      advertiserId: campaign.advertiserId,
      campaignId: campaign.id,
      brandKitId: kit.id,
      brandKitVersion: kit.currentVersion,
      provider: input.provider,
      kind: input.kind,
      input: jobInput,
      costEstimate: estimate,
      createdBy: principal.userId,
      // On the clock the worker claims by: the database's now() (microseconds) can be later than the
      // worker's Date (milliseconds) taken just after, and the job would wait a round.
      runAfter: new Date(),
    })
    .returning();
  if (!row) throw new Error('insert returned no row');
  return row;
}

/**
 * A queued job is cancelled at once; a running one is flagged, and its worker aborts the
 * provider's signal and marks it cancelled. Finished jobs are a conflict.
 */
export async function cancelJob(db: Database, principal: Principal, id: number): Promise<CreativeJob> {
  await visibleJob(db, principal, id);
  const [queued] = await db
    .update(creativeJobs)
    .set({ status: 'cancelled', cancelRequested: true, finishedAt: new Date() })
    .where(and(eq(creativeJobs.id, id), eq(creativeJobs.status, 'queued')))
    .returning();
  if (queued) return queued;
  const [running] = await db
    .update(creativeJobs)
    .set({ cancelRequested: true })
    .where(and(eq(creativeJobs.id, id), eq(creativeJobs.status, 'running')))
    .returning();
  if (running) return running;
  throw new ApiError(
    'conflict',
    `Creative job ${id} has finished; only queued or running jobs can be cancelled.`,
  );
}

/** A failed (or cancelled) job queued again from scratch: attempts and error cleared. */
export async function retryJob(db: Database, principal: Principal, id: number): Promise<CreativeJob> {
  await visibleJob(db, principal, id);
  const [row] = await db
    .update(creativeJobs)
    .set({
      status: 'queued',
      progress: 0,
      attempts: 0,
      runAfter: new Date(),
      cancelRequested: false,
      errorCode: null,
      errorMessage: null,
      startedAt: null,
      finishedAt: null,
    })
    .where(and(eq(creativeJobs.id, id), inArray(creativeJobs.status, ['failed', 'cancelled'])))
    .returning();
  if (!row)
    throw new ApiError(
      'conflict',
      `Creative job ${id} has not failed; only failed or cancelled jobs are retried.`,
    );
  return row;
}
