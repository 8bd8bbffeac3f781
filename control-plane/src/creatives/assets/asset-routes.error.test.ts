import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, errorCode, type Session, signUp } from '../../../test/api-client.ts';
import { creativeOfOffer, imageBytes, uploadFile } from '../../../test/creative-setup.ts';
import { testApp } from '../../../test/test-app.ts';
import { testDatabases } from '../../../test/test-databases.ts';
import type { DatabaseHandle } from '../../db/database.ts';
import { MAX_UPLOAD_IMAGE_BYTES } from './upload-content.ts';

describe.each(testDatabases)('creative asset errors on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  let owner: Session;
  let creativeId: number;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
    owner = await signUp(app, 'advertiser');
    ({ creativeId } = await creativeOfOffer(app, owner));
  });
  afterAll(() => handle.close());

  const upload = (body: Uint8Array | string, options: { filename?: string; contentType?: string } = {}) =>
    uploadFile(app, `/api/v1/creatives/${creativeId}/assets`, body, { token: owner.accessToken, ...options });

  it('refuses a text file named .png, and an SVG with the reason', async () => {
    const text = await upload('hello, this is not an image at all', {
      filename: 'x.png',
      contentType: 'image/png',
    });
    expect([text.status, await errorCode(text)]).toEqual([415, 'unsupported_type']);

    const svg = await upload(
      '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
      {
        contentType: 'image/png',
      },
    );
    expect(svg.status).toBe(415);
    const body = (await svg.json()) as { error: { code: string; message: string } };
    expect(body.error).toMatchObject({
      code: 'unsupported_type',
      message: 'SVG can carry scripts; upload PNG/JPEG/WebP.',
    });
  });

  it('refuses an image over 10 MB with 413, raw or in a form, and a PNG that does not decode', async () => {
    const png = await imageBytes(10, 10);
    const huge = new Uint8Array(MAX_UPLOAD_IMAGE_BYTES + 1);
    huge.set(png.subarray(0, 16));
    const raw = await upload(huge);
    expect([raw.status, await errorCode(raw)]).toEqual([413, 'payload_too_large']);
    const form = await upload(huge, { filename: 'big.png' });
    expect([form.status, await errorCode(form)]).toEqual([413, 'payload_too_large']);

    const truncated = await upload(png.subarray(0, 40));
    expect([truncated.status, await errorCode(truncated)]).toEqual([415, 'unsupported_type']);
  });

  it('refuses an empty body, a form without a file, an unknown creative and a wrong signature', async () => {
    const empty = await upload(new Uint8Array(0));
    expect([empty.status, await errorCode(empty)]).toEqual([400, 'invalid_request']);

    const form = new FormData();
    form.set('other', 'x');
    const noFile = await app.request(`/api/v1/creatives/${creativeId}/assets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.accessToken}` },
      body: form,
    });
    expect([noFile.status, await errorCode(noFile)]).toEqual([400, 'invalid_request']);

    const missing = await uploadFile(app, '/api/v1/creatives/999999/assets', await imageBytes(10, 10), {
      token: owner.accessToken,
    });
    expect(missing.status).toBe(404);

    const asset = (await (await upload(await imageBytes(20, 20))).json()) as { id: number };
    expect((await app.request(`/api/v1/creative-assets/${asset.id}/public?sig=AAAAAAAA`)).status).toBe(404);
    expect((await app.request(`/api/v1/creative-assets/999999/public?sig=AAAAAAAA`)).status).toBe(404);
    const byAdvertiser = await call(app, 'GET', `/api/v1/creatives/${creativeId}/embed`, {
      token: owner.accessToken,
    });
    expect(byAdvertiser.status).toBe(403);
  });
});
