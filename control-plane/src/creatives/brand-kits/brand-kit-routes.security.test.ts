import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, errorCode, signUp } from '../../../test/api-client.ts';
import { apiBrandKit, BRAND, imageBytes, uploadFile } from '../../../test/creative-setup.ts';
import { testApp } from '../../../test/test-app.ts';
import { testDatabases } from '../../../test/test-databases.ts';
import type { DatabaseHandle } from '../../db/database.ts';

describe.each(testDatabases)('/api/v1/brand-kits access on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
  });
  afterAll(() => handle.close());

  it("hides another advertiser's kits and logos, and keeps affiliates and the anonymous out", async () => {
    const owner = await signUp(app, 'advertiser');
    const rival = await signUp(app, 'advertiser');
    const affiliate = await signUp(app, 'affiliate');
    const kit = await apiBrandKit(app, owner);
    expect(
      (await call(app, 'GET', `/api/v1/brand-kits/${kit.id}`, { token: rival.accessToken })).status,
    ).toBe(404);
    const rivalSave = await call(app, 'PUT', `/api/v1/brand-kits/${kit.id}`, {
      token: rival.accessToken,
      body: BRAND,
    });
    expect(rivalSave.status).toBe(404);
    const list = (await (
      await call(app, 'GET', '/api/v1/brand-kits', { token: rival.accessToken })
    ).json()) as {
      data: unknown[];
    };
    expect(list.data).toEqual([]);
    // Another's logo cannot be borrowed by its id.
    const logo = (await (
      await uploadFile(app, '/api/v1/creative-assets', await imageBytes(20, 20), { token: owner.accessToken })
    ).json()) as { id: number };
    const borrowed = await call(app, 'POST', '/api/v1/brand-kits', {
      token: rival.accessToken,
      body: { ...BRAND, logoAssetId: logo.id },
    });
    expect(borrowed.status).toBe(404);

    for (const [method, path] of [
      ['GET', '/api/v1/brand-kits'],
      ['POST', '/api/v1/brand-kits'],
      ['PUT', `/api/v1/brand-kits/${kit.id}`],
    ] as const) {
      const response = await call(app, method, path, { token: affiliate.accessToken, body: BRAND });
      expect([response.status, await errorCode(response)]).toEqual([403, 'forbidden']);
      expect((await call(app, method, path, { body: BRAND })).status).toBe(401);
    }
  });
});
