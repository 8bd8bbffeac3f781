import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, errorCode, signUp } from '../../../test/api-client.ts';
import { type JobBody, jobSubjects, jobTestbed, postJob } from '../../../test/creative-job-setup.ts';
import { testDatabases } from '../../../test/test-databases.ts';
import type { DatabaseHandle } from '../../db/database.ts';

describe.each(testDatabases)('/api/v1/creative-jobs errors on $name', ({ open }) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(() => handle.close());

  it('refuses unknown placements, video sizes videos do not come in, providers not configured, and unknown ids', async () => {
    const { app } = jobTestbed(handle.db);
    const owner = await signUp(app, 'advertiser');
    const { campaignId, brandKitId } = await jobSubjects(app, owner);
    for (const body of [
      { campaignId, brandKitId, placements: ['999x999'] },
      { campaignId, brandKitId, placements: [] },
      { campaignId, brandKitId, kind: 'video', placements: ['300x250'] },
      { campaignId, brandKitId, provider: 'openai', placements: ['300x250'] },
      { campaignId, brandKitId, placements: ['300x250'], copy: { headline: '', callToAction: 'Go' } },
    ]) {
      const response = await postJob(app, owner, body);
      expect([response.status, await errorCode(response)]).toEqual([400, 'invalid_request']);
    }
    for (const body of [
      { campaignId: 999999, brandKitId, placements: ['300x250'] },
      { campaignId, brandKitId: 999999, placements: ['300x250'] },
    ]) {
      expect((await postJob(app, owner, body)).status).toBe(404);
    }
    expect(
      (await call(app, 'GET', '/api/v1/creative-jobs/999999', { token: owner.accessToken })).status,
    ).toBe(404);
  });

  it('answers conflict to cancelling a finished job and retrying one that has not failed', async () => {
    const { app, worker } = jobTestbed(handle.db);
    const owner = await signUp(app, 'advertiser');
    const { campaignId, brandKitId } = await jobSubjects(app, owner);
    const job = (await (
      await postJob(app, owner, { campaignId, brandKitId, placements: ['320x50'] })
    ).json()) as JobBody;
    const early = await call(app, 'POST', `/api/v1/creative-jobs/${job.id}/retry`, {
      token: owner.accessToken,
    });
    expect([early.status, await errorCode(early)]).toEqual([409, 'conflict']);
    await worker.round();
    await worker.idle();
    const cancel = await call(app, 'POST', `/api/v1/creative-jobs/${job.id}/cancel`, {
      token: owner.accessToken,
    });
    expect([cancel.status, await errorCode(cancel)]).toEqual([409, 'conflict']);
  });

  it('fails a job whose copy uses a banned word, with the code, and makes no creative', async () => {
    const { app, worker } = jobTestbed(handle.db);
    const owner = await signUp(app, 'advertiser');
    const { campaignId, brandKitId } = await jobSubjects(app, owner);
    const job = (await (
      await postJob(app, owner, {
        campaignId,
        brandKitId,
        placements: ['320x50'],
        copy: { headline: 'Cheap plants', callToAction: 'Buy' },
      })
    ).json()) as JobBody;
    await worker.round();
    await worker.idle();
    const done = (await (
      await call(app, 'GET', `/api/v1/creative-jobs/${job.id}`, { token: owner.accessToken })
    ).json()) as JobBody;
    expect(done).toMatchObject({ status: 'failed', errorCode: 'moderation_refused', attempts: 1 });
    const creatives = (await (
      await call(app, 'GET', `/api/v1/creatives?campaignId=${campaignId}`, { token: owner.accessToken })
    ).json()) as { data: unknown[] };
    expect(creatives.data).toEqual([]);
  });
});
