import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../../test/api-client.ts';
import {
  gatedProvider,
  getJob,
  type JobBody,
  jobSubjects,
  jobTestbed,
  postJob,
  waitFor,
} from '../../../test/creative-job-setup.ts';
import { testDatabases } from '../../../test/test-databases.ts';
import type { DatabaseHandle } from '../../db/database.ts';
import { creativeAssets } from '../../db/schema/creative-assets.ts';
import { creativeJobs } from '../../db/schema/creative-jobs.ts';
import { creatives } from '../../db/schema/creatives.ts';
import { CreativeProviderError } from '../providers/creative-provider.ts';

describe.each(testDatabases)('creative job worker on $name', ({ open }) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(() => handle.close());

  it('retries a retryable failure after its backoff, then succeeds; a final failure is recorded with its code', async () => {
    const fake = gatedProvider([
      new CreativeProviderError('rate_limited', 'Slow down.', { provider: 'stability' }),
      new CreativeProviderError('invalid_key', 'Bad key.', { provider: 'stability' }),
    ]);
    // The worker's clock, moved by hand past the backoff (a real wait would race a busy machine).
    let ahead = 0;
    const { app, worker } = jobTestbed(
      handle.db,
      { stability: fake.provider },
      { backoffMs: 60_000, now: () => new Date(Date.now() + ahead) },
    );
    const owner = await signUp(app, 'advertiser');
    const { campaignId, brandKitId } = await jobSubjects(app, owner);
    const body = { campaignId, brandKitId, provider: 'stability', placements: ['300x250'] };
    const job = (await (await postJob(app, owner, body)).json()) as JobBody;
    await worker.round();
    await worker.idle();
    expect(await getJob(app, owner, job.id)).toMatchObject({
      status: 'queued',
      attempts: 1,
      errorCode: 'rate_limited',
    });
    // Not before its backoff.
    expect(await worker.round()).toBe(0);
    ahead = 61_000;
    expect(await worker.round()).toBe(1);
    await worker.idle();
    expect(await getJob(app, owner, job.id)).toMatchObject({
      status: 'failed',
      attempts: 2,
      errorCode: 'invalid_key',
    });

    // Queued again by hand, it runs from scratch and succeeds.
    const retry = await app.request(`/api/v1/creative-jobs/${job.id}/retry`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.accessToken}` },
    });
    expect(retry.status).toBe(200);
    await worker.round();
    await waitFor(() => fake.waiting() === 1, 'the provider to start');
    fake.release();
    await worker.idle();
    expect(await getJob(app, owner, job.id)).toMatchObject({ status: 'done', attempts: 1, errorCode: null });
    // The provider's master is kept as an asset of the job; only the placement is a creative.
    const made = await handle.db
      .select({
        creativeId: creativeAssets.creativeId,
        placement: creativeAssets.placement,
        size: creatives.size,
      })
      .from(creativeAssets)
      .leftJoin(creatives, eq(creatives.id, creativeAssets.creativeId))
      .where(eq(creativeAssets.jobId, job.id));
    expect(made.map((a) => [a.placement, a.creativeId === null ? null : a.size]).sort()).toEqual([
      [null, null],
      ['300x250', '300x250'],
    ]);
  });

  it('queues again a running job whose worker went silent, and fails it once it has had its attempts', async () => {
    const { app, worker } = jobTestbed(handle.db, {}, { staleAfterMs: 60_000, maxAttempts: 2 });
    const owner = await signUp(app, 'advertiser');
    const { campaignId, brandKitId } = await jobSubjects(app, owner);
    const lost = (await (
      await postJob(app, owner, { campaignId, brandKitId, placements: ['320x50'] })
    ).json()) as JobBody;
    const spent = (await (
      await postJob(app, owner, { campaignId, brandKitId, placements: ['320x50'] })
    ).json()) as JobBody;
    const silentSince = new Date(Date.now() - 120_000);
    for (const [id, attempts] of [
      [lost.id, 1],
      [spent.id, 2],
    ] as const) {
      await handle.db
        .update(creativeJobs)
        .set({ status: 'running', attempts, updatedAt: silentSince })
        .where(eq(creativeJobs.id, id));
    }
    expect(await worker.round()).toBe(1);
    await worker.idle();
    expect(await getJob(app, owner, lost.id)).toMatchObject({ status: 'done', attempts: 2 });
    expect(await getJob(app, owner, spent.id)).toMatchObject({ status: 'failed', errorCode: 'worker_lost' });
  });

  it('runs at most two jobs of one advertiser at once, while another advertiser gets its turn', async () => {
    const fake = gatedProvider();
    const { app, worker } = jobTestbed(
      handle.db,
      { stability: fake.provider },
      { perAdvertiser: 2, maxInFlight: 10 },
    );
    const busy = await signUp(app, 'advertiser');
    const other = await signUp(app, 'advertiser');
    const busyJobs: number[] = [];
    const a = await jobSubjects(app, busy);
    for (let i = 0; i < 3; i++) {
      const job = (await (
        await postJob(app, busy, { ...a, offerId: undefined, provider: 'stability', placements: ['320x50'] })
      ).json()) as JobBody;
      busyJobs.push(job.id);
    }
    const b = await jobSubjects(app, other);
    await postJob(app, other, { ...b, offerId: undefined, provider: 'stability', placements: ['320x50'] });

    expect(await worker.round()).toBe(3);
    const statuses = async (advertiserId: number | null) =>
      (
        await handle.db
          .select({ status: creativeJobs.status })
          .from(creativeJobs)
          .where(eq(creativeJobs.advertiserId, advertiserId ?? -1))
      )
        .map((r) => r.status)
        .sort();
    expect(await statuses(busy.advertiserId)).toEqual(['queued', 'running', 'running']);
    expect(await statuses(other.advertiserId)).toEqual(['running']);
    // Full for this advertiser: another round takes nothing until one finishes.
    expect(await worker.round()).toBe(0);

    await waitFor(() => fake.waiting() === 3, 'three providers to start');
    fake.release();
    await worker.idle();
    expect(await worker.round()).toBe(1);
    await waitFor(() => fake.waiting() === 1, 'the third job to start');
    fake.release();
    await worker.idle();
    expect(await statuses(busy.advertiserId)).toEqual(['done', 'done', 'done']);
  });
});
