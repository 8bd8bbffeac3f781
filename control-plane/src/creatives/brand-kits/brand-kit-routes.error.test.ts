import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, errorCode, signUp } from '../../../test/api-client.ts';
import { BRAND, imageBytes, uploadFile } from '../../../test/creative-setup.ts';
import { testApp } from '../../../test/test-app.ts';
import { testDatabases } from '../../../test/test-databases.ts';
import type { DatabaseHandle } from '../../db/database.ts';

describe.each(testDatabases)('/api/v1/brand-kits errors on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
  });
  afterAll(() => handle.close());

  it('refuses bad colours and fonts, a missing logo, a GIF logo, an admin naming no advertiser and an unknown kit', async () => {
    const owner = await signUp(app, 'advertiser');
    const post = (body: unknown, token = owner.accessToken) =>
      call(app, 'POST', '/api/v1/brand-kits', { token, body });
    for (const body of [
      { ...BRAND, colors: { ...BRAND.colors, primary: 'red' } },
      { ...BRAND, font: 'comic-sans' },
      { ...BRAND, name: '' },
    ]) {
      const response = await post(body);
      expect([response.status, await errorCode(response)]).toEqual([400, 'invalid_request']);
    }
    const missing = await post({ ...BRAND, logoAssetId: 999999 });
    expect(missing.status).toBe(404);
    const gif = (await (
      await uploadFile(app, '/api/v1/creative-assets', await imageBytes(20, 20, 'gif'), {
        token: owner.accessToken,
      })
    ).json()) as { id: number };
    const gifLogo = await post({ ...BRAND, logoAssetId: gif.id });
    expect([gifLogo.status, await errorCode(gifLogo)]).toEqual([415, 'unsupported_type']);
    const admin = await adminSession(app, handle.db);
    const nobody = await post(BRAND, admin.accessToken);
    expect([nobody.status, await errorCode(nobody)]).toEqual([400, 'invalid_request']);
    const unknown = await call(app, 'PUT', '/api/v1/brand-kits/999999', {
      token: owner.accessToken,
      body: BRAND,
    });
    expect(unknown.status).toBe(404);
  });
});
