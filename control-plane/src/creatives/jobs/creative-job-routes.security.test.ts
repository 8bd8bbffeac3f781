import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, errorCode, signUp } from '../../../test/api-client.ts';
import { type JobBody, jobSubjects, jobTestbed, postJob } from '../../../test/creative-job-setup.ts';
import { apiBrandKit } from '../../../test/creative-setup.ts';
import { testDatabases } from '../../../test/test-databases.ts';
import type { DatabaseHandle } from '../../db/database.ts';

describe.each(testDatabases)('/api/v1/creative-jobs access on $name', ({ open }) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(() => handle.close());

  it("hides another advertiser's jobs, refuses its campaigns and brand kits, and keeps affiliates and the anonymous out", async () => {
    const { app } = jobTestbed(handle.db);
    const owner = await signUp(app, 'advertiser');
    const rival = await signUp(app, 'advertiser');
    const affiliate = await signUp(app, 'affiliate');
    const admin = await adminSession(app, handle.db);
    const { campaignId, brandKitId } = await jobSubjects(app, owner);
    const job = (await (
      await postJob(app, owner, { campaignId, brandKitId, placements: ['320x50'] })
    ).json()) as JobBody;

    for (const path of [`/api/v1/creative-jobs/${job.id}/cancel`, `/api/v1/creative-jobs/${job.id}/retry`]) {
      expect((await call(app, 'POST', path, { token: rival.accessToken })).status).toBe(404);
    }
    expect(
      (await call(app, 'GET', `/api/v1/creative-jobs/${job.id}`, { token: rival.accessToken })).status,
    ).toBe(404);
    const list = (await (
      await call(app, 'GET', '/api/v1/creative-jobs', { token: rival.accessToken })
    ).json()) as {
      data: unknown[];
    };
    expect(list.data).toEqual([]);
    // Someone else's campaign, or one's campaign with someone else's brand kit.
    const rivalKit = await apiBrandKit(app, rival);
    expect(
      (await postJob(app, rival, { campaignId, brandKitId: rivalKit.id, placements: ['320x50'] })).status,
    ).toBe(404);
    const own = await jobSubjects(app, rival);
    expect(
      (await postJob(app, rival, { campaignId: own.campaignId, brandKitId, placements: ['320x50'] })).status,
    ).toBe(404);
    expect(
      (await call(app, 'GET', `/api/v1/creative-jobs/${job.id}`, { token: admin.accessToken })).status,
    ).toBe(200);

    for (const [method, path] of [
      ['GET', '/api/v1/creative-jobs'],
      ['POST', '/api/v1/creative-jobs'],
      ['GET', `/api/v1/creative-jobs/${job.id}`],
      ['POST', `/api/v1/creative-jobs/${job.id}/cancel`],
    ] as const) {
      const response = await call(app, method, path, { token: affiliate.accessToken, body: {} });
      expect([response.status, await errorCode(response)]).toEqual([403, 'forbidden']);
      expect((await call(app, method, path, { body: {} })).status).toBe(401);
    }
  });
});
