import { createRoute, z } from '@hono/zod-openapi';
import { entityIdParamSchema } from '@tas/shared/ids';
import { newApiRouter } from '../../http/api-router.ts';
import { idParamsSchema, pageOf, pageQuerySchema } from '../../http/list-query.ts';
import { type AuthenticateDeps, authenticate } from '../../http/middleware/authenticate.ts';
import { requireRole } from '../../http/middleware/require-role.ts';
import { requireScope } from '../../http/middleware/require-scope.ts';
import { bearerSecurity, errorResponses, jsonBody, jsonResponse } from '../../http/openapi-helpers.ts';
import { getRoute, listRoute } from '../../http/resource-routes.ts';
import {
  cancelJob,
  createJob,
  creativeJobRequestSchema,
  creativeJobResponse,
  creativeJobResponseSchema,
  listJobs,
  type ProviderSet,
  retryJob,
  visibleJob,
} from './creative-job-service.ts';

const tags = ['creatives'];
const item = creativeJobResponseSchema;

/** /api/v1/creative-jobs: generations run in the background; advertisers see theirs, admins all. */
export function creativeJobRoutes(deps: AuthenticateDeps & { creativeProviders: ProviderSet }) {
  const app = newApiRouter();
  const auth = authenticate(deps);
  const read = [auth, requireRole('admin', 'advertiser'), requireScope('offers:read')];
  const write = [auth, requireRole('admin', 'advertiser'), requireScope('offers:write')];

  app.openapi(
    listRoute({
      tags,
      summary: 'Generation jobs you may see',
      middleware: read,
      query: pageQuerySchema.extend({
        campaignId: entityIdParamSchema.optional(),
        status: z.enum(['queued', 'running', 'done', 'failed', 'cancelled']).optional(),
      }),
      item,
      description: 'Jobs',
    }),
    async (c) => {
      const query = c.req.valid('query');
      return c.json(
        pageOf(await listJobs(deps.db, c.var.principal, query), query.limit, creativeJobResponse),
        200,
      );
    },
  );

  app.openapi(
    getRoute({ tags, summary: 'One generation job', middleware: read, item, description: 'The job' }),
    async (c) =>
      c.json(creativeJobResponse(await visibleJob(deps.db, c.var.principal, c.req.valid('param').id)), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags,
      summary: 'Generate creatives in the background',
      description:
        'Queues a job; poll it for status and progress. When done, each placement has a creative in the campaign ' +
        "pointing at TAS's asset. Paid providers answer a cost estimate.",
      security: bearerSecurity,
      middleware: write,
      request: { body: jsonBody(creativeJobRequestSchema) },
      responses: {
        202: jsonResponse(item, 'Queued'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found'),
      },
    }),
    async (c) =>
      c.json(
        creativeJobResponse(
          await createJob(
            { db: deps.db, providers: deps.creativeProviders },
            c.var.principal,
            c.req.valid('json'),
          ),
        ),
        202,
      ),
  );

  for (const [action, summary, run] of [
    ['cancel', 'Cancel a queued or running job (the provider is stopped)', cancelJob],
    ['retry', 'Queue a failed or cancelled job again', retryJob],
  ] as const) {
    app.openapi(
      createRoute({
        method: 'post',
        path: `/{id}/${action}`,
        tags,
        summary,
        security: bearerSecurity,
        middleware: write,
        request: { params: idParamsSchema },
        responses: {
          200: jsonResponse(item, 'The job'),
          ...errorResponses('unauthorized', 'forbidden', 'not_found', 'conflict'),
        },
      }),
      async (c) =>
        c.json(creativeJobResponse(await run(deps.db, c.var.principal, c.req.valid('param').id)), 200),
    );
  }
  return app;
}
