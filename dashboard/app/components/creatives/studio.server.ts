import { data } from 'react-router';
import type { ApiClient } from '~/lib/api.server';
import { apiMessage } from '~/lib/api-errors';
import type { Creative } from './creative-snippet';
import { type CreativeJob, isJobCreative, PLACEMENT_IDS } from './studio-options';

const PAGE = 200;
const MAX_PAGES = 25;

/**
 * The newest `count` jobs, newest first. The API lists oldest first with no other order, so this
 * follows the pages to the end (one page for almost everyone) and keeps the tail.
 */
export async function recentJobs(api: ApiClient, count: number): Promise<CreativeJob[]> {
  let tail: CreativeJob[] = [];
  let after: number | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query: { limit: number; after?: string } = { limit: PAGE };
    if (after !== null) query.after = String(after);
    const answer = await api.GET('/api/v1/creative-jobs', { params: { query } });
    if (!answer.data)
      throw data(
        { message: apiMessage(answer.error, 'The generation jobs could not be loaded.') },
        { status: answer.response.status },
      );
    tail = [...tail, ...answer.data.data].slice(-count);
    after = answer.data.nextAfter;
    if (after === null) break;
  }
  return tail.reverse();
}

/**
 * The creatives each done job made, in placement order: those of its campaign the worker named
 * after it (jobs/job-outputs.ts), one list of creatives per campaign asked for.
 */
export async function jobVariants(api: ApiClient, jobs: CreativeJob[]): Promise<Record<number, Creative[]>> {
  const done = jobs.filter((j) => j.status === 'done');
  const campaignIds = [...new Set(done.map((j) => j.campaignId))];
  const byCampaign = new Map<number, Creative[]>(
    await Promise.all(
      campaignIds.map(async (campaignId) => {
        const { data: body } = await api.GET('/api/v1/creatives', {
          params: { query: { limit: 200, campaignId: String(campaignId) } },
        });
        return [campaignId, body?.data ?? []] as const;
      }),
    ),
  );
  const order = (size: string | null) => PLACEMENT_IDS.indexOf(size as never);
  const variants: Record<number, Creative[]> = {};
  for (const job of done)
    variants[job.id] = (byCampaign.get(job.campaignId) ?? [])
      .filter((c) => isJobCreative(c.name, job.id))
      .sort((a, b) => order(a.size) - order(b.size));
  return variants;
}
