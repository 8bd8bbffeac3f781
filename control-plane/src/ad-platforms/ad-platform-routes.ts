import { createRoute } from '@hono/zod-openapi';
import { entityIdParamSchema } from '@tas/shared/ids';
import { z } from 'zod';
import { ApiError } from '../http/api-error.ts';
import { newApiRouter } from '../http/api-router.ts';
import { type AuthenticateDeps, authenticate } from '../http/middleware/authenticate.ts';
import { requireRole } from '../http/middleware/require-role.ts';
import { requireScope } from '../http/middleware/require-scope.ts';
import { bearerSecurity, errorResponses, jsonBody, jsonResponse } from '../http/openapi-helpers.ts';
import type { AdPlatformDeps } from './ad-platform-deps.ts';
import {
  adPlatformSchema,
  connectionCreateRequestSchema,
  connectionResponseSchema,
  connectionUpdateRequestSchema,
  deliveryResponseSchema,
  destinationCreateRequestSchema,
  destinationResponseSchema,
  destinationUpdateRequestSchema,
  oauthStartRequestSchema,
  replayRequestSchema,
} from './ad-platform-schemas.ts';
import {
  createConnection,
  disconnectConnection,
  listConnections,
  platformApiError,
  showConnection,
  updateConnection,
  visibleConnection,
} from './connection-service.ts';
import {
  createDestination,
  getDestination,
  listDeliveries,
  listDestinations,
  replayDeliveries,
  updateDestination,
} from './destination-service.ts';
import { finishOAuth, startOAuth } from './oauth-flow.ts';
import {
  listPlatformCampaigns,
  platformCampaignResponseSchema,
  platformCampaignUpdateSchema,
  setPlatformCampaignStatus,
  updatePlatformCampaign,
} from './platform-campaign-service.ts';
import { platformCapabilities, platformCapabilitySchema } from './platform-capabilities.ts';
import { spendRange, syncConnectionSpend } from './spend-sync.ts';

const tags = ['ad platforms'];
const uuidParams = z.object({ id: z.uuid().describe('Id') });
const campaignParams = uuidParams.extend({
  campaignId: z.string().min(1).max(64).describe("The platform's campaign id"),
});
const platformParams = z.object({ platform: adPlatformSchema });
const advertiserFilter = z.object({
  advertiserId: entityIdParamSchema.optional().describe('Admins: one advertiser'),
});

/**
 * /api/v1/ad-platforms: advertisers' ad-platform accounts (connections), where their conversions
 * go (destinations) and each event's log, the platforms' campaigns with their spend, and OAuth
 * (decision 030). Advertisers manage their own; admins any; affiliates none.
 */
export function adPlatformRoutes(deps: AuthenticateDeps & { adPlatforms: AdPlatformDeps }) {
  const app = newApiRouter();
  const ad = deps.adPlatforms;
  const auth = authenticate(deps);
  const read = [auth, requireRole('admin', 'advertiser'), requireScope('offers:read')];
  const write = [auth, requireRole('admin', 'advertiser'), requireScope('offers:write')];
  const route = <M extends 'get' | 'post' | 'patch'>(
    method: M,
    path: string,
    summary: string,
    middleware: typeof read,
  ) => ({
    method,
    path,
    tags,
    summary,
    security: bearerSecurity,
    middleware,
  });

  app.openapi(
    createRoute({
      ...route('get', '/platforms', 'What TAS does with each platform on this network', read),
      description:
        'Whether OAuth is set up (the network registered an app), and what is supported: spend, pause, retractions.',
      responses: {
        200: jsonResponse(z.object({ data: z.array(platformCapabilitySchema) }), 'The four platforms'),
        ...errorResponses('unauthorized', 'forbidden'),
      },
    }),
    (c) => c.json({ data: platformCapabilities(ad.apps) }, 200),
  );

  app.openapi(
    createRoute({
      ...route('get', '/connections', 'Ad-platform accounts you may see', read),
      request: { query: advertiserFilter },
      responses: {
        200: jsonResponse(z.object({ data: z.array(connectionResponseSchema) }), 'Connections, newest first'),
        ...errorResponses('unauthorized', 'forbidden'),
      },
    }),
    async (c) =>
      c.json({ data: await listConnections(ad.db, c.var.principal, c.req.valid('query').advertiserId) }, 200),
  );

  app.openapi(
    createRoute({
      ...route('post', '/connections', 'Connect an account with a long-lived token', write),
      description:
        'For platforms and setups without OAuth (a Meta system-user token, a TikTok long-term token).',
      request: { body: jsonBody(connectionCreateRequestSchema) },
      responses: {
        201: jsonResponse(connectionResponseSchema, 'Connected'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found', 'invalid_request'),
      },
    }),
    async (c) => c.json(await createConnection(ad, c.var.principal, c.req.valid('json')), 201),
  );

  app.openapi(
    createRoute({
      ...route('get', '/connections/{id}', 'One connection', read),
      request: { params: uuidParams },
      responses: {
        200: jsonResponse(connectionResponseSchema, 'The connection'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found'),
      },
    }),
    async (c) =>
      c.json(showConnection(await visibleConnection(ad.db, c.var.principal, c.req.valid('param').id)), 200),
  );

  app.openapi(
    createRoute({
      ...route(
        'patch',
        '/connections/{id}',
        'Rename a connection, change its account, or replace its token',
        write,
      ),
      request: { params: uuidParams, body: jsonBody(connectionUpdateRequestSchema) },
      responses: {
        200: jsonResponse(connectionResponseSchema, 'Changed'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found', 'invalid_request'),
      },
    }),
    async (c) =>
      c.json(await updateConnection(ad, c.var.principal, c.req.valid('param').id, c.req.valid('json')), 200),
  );

  app.openapi(
    createRoute({
      ...route(
        'post',
        '/connections/{id}/disconnect',
        'Disconnect an account: tokens erased, destinations archived',
        write,
      ),
      description: 'Spend already read stays for the ROI report. Revoke the grant on the platform too.',
      request: { params: uuidParams },
      responses: {
        200: jsonResponse(connectionResponseSchema, 'Disconnected'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found'),
      },
    }),
    async (c) => c.json(await disconnectConnection(ad, c.var.principal, c.req.valid('param').id), 200),
  );

  app.openapi(
    createRoute({
      ...route(
        'post',
        '/connections/{id}/sync',
        "Read the connection's campaigns and the last 7 days of spend now",
        write,
      ),
      request: { params: uuidParams },
      responses: {
        200: jsonResponse(
          z.object({ campaigns: z.number().int(), spendDays: z.number().int(), spendSupported: z.boolean() }),
          'Synced',
        ),
        ...errorResponses(
          'unauthorized',
          'forbidden',
          'not_found',
          'conflict',
          'platform_error',
          'platform_not_configured',
        ),
      },
    }),
    async (c) => {
      const row = await visibleConnection(ad.db, c.var.principal, c.req.valid('param').id);
      if (row.status === 'disconnected')
        throw new ApiError('conflict', 'This account was disconnected; connect it again to sync.');
      try {
        return c.json(await syncConnectionSpend(ad, row, spendRange(new Date())), 200);
      } catch (error) {
        throw platformApiError(error);
      }
    },
  );

  app.openapi(
    createRoute({
      ...route(
        'get',
        '/connections/{id}/campaigns',
        "The account's campaigns as last synced, with 30 days of cost",
        read,
      ),
      request: { params: uuidParams },
      responses: {
        200: jsonResponse(z.object({ data: z.array(platformCampaignResponseSchema) }), 'Campaigns'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found'),
      },
    }),
    async (c) =>
      c.json({ data: await listPlatformCampaigns(ad, c.var.principal, c.req.valid('param').id) }, 200),
  );

  app.openapi(
    createRoute({
      ...route(
        'patch',
        '/connections/{id}/campaigns/{campaignId}',
        'Map a platform campaign to an offer (ROI) and a campaign (budget stop)',
        write,
      ),
      request: { params: campaignParams, body: jsonBody(platformCampaignUpdateSchema) },
      responses: {
        200: jsonResponse(platformCampaignResponseSchema, 'Changed'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found', 'invalid_request'),
      },
    }),
    async (c) => {
      const { id, campaignId } = c.req.valid('param');
      return c.json(
        await updatePlatformCampaign(ad, c.var.principal, id, campaignId, c.req.valid('json')),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      ...route(
        'post',
        '/connections/{id}/campaigns/{campaignId}/status',
        'Pause or resume a campaign on the platform',
        write,
      ),
      request: {
        params: campaignParams,
        body: jsonBody(
          z.object({ status: z.enum(['active', 'paused']) }).meta({ id: 'AdPlatformCampaignStatusRequest' }),
        ),
      },
      responses: {
        200: jsonResponse(z.object({ status: z.enum(['active', 'paused']) }), 'Done on the platform'),
        ...errorResponses(
          'unauthorized',
          'forbidden',
          'not_found',
          'invalid_request',
          'platform_error',
          'platform_not_configured',
        ),
      },
    }),
    async (c) => {
      const { id, campaignId } = c.req.valid('param');
      return c.json(
        await setPlatformCampaignStatus(ad, c.var.principal, id, campaignId, c.req.valid('json').status),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      ...route(
        'post',
        '/oauth/{platform}/start',
        "The platform's authorisation link for an advertiser",
        write,
      ),
      description:
        'Open the link in the browser; the platform sends the advertiser back to the callback, which stores the tokens.',
      request: { params: platformParams, body: jsonBody(oauthStartRequestSchema) },
      responses: {
        200: jsonResponse(
          z.object({ url: z.url(), expiresAt: z.iso.datetime() }),
          'The link, good for 15 minutes',
        ),
        ...errorResponses(
          'unauthorized',
          'forbidden',
          'not_found',
          'invalid_request',
          'platform_not_configured',
        ),
      },
    }),
    async (c) =>
      c.json(await startOAuth(ad, c.var.principal, c.req.valid('param').platform, c.req.valid('json')), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/oauth/{platform}/callback',
      tags,
      summary: "The platform's redirect back after the advertiser allowed TAS",
      description:
        'No bearer token: the signed state names the advertiser. Redirects to the dashboard (its own address only).',
      request: {
        params: platformParams,
        query: z.object({
          code: z.string().max(4096).optional(),
          // TikTok names the code auth_code.
          auth_code: z.string().max(4096).optional(),
          state: z.string().max(4096).optional(),
          error: z.string().max(512).optional(),
        }),
      },
      responses: { 302: { description: 'To the dashboard, with connected=<id> or error=<reason>' } },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const location = await finishOAuth(ad, c.req.valid('param').platform, {
        code: query.code ?? query.auth_code,
        state: query.state,
        error: query.error,
      });
      return c.redirect(location, 302);
    },
  );

  app.openapi(
    createRoute({
      ...route('get', '/destinations', 'Where conversions are forwarded, with counts per state', read),
      request: { query: advertiserFilter },
      responses: {
        200: jsonResponse(
          z.object({ data: z.array(destinationResponseSchema) }),
          'Destinations, newest first',
        ),
        ...errorResponses('unauthorized', 'forbidden'),
      },
    }),
    async (c) => c.json({ data: await listDestinations(ad.db, c.var.principal, c.req.valid('query')) }, 200),
  );

  app.openapi(
    createRoute({
      ...route('post', '/destinations', "Forward an advertiser's conversions to a platform", write),
      request: { body: jsonBody(destinationCreateRequestSchema) },
      responses: {
        201: jsonResponse(destinationResponseSchema, 'Created'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found', 'invalid_request'),
      },
    }),
    async (c) => c.json(await createDestination(ad, c.var.principal, c.req.valid('json')), 201),
  );

  app.openapi(
    createRoute({
      ...route('get', '/destinations/{id}', 'One destination', read),
      request: { params: uuidParams },
      responses: {
        200: jsonResponse(destinationResponseSchema, 'The destination'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found'),
      },
    }),
    async (c) => c.json(await getDestination(ad.db, c.var.principal, c.req.valid('param').id), 200),
  );

  app.openapi(
    createRoute({
      ...route('patch', '/destinations/{id}', 'Change, pause, resume or archive a destination', write),
      request: { params: uuidParams, body: jsonBody(destinationUpdateRequestSchema) },
      responses: {
        200: jsonResponse(destinationResponseSchema, 'Changed'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found', 'invalid_request', 'conflict'),
      },
    }),
    async (c) =>
      c.json(await updateDestination(ad, c.var.principal, c.req.valid('param').id, c.req.valid('json')), 200),
  );

  app.openapi(
    createRoute({
      ...route(
        'get',
        '/destinations/{id}/deliveries',
        "A destination's log: each conversion, its state and the platform's answer",
        read,
      ),
      request: {
        params: uuidParams,
        query: z.object({
          state: z.enum(['pending', 'sent', 'rejected', 'failed', 'skipped']).optional(),
          conversionId: z.uuid().optional(),
          before: z.iso.datetime().optional().describe('Cursor: nextBefore of the previous page'),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
      },
      responses: {
        200: jsonResponse(
          z.object({ data: z.array(deliveryResponseSchema), nextBefore: z.iso.datetime().nullable() }),
          'Deliveries, newest first',
        ),
        ...errorResponses('unauthorized', 'forbidden', 'not_found'),
      },
    }),
    async (c) =>
      c.json(
        await listDeliveries(ad.db, c.var.principal, c.req.valid('param').id, c.req.valid('query')),
        200,
      ),
  );

  app.openapi(
    createRoute({
      ...route(
        'post',
        '/destinations/{id}/replay',
        'Send deliveries again (named ones, or all rejected and failed)',
        write,
      ),
      request: { params: uuidParams, body: jsonBody(replayRequestSchema) },
      responses: {
        200: jsonResponse(z.object({ queued: z.number().int() }), 'Queued again'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found', 'conflict'),
      },
    }),
    async (c) =>
      c.json(
        await replayDeliveries(ad.db, c.var.principal, c.req.valid('param').id, c.req.valid('json')),
        200,
      ),
  );

  return app;
}
