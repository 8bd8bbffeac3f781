import sharp from 'sharp';
import { call, type Session, type TestApp } from './api-client.ts';
import { apiCampaign, apiOffer } from './offer-setup.ts';
import { CLIENT_IP_HEADER } from './test-app.ts';

/** A real PNG (or another raster format) of the given size, one colour with a gradient row. */
export async function imageBytes(
  width: number,
  height: number,
  format: 'png' | 'jpeg' | 'webp' | 'gif' = 'png',
  colour = '#3366cc',
): Promise<Uint8Array> {
  const image = sharp({ create: { width, height, channels: 3, background: colour } });
  return new Uint8Array(await image.toFormat(format).toBuffer());
}

/** Uploads `body` as a raw body (default) or as a multipart form's `file` named `filename`. */
export function uploadFile(
  app: TestApp,
  path: string,
  body: Uint8Array | string,
  options: { token?: string; contentType?: string; filename?: string } = {},
) {
  const headers: Record<string, string> = { [CLIENT_IP_HEADER]: '198.51.100.1' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.filename) {
    const form = new FormData();
    form.set('file', new Blob([body as BlobPart], { type: options.contentType ?? '' }), options.filename);
    return app.request(path, { method: 'POST', headers, body: form });
  }
  headers['content-type'] = options.contentType ?? 'application/octet-stream';
  return app.request(path, { method: 'POST', headers, body: body as BodyInit });
}

/** An offer of `owner` with a campaign and one creative on it (URL elsewhere until a file is uploaded). */
export async function creativeOfOffer(app: TestApp, owner: Session, offer: Record<string, unknown> = {}) {
  const { id: offerId } = await apiOffer(app, owner, offer);
  const campaign = await apiCampaign(app, owner, { offerId });
  const response = await call(app, 'POST', '/api/v1/creatives', {
    token: owner.accessToken,
    body: {
      campaignId: campaign.id,
      name: 'Spring <sale> & "more"',
      type: 'image',
      url: 'https://cdn.example/a.png',
    },
  });
  if (response.status !== 201)
    throw new Error(`creative not created: ${response.status} ${await response.text()}`);
  const creative = (await response.json()) as { id: number };
  return { offerId, campaignId: campaign.id, creativeId: creative.id };
}

export const BRAND = {
  name: 'Acme',
  colors: { primary: '#1d3557', secondary: '#e63946', background: '#f1faee', text: '#1d1d1d' },
  font: 'inter',
  tone: 'Friendly',
  bannedWords: ['cheap'],
};

export async function apiBrandKit(app: TestApp, session: Session, body: Record<string, unknown> = {}) {
  const response = await call(app, 'POST', '/api/v1/brand-kits', {
    token: session.accessToken,
    body: { ...BRAND, ...body },
  });
  if (response.status !== 201)
    throw new Error(`brand kit not created: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: number; version: number };
}

/** The path (and query) of an absolute URL, to request it from the test app. */
export const pathOf = (url: string) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};
