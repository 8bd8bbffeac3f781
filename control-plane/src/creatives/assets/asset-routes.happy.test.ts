import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, signUp } from '../../../test/api-client.ts';
import { creativeOfOffer, imageBytes, pathOf, uploadFile } from '../../../test/creative-setup.ts';
import { testApp } from '../../../test/test-app.ts';
import { testDatabases } from '../../../test/test-databases.ts';
import type { DatabaseHandle } from '../../db/database.ts';
import { sha256Hex } from '../storage/asset-storage.ts';
import { memoryAssetStorage } from '../storage/memory-storage.ts';

type Asset = { id: number; contentType: string; width: number; height: number; sha256: string; url: string };

describe.each(testDatabases)('creative assets on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  const storage = memoryAssetStorage();
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db, { assetStorage: storage, publicApiUrl: 'https://api.tas.test' });
  });
  afterAll(() => handle.close());

  it('stores a PNG named .jpg as a PNG, points the creative at it, and serves it with ETag, 304 and long caching', async () => {
    const owner = await signUp(app, 'advertiser');
    const { creativeId } = await creativeOfOffer(app, owner);
    const png = await imageBytes(300, 250);
    const response = await uploadFile(app, `/api/v1/creatives/${creativeId}/assets`, png, {
      token: owner.accessToken,
      filename: 'banner.jpg',
      contentType: 'image/jpeg',
    });
    expect(response.status).toBe(201);
    const asset = (await response.json()) as Asset;
    expect(asset).toMatchObject({
      contentType: 'image/png',
      width: 300,
      height: 250,
      sha256: sha256Hex(png),
    });
    expect(asset.url).toMatch(
      new RegExp(`^https://api\\.tas\\.test/api/v1/creative-assets/${asset.id}/public\\?sig=`),
    );

    const creative = (await (
      await call(app, 'GET', `/api/v1/creatives/${creativeId}`, { token: owner.accessToken })
    ).json()) as { url: string; size: string; type: string };
    expect(creative).toMatchObject({ url: asset.url, size: '300x250', type: 'image' });

    const served = await call(app, 'GET', `/api/v1/creative-assets/${asset.id}`, {
      token: owner.accessToken,
    });
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('etag')).toBe(`"${asset.sha256}"`);
    expect(served.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(png);

    const notModified = await app.request(`/api/v1/creative-assets/${asset.id}`, {
      headers: { authorization: `Bearer ${owner.accessToken}`, 'if-none-match': `"${asset.sha256}"` },
    });
    expect(notModified.status).toBe(304);

    // The creative's own URL works without a credential (embeds, ad tags), cached publicly.
    const open = await app.request(pathOf(asset.url));
    expect(open.status).toBe(200);
    expect(open.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(new Uint8Array(await open.arrayBuffer())).toEqual(png);
  });

  it('stores the same bytes once, takes raw bodies and WebP, GIF and MP4 by their content', async () => {
    const owner = await signUp(app, 'advertiser');
    const { creativeId } = await creativeOfOffer(app, owner);
    const png = await imageBytes(728, 90, 'png', '#aa0000');
    const first = (await (
      await uploadFile(app, `/api/v1/creatives/${creativeId}/assets`, png, { token: owner.accessToken })
    ).json()) as Asset & { id: number };
    const second = (await (
      await uploadFile(app, `/api/v1/creatives/${creativeId}/assets`, png, { token: owner.accessToken })
    ).json()) as Asset & { id: number };
    expect(second.id).not.toBe(first.id);
    expect(second.sha256).toBe(first.sha256);
    expect(
      (await storage.head(`sha256/${first.sha256.slice(0, 2)}/${first.sha256.slice(2, 4)}/${first.sha256}`))
        ?.size,
    ).toBe(png.byteLength);

    for (const [format, contentType] of [
      ['webp', 'image/webp'],
      ['gif', 'image/gif'],
      ['jpeg', 'image/jpeg'],
    ] as const) {
      const response = await uploadFile(
        app,
        `/api/v1/creatives/${creativeId}/assets`,
        await imageBytes(160, 600, format),
        {
          token: owner.accessToken,
          contentType: 'text/plain',
        },
      );
      expect([response.status, ((await response.json()) as Asset).contentType]).toEqual([201, contentType]);
    }
    // An MP4's first box: size, `ftyp`, brand `isom`.
    const mp4 = new Uint8Array(64);
    mp4.set([0, 0, 0, 24], 0);
    mp4.set(new TextEncoder().encode('ftypisom'), 4);
    const video = await uploadFile(app, `/api/v1/creatives/${creativeId}/assets`, mp4, {
      token: owner.accessToken,
    });
    expect(video.status).toBe(201);
    expect((await video.json()) as Asset).toMatchObject({
      contentType: 'video/mp4',
      width: null,
      height: null,
    });
  });

  it("serves a creative's file to affiliates who may run the offer and gives them an escaped embed snippet", async () => {
    const owner = await signUp(app, 'advertiser');
    const affiliate = await signUp(app, 'affiliate');
    const { offerId, creativeId } = await creativeOfOffer(app, owner, { visibility: 'private' });
    const approved = await call(
      app,
      'PUT',
      `/api/v1/offers/${offerId}/applications/${affiliate.affiliateId}`,
      {
        token: owner.accessToken,
        body: { status: 'approved' },
      },
    );
    expect(approved.status).toBe(200);
    const asset = (await (
      await uploadFile(app, `/api/v1/creatives/${creativeId}/assets`, await imageBytes(300, 250), {
        token: owner.accessToken,
      })
    ).json()) as Asset;

    const served = await call(app, 'GET', `/api/v1/creative-assets/${asset.id}`, {
      token: affiliate.accessToken,
    });
    expect(served.status).toBe(200);
    const embed = await call(
      app,
      'GET',
      `/api/v1/creatives/${creativeId}/embed?affiliateId=${affiliate.affiliateId}`,
      {
        token: affiliate.accessToken,
      },
    );
    expect(embed.status).toBe(200);
    expect(embed.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await embed.text();
    const url = asset.url.replaceAll('&', '&amp;');
    expect(html).toBe(
      `<a href="https://go.tas.test/c/${offerId}?aff_id=${affiliate.affiliateId}&amp;creative_id=${creativeId}" ` +
        'target="_blank" rel="sponsored noopener">' +
        `<img src="${url}" width="300" height="250" alt="Spring &lt;sale&gt; &amp; &quot;more&quot;"></a>`,
    );
  });

  it('takes a file without a creative (a logo), for the advertiser or an admin naming it', async () => {
    const owner = await signUp(app, 'advertiser');
    const response = await uploadFile(app, '/api/v1/creative-assets', await imageBytes(200, 80), {
      token: owner.accessToken,
    });
    expect(response.status).toBe(201);
    const asset = (await response.json()) as Asset & { creativeId: number | null };
    expect(asset.creativeId).toBeNull();
    const meta = await call(app, 'GET', `/api/v1/creative-assets/${asset.id}/metadata`, {
      token: owner.accessToken,
    });
    expect(((await meta.json()) as Asset).sha256).toBe(asset.sha256);
  });
});
