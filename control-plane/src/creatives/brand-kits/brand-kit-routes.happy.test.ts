import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, signUp } from '../../../test/api-client.ts';
import { apiBrandKit, BRAND, imageBytes, uploadFile } from '../../../test/creative-setup.ts';
import { testApp } from '../../../test/test-app.ts';
import { testDatabases } from '../../../test/test-databases.ts';
import type { DatabaseHandle } from '../../db/database.ts';

describe.each(testDatabases)('/api/v1/brand-kits on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
  });
  afterAll(() => handle.close());

  it('creates a kit with an uploaded logo at version 1, and each save makes a new version', async () => {
    const owner = await signUp(app, 'advertiser');
    const logo = (await (
      await uploadFile(app, '/api/v1/creative-assets', await imageBytes(120, 40), {
        token: owner.accessToken,
      })
    ).json()) as { id: number };
    const kit = await apiBrandKit(app, owner, { logoAssetId: logo.id });
    expect(kit).toMatchObject({
      ...BRAND,
      version: 1,
      logoAssetId: logo.id,
      advertiserId: owner.advertiserId,
    });

    const saved = await call(app, 'PUT', `/api/v1/brand-kits/${kit.id}`, {
      token: owner.accessToken,
      body: { ...BRAND, name: 'Acme 2', bannedWords: ['cheap', 'free'] },
    });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({
      version: 2,
      name: 'Acme 2',
      logoAssetId: null,
      tone: 'Friendly',
    });

    const one = await call(app, 'GET', `/api/v1/brand-kits/${kit.id}`, { token: owner.accessToken });
    expect(await one.json()).toMatchObject({ version: 2, bannedWords: ['cheap', 'free'] });
    const list = (await (
      await call(app, 'GET', '/api/v1/brand-kits', { token: owner.accessToken })
    ).json()) as {
      data: { id: number }[];
    };
    expect(list.data.map((k) => k.id)).toEqual([kit.id]);
  });

  it("lets an admin create an advertiser's kit by naming it", async () => {
    const owner = await signUp(app, 'advertiser');
    const admin = await adminSession(app, handle.db);
    const kit = await apiBrandKit(app, admin, { advertiserId: owner.advertiserId });
    const seen = await call(app, 'GET', `/api/v1/brand-kits/${kit.id}`, { token: owner.accessToken });
    expect(seen.status).toBe(200);
  });
});
