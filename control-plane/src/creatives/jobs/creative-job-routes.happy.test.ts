import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, signUp } from '../../../test/api-client.ts';
import {
  gatedProvider,
  getJob,
  type JobBody,
  jobSubjects,
  jobTestbed,
  postJob,
  waitFor,
} from '../../../test/creative-job-setup.ts';
import { pathOf } from '../../../test/creative-setup.ts';
import { testDatabases } from '../../../test/test-databases.ts';
import type { DatabaseHandle } from '../../db/database.ts';

type Creative = { id: number; name: string; size: string; url: string; type: string };

describe.each(testDatabases)('/api/v1/creative-jobs on $name', ({ open }) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(() => handle.close());

  it('runs a template job to done: a creative per placement asked, each a real image of its size', async () => {
    const { app, worker } = jobTestbed(handle.db);
    const owner = await signUp(app, 'advertiser');
    const { campaignId, brandKitId } = await jobSubjects(app, owner);
    const placements = ['300x250', '728x90', '320x50'];
    const created = await postJob(app, owner, { campaignId, brandKitId, placements, layout: 'bold-split' });
    expect(created.status).toBe(202);
    const job = (await created.json()) as JobBody;
    expect(job).toMatchObject({
      status: 'queued',
      progress: 0,
      attempts: 0,
      provider: 'templates',
      costEstimate: null,
    });

    expect(await worker.round()).toBe(1);
    await worker.idle();
    expect(await getJob(app, owner, job.id)).toMatchObject({
      status: 'done',
      progress: 100,
      attempts: 1,
      errorCode: null,
    });

    const list = (await (
      await call(app, 'GET', `/api/v1/creatives?campaignId=${campaignId}`, { token: owner.accessToken })
    ).json()) as { data: Creative[] };
    expect(list.data.map((c) => c.size).sort()).toEqual([...placements].sort());
    for (const creative of list.data) {
      expect(creative.name).toContain(`job ${job.id}`);
      const file = await app.request(pathOf(creative.url));
      expect(file.headers.get('content-type')).toBe('image/png');
      const meta = await sharp(new Uint8Array(await file.arrayBuffer())).metadata();
      expect(`${meta.width}x${meta.height}`).toBe(creative.size);
    }
    const assetId = Number(/creative-assets\/(\d+)\//.exec(list.data[0]?.url ?? '')?.[1]);
    const asset = await call(app, 'GET', `/api/v1/creative-assets/${assetId}/metadata`, {
      token: owner.accessToken,
    });
    expect(await asset.json()).toMatchObject({
      provider: 'templates',
      jobId: job.id,
      brandKitId,
      brandKitVersion: 1,
    });
  });

  it("shows a paid provider's estimate, its progress moving, and what it was asked in the assets", async () => {
    const fake = gatedProvider();
    const { app, worker } = jobTestbed(handle.db, { stability: fake.provider });
    const owner = await signUp(app, 'advertiser');
    const { campaignId, brandKitId } = await jobSubjects(app, owner);
    const job = (await (
      await postJob(app, owner, {
        campaignId,
        brandKitId,
        provider: 'stability',
        prompt: 'ferns on a windowsill',
        placements: ['1080x1080', '300x250'],
      })
    ).json()) as JobBody;
    expect(job.costEstimate).toEqual({ currency: 'USD', amountMinor: 8, basis: '4 cents an image' });

    await worker.round();
    await waitFor(async () => (await getJob(app, owner, job.id)).progress === 45, 'progress at 45');
    expect((await getJob(app, owner, job.id)).status).toBe('running');
    fake.release();
    await worker.idle();
    expect(await getJob(app, owner, job.id)).toMatchObject({ status: 'done', progress: 100 });
    expect(fake.calls[0]?.prompt).toBe('ferns on a windowsill');
    expect(fake.calls[0]?.brandKit.bannedWords).toEqual(['cheap']);
  });

  it('cancels a queued job at once and a running one by aborting its provider; retries a cancelled one', async () => {
    const fake = gatedProvider();
    const { app, worker } = jobTestbed(handle.db, { stability: fake.provider });
    const owner = await signUp(app, 'advertiser');
    const { campaignId, brandKitId } = await jobSubjects(app, owner);
    const body = { campaignId, brandKitId, provider: 'stability', placements: ['300x250'] };
    const running = (await (await postJob(app, owner, body)).json()) as JobBody;
    await worker.round();
    await waitFor(() => fake.waiting() === 1, 'the provider to start');
    const queued = (await (await postJob(app, owner, body)).json()) as JobBody;
    const cancelQueued = await call(app, 'POST', `/api/v1/creative-jobs/${queued.id}/cancel`, {
      token: owner.accessToken,
    });
    expect(((await cancelQueued.json()) as JobBody).status).toBe('cancelled');

    const cancel = await call(app, 'POST', `/api/v1/creative-jobs/${running.id}/cancel`, {
      token: owner.accessToken,
    });
    expect(cancel.status).toBe(200);
    await worker.idle();
    expect(fake.aborted()).toBe(1);
    expect((await getJob(app, owner, running.id)).status).toBe('cancelled');
    const creatives = (await (
      await call(app, 'GET', `/api/v1/creatives?campaignId=${campaignId}`, { token: owner.accessToken })
    ).json()) as { data: unknown[] };
    expect(creatives.data).toEqual([]);

    const retried = await call(app, 'POST', `/api/v1/creative-jobs/${running.id}/retry`, {
      token: owner.accessToken,
    });
    expect(((await retried.json()) as JobBody).status).toBe('queued');
    await worker.round();
    await waitFor(() => fake.waiting() === 1, 'the provider to start again');
    fake.release();
    await worker.idle();
    expect((await getJob(app, owner, running.id)).status).toBe('done');
    const list = (await (
      await call(app, 'GET', '/api/v1/creative-jobs?status=cancelled', { token: owner.accessToken })
    ).json()) as { data: JobBody[] };
    expect(list.data.map((j) => j.id)).toEqual([queued.id]);
  });
});
