import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, errorCode, signUp } from '../../../test/api-client.ts';
import { creativeOfOffer, imageBytes, uploadFile } from '../../../test/creative-setup.ts';
import { testApp } from '../../../test/test-app.ts';
import { testDatabases } from '../../../test/test-databases.ts';
import type { DatabaseHandle } from '../../db/database.ts';

describe.each(testDatabases)('creative asset access on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
  });
  afterAll(() => handle.close());

  it("answers 404 for another advertiser's asset and to affiliates who may not run the offer", async () => {
    const owner = await signUp(app, 'advertiser');
    const rival = await signUp(app, 'advertiser');
    const outsider = await signUp(app, 'affiliate');
    const applicant = await signUp(app, 'affiliate');
    const admin = await adminSession(app, handle.db);
    for (const visibility of ['private', 'approval_required'] as const) {
      const { offerId, creativeId } = await creativeOfOffer(app, owner, { visibility });
      // Applied but not approved: it sees the offer (to apply), not its files.
      await call(app, 'POST', `/api/v1/offers/${offerId}/applications`, { token: applicant.accessToken });
      const asset = (await (
        await uploadFile(app, `/api/v1/creatives/${creativeId}/assets`, await imageBytes(30, 30), {
          token: owner.accessToken,
        })
      ).json()) as { id: number };
      for (const token of [rival.accessToken, outsider.accessToken, applicant.accessToken]) {
        expect((await call(app, 'GET', `/api/v1/creative-assets/${asset.id}`, { token })).status).toBe(404);
        expect(
          (await call(app, 'GET', `/api/v1/creative-assets/${asset.id}/metadata`, { token })).status,
        ).toBe(404);
      }
      for (const affiliate of [outsider, applicant]) {
        const embed = await call(
          app,
          'GET',
          `/api/v1/creatives/${creativeId}/embed?affiliateId=${affiliate.affiliateId}`,
          {
            token: affiliate.accessToken,
          },
        );
        expect(embed.status).toBe(404);
      }
      expect(
        (await call(app, 'GET', `/api/v1/creative-assets/${asset.id}`, { token: admin.accessToken })).status,
      ).toBe(200);
      const rivalUpload = await uploadFile(
        app,
        `/api/v1/creatives/${creativeId}/assets`,
        await imageBytes(30, 30),
        {
          token: rival.accessToken,
        },
      );
      expect(rivalUpload.status).toBe(404);
    }
  });

  it("keeps a logo from affiliates, an affiliate's snippet to itself, uploads to advertisers, and all to the authenticated", async () => {
    const owner = await signUp(app, 'advertiser');
    const affiliate = await signUp(app, 'affiliate');
    const other = await signUp(app, 'affiliate');
    const admin = await adminSession(app, handle.db);
    const { creativeId } = await creativeOfOffer(app, owner, { visibility: 'public' });
    // A public offer's files go to active affiliates; a signed-up one is pending until activated.
    const pending = await call(
      app,
      'GET',
      `/api/v1/creatives/${creativeId}/embed?affiliateId=${affiliate.affiliateId}`,
      {
        token: affiliate.accessToken,
      },
    );
    expect(pending.status).toBe(404);
    const activated = await call(app, 'PATCH', `/api/v1/affiliates/${affiliate.affiliateId}`, {
      token: admin.accessToken,
      body: { status: 'active' },
    });
    expect(activated.status).toBe(200);
    const logo = (await (
      await uploadFile(app, '/api/v1/creative-assets', await imageBytes(30, 30), { token: owner.accessToken })
    ).json()) as { id: number };
    expect(
      (await call(app, 'GET', `/api/v1/creative-assets/${logo.id}`, { token: affiliate.accessToken })).status,
    ).toBe(404);

    const ownSnippet = await call(
      app,
      'GET',
      `/api/v1/creatives/${creativeId}/embed?affiliateId=${affiliate.affiliateId}`,
      {
        token: affiliate.accessToken,
      },
    );
    expect(ownSnippet.status).toBe(200);
    const othersSnippet = await call(
      app,
      'GET',
      `/api/v1/creatives/${creativeId}/embed?affiliateId=${other.affiliateId}`,
      {
        token: affiliate.accessToken,
      },
    );
    expect([othersSnippet.status, await errorCode(othersSnippet)]).toEqual([403, 'forbidden']);

    const affiliateUpload = await uploadFile(
      app,
      `/api/v1/creatives/${creativeId}/assets`,
      await imageBytes(30, 30),
      {
        token: affiliate.accessToken,
      },
    );
    expect([affiliateUpload.status, await errorCode(affiliateUpload)]).toEqual([403, 'forbidden']);
    expect(
      (await uploadFile(app, `/api/v1/creatives/${creativeId}/assets`, await imageBytes(30, 30))).status,
    ).toBe(401);
    expect((await call(app, 'GET', `/api/v1/creative-assets/${logo.id}`)).status).toBe(401);
    expect((await call(app, 'GET', `/api/v1/creatives/${creativeId}/embed?affiliateId=1`)).status).toBe(401);
  });
});
