import { createRoute, z } from '@hono/zod-openapi';
import { entityIdParamSchema } from '@tas/shared/ids';
import { eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { visibleCampaign } from '../../campaigns/campaign-service.ts';
import { type CreativeAsset, creativeAssets } from '../../db/schema/creative-assets.ts';
import { creatives } from '../../db/schema/creatives.ts';
import type { EdgePublisher } from '../../edge-sync/edge-publisher.ts';
import { ApiError } from '../../http/api-error.ts';
import { newApiRouter } from '../../http/api-router.ts';
import { idParamsSchema } from '../../http/list-query.ts';
import { type AuthenticateDeps, authenticate } from '../../http/middleware/authenticate.ts';
import { requireRole } from '../../http/middleware/require-role.ts';
import { requireScope } from '../../http/middleware/require-scope.ts';
import { bearerSecurity, errorResponses, jsonResponse } from '../../http/openapi-helpers.ts';
import { updateCreative, visibleCreative } from '../creative-service.ts';
import type { AssetStorage } from '../storage/asset-storage.ts';
import { affiliateMayRunCreative, visibleAsset } from './asset-access.ts';
import {
  creativeAssetResponse,
  creativeAssetResponseSchema,
  latestAssetOf,
  storeAsset,
} from './asset-service.ts';
import type { AssetUrlSigner } from './asset-urls.ts';
import { creativeTrackingLink, embedSnippet } from './embed-snippet.ts';
import { uploadedBytes } from './upload-body.ts';
import { checkUpload } from './upload-content.ts';

export type AssetRouteDeps = AuthenticateDeps & {
  edge: EdgePublisher;
  assetStorage: AssetStorage;
  assetUrls: AssetUrlSigner;
  edgePublicUrl: string;
};

const tags = ['creatives'];
const uploadBody = {
  required: true,
  description:
    'The file as the raw body (its declared content type is ignored) or a multipart form with a `file` ' +
    'field. PNG, JPEG, GIF, WebP up to 10 MB, MP4 up to 100 MB, recognised by content; SVG is refused.',
  content: { 'application/octet-stream': { schema: z.string().meta({ format: 'binary' }) } },
};

/** Uploads skip the API's 1 MB body limit: they stream within their own (upload-content.ts). */
export function isAssetUpload(method: string, path: string): boolean {
  return method === 'POST' && /^\/api\/v1\/(creatives\/\d+\/assets|creative-assets)\/?$/.test(path);
}

/**
 * A creative's file by its signed URL: fetched by the visitors of affiliates' pages (embeds, ad
 * tags), verified by its signature, so it is not rate-limited as an anonymous API call.
 */
export function isSignedAssetFetch(method: string, path: string): boolean {
  return (method === 'GET' || method === 'HEAD') && /^\/api\/v1\/creative-assets\/[^/]+\/public$/.test(path);
}

/** Serves stored bytes with their type, a strong ETag and 304s; `visibility` picks Cache-Control. */
async function serveAsset(
  c: Context,
  storage: AssetStorage,
  asset: CreativeAsset,
  visibility: 'private' | 'public',
) {
  const etag = `"${asset.sha256}"`;
  c.header('etag', etag);
  // The bytes under an asset id never change (content-addressed): cache for a year.
  c.header('cache-control', `${visibility}, max-age=31536000, immutable`);
  c.header('x-content-type-options', 'nosniff');
  // Served from the API's origin: never let a file act as a page of it.
  c.header('content-security-policy', "default-src 'none'; sandbox");
  const match = c.req.header('if-none-match');
  if (match?.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) return c.body(null, 304);
  const stored = await storage.get(asset.storageKey);
  if (!stored)
    throw new ApiError('not_found', `The file of creative asset ${asset.id} is missing from storage.`);
  c.header('content-type', asset.contentType);
  c.header('content-length', String(stored.bytes.byteLength));
  return c.body(stored.bytes as Uint8Array<ArrayBuffer>, 200);
}

/** /api/v1/creatives/{id}/assets and /embed: a creative's file, and the affiliate's snippet for it. */
export function creativeUploadRoutes(deps: AssetRouteDeps) {
  const app = newApiRouter();
  const auth = authenticate(deps);

  app.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/assets',
      tags,
      summary: "Upload a creative's file",
      description:
        "Stores the file in the asset library and points the creative at it: its url becomes TAS's " +
        'signed asset URL, its size and type those of the file.',
      security: bearerSecurity,
      middleware: [auth, requireRole('admin', 'advertiser'), requireScope('offers:write')],
      request: { params: idParamsSchema, body: uploadBody },
      responses: {
        201: jsonResponse(creativeAssetResponseSchema, 'Stored'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found', 'payload_too_large', 'unsupported_type'),
      },
    }),
    async (c) => {
      const principal = c.var.principal;
      const creative = await visibleCreative(deps.db, principal, c.req.valid('param').id);
      const campaign = await visibleCampaign(deps.db, principal, creative.campaignId);
      const file = await checkUpload(await uploadedBytes(c.req.raw));
      const asset = await storeAsset({ db: deps.db, storage: deps.assetStorage }, file, {
        advertiserId: campaign.advertiserId,
        creativeId: creative.id,
        provider: 'upload',
        createdBy: principal.userId,
      });
      await updateCreative(deps, principal, creative.id, {
        url: deps.assetUrls.publicUrl(asset.id, asset.sha256),
        type: file.kind,
        size: file.width && file.height ? `${file.width}x${file.height}` : creative.size,
      });
      return c.json(creativeAssetResponse(deps.assetUrls, asset), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{id}/embed',
      tags,
      summary: 'The HTML snippet an affiliate pastes',
      description:
        "The creative inside the affiliate's tracking link (with creative_id); for the affiliate itself or admins, " +
        'and only while the affiliate may run the offer.',
      security: bearerSecurity,
      middleware: [auth, requireRole('admin', 'affiliate'), requireScope('offers:read')],
      request: {
        params: idParamsSchema,
        query: z.object({ affiliateId: entityIdParamSchema.describe('The affiliate whose link it carries') }),
      },
      responses: {
        200: { description: 'The snippet', content: { 'text/html': { schema: z.string() } } },
        ...errorResponses('unauthorized', 'forbidden', 'not_found'),
      },
    }),
    async (c) => {
      const principal = c.var.principal;
      const { id } = c.req.valid('param');
      const { affiliateId } = c.req.valid('query');
      if (principal.role === 'affiliate' && principal.affiliateId !== affiliateId)
        throw new ApiError('forbidden', 'An affiliate gets snippets with its own tracking link only.');
      const missing = new ApiError('not_found', `Creative ${id} does not exist.`);
      const allowed = await affiliateMayRunCreative(deps.db, affiliateId, id);
      if (!allowed) throw missing;
      const [creative] = await deps.db.select().from(creatives).where(eq(creatives.id, id));
      if (!creative) throw missing;
      const asset = await latestAssetOf(deps.db, id);
      const [w, h] = (creative.size ?? '').split('x').map(Number);
      const html = embedSnippet({
        link: creativeTrackingLink(deps.edgePublicUrl, allowed.offerId, affiliateId, id),
        src: creative.url,
        width: asset?.width ?? (w || null),
        height: asset?.height ?? (h || null),
        alt: creative.name,
        kind: creative.type === 'video' ? 'video' : 'image',
      });
      c.header('content-type', 'text/html; charset=utf-8');
      c.header('x-content-type-options', 'nosniff');
      return c.body(html, 200);
    },
  );
  return app;
}

/** /api/v1/creative-assets: uploads without a creative (a brand kit's logo) and serving files. */
export function creativeAssetRoutes(deps: AssetRouteDeps) {
  const app = newApiRouter();
  const auth = authenticate(deps);

  app.openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags,
      summary: 'Upload a file to the library (a logo)',
      security: bearerSecurity,
      middleware: [auth, requireRole('admin', 'advertiser'), requireScope('offers:write')],
      request: {
        query: z.object({
          advertiserId: entityIdParamSchema
            .optional()
            .describe('Admins: whose library (advertisers: their own)'),
        }),
        body: uploadBody,
      },
      responses: {
        201: jsonResponse(creativeAssetResponseSchema, 'Stored'),
        ...errorResponses('unauthorized', 'forbidden', 'payload_too_large', 'unsupported_type'),
      },
    }),
    async (c) => {
      const principal = c.var.principal;
      const advertiserId =
        principal.role === 'admin' ? c.req.valid('query').advertiserId : principal.advertiserId;
      if (!advertiserId)
        throw new ApiError('invalid_request', 'Invalid query: advertiserId: required for admins.');
      const file = await checkUpload(await uploadedBytes(c.req.raw));
      const asset = await storeAsset({ db: deps.db, storage: deps.assetStorage }, file, {
        advertiserId,
        creativeId: null,
        provider: 'upload',
        createdBy: principal.userId,
      });
      return c.json(creativeAssetResponse(deps.assetUrls, asset), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{id}',
      tags,
      summary: 'A file of the library, to those allowed',
      description:
        'The advertiser owning it, admins, and affiliates who may run its offer (approved, or the offer public). ' +
        'Strong ETag (its SHA-256), If-None-Match answered 304, cached privately for a year.',
      security: bearerSecurity,
      middleware: [auth, requireScope('offers:read')],
      request: { params: idParamsSchema },
      responses: {
        200: { description: 'The file', content: { 'application/octet-stream': { schema: z.string() } } },
        304: { description: 'Not modified' },
        ...errorResponses('unauthorized', 'forbidden', 'not_found'),
      },
    }),
    async (c) =>
      serveAsset(
        c,
        deps.assetStorage,
        await visibleAsset(deps.db, c.var.principal, c.req.valid('param').id),
        'private',
      ),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{id}/metadata',
      tags,
      summary: 'What a file of the library is and what made it',
      security: bearerSecurity,
      middleware: [auth, requireScope('offers:read')],
      request: { params: idParamsSchema },
      responses: {
        200: jsonResponse(creativeAssetResponseSchema, 'The asset'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found'),
      },
    }),
    async (c) =>
      c.json(
        creativeAssetResponse(
          deps.assetUrls,
          await visibleAsset(deps.db, c.var.principal, c.req.valid('param').id),
        ),
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{id}/public',
      tags,
      summary: "A creative's file by its signed URL (embeds, ad tags)",
      description:
        "The URL a creative carries: shown on affiliates' sites, so it needs no credential; the signature " +
        'is what those who may see the creative learn from the API.',
      request: { params: idParamsSchema, query: z.object({ sig: z.string().min(1).max(64) }) },
      responses: {
        200: { description: 'The file', content: { 'application/octet-stream': { schema: z.string() } } },
        304: { description: 'Not modified' },
        ...errorResponses('not_found'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const [asset] = await deps.db.select().from(creativeAssets).where(eq(creativeAssets.id, id));
      // A wrong signature looks like a missing asset: ids are not enumerable through here.
      if (!asset || !deps.assetUrls.verify(id, asset.sha256, c.req.valid('query').sig))
        throw new ApiError('not_found', `Creative asset ${id} does not exist.`);
      return serveAsset(c, deps.assetStorage, asset, 'public');
    },
  );
  return app;
}
