import { MAX_CREATIVES_PER_CAMPAIGN } from '@tas/shared/campaign-serving';
import { and, count, eq } from 'drizzle-orm';
import { publishOffers } from '../../campaigns/campaign-budget-state.ts';
import type { Database } from '../../db/database.ts';
import { campaigns } from '../../db/schema/campaigns.ts';
import type { CreativeJob } from '../../db/schema/creative-jobs.ts';
import { creatives } from '../../db/schema/creatives.ts';
import type { EdgePublisher } from '../../edge-sync/edge-publisher.ts';
import { storeAsset } from '../assets/asset-service.ts';
import type { AssetUrlSigner } from '../assets/asset-urls.ts';
import type { GeneratedAsset } from '../providers/creative-provider.ts';
import type { AssetStorage } from '../storage/asset-storage.ts';

export type JobOutputDeps = {
  db: Database;
  storage: AssetStorage;
  urls: AssetUrlSigner;
  edge: EdgePublisher;
};

/** A job's creative for a placement, named so a retry or a rerun finds and updates it. */
export function jobCreativeName(job: CreativeJob, placement: string): string {
  return `${job.input.copy.headline.slice(0, 80)} · ${placement} · job ${job.id}`;
}

export class TooManyCreativesError extends Error {}

/**
 * Stores each generated asset and points one creative per placement at it (created, or updated
 * when the job made it before), in one transaction with the offer's republication, so the edge's
 * ad tags and the library agree.
 */
export async function saveJobOutputs(deps: JobOutputDeps, job: CreativeJob, outputs: GeneratedAsset[]) {
  return deps.db.transaction(async (tx) => {
    const [campaign] = await tx
      .select()
      .from(campaigns)
      .where(eq(campaigns.id, job.campaignId))
      .for('update');
    if (!campaign) throw new Error(`campaign ${job.campaignId} is gone`);
    const assetIds: number[] = [];
    for (const output of outputs) {
      // An AI provider's master (no placement) is kept as an asset of the job, to recompose again
      // later; it is no creative: its size is the model's, not an ad placement's.
      if (output.placement === null) {
        const master = await storeAsset({ db: tx, storage: deps.storage }, output, {
          advertiserId: job.advertiserId,
          creativeId: null,
          provider: output.provider,
          model: output.model,
          prompt: output.prompt,
          brandKitId: job.brandKitId,
          brandKitVersion: job.brandKitVersion,
          placement: null,
          jobId: job.id,
          durationSeconds: output.durationSeconds ?? null,
          createdBy: job.createdBy,
        });
        assetIds.push(master.id);
        continue;
      }
      const placement = output.placement;
      const name = jobCreativeName(job, placement);
      let [creative] = await tx
        .select()
        .from(creatives)
        .where(and(eq(creatives.campaignId, campaign.id), eq(creatives.name, name)));
      if (!creative) {
        const [existing] = await tx
          .select({ n: count() })
          .from(creatives)
          .where(eq(creatives.campaignId, campaign.id));
        if ((existing?.n ?? 0) >= MAX_CREATIVES_PER_CAMPAIGN)
          throw new TooManyCreativesError(
            `Campaign ${campaign.id} already has ${MAX_CREATIVES_PER_CAMPAIGN} creatives, the most it may have.`,
          );
        // A placeholder URL for the moment between the creative's insert and its asset's.
        [creative] = await tx
          .insert(creatives)
          .values({
            campaignId: campaign.id,
            name,
            type: job.kind,
            url: 'https://pending.invalid/',
            size: placement,
          })
          .returning();
      }
      if (!creative) throw new Error('insert returned no row');
      const asset = await storeAsset({ db: tx, storage: deps.storage }, output, {
        advertiserId: job.advertiserId,
        creativeId: creative.id,
        provider: output.provider,
        model: output.model,
        prompt: output.prompt,
        brandKitId: job.brandKitId,
        brandKitVersion: job.brandKitVersion,
        placement,
        jobId: job.id,
        durationSeconds: output.durationSeconds ?? null,
        createdBy: job.createdBy,
      });
      await tx
        .update(creatives)
        .set({ url: deps.urls.publicUrl(asset.id, asset.sha256), size: placement, type: job.kind })
        .where(eq(creatives.id, creative.id));
      assetIds.push(asset.id);
    }
    await publishOffers(tx, deps.edge, campaign.offerId === null ? [] : [campaign.offerId]);
    return assetIds;
  });
}
